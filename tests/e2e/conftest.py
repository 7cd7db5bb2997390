"""The real stack: Rasa server, action server and API on a trained model.

One stack for the whole test run (starting Rasa costs a minute or more); each test
uses its own sessions, so they do not disturb each other.
"""

from __future__ import annotations

from typing import Dict

import httpx
import pytest

from cli.local_stack import LocalStack
from cli.training import train

KIOSK_KEY = "e2e-kiosk-key-0123456789abcdef"
STAFF = ("e2e-begeleider", "e2e-password-123")


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    model = train(quiet=True)
    workdir = tmp_path_factory.mktemp("stack")
    running = LocalStack(model=model, workdir=workdir, env_overrides={"COACH_KIOSK_KEY": KIOSK_KEY})
    # The app database must exist before the servers touch it.
    running.prepare_database(
        kiosk_key=KIOSK_KEY, kiosk_label="e2e", users=[(STAFF[0], "counsellor", STAFF[1])]
    )
    running.start(timeout_s=420)
    yield running
    running.stop()


@pytest.fixture
def kiosk(stack) -> httpx.Client:
    with httpx.Client(
        base_url=f"{stack.api_url}/api/v1", headers={"X-Kiosk-Key": KIOSK_KEY}, timeout=60
    ) as client:
        yield client


@pytest.fixture
def staff(stack) -> httpx.Client:
    with httpx.Client(base_url=f"{stack.api_url}/api/v1", timeout=60) as client:
        token = client.post("/auth/token", data={"username": STAFF[0], "password": STAFF[1]})
        token.raise_for_status()
        client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        yield client


def staff_headers(token: str) -> Dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="session")
def credentials() -> Dict[str, object]:
    """The stack's kiosk key and counsellor account, for clients built outside these fixtures."""
    return {"kiosk_key": KIOSK_KEY, "staff_user": STAFF[0], "staff_password": STAFF[1]}
