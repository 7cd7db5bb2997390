"""Parts that come back (issue 15.0, 15.4), with the real processes under `coach run`'s
supervisor (cli/supervisor.py over cli/stack.build_specs: Rasa, the action server, the API).

Rasa is killed with SIGKILL in the middle of a conversation, as the kernel does when memory
runs out. Then:
* the API stays up and ready (`/health/ready` 200, `/health` says Rasa is down and what the
  supervisor is doing), and is never restarted;
* the client's next message is kept, the client is told ("Er is even een storing …"),
* the counsellor is alerted (a hand-off, pushed on the staff WebSocket, in the queue);
* the supervisor starts Rasa again, and the bot talks again: a new session gets its
  greeting from Rasa, and the counsellor hands the interrupted session back to the bot.
Ctrl-C then stops every child.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import httpx
import pytest

from cli.local_stack import guarded_env, reserve_ports

pytestmark = [pytest.mark.e2e, pytest.mark.rasa]

REPO = Path(__file__).resolve().parents[2]
KIOSK_KEY = "comeback-kiosk-key-0123456789abcdef"
STAFF = ("comeback-begeleider", "comeback-password-123")
RASA_DOWN_TEXT = (
    "Er is even een storing in de computer. Uw bericht is bewaard. Een begeleider komt naar u toe."
)

DRIVER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from bot.settings import get_settings
    from cli.stack import build_specs
    from cli.supervisor import supervise
    workdir = Path(sys.argv[1])
    settings = get_settings()
    specs = build_specs(settings, Path(sys.argv[3]), {}, endpoints=workdir / "endpoints.yml")
    sys.exit(supervise(specs, sys.argv[2], on_ready=lambda: print("ALL UP", flush=True),
                       ready_timeout_s=600, status_path=workdir / "supervisor.json"))
""")


def _wait_for(condition, timeout_s: float, what: str, poll_s: float = 0.5):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(poll_s)
    raise AssertionError(f"not within {timeout_s} s: {what}")


def _a_model() -> Path:
    """The model for the data as it is, else the newest one: what is tested here is the
    processes coming back, not the dialogue (training is left to `coach train`, serialised)."""
    from cli.training import MODEL_DIR, current_model

    model = current_model()
    if model is None:
        models = sorted(MODEL_DIR.glob("coach-*.tar.gz"), key=lambda p: p.stat().st_mtime)
        if not models:
            pytest.fail("no trained model: run `flock /tmp/train.lock .venv/bin/coach train` first")
        model = models[-1]
    return model


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


@pytest.fixture(scope="module")
def supervised(tmp_path_factory):
    model = _a_model()
    workdir = tmp_path_factory.mktemp("comeback")
    api, actions, rasa = reserve_ports(3)
    database_url = f"sqlite:///{workdir / 'coach.db'}"
    settings_env = {
        "COACH_ENV": "test",
        "COACH_DATABASE_URL": database_url,
        "COACH_KIOSK_KEY": KIOSK_KEY,
        "COACH_API_HOST": "127.0.0.1",
        "COACH_API_PORT": str(api.port),
        "COACH_RASA_URLS": f"http://127.0.0.1:{rasa.port}",
        "COACH_ACTION_SERVER_URL": f"http://127.0.0.1:{actions.port}/webhook",
        "COACH_RATE_LIMIT_SESSION_MESSAGES": "100000",
        "COACH_RATE_LIMIT_KEY_MESSAGES": "1000000",
        "COACH_RATE_LIMIT_KEY_NEW_SESSIONS": "100000",
    }
    from bot import accounts
    from bot.db.engine import session_scope
    from bot.db.migrate import upgrade

    upgrade(database_url)
    with session_scope(database_url) as db:
        accounts.ensure_kiosk_key(db, KIOSK_KEY, label="comeback")
        accounts.create_user(db, STAFF[0], "counsellor", STAFF[1])
    log_path = workdir / "supervisor.log"
    log = log_path.open("wb")
    env = guarded_env(
        {
            **os.environ,
            **settings_env,
            "PYTHONPATH": os.pathsep.join([str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]),
        }
    )
    env = guarded_env(env)
    for reservation in (api, actions, rasa):
        reservation.release()
    driver = subprocess.Popen(
        [sys.executable, "-c", DRIVER, str(workdir), str(REPO), str(model)],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    info = {
        "driver": driver,
        "log": log_path,
        "status": workdir / "supervisor.json",
        "api": f"http://127.0.0.1:{api.port}",
        "api_port": api.port,
    }
    try:
        _wait_for(
            lambda: "ALL UP" in log_path.read_text(errors="replace") or driver.poll() is not None,
            600,
            "the stack up under the supervisor",
        )
        assert driver.poll() is None, log_path.read_text(errors="replace")[-4000:]
        yield info
    finally:
        if driver.poll() is None:
            driver.send_signal(signal.SIGINT)
            try:
                driver.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(driver.pid, signal.SIGKILL)
                driver.wait()
        log.close()


def _status(info) -> dict:
    try:
        return json.loads(info["status"].read_text())
    except (OSError, ValueError):
        return {}


async def _next_push(socket, session_id: str, timeout_s: float) -> dict:
    deadline = time.monotonic() + timeout_s
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"no push for {session_id} within {timeout_s} s")
        try:
            frame = json.loads(await asyncio.wait_for(socket.recv(), timeout=left))
        except asyncio.TimeoutError:
            continue
        if (frame.get("session") or {}).get("id") == session_id and frame.get("alert"):
            return frame


