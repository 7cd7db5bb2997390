"""Start the whole stack as child processes on free ports (tests, benchmarks).

`coach run` supervises with honcho in the foreground; tests need the same
processes in the background, on ports that do not clash with a developer's
running stack, and the power to kill and restart one of them.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import signal
import socket
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Set, Tuple

import httpx

from cli.paths import REPO_ROOT
from cli.stack import TF_THREADS, actions_command, api_command, endpoints_file, rasa_command

# --- ports ------------------------------------------------------------------------
#
# Binding port 0 and closing the socket again hands out a port that the next
# bind(0) may hand out once more: two children of one stack could get the same
# port. Ports here are reserved: bound (not listening) by this process until
# right before the child that listens on them starts, all of one stack at the
# same time, and never handed out twice in one process (a restarted child gets
# its port back) nor, through a lock file, to another test process.

PORT_LOCK_DIR = Path(tempfile.gettempdir()) / "coach-ports"
NETGUARD_DIR = REPO_ROOT / "tests" / "netguard"
NETGUARD_ENV = "COACH_NETWORK_GUARD"

_ports_lock = threading.Lock()
_handed_out: Set[int] = set()
_port_lock_files: Dict[int, int] = {}


class PortReservation:
    """A loopback port bound by this process until ``release()``; the port stays this process's."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock: Optional[socket.socket] = sock
        self.port: int = sock.getsockname()[1]

    @property
    def held(self) -> bool:
        return self._sock is not None

    def release(self) -> None:
        """Unbind, so the child can listen on the port (call right before starting it)."""
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def __repr__(self) -> str:
        return f"PortReservation({self.port}, held={self.held})"


def _lock_across_processes(port: int) -> bool:
    """Claim ``port`` for this process's lifetime against other processes that use this module."""
    try:
        PORT_LOCK_DIR.mkdir(parents=True, exist_ok=True)
        fd = os.open(PORT_LOCK_DIR / f"{port}.lock", os.O_RDWR | os.O_CREAT, 0o666)
    except OSError:
        return True  # no shared folder: the in-process set and the held sockets still apply
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        os.close(fd)
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            return False
        return True
    _port_lock_files[port] = fd
    return True


def reserve_ports(count: int, host: str = "127.0.0.1") -> List[PortReservation]:
    """``count`` distinct ports, each held bound until its reservation is released."""
    chosen: List[PortReservation] = []
    refused: List[socket.socket] = []
    with _ports_lock:
        try:
            while len(chosen) < count:
                sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                sock.bind((host, 0))
                port = sock.getsockname()[1]
                if port in _handed_out or not _lock_across_processes(port):
                    refused.append(sock)  # kept bound, so bind(0) cannot offer it again now
                    if len(refused) > 500:
                        raise RuntimeError("no free port found after 500 tries")
                    continue
                _handed_out.add(port)
                chosen.append(PortReservation(sock))
        except BaseException:
            for reservation in chosen:
                reservation.release()
            raise
        finally:
            for sock in refused:
                sock.close()
    return chosen


def free_port() -> int:
    """A port no other caller in this process gets; unbound again, so prefer reserve_ports()."""
    reservation = reserve_ports(1)[0]
    reservation.release()
    return reservation.port


def guarded_env(env: Dict[str, str]) -> Dict[str, str]:
    """``env`` with the network guard (tests/netguard/sitecustomize.py) first on
    PYTHONPATH when COACH_NETWORK_GUARD=1, so the Python children guard themselves."""
    env = dict(env)
    if env.get(NETGUARD_ENV) != "1":
        return env
    guard = str(NETGUARD_DIR)
    rest = [part for part in env.get("PYTHONPATH", "").split(os.pathsep) if part and part != guard]
    env["PYTHONPATH"] = os.pathsep.join([guard, *rest])
    return env


# --- who answers ------------------------------------------------------------------
#
# Any HTTP answer on a child's port is not proof the child is up: another
# process (or another child, when ports collided) may be answering there. Each
# child's health URL must answer as that service. A check returns None when it
# does, else what answered instead.

Identify = Callable[[httpx.Response], Optional[str]]


def _body(response: httpx.Response):
    try:
        return response.json()
    except (ValueError, UnicodeDecodeError):
        return None


