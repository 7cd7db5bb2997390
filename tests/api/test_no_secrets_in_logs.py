"""Issue 14.4: a short full run (uvicorn + the API + fake Rasa) with every logger at
DEBUG/INFO, then the log is searched for the kiosk key, a staff token, a password
and a client's sentence. None may appear: not in a URL, not in an SQL error."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time

import httpx
import pytest
import uvicorn
import websockets
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from api_live_server import listening_socket
from bot.db.engine import make_sessionmaker

API = "/api/v1"
CLIENT_SENTENCE = "Ik ben bang dat de IND mijn broer in Utrecht vindt"
WRONG_PASSWORD = "my-secret-wrong-password-77"


class ChattyServer:
    """uvicorn with its access log and DEBUG level, logging into pytest's caplog."""

    def __init__(self, app) -> None:
        self._socket = listening_socket()
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}"
        config = uvicorn.Config(app, log_config=None, log_level="debug", access_log=True, lifespan="on")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )

    def __enter__(self):
        self._thread.start()
        deadline = time.monotonic() + 15
        while not self._server.started:
            assert self._thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.05)
        return self

    def __exit__(self, *exc):
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._socket.close()


async def _first_frame(url: str, hello: dict) -> dict:
    async with websockets.connect(url) as ws:
        await ws.send(json.dumps(hello))
        return json.loads(await asyncio.wait_for(ws.recv(), 5))


async def test_a_full_run_logs_no_key_token_password_or_client_text(
    make_app, users, kiosk_headers, caplog, monkeypatch
):
    caplog.set_level(logging.DEBUG)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "sqlalchemy.engine", "api", "bot", "httpx"):
        logger = logging.getLogger(name)
        logger.setLevel(logging.DEBUG if name != "sqlalchemy.engine" else logging.INFO)
        # A server started earlier in this process with uvicorn's default log config turned
        # propagation off; caplog listens at the root, so turn it on again for this test.
        monkeypatch.setattr(logger, "propagate", True)
        monkeypatch.setattr(logger, "disabled", False)
    key = kiosk_headers["X-Kiosk-Key"]
    app = make_app()
    try:
        with ChattyServer(app) as server:
            ws_base = server.url.replace("http://", "ws://")
            async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:
                sid = (await http.post(f"{API}/sessions", json={}, headers=kiosk_headers)).json()[
                    "session_id"
                ]
                said = await http.post(
                    f"{API}/sessions/{sid}/messages", json={"text": CLIENT_SENTENCE}, headers=kiosk_headers
                )
                assert said.status_code == 200
                frame = await _first_frame(f"{ws_base}{API}/sessions/{sid}/ws", {"type": "auth", "key": key})
                assert frame["type"] == "update"
                assert (
                    await http.post(
                        f"{API}/auth/token", data={"username": "anna", "password": WRONG_PASSWORD}
                    )
                ).status_code == 401
                token = (
                    await http.post(
                        f"{API}/auth/token", data={"username": "anna", "password": "anna-password"}
                    )
                ).json()["access_token"]
                staff = {"Authorization": f"Bearer {token}"}
                detail = await http.get(f"{API}/staff/sessions/{sid}", headers=staff)
                assert CLIENT_SENTENCE in detail.text
                async with websockets.connect(f"{ws_base}{API}/staff/ws") as ws:
                    await ws.send(json.dumps({"type": "auth", "token": token}))
                    while app.state.hub.listener_count("staff") == 0:
                        await asyncio.sleep(0.05)
                    await http.post(f"{API}/staff/sessions/{sid}/takeover", headers=staff)
                    frames = [json.loads(await asyncio.wait_for(ws.recv(), 5)) for _ in range(2)]
                    assert [f["type"] for f in frames] == ["ready", "session"]
                await http.post(f"{API}/staff/sessions/{sid}/close", headers=staff)
        # A failing statement carrying the client's words: its error and log line hide them.
        maker = make_sessionmaker(app.state.settings.database_url)
        with maker() as db:
            with pytest.raises(SQLAlchemyError) as failed:
                db.execute(text("INSERT INTO no_such_table (t) VALUES (:t)"), {"t": CLIENT_SENTENCE})
        logging.getLogger("api.errors").error("database error", exc_info=failed.value)
    finally:
        await app.state.rasa.aclose()

    # Everything the server side logged (the test's own socket client prints what it sends).
    server_side = [r for r in caplog.records if not r.name.startswith("websockets.client")]
    lines = "\n".join(
        r.getMessage() + ("\n" + logging.Formatter().formatException(r.exc_info) if r.exc_info else "")
        for r in server_side
    )
    assert "WebSocket" in lines or "websocket" in lines.lower(), "uvicorn's socket lines were captured"
    assert "HTTP/1.1" in lines, "the access log was captured"
    assert "INSERT INTO" in lines or "no_such_table" in lines, "SQL logging was captured"
    for secret, what in (
        (key, "kiosk key"),
        (token, "staff token"),
        (WRONG_PASSWORD, "password"),
        ("anna-password", "password"),
        (CLIENT_SENTENCE, "client sentence"),
        ("bang dat de IND", "client sentence"),
    ):
        assert secret not in lines, f"the {what} appears in the log"
    assert CLIENT_SENTENCE not in str(failed.value)
