"""Start the Rasa server(s), the action server and the API under honcho, and keep them up.

honcho relays every process's output with a coloured prefix. Its own manager stops
everything when one process dies; ours (``RestartingManager``, issue 15.0) restarts the
child that died instead, after a growing wait (1 s, 2 s, 4 s … 30 s; back to 1 s once a
child ran a minute), logs it on the ``system`` line and writes every child's state to a
status file the API shows in ``GET /api/v1/health`` (``supervisor``). So Rasa killed by
the kernel (it holds 1.4 GB) never takes the API down: the API stores the client's words,
tells the client and calls a counsellor until Rasa is back. Ctrl-C (or SIGTERM) still
stops everything and restarts nothing.

The start-up wait accepts only each child's own answer (Rasa's ``/version``, the action
server's ``{"status": "ok"}``, the API's health), never just any HTTP answer on the port.
"""

from __future__ import annotations

import datetime
import json
import multiprocessing
import os
import queue
import shlex
import signal
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

import httpx
from honcho.manager import KILL_WAIT, SIGNALS, Manager

# Waits before a restart, by how many restarts in a row came before; the last one repeats.
BACKOFF_S = (1.0, 2.0, 4.0, 8.0, 16.0, 30.0)
# A child that ran this long before it died starts again from the first wait.
STABLE_AFTER_S = 60.0
STATUS_ENV = "COACH_SUPERVISOR_STATUS_FILE"

Identify = Callable[[httpx.Response], Optional[str]]


def any_answer(response: httpx.Response) -> Optional[str]:
    """Fallback identity: any answer below 500 (only for children without their own check)."""
    return None if response.status_code < 500 else f"HTTP {response.status_code}"


@dataclass
class ProcessSpec:
    name: str
    cmd: List[str]
    health_url: str
    env: Dict[str, str] = field(default_factory=dict)
    identify: Identify = any_answer

    @property
    def shell_cmd(self) -> str:
        # honcho runs commands through the shell; exec replaces the shell so
        # signals reach the server itself.
        return "exec " + " ".join(shlex.quote(part) for part in self.cmd)


def probe(url: str, identify: Identify, timeout: float = 2.0) -> Optional[str]:
    """None when ``url`` answers as ``identify`` expects, else why not."""
    try:
        response = httpx.get(url, timeout=timeout, trust_env=False)
    except httpx.HTTPError as exc:
        return f"no answer ({type(exc).__name__})"
    return identify(response)


def is_up(spec: ProcessSpec, timeout: float = 2.0) -> bool:
    return probe(spec.health_url, spec.identify, timeout) is None


def wait_until_up(
    specs: List[ProcessSpec], timeout_s: float, stop: Optional[threading.Event] = None
) -> List[str]:
    """Poll every child's health URL until each answers as itself; return the names still down."""
    pending = {spec.name: spec for spec in specs}
    deadline = time.monotonic() + timeout_s
    while pending and time.monotonic() < deadline:
        if stop is not None and stop.is_set():
            break
        for name, spec in list(pending.items()):
            if is_up(spec):
                del pending[name]
        if pending:
            time.sleep(1.0)
    return sorted(pending)


def backoff_s(restarts_in_a_row: int) -> float:
    return BACKOFF_S[min(restarts_in_a_row, len(BACKOFF_S) - 1)]