def describe(response: httpx.Response) -> str:
    kind = response.headers.get("content-type", "no content type")
    text = response.text[:120].replace("\n", " ")
    return f"{response.status_code} {kind} {text!r}"


def rasa_identity(response: httpx.Response) -> Optional[str]:
    """Rasa's GET /version: JSON with its version."""
    body = _body(response)
    if response.status_code == 200 and isinstance(body, dict) and isinstance(body.get("version"), str):
        return None
    return f"not Rasa's /version: {describe(response)}"


def actions_identity(response: httpx.Response) -> Optional[str]:
    """The action server's (rasa_sdk) GET /health: {"status": "ok"}."""
    if response.status_code == 200 and _body(response) == {"status": "ok"}:
        return None
    return f"not the action server's /health: {describe(response)}"


API_HEALTH_FIELDS = {"status", "rasa", "actions", "db"}


def api_identity(response: httpx.Response) -> Optional[str]:
    """Our API's GET /api/v1/health: every part "ok" (it answers 503 while Rasa loads)."""
    body = _body(response)
    if not (isinstance(body, dict) and API_HEALTH_FIELDS <= set(body)):
        return f"not the coach API's health: {describe(response)}"
    if response.status_code == 200 and body["status"] == "ok":
        return None
    return f"the coach API, not ready: {response.status_code} {json.dumps(body)}"


def probe(url: str, identify: Identify, timeout: float = 2.0) -> Optional[str]:
    """None when ``url`` answers as ``identify`` expects, else why not."""
    try:
        response = httpx.get(url, timeout=timeout, trust_env=False)
    except httpx.HTTPError as exc:
        return f"no answer ({type(exc).__name__})"
    return identify(response)


@dataclass
class Child:
    name: str
    cmd: List[str]
    health_url: str
    log_path: Path
    identify: Identify
    reservation: Optional[PortReservation] = None
    process: Optional[subprocess.Popen] = None
    last_probe: str = "not asked yet"

    def start(self, env: Dict[str, str]) -> None:
        if self.reservation is not None:
            self.reservation.release()  # at the last moment, so nothing else takes the port
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                self.cmd, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def is_up(self) -> bool:
        """Does this child's health URL answer as this child? (``last_probe`` says what did.)"""
        problem = probe(self.health_url, self.identify)
        self.last_probe = problem or "up"
        return problem is None

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20.0) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, sig)
            self.process.wait(timeout=timeout)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait(timeout=10)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


class ChildExited(RuntimeError):
    """A child process ended while the stack was starting."""


