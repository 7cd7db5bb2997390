"""What `coach run` starts: the process list for the embedded or production topology."""

from __future__ import annotations

import os
from urllib.parse import urlsplit
from pathlib import Path
from typing import Dict, List, Optional

from cli.paths import REPO_ROOT, VAR_DIR, venv_bin
from cli.supervisor import ProcessSpec

RASA_BASE_PORT = 5005
ACTIONS_PORT = 5055

# TensorFlow would start a thread pool per core for every Rasa server; on a small
# machine a few threads each keep several servers from starving one another.
TF_THREADS = {
    "TF_INTER_OP_PARALLELISM_THREADS": "1",
    "TF_INTRA_OP_PARALLELISM_THREADS": "2",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "PYTHONUNBUFFERED": "1",
}


def rasa_urls(count: int, host: str = "127.0.0.1", base_port: int = RASA_BASE_PORT) -> List[str]:
    return [f"http://{host}:{base_port + i}" for i in range(count)]


def scaled_rasa_urls(count: int, configured: Optional[str]) -> List[str]:
    """The Rasa URLs `coach run --rasa-servers N` starts.

    COACH_RASA_URLS wins when it lists N servers (or N is the default 1);
    otherwise N servers on consecutive ports from its first URL, so
    `COACH_RASA_URLS=http://127.0.0.1:18005 coach run --rasa-servers 2` keeps
    clear of a stack on 5005.
    """
    urls = [u.strip() for u in (configured or "").split(",") if u.strip()]
    if not urls:
        return rasa_urls(count)
    if count == 1 or len(urls) == count:
        return urls
    first = urlsplit(urls[0])
    return rasa_urls(count, first.hostname or "127.0.0.1", first.port or RASA_BASE_PORT)


def _port(url: str) -> int:
    return int(urlsplit(url).port or 80)


def endpoints_file(settings, path: Path = VAR_DIR / "endpoints.yml") -> Path:
    from bot.rasa_endpoints import render_endpoints

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        render_endpoints(
            action_server_url=settings.action_server_url,
            tracker_store_url=settings.tracker_store_url,
            lock_store_url=settings.lock_store_url,
            internal_token=settings.internal_token,
        ),
        encoding="utf-8",
    )
    path.chmod(0o600)  # it holds store passwords and the internal token
    return path


def rasa_command(model: Path, port: int, token: str, endpoints: Path) -> List[str]:
    return [
        str(venv_bin("rasa")),
        "run",
        "--enable-api",
        "--auth-token",
        token,
        "--interface",
        "127.0.0.1",
        "--port",
        str(port),
        "--model",
        str(model),
        "--endpoints",
        str(endpoints),
        "--credentials",
        str(REPO_ROOT / "credentials.yml"),
    ]


def actions_command(port: int = ACTIONS_PORT) -> List[str]:
    # rasa_sdk with the internal-token check (rasa_plugins/action_server.py); same arguments.
    return [
        str(venv_bin("python")),
        "-m",
        "rasa_plugins.action_server",
        "--actions",
        "actions",
        "--port",
        str(port),
    ]


def api_command(host: str, port: int) -> List[str]:
    return [str(venv_bin("uvicorn")), "api.main:app", "--host", host, "--port", str(port), "--no-access-log"]


def build_specs(
    settings, model: Path, env: Dict[str, str], endpoints: Optional[Path] = None
) -> List[ProcessSpec]:
    """One Rasa server per URL in settings.rasa_urls, the action server, the API.

    Each child is waited for by its own answer (cli/local_stack.py): Rasa's /version,
    the action server's {"status": "ok"}, the API's health with every part "ok"."""
    from cli.local_stack import actions_identity, api_identity, rasa_identity

    endpoints = endpoints_file(settings) if endpoints is None else endpoints_file(settings, endpoints)
    base_env = {**os.environ, **env, **TF_THREADS}
    specs: List[ProcessSpec] = []
    many = len(settings.rasa_urls) > 1
    for index, url in enumerate(settings.rasa_urls):
        name = f"rasa{index + 1}" if many else "rasa"
        specs.append(
            ProcessSpec(
                name,
                rasa_command(model, _port(url), settings.rasa_token, endpoints),
                f"{url.rstrip('/')}/version",
                base_env,
                rasa_identity,
            )
        )
    action_port = _port(settings.action_server_url)
    specs.append(
        ProcessSpec(
            "actions",
            actions_command(action_port),
            f"http://127.0.0.1:{action_port}/health",
            base_env,
            actions_identity,
        )
    )
    specs.append(
        ProcessSpec(
            "api",
            api_command(settings.api_host, settings.api_port),
            f"http://{settings.api_host}:{settings.api_port}/api/v1/health",
            base_env,
            api_identity,
        )
    )
    return specs