class RestartingManager(Manager):
    """honcho's Manager, but a child that exits is started again (with back-off) instead of
    stopping the others. Only a signal (Ctrl-C, SIGTERM) ends the loop."""

    def __init__(
        self, status_path: Optional[Path] = None, printer=None, backoff: Callable[[int], float] = backoff_s
    ) -> None:
        super().__init__(printer=printer)
        self.status_path = status_path
        self.backoff = backoff
        self.children: Dict[str, Dict[str, Any]] = {}  # JSON-like status per process

    # --- status ---------------------------------------------------------------

    def _child(self, name: str) -> Dict[str, Any]:
        return self.children.setdefault(
            name,
            {
                "state": "starting",
                "pid": None,
                "restarts": 0,
                "in_a_row": 0,
                "last_exit_code": None,
                "last_exit_at": None,
                "started_at": None,
                "restart_at": None,
            },
        )

    def _write_status(self) -> None:
        if self.status_path is None:
            return
        public = {
            name: {k: v for k, v in child.items() if k not in ("in_a_row", "restart_at", "started_mono")}
            for name, child in self.children.items()
        }
        tmp = self.status_path.with_name(self.status_path.name + ".tmp")
        tmp.write_text(json.dumps(public, default=str, indent=1), encoding="utf-8")
        os.replace(tmp, self.status_path)

    # --- the loop -------------------------------------------------------------

    def _spawn(self, name: str) -> None:
        entry = self._processes[name]
        entry.pop("returncode", None)
        entry["pid"] = None
        entry["process"] = multiprocessing.Process(
            name=name, target=entry["obj"].run, args=(self.events, True)
        )
        entry["process"].start()

    def _start(self) -> None:
        for name in self._processes:
            self._child(name)
            self._spawn(name)
        self._write_status()

    def loop(self) -> None:
        def _terminate(signum, frame):
            self._system_print("%s received\n" % SIGNALS[signum]["name"])
            self.returncode = SIGNALS[signum]["rc"]
            self.terminate()

        signal.signal(signal.SIGTERM, _terminate)
        signal.signal(signal.SIGINT, _terminate)
        self._start()
        exit_start = None
        while True:
            try:
                msg = self.events.get(timeout=0.1)
            except queue.Empty:
                msg = None
            if msg is not None:
                self._handle(msg)
            if not self._terminating:
                self._restart_due()
            else:
                if (
                    all(
                        p.get("pid") is None or p.get("returncode") is not None
                        for p in self._processes.values()
                    )
                    and not self._any_pending_start()
                ):
                    break
                if exit_start is None:
                    exit_start = time.monotonic()
                elif time.monotonic() - exit_start > KILL_WAIT:
                    self.kill()
                    exit_start = time.monotonic() + 3600  # once
        for entry in self._processes.values():
            process = entry.get("process")
            if process is not None:
                process.join(timeout=2)
        if self.returncode is None:
            self.returncode = 0

    def _any_pending_start(self) -> bool:
        """A child whose start was asked but whose pid has not come yet."""
        return any(
            p.get("process") is not None and p.get("pid") is None and p["process"].is_alive()
            for p in self._processes.values()
        )

    def _handle(self, msg) -> None:
        if msg.type == "line":
            self._printer.write(msg)
            return
        child = self._child(msg.name)
        if msg.type == "start":
            self._processes[msg.name]["pid"] = msg.data["pid"]
            child.update(state="running", pid=msg.data["pid"], started_at=_now(), restart_at=None)
            child["started_mono"] = time.monotonic()
            self._system_print("%s started (pid=%s)\n" % (msg.name, msg.data["pid"]))
            if self._terminating:  # started while we were stopping: stop it too
                self._procmgr.terminate(msg.data["pid"])
        elif msg.type == "stop":
            code = msg.data["returncode"]
            self._processes[msg.name]["returncode"] = code
            child.update(last_exit_code=code, last_exit_at=_now(), pid=None)
            if self._terminating:
                child["state"] = "stopped"
                self._system_print("%s stopped (rc=%s)\n" % (msg.name, code))
            else:
                ran = time.monotonic() - float(child.get("started_mono") or time.monotonic())
                if ran >= STABLE_AFTER_S:
                    child["in_a_row"] = 0
                wait = self.backoff(int(child["in_a_row"]))
                child.update(state="restarting", restart_at=time.monotonic() + wait)
                self._system_print(
                    "%s stopped (rc=%s); restarting in %.0f s (restart %d)\n"
                    % (msg.name, code, wait, int(child["restarts"]) + 1)
                )
        self._write_status()

    def _restart_due(self) -> None:
        now = time.monotonic()
        for name, child in self.children.items():
            at = child.get("restart_at")
            if child.get("state") == "restarting" and at is not None and now >= float(at):
                child["restarts"] = int(child["restarts"]) + 1
                child["in_a_row"] = int(child["in_a_row"]) + 1
                child.update(state="starting", restart_at=None)
                self._write_status()
                self._spawn(name)

    def _killall(self, force: bool = False) -> None:
        for name, entry in self._processes.items():
            if entry.get("pid") is not None and "returncode" not in entry:
                signame = "SIGKILL" if force else "SIGTERM"
                self._system_print("sending %s to %s (pid %s)\n" % (signame, name, entry["pid"]))
                if force:
                    self._procmgr.kill(entry["pid"])
                else:
                    self._procmgr.terminate(entry["pid"])
        for child in self.children.values():
            if child.get("state") == "restarting":
                child.update(state="stopped", restart_at=None)


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def supervise(
    specs: List[ProcessSpec],
    cwd: str,
    on_ready: Callable[[], None],
    ready_timeout_s: float = 600.0,
    status_path: Optional[Path] = None,
) -> int:
    """Run all processes until Ctrl-C, restarting any that dies; return the exit code."""
    if status_path is None:
        status_path = Path(tempfile.gettempdir()) / f"coach-supervisor-{os.getpid()}.json"
    manager = RestartingManager(status_path=status_path)
    for spec in specs:
        # Every child (the API reads it for /health) knows where the supervisor writes.
        manager.add_process(
            spec.name, spec.shell_cmd, env={**spec.env, STATUS_ENV: str(status_path)}, cwd=cwd
        )
    stop = threading.Event()

    def watch() -> None:
        down = wait_until_up(specs, ready_timeout_s, stop)
        if stop.is_set():
            return
        if down:
            print(f"\n!! Not answering after {ready_timeout_s:.0f} s: {', '.join(down)}\n", flush=True)
        else:
            on_ready()

    watcher = threading.Thread(target=watch, name="health-watch", daemon=True)
    watcher.start()
    try:
        manager.loop()
    finally:
        stop.set()
        try:
            status_path.unlink()
        except OSError:
            pass
    return manager.returncode or 0