@dataclass
class LocalStack:
    """Rasa server(s), action server and API for one model and one set of settings."""

    model: Path
    workdir: Path
    env_overrides: Dict[str, str] = field(default_factory=dict)
    rasa_servers: int = 1
    children: Dict[str, Child] = field(default_factory=dict)
    env: Dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        # All ports of the stack at once, each held until its child starts.
        self._reservations = reserve_ports(2 + self.rasa_servers)
        api, actions, *rasa = self._reservations
        self.api_port = api.port
        self.action_port = actions.port
        self.rasa_ports = [reservation.port for reservation in rasa]

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    @property
    def rasa_urls(self) -> List[str]:
        return [f"http://127.0.0.1:{port}" for port in self.rasa_ports]

    @property
    def database_url(self) -> str:
        """The stack's own app database (SQLite in the workdir)."""
        return self.settings_env()["COACH_DATABASE_URL"]

    def settings_env(self) -> Dict[str, str]:
        """The COACH_* environment every child of this stack runs with."""
        env = {
            "COACH_ENV": "test",
            "COACH_DATABASE_URL": f"sqlite:///{self.workdir / 'coach.db'}",
            "COACH_API_PORT": str(self.api_port),
            "COACH_RASA_URLS": ",".join(self.rasa_urls),
            "COACH_ACTION_SERVER_URL": f"http://127.0.0.1:{self.action_port}/webhook",
            # Scripted clients type far faster than people; the limits are tested on their own.
            "COACH_RATE_LIMIT_SESSION_MESSAGES": "100000",
            "COACH_RATE_LIMIT_KEY_MESSAGES": "1000000",
            "COACH_RATE_LIMIT_KEY_NEW_SESSIONS": "100000",
        }
        env.update(self.env_overrides)
        return env

    def settings(self):
        """Settings exactly as the child processes will read them from the environment."""
        from bot.settings import Settings

        saved = dict(os.environ)
        try:
            os.environ.update(self.settings_env())
            return Settings()
        finally:
            os.environ.clear()
            os.environ.update(saved)

    def prepare_database(
        self,
        *,
        kiosk_key: Optional[str] = None,
        kiosk_label: str = "local",
        users: Sequence[Tuple[str, str, str]] = (),
    ) -> None:
        """Before ``start()``: migrate the stack's own database and register what its clients
        sign in with: the kiosk key (when given, under ``kiosk_label``) and each staff account
        ``(username, role, password)`` that does not exist yet (a reused workdir keeps its own).

        Runs in this process with the stack's settings in the environment; the environment
        and the settings cache are restored afterwards.
        """
        from bot import accounts
        from bot.db.engine import session_scope
        from bot.db.migrate import upgrade
        from bot.settings import get_settings

        saved = dict(os.environ)
        try:
            os.environ.update(self.settings_env())
            get_settings.cache_clear()
            upgrade()
            with session_scope() as db:
                if kiosk_key:
                    accounts.ensure_kiosk_key(db, kiosk_key, label=kiosk_label)
                for username, role, password in users:
                    if accounts.get_user(db, username) is None:
                        accounts.create_user(db, username, role, password)
        finally:
            os.environ.clear()
            os.environ.update(saved)
            get_settings.cache_clear()

    def start(self, timeout_s: float = 300.0) -> "LocalStack":
        settings = self.settings()
        self.env = guarded_env({**os.environ, **TF_THREADS, **self.settings_env()})
        endpoints = endpoints_file(settings, self.workdir / "endpoints.yml")
        api, actions, *rasa = self._reservations
        for index, (port, reservation) in enumerate(zip(self.rasa_ports, rasa)):
            name = f"rasa{index + 1}"
            self.children[name] = Child(
                name,
                rasa_command(self.model, port, settings.rasa_token, endpoints),
                f"http://127.0.0.1:{port}/version",
                self.workdir / f"{name}.log",
                rasa_identity,
                reservation,
            )
        self.children["actions"] = Child(
            "actions",
            actions_command(self.action_port),
            f"http://127.0.0.1:{self.action_port}/health",
            self.workdir / "actions.log",
            actions_identity,
            actions,
        )
        self.children["api"] = Child(
            "api",
            api_command("127.0.0.1", self.api_port),
            f"{self.api_url}/api/v1/health",
            self.workdir / "api.log",
            api_identity,
            api,
        )
        try:
            for child in self.children.values():
                child.start(self.env)
            self.wait_until_up(list(self.children), timeout_s)
        except BaseException:
            self.stop()
            raise
        return self

    def wait_until_up(self, names: List[str], timeout_s: float, poll_s: float = 0.25) -> None:
        """Until every named child answers as itself; fails at once when one of them exits."""
        deadline = time.monotonic() + timeout_s
        pending = list(names)
        while True:
            for name in names:  # also the ones already up: one may die while another loads
                self._fail_if_exited(name)
            for name in list(pending):
                if self.children[name].is_up():
                    pending.remove(name)
            if not pending:
                return
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"not up after {timeout_s:.0f} s: {pending}\n"
                    + "\n".join(
                        f"{n}: {self.children[n].health_url} -> {self.children[n].last_probe}"
                        for n in pending
                    )
                    + "\n"
                    + "\n".join(self.tail(n) for n in pending)
                )
            time.sleep(poll_s)

    def _fail_if_exited(self, name: str) -> None:
        child = self.children[name]
        if child.process is not None and not child.running:
            raise ChildExited(
                f"{name} exited with code {child.process.returncode} during start-up "
                f"({' '.join(child.cmd[:3])} ...); log:\n{self.tail(name)}"
            )

    def restart(self, name: str, timeout_s: float = 300.0) -> None:
        self.children[name].start(self.env)
        self.wait_until_up([name], timeout_s)

    def tail(self, name: str, lines: int = 40) -> str:
        path = self.children[name].log_path
        if not path.exists():
            return f"[{name}: no log]"
        text = path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
        return f"--- {name} ---\n" + "\n".join(text)

    def stop(self) -> None:
        for child in reversed(list(self.children.values())):
            child.stop()
        for reservation in self._reservations:
            reservation.release()

    def __enter__(self) -> "LocalStack":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
