"""Staff alerts across API replicas (issue 15.3), with real processes: two API servers
on one PostgreSQL database and the local Redis (pub/sub relay, `COACH_REDIS_URL`).

A crisis a client types at a kiosk served by replica A reaches a counsellor whose console
WebSocket is connected to replica B within a second; when B restarts, the queue read
again from B holds what was raised meanwhile (the console re-reads it when its socket
comes back: api/static/console/queue.js), and the relay works again at once.

No Rasa is needed: with Rasa unreachable the API's own safety reading raises the crisis
(the Rasa-down path), and /health/ready says the replicas are ready without Rasa.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Dict, Iterator, List

import httpx
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench.load_stack import fresh_database, postgres_problem, redis_problem  # noqa: E402
from cli.local_stack import guarded_env, reserve_ports  # noqa: E402

pytestmark = [pytest.mark.production]

KIOSK_KEY = "replica-test-kiosk-key-0123456789"
STAFF = ("replica-begeleider", "replica-password-123")
REDIS_URL = "redis://127.0.0.1:6379/0"
CRISIS = "Ik wil dood. Ik kan niet meer."
# How long the test waits for the push. The issue asks for "within a second": the test prints the
# measured latency (10 ms here); it waits longer so a busy CI machine cannot fail it by chance.
ALERT_WITHIN_S = 10.0


class Replica:
    def __init__(self, name: str, env: Dict[str, str], workdir: Path) -> None:
        self.name = name
        self.reservation = reserve_ports(1)[0]
        self.port = self.reservation.port
        self.env = {**env, "COACH_API_PORT": str(self.port)}
        self.log = workdir / f"{name}.log"
        self.process = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "Replica":
        self.reservation.release()
        cmd = [
            str(REPO_ROOT / ".venv" / "bin" / "uvicorn"),
            "api.main:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--no-access-log",
        ]
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                cmd, cwd=REPO_ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"{self.name} exited:\n{self.log.read_text()[-3000:]}"
            try:
                if (
                    httpx.get(f"{self.url}/api/v1/health/ready", timeout=2, trust_env=False).status_code
                    == 200
                ):
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"{self.name} not ready:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _subscribers(channel: str) -> int:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        return int(dict(client.pubsub_numsub(channel)).get(channel.encode(), 0))
    finally:
        client.close()


def _wait_for(condition, timeout_s: float, what: str):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"not within {timeout_s} s: {what}")


@pytest.fixture(scope="module")
def replicas(tmp_path_factory) -> Iterator[Dict[str, object]]:
    for problem in (postgres_problem(), redis_problem(REDIS_URL)):
        if problem:
            pytest.skip(problem)
    workdir = tmp_path_factory.mktemp("replicas")
    channel = f"coach:hub:test:{uuid.uuid4().hex[:8]}"
    dead_rasa = reserve_ports(2)  # held, never listened on: Rasa and the action server are "down"
    with fresh_database(prefix="coach_replica_test") as database_url:
        from bot import accounts
        from bot.db.engine import session_scope
        from bot.db.migrate import upgrade

        upgrade(database_url)
        with session_scope(database_url) as db:
            accounts.ensure_kiosk_key(db, KIOSK_KEY, label="replica test")
            accounts.create_user(db, STAFF[0], "counsellor", STAFF[1])
        env = guarded_env(
            {
                **os.environ,
                "COACH_ENV": "test",
                "COACH_DATABASE_URL": database_url,
                "COACH_KIOSK_KEY": KIOSK_KEY,
                "COACH_REDIS_URL": REDIS_URL,
                "COACH_HUB_CHANNEL": channel,
                "COACH_RASA_TIMEOUT_S": "3",
                "COACH_RASA_URLS": f"http://127.0.0.1:{dead_rasa[0].port}",
                "COACH_ACTION_SERVER_URL": f"http://127.0.0.1:{dead_rasa[1].port}/webhook",
            }
        )
        a = Replica("api-a", env, workdir).start()
        b = Replica("api-b", env, workdir).start()
        try:
            _wait_for(lambda: _subscribers(channel) == 2, 10, "both replicas subscribed")
            yield {"a": a, "b": b, "channel": channel}
        finally:
            a.stop()
            b.stop()
            from bot.db.engine import dispose_engines

            dispose_engines()


def _token(replica: Replica) -> str:
    response = httpx.post(
        f"{replica.url}/api/v1/auth/token",
        data={"username": STAFF[0], "password": STAFF[1]},
        trust_env=False,
        timeout=10,
    )
    response.raise_for_status()
    return response.json()["access_token"]


def _kiosk(replica: Replica) -> httpx.Client:
    return httpx.Client(
        base_url=f"{replica.url}/api/v1", headers={"X-Kiosk-Key": KIOSK_KEY}, timeout=30, trust_env=False
    )


async def _crisis_reaches_console(raiser: Replica, console: Replica, token: str) -> Dict[str, object]:
    """Start a session on ``raiser``, type a crisis there; the push seen on ``console``'s staff socket."""
    import websockets

    async with websockets.connect(f"ws://127.0.0.1:{console.port}/api/v1/staff/ws") as socket:
        await socket.send(json.dumps({"type": "auth", "token": token}))
        with _kiosk(raiser) as kiosk:
            session_id = (await asyncio.to_thread(kiosk.post, "/sessions", json={"language": "nl"})).json()[
                "session_id"
            ]
            sent = time.monotonic()
            reply = await asyncio.to_thread(
                kiosk.post, f"/sessions/{session_id}/messages", json={"text": CRISIS}
            )
            stored = time.monotonic()
        assert reply.status_code == 200 and reply.json()["handoff"]["reason"] == "crisis"
        deadline = stored + ALERT_WITHIN_S
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(
                    f"no crisis push for {session_id} on {console.name} within "
                    f"{ALERT_WITHIN_S} s of it being stored"
                )
            try:
                frame = json.loads(await asyncio.wait_for(socket.recv(), timeout=left))
            except asyncio.TimeoutError:
                continue
            session = frame.get("session") or {}
            # An earlier nudge of the same session (its start) may be sent after the crisis was
            # stored and so already show the hand-off; the alert is the frame that says "crisis".
            if session.get("id") == session_id and frame.get("alert") == "crisis":
                return {
                    "session_id": session_id,
                    "alert": frame.get("alert"),
                    "latency_s": time.monotonic() - sent,
                    "after_store_s": time.monotonic() - stored,
                }


