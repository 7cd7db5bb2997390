"""Start the real stack (Rasa server, action server, API) for an OpenAPI fuzz run.

    .venv/bin/python bench/fuzz_stack.py [--model models/coach-….tar.gz] [--workdir DIR]

Creates an admin account and a kiosk key in a fresh SQLite database, starts the
stack with cli.local_stack (COACH_ENV=test, the internal token on), writes
`DIR/credentials.json` (API URL, bearer token, kiosk key) and waits until it is
killed (SIGTERM/SIGINT stops the children). bench/results/fuzz.md shows the
schemathesis command run against it.
"""

from __future__ import annotations

import argparse
import json
import secrets
import signal
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402

from cli.local_stack import LocalStack  # noqa: E402

ADMIN = ("fuzz-beheerder", "fuzz-password-" + secrets.token_hex(4))


def newest_model() -> Path:
    models = sorted(Path("models").glob("coach-*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        raise SystemExit("no model in models/: run `coach train` first")
    return models[-1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", type=Path)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="coach-fuzz-"))
    kiosk_key = secrets.token_urlsafe(32)
    stack = LocalStack(
        model=args.model or newest_model(),
        workdir=workdir,
        env_overrides={"COACH_KIOSK_KEY": kiosk_key, "COACH_INTERNAL_TOKEN": secrets.token_hex(24)},
    )
    stack.prepare_database(kiosk_key=kiosk_key, kiosk_label="fuzz", users=[(ADMIN[0], "admin", ADMIN[1])])
    stack.start(timeout_s=600)
    stop = {"now": False}
    signal.signal(signal.SIGTERM, lambda *_: stop.update(now=True))
    signal.signal(signal.SIGINT, lambda *_: stop.update(now=True))
    try:
        token = httpx.post(
            f"{stack.api_url}/api/v1/auth/token", data={"username": ADMIN[0], "password": ADMIN[1]}
        ).json()["access_token"]
        (workdir / "credentials.json").write_text(
            json.dumps({"api_url": stack.api_url, "token": token, "kiosk_key": kiosk_key}), encoding="utf-8"
        )
        print(f"stack up at {stack.api_url}; credentials in {workdir / 'credentials.json'}", flush=True)
        while not stop["now"]:
            time.sleep(0.5)
    finally:
        stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
