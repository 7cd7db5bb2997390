"""After a hand-off the kiosk's answers carry a rough wait from the queue
(`handoff.estimate_minutes`, an extension of the contract; issue 17)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from bot import sessions
from bot.db.models import Handoff
from bot.handoff_estimate import estimate_minutes

API = "/api/v1"


def _taken_history(dbs, users, waits_minutes):
    """Earlier hand-offs that counsellors took after these many minutes."""
    now = datetime.now(timezone.utc)
    with dbs() as db:
        for minutes in waits_minutes:
            chat = sessions.create_session(db)
            said = sessions.add_message(db, chat, sender="client", text="help")
            handoff = sessions.request_handoff(db, chat, reason="request", message_id=said.id)
            sessions.take_over(db, chat, user_id=users["anna"])
            handoff.created_at = now - timedelta(hours=1)
            handoff.taken_at = handoff.created_at + timedelta(minutes=minutes)
            sessions.close(db, chat)
        db.commit()


async def test_without_history_the_kiosk_gets_no_number(start_session, say, client, kiosk_headers, users):
    sid = (await start_session())["session_id"]
    body = (await say(sid, "/request_human")).json()
    assert body["status"] == "waiting_for_human"
    assert body["handoff"]["reason"] == "request"
    assert body["handoff"]["estimate_minutes"] is None


async def test_the_estimate_follows_the_queue(start_session, say, client, kiosk_headers, dbs, users):
    _taken_history(dbs, users, [2, 4, 30])  # median 4 minutes
    first = (await start_session())["session_id"]
    body = (await say(first, "/request_human")).json()
    assert body["handoff"]["estimate_minutes"] == 4
    second = (await start_session())["session_id"]
    body = (await say(second, "/request_human")).json()
    assert body["handoff"]["estimate_minutes"] == 8  # one client waits longer
    read = await client.get(f"{API}/sessions/{second}/messages", headers=kiosk_headers)
    assert read.json()["handoff"]["estimate_minutes"] == 8
    # Once a counsellor took over, there is nothing to estimate.
    with dbs() as db:
        handoff = db.execute(select(Handoff).where(Handoff.session_id == first)).scalar_one()
        handoff.taken_at = datetime.now(timezone.utc)
        assert estimate_minutes(db, handoff) is None
