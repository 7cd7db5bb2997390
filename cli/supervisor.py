"""Start the Rasa server(s), the action server and the API under honcho.

honcho relays every process's output with a coloured prefix and stops all of
them when one dies or when Ctrl-C arrives, so no server is left behind.
"""
from __future__ import annotations

import shlex
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional

import httpx
from honcho.manager import Manager


@dataclass
class ProcessSpec:
    name: str
    cmd: List[str]
    health_url: str
    env: Dict[str, str] = field(default_factory=dict)

    @property
    def shell_cmd(self) -> str:
        # honcho runs commands through the shell; exec replaces the shell so
        # signals reach the server itself.
        return "exec " + " ".join(shlex.quote(part) for part in self.cmd)


def is_up(url: str, timeout: float = 2.0) -> bool:
    try:
        return httpx.get(url, timeout=timeout).status_code < 500
    except httpx.HTTPError:
        return False


def wait_until_up(specs: List[ProcessSpec], timeout_s: float,
                  stop: Optional[threading.Event] = None) -> List[str]:
    """Poll every health URL until all answer; return the names still down."""
    pending = {spec.name: spec.health_url for spec in specs}
    deadline = time.monotonic() + timeout_s
    while pending and time.monotonic() < deadline:
        if stop is not None and stop.is_set():
            break
        for name, url in list(pending.items()):
            if is_up(url):
                del pending[name]
        if pending:
            time.sleep(1.0)
    return sorted(pending)


def supervise(specs: List[ProcessSpec], cwd: str, on_ready: Callable[[], None],
              ready_timeout_s: float = 600.0) -> int:
    """Run all processes until Ctrl-C or until one exits; return honcho's exit code."""
    manager = Manager()
    for spec in specs:
        manager.add_process(spec.name, spec.shell_cmd, env=spec.env, cwd=cwd)
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
    return manager.returncode or 0
