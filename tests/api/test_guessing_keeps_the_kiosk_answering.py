"""Issue 14.3: the kiosk stays responsive while someone guesses staff passwords.

Sign-ins run on a few threads of their own (api/routers/auth.py LOGIN_THREADS). Here every
sign-in is held inside the throttle check until the kiosk has had its turn; sixty held
guesses are more than the shared thread pool (40), so without the separate threads the
kiosk's session start and message would wait for them (and this test would fail on its
guard, not on a clock: a correct server answers the kiosk while every guess is still held).
"""

from __future__ import annotations

import asyncio
import threading

from bot import login_throttle
from api.routers.auth import LOGIN_THREADS

GUESSES = 60
# Only a guard against a hang: a correct server never comes near it.
HANG_GUARD_S = 60


async def test_sixty_held_guesses_do_not_hold_up_a_kiosk_turn(client, start_session, say, monkeypatch):
    release = threading.Event()
    entered = []
    real_check = login_throttle.check

    def held_check(db, username, address):
        entered.append(username)
        release.wait(HANG_GUARD_S)
        return real_check(db, username, address)

    monkeypatch.setattr(login_throttle, "check", held_check)
    guesses = [
        asyncio.create_task(
            client.post("/api/v1/auth/token", data={"username": f"raad{i}", "password": "fout"})
        )
        for i in range(GUESSES)
    ]
    try:
        while len(entered) < LOGIN_THREADS:  # the login threads are all taken
            await asyncio.sleep(0.01)
        started = await asyncio.wait_for(start_session(), HANG_GUARD_S)
        reply = await asyncio.wait_for(say(started["session_id"], "Het gaat wel."), HANG_GUARD_S)
        assert reply.status_code == 200, reply.text
        assert reply.json()["messages"], reply.text
        # Every guess was still held while the kiosk had its turn; only the login threads took one.
        assert not any(g.done() for g in guesses)
        assert len(entered) == LOGIN_THREADS
    finally:
        release.set()
    answers = await asyncio.gather(*guesses)
    assert {a.status_code for a in answers} <= {401, 429}
    assert len(entered) == GUESSES
