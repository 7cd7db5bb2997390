"""WebSockets over a real socket: the kiosk's live updates and the staff queue."""

from __future__ import annotations

import asyncio
import json
from typing import List

import httpx
import pytest
import websockets

from api_live_server import LiveServer

API = "/api/v1"


@pytest.fixture
def live(app):
    with LiveServer(app) as server:
        server.app = app
        yield server


def live_app_listeners(live) -> int:
    return live.app.state.hub.listener_count("staff")


def _ws_url(live, path: str) -> str:
    return live.url.replace("http://", "ws://") + path


async def _auth(ws, **fields) -> None:
    """Credentials travel in the first message, never in the URL (issue 14.4)."""
    await ws.send(json.dumps({"type": "auth", **fields}))


async def _frames_until(ws, predicate, timeout: float = 10.0) -> List[dict]:
    """Collect frames until one satisfies `predicate`; fail after `timeout` seconds."""
    frames = []

    async def collect():
        while True:
            frame = json.loads(await ws.recv())
            frames.append(frame)
            if predicate(frame):
                return

    await asyncio.wait_for(collect(), timeout)
    return frames


async def test_kiosk_socket_pushes_each_new_message_and_status(live, kiosk_headers):
    async with httpx.AsyncClient(base_url=live.url, headers=kiosk_headers) as http:
        session = (await http.post(f"{API}/sessions", json={})).json()
        sid, last = session["session_id"], session["messages"][-1]["id"]
        url = _ws_url(live, f"{API}/sessions/{sid}/ws")
        async with websockets.connect(url) as ws:
            await _auth(ws, key=kiosk_headers["X-Kiosk-Key"], after=last)
            first = json.loads(await asyncio.wait_for(ws.recv(), 5))
            assert first == {
                "type": "update",
                "messages": [],
                "status": "bot",
                "phase": "verkennen",
                "handoff": None,
            }
            turn = (await http.post(f"{API}/sessions/{sid}/messages", json={"text": "hallo"})).json()
            bot_id = turn["messages"][-1]["id"]
            frames = await _frames_until(ws, lambda f: any(m["id"] == bot_id for m in f["messages"]))
            pushed = [m["id"] for f in frames for m in f["messages"]]
            assert pushed == [m["id"] for m in turn["messages"]]  # each once, in order

            await http.post(f"{API}/sessions/{sid}/messages", json={"text": "/request_human"})
            frames = await _frames_until(ws, lambda f: f["status"] == "waiting_for_human")
            assert frames[-1]["handoff"]["reason"] == "request"


async def test_counsellor_messages_reach_the_kiosk_socket(live, kiosk_headers, users):
    async with httpx.AsyncClient(base_url=live.url) as http:
        token = (
            await http.post(f"{API}/auth/token", data={"username": "anna", "password": "anna-password"})
        ).json()["access_token"]
        staff = {"Authorization": f"Bearer {token}"}
        sid = (await http.post(f"{API}/sessions", json={}, headers=kiosk_headers)).json()["session_id"]
        url = _ws_url(live, f"{API}/sessions/{sid}/ws")
        async with websockets.connect(url) as ws:
            await _auth(ws, key=kiosk_headers["X-Kiosk-Key"])
            await asyncio.wait_for(ws.recv(), 5)
            await http.post(f"{API}/staff/sessions/{sid}/takeover", headers=staff)
            await http.post(
                f"{API}/staff/sessions/{sid}/messages", json={"text": "Ik ben Anna."}, headers=staff
            )
            frames = await _frames_until(
                ws, lambda f: any(m["sender"] == "counsellor" for m in f["messages"])
            )
            assert frames[-1]["status"] == "human"
            assert [m["text"] for m in frames[-1]["messages"] if m["sender"] == "counsellor"] == [
                "Ik ben Anna."
            ]
            await http.post(f"{API}/staff/sessions/{sid}/close", headers=staff)
            frames = await _frames_until(ws, lambda f: f["status"] == "closed")
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await asyncio.wait_for(ws.recv(), 5)
            assert closed.value.code == 1000


@pytest.mark.parametrize(
    "first, query",
    [
        ({"type": "auth", "key": "wrong"}, ""),
        ({"type": "auth"}, ""),
        ({"type": "hello", "key": "KEY"}, ""),
        (None, "key=KEY"),
    ],
    ids=["wrong-key", "no-key", "not-an-auth-message", "key-only-in-the-url"],
)
async def test_kiosk_socket_refuses_a_bad_key(live, kiosk_headers, first, query):
    key = kiosk_headers["X-Kiosk-Key"]
    async with httpx.AsyncClient(base_url=live.url, headers=kiosk_headers) as http:
        sid = (await http.post(f"{API}/sessions", json={})).json()["session_id"]
    url = _ws_url(live, f"{API}/sessions/{sid}/ws" + (f"?{query.replace('KEY', key)}" if query else ""))
    async with websockets.connect(url) as ws:
        await ws.send(json.dumps(first).replace("KEY", key) if first else "not json")
        assert json.loads(await asyncio.wait_for(ws.recv(), 5))["type"] == "error"
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 5)
    assert closed.value.code == 4401


async def test_kiosk_socket_for_an_unknown_session_closes_with_4404(live, kiosk_headers):
    url = _ws_url(live, f"{API}/sessions/{'0' * 32}/ws")
    async with websockets.connect(url) as ws:
        await _auth(ws, key=kiosk_headers["X-Kiosk-Key"])
        with pytest.raises(websockets.ConnectionClosed) as closed:
            while True:
                await asyncio.wait_for(ws.recv(), 5)
    assert closed.value.code == 4404


async def test_staff_socket_announces_handoffs_with_an_alert(live, kiosk_headers, users):
    async with httpx.AsyncClient(base_url=live.url) as http:
        token = (
            await http.post(f"{API}/auth/token", data={"username": "anna", "password": "anna-password"})
        ).json()["access_token"]
        async with websockets.connect(_ws_url(live, f"{API}/staff/ws")) as ws:
            await _auth(ws, token=token)
            while live_app_listeners(live) == 0:
                await asyncio.sleep(0.05)
            sid = (await http.post(f"{API}/sessions", json={}, headers=kiosk_headers)).json()["session_id"]
            await http.post(
                f"{API}/sessions/{sid}/messages", json={"text": "/request_human"}, headers=kiosk_headers
            )
            frames = await _frames_until(
                ws, lambda f: f["type"] == "session" and f["session"]["status"] == "waiting_for_human"
            )
            assert frames[-1]["session"]["id"] == sid
            assert frames[-1]["session"]["handoff"]["reason"] == "request"
            assert frames[-1]["alert"] == "request"


@pytest.mark.parametrize("first", [{"type": "auth", "token": "nope"}, None], ids=["bad-token", "silent"])
async def test_staff_socket_refuses_a_bad_token(live, monkeypatch, first):
    import api.security

    monkeypatch.setattr(api.security, "WS_AUTH_TIMEOUT_S", 0.5)
    async with websockets.connect(_ws_url(live, f"{API}/staff/ws")) as ws:
        if first:
            await ws.send(json.dumps(first))
        assert json.loads(await asyncio.wait_for(ws.recv(), 5))["type"] == "error"
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 5)
    assert closed.value.code == 4401