async def test_rasa_killed_mid_conversation_client_told_counsellor_alerted_bot_back(supervised):
    import websockets

    api = supervised["api"]
    kiosk = httpx.AsyncClient(
        base_url=f"{api}/api/v1", headers={"X-Kiosk-Key": KIOSK_KEY}, timeout=60, trust_env=False
    )
    staff = httpx.AsyncClient(base_url=f"{api}/api/v1", timeout=60, trust_env=False)
    token = (await staff.post("/auth/token", data={"username": STAFF[0], "password": STAFF[1]})).json()[
        "access_token"
    ]
    staff.headers["Authorization"] = f"Bearer {token}"
    before = _status(supervised)
    api_pid, actions_pid, rasa_pid = before["api"]["pid"], before["actions"]["pid"], before["rasa"]["pid"]

    # A conversation with the bot under way.
    start = (await kiosk.post("/sessions", json={"language": "nl"})).json()
    session_id = start["session_id"]
    assert start["status"] == "bot" and any(m["sender"] == "bot" for m in start["messages"])
    answer = (await kiosk.post(f"/sessions/{session_id}/messages", json={"text": "/affirm"})).json()
    assert answer["status"] == "bot" and any(m["sender"] == "bot" for m in answer["messages"])

    async with websockets.connect(f"ws://127.0.0.1:{supervised['api_port']}/api/v1/staff/ws") as console:
        await console.send(json.dumps({"type": "auth", "token": token}))
        os.kill(rasa_pid, signal.SIGKILL)  # as the kernel's OOM killer does
        _wait_for(lambda: not _alive(rasa_pid), 10, "Rasa gone", poll_s=0.05)

        words = "Ik woon nu in Zwolle, bij mijn broer."
        reply = await kiosk.post(f"/sessions/{session_id}/messages", json={"text": words})
        # The client is told, the message is kept, a counsellor is called.
        assert reply.status_code == 200
        body = reply.json()
        assert body["messages"][0] == {**body["messages"][0], "sender": "client", "text": words}
        assert any(m["sender"] == "system" and m["text"] == RASA_DOWN_TEXT for m in body["messages"])
        assert body["status"] == "waiting_for_human" and body["handoff"]["reason"] == "uncertain"
        push = await _next_push(console, session_id, 10)
        assert push["alert"] == "uncertain" and push["session"]["status"] == "waiting_for_human"

    stored = (await kiosk.get(f"/sessions/{session_id}/messages")).json()["messages"]
    assert [m for m in stored if m["sender"] == "client"][-1]["text"] == words
    queue = (await staff.get("/staff/sessions", params={"status": "waiting_for_human"})).json()
    assert any(s["id"] == session_id and s["handoff"]["reason"] == "uncertain" for s in queue)

    # The API never went down: ready, and the full health names Rasa and the supervisor's work.
    assert (await kiosk.get("/health/ready")).status_code == 200
    health = await kiosk.get("/health")
    assert health.status_code == 503 and health.json()["rasa"].startswith("down")
    assert health.json()["supervisor"]["rasa"]["last_exit_code"] == -9

    # The supervisor brings Rasa back; nothing else was restarted.
    _wait_for(
        lambda: _status(supervised).get("rasa", {}).get("restarts", 0) >= 1,
        30,
        "the supervisor restarting Rasa",
    )
    _wait_for(
        lambda: httpx.get(f"{api}/api/v1/health", timeout=10, trust_env=False).status_code == 200,
        600,
        "Rasa answering again",
    )
    after = _status(supervised)
    assert after["api"]["pid"] == api_pid and after["api"]["restarts"] == 0 and _alive(api_pid)
    assert after["actions"]["pid"] == actions_pid and after["actions"]["restarts"] == 0
    assert after["rasa"]["pid"] != rasa_pid and after["rasa"]["state"] == "running"
    assert "rasa stopped (rc=-9); restarting in 1 s" in supervised["log"].read_text(errors="replace")

    # The bot is back: a new client gets the coach, and the counsellor hands the session back.
    fresh = (await kiosk.post("/sessions", json={"language": "nl"})).json()
    assert fresh["status"] == "bot" and any(
        m["sender"] == "bot" and m.get("utter_action") for m in fresh["messages"]
    )
    assert (await staff.post(f"/staff/sessions/{session_id}/takeover")).status_code == 200
    back = await staff.post(f"/staff/sessions/{session_id}/handback", json={})
    assert back.status_code == 200, back.text
    assert back.json()["session"]["status"] == "bot"
    later = (await kiosk.get(f"/sessions/{session_id}/messages")).json()["messages"]
    assert any(m["sender"] == "bot" and m.get("utter_action") for m in later[-3:]), later[-3:]
    await kiosk.aclose()
    await staff.aclose()

    # Ctrl-C stops everything.
    supervised["driver"].send_signal(signal.SIGINT)
    assert supervised["driver"].wait(timeout=60) == 130
    _wait_for(
        lambda: not any(_alive(p) for p in (api_pid, actions_pid, after["rasa"]["pid"])),
        30,
        "every child stopped after Ctrl-C",
    )