async def test_a_crisis_on_one_replica_reaches_a_console_on_the_other_within_a_second(replicas):
    a, b = replicas["a"], replicas["b"]
    seen = await _crisis_reaches_console(a, b, _token(b))
    assert seen["alert"] == "crisis"
    print(
        f"\ncrisis on {a.name} -> console on {b.name}: {seen['after_store_s'] * 1000:.0f} ms after it was "
        f"stored ({seen['latency_s'] * 1000:.0f} ms after the kiosk sent it)"
    )
    # And the other way round.
    back = await _crisis_reaches_console(b, a, _token(a))
    assert back["alert"] == "crisis"


async def test_nothing_is_lost_when_a_replica_restarts(replicas):
    a, b = replicas["a"], replicas["b"]
    token = _token(b)
    b.stop()
    # Raised while B is away: no socket hears it, the database keeps it.
    with _kiosk(a) as kiosk:
        session_id = kiosk.post("/sessions", json={"language": "nl"}).json()["session_id"]
        assert (
            kiosk.post(f"/sessions/{session_id}/messages", json={"text": CRISIS}).json()["status"]
            == "waiting_for_human"
        )
    b.reservation = reserve_ports(1)[0]
    b.port = b.reservation.port  # a fresh port: the old one may linger in TIME_WAIT
    b.env["COACH_API_PORT"] = str(b.port)
    b.start()
    # What the console reads again on reconnect: the waiting queue, crisis included.
    waiting: List[dict] = httpx.get(
        f"{b.url}/api/v1/staff/sessions",
        params={"status": "waiting_for_human"},
        headers={"Authorization": f"Bearer {token}"},
        trust_env=False,
        timeout=10,
    ).json()
    mine = [s for s in waiting if s["id"] == session_id]
    assert mine and mine[0]["handoff"]["reason"] == "crisis"
    # The restarted replica is back on the relay: a new crisis on A reaches it at once.
    _wait_for(lambda: _subscribers(replicas["channel"]) == 2, 10, "the restarted replica subscribed again")
    seen = await _crisis_reaches_console(a, b, token)
    assert seen["alert"] == "crisis"
