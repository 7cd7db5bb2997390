"""Start the whole stack as child processes on free ports (tests, benchmarks).

`coach run` supervises with honcho in the foreground; tests need the same
processes in the background, on ports that do not clash with a developer's
running stack, and the power to kill and restart one of them.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

from cli.paths import REPO_ROOT
from cli.stack import TF_THREADS, actions_command, api_command, endpoints_file, rasa_command
from cli.supervisor import is_up


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Child:
    name: str
    cmd: List[str]
    health_url: str
    log_path: Path
    process: Optional[subprocess.Popen] = None

    def start(self, env: Dict[str, str]) -> None:
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(self.cmd, cwd=REPO_ROOT, env=env, stdout=log,
                                        stderr=subprocess.STDOUT, start_new_session=True)

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
        self.api_port = free_port()
        self.action_port = free_port()
        self.rasa_ports = [free_port() for _ in range(self.rasa_servers)]

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    @property
    def rasa_urls(self) -> List[str]:
        return [f"http://127.0.0.1:{port}" for port in self.rasa_ports]

    def _settings_env(self) -> Dict[str, str]:
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
            os.environ.update(self._settings_env())
            return Settings()
        finally:
            os.environ.clear()
            os.environ.update(saved)

    def start(self, timeout_s: float = 300.0) -> "LocalStack":
        settings = self.settings()
        self.env = {**os.environ, **TF_THREADS, **self._settings_env()}
        endpoints = endpoints_file(settings, self.workdir / "endpoints.yml")
        for index, port in enumerate(self.rasa_ports):
            name = f"rasa{index + 1}"
            self.children[name] = Child(name, rasa_command(self.model, port, settings.rasa_token, endpoints),
                                        f"http://127.0.0.1:{port}/", self.workdir / f"{name}.log")
        self.children["actions"] = Child("actions", actions_command(self.action_port),
                                         f"http://127.0.0.1:{self.action_port}/health",
                                         self.workdir / "actions.log")
        self.children["api"] = Child("api", api_command("127.0.0.1", self.api_port),
                                     f"{self.api_url}/api/v1/health", self.workdir / "api.log")
        try:
            for child in self.children.values():
                child.start(self.env)
            self.wait_until_up(list(self.children), timeout_s)
        except Exception:
            self.stop()
            raise
        return self

    def wait_until_up(self, names: List[str], timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        pending = list(names)
        while pending:
            for name in list(pending):
                child = self.children[name]
                if not child.running:
                    raise RuntimeError(f"{name} exited during start-up; log:\n{self.tail(name)}")
                if is_up(child.health_url):
                    pending.remove(name)
            if pending and time.monotonic() > deadline:
                raise RuntimeError(f"not up after {timeout_s:.0f} s: {pending}\n"
                                   + "\n".join(self.tail(n) for n in pending))
            if pending:
                time.sleep(1.0)

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

    def __enter__(self) -> "LocalStack":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
