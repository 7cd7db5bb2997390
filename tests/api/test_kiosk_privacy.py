"""Issue 14 points 1, 2 and 9 at the API: a kiosk that forgets, returning clients by a
one-time code, erasure that reaches Rasa's tracker store, no client text in the audit log."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest
import yaml
from sqlalchemy import create_engine, select, text

from bot import sessions
from bot.conversation.phases import TALK_ENDING_RESPONSES
from bot.db.models import AuditEvent, ChatSession, Message, Plan, ResumeCode

from records_fixtures import CLIENT_REF, seed_finished_session

API = "/api/v1"


def _events(dbs, action):
    with dbs() as db:
        return list(
            db.execute(
                select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
            ).scalars()
        )


def _session(dbs, session_id) -> ChatSession:
    with dbs() as db:
        row = db.get(ChatSession, session_id)
        db.expunge(row)
        return row


# --- 1. the bot's last words: the kiosk page knows them and clears soon after ---------------------


async def test_the_kiosk_page_names_the_bots_last_words_and_how_long_they_stay(make_app):
    app = make_app(kiosk_after_goodbye_s=20)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as http:
        page = (await http.get("/kiosk")).text
    await app.state.rasa.aclose()
    content = re.search(r'<meta name="kiosk-talk-end" content="([^"]*)">', page).group(1)
    seconds, names = content.split("|")
    assert seconds == "20" and names.split(",") == list(TALK_ENDING_RESPONSES)
    domain = yaml.safe_load((Path(__file__).resolve().parents[2] / "domain.yml").read_text(encoding="utf-8"))
    assert set(TALK_ENDING_RESPONSES) <= set(domain["responses"]), "each is a response of domain.yml"


# --- 1. the client ends the talk ("Stoppen") ---------------------------------------------------


async def test_stoppen_closes_the_session_without_calling_anyone_and_the_plan_keeps_what_was_said(
    start_session, say, client, kiosk_headers, dbs, fake_rasa
):
    session = await start_session()
    sid = session["session_id"]
    assert (await say(sid, "Ik wil een eigen winkel.")).status_code == 200
    with dbs() as db:
        plan_before = db.get(ChatSession, sid).plan_id

    response = await client.post(f"{API}/sessions/{sid}/end", headers=kiosk_headers)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "session_id": sid,
        "status": "closed",
        "phase": "verkennen",
        "reason": "ended_by_client",
    }
    row = _session(dbs, sid)
    assert row.status == "closed" and row.closed_at is not None and row.handoff_reason is None
    with dbs() as db:
        closing = (
            db.execute(select(Message).where(Message.session_id == sid, Message.sender == "system"))
            .scalars()
            .all()[-1]
        )
        assert closing.meta["event"] == "closed" and closing.meta["reason"] == "ended_by_client"
        assert db.get(Plan, plan_before) is not None  # the plan stays
        said = db.execute(
            select(Message).where(Message.session_id == sid, Message.sender == "client")
        ).scalar_one()
        assert said.text == "Ik wil een eigen winkel."
    event = _events(dbs, "session.closed")[-1]
    assert event.username == "kiosk" and event.detail["reason"] == "ended_by_client"
    assert _events(dbs, "session.handoff_requested") == []  # nobody was called
    assert fake_rasa.channel_calls("/request_human") == []


async def test_after_the_end_the_kiosk_can_neither_read_nor_write_the_session(
    start_session, say, client, kiosk_headers, counts
):
    sid = (await start_session())["session_id"]
    await say(sid, "mijn geheime woorden")
    assert (
        await client.post(f"{API}/sessions/{sid}/end", json={"reason": "kiosk_idle"}, headers=kiosk_headers)
    ).json()["reason"] == "kiosk_idle"
    before = counts()
    read = await client.get(f"{API}/sessions/{sid}/messages", headers=kiosk_headers)
    assert read.status_code == 409 and "mijn geheime woorden" not in read.text
    assert (await say(sid, "hallo?")).status_code == 409
    assert (await client.post(f"{API}/sessions/{sid}/end", headers=kiosk_headers)).status_code == 409
    assert counts() == before


async def test_end_needs_the_kiosk_key_a_known_session_and_a_known_reason(
    start_session, client, kiosk_headers
):
    sid = (await start_session())["session_id"]
    assert (await client.post(f"{API}/sessions/{sid}/end")).status_code == 401
    assert (await client.post(f"{API}/sessions/{'0' * 32}/end", headers=kiosk_headers)).status_code == 404
    bad = await client.post(f"{API}/sessions/{sid}/end", json={"reason": "staff"}, headers=kiosk_headers)
    assert bad.status_code == 422


async def test_a_session_closed_by_staff_cannot_be_read_back_at_the_kiosk(
    start_session, say, client, kiosk_headers, token_for
):
    sid = (await start_session())["session_id"]
    await say(sid, "ik wil niet meer leven")
    anna = await token_for("anna")
    assert (await client.post(f"{API}/staff/sessions/{sid}/close", headers=anna)).status_code == 200
    read = await client.get(f"{API}/sessions/{sid}/messages", headers=kiosk_headers)
    assert read.status_code == 409 and "niet meer leven" not in read.text
    # Staff still read the whole transcript.
    detail = (await client.get(f"{API}/staff/sessions/{sid}", headers=anna)).json()
    assert any(m["text"] == "ik wil niet meer leven" for m in detail["messages"])


# --- 1. sessions left idle are closed by the server --------------------------------------------


def _age(dbs, session_id, minutes):
    with dbs() as db:
        row = db.get(ChatSession, session_id)
        row.last_message_at = datetime.now(timezone.utc) - timedelta(minutes=minutes)
        db.commit()


async def test_the_api_closes_idle_sessions_and_retention_then_reaches_them(
    app, start_session, client, say, kiosk_headers, dbs
):
    from api.idle import sweep_once

    idle_bot = (await start_session())["session_id"]
    fresh = (await start_session())["session_id"]
    waiting = (await start_session())["session_id"]
    await say(waiting, "/request_human")
    idle_waiting = (await start_session())["session_id"]
    await say(idle_waiting, "/request_human")
    _age(dbs, idle_bot, 61)  # COACH_SESSION_IDLE_CLOSE_MINUTES = 60
    _age(dbs, waiting, 61)  # a person is coming: the longer limit applies
    _age(dbs, idle_waiting, 24 * 60 + 1)

    closed = await sweep_once(app)
    assert sorted(closed) == sorted([idle_bot, idle_waiting])
    assert [_session(dbs, s).status for s in (idle_bot, fresh, waiting, idle_waiting)] == [
        "closed",
        "bot",
        "waiting_for_human",
        "closed",
    ]
    assert all(e.detail["reason"] == "idle" for e in _events(dbs, "session.closed"))
    assert (await client.get(f"{API}/sessions/{idle_bot}/messages", headers=kiosk_headers)).status_code == 409
    assert await sweep_once(app) == []  # nothing twice

    from bot import retention

    with dbs() as db:
        later = datetime.now(timezone.utc) + timedelta(days=366)
        report = retention.run(db, now=later, retention_days=365)
        db.commit()
    assert set(report.sessions) == {idle_bot, idle_waiting}


async def test_idle_close_minutes_come_from_the_settings(make_app, dbs, kiosk_headers):
    import httpx

    from api.idle import sweep_once

    app = make_app(session_idle_close_minutes=5)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http:
        sid = (await http.post(f"{API}/sessions", json={}, headers=kiosk_headers)).json()["session_id"]
    _age(dbs, sid, 6)
    assert await sweep_once(app) == [sid]
    await app.state.rasa.aclose()


# --- 2. returning clients: never a file number, a one-time code ---------------------------------


@pytest.mark.parametrize("ref", [CLIENT_REF, "", "x" * 129])
async def test_the_kiosk_refuses_a_file_number(client, kiosk_headers, counts, ref, dbs):
    with dbs() as db:
        seed_finished_session(db)
        db.commit()
    before = counts()
    response = await client.post(
        f"{API}/sessions", json={"language": "nl", "client_ref": ref}, headers=kiosk_headers
    )
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert "client_ref" in detail and "resume_code" in detail
    assert counts() == before


@pytest.fixture
def returning_client(dbs, users):
    """A client with yesterday's plan under CLIENT_REF."""
    with dbs() as db:
        sid = seed_finished_session(db)
        plan_id = db.get(ChatSession, sid).plan_id
        db.commit()
    return {"session_id": sid, "plan_id": plan_id}


async def _issue(client, headers, ref=CLIENT_REF, **body):
    return await client.post(f"{API}/staff/clients/{ref}/resume-code", json=body or None, headers=headers)


async def test_a_counsellors_code_resumes_the_plan_once(
    client, token_for, kiosk_headers, dbs, returning_client, fake_rasa
):
    anna = await token_for("anna")
    issued = await _issue(client, anna)
    assert issued.status_code == 201, issued.text
    body = issued.json()
    code = body["code"]
    assert len(code) == 8 and code.isalnum() and code.upper() == code and body["client_ref"] == CLIENT_REF
    expires = datetime.fromisoformat(body["expires_at"].replace("Z", "+00:00"))
    assert timedelta(minutes=14) < expires - datetime.now(timezone.utc) <= timedelta(minutes=15)
    assert issued.headers["cache-control"] == "no-store"
    with dbs() as db:  # hashed at rest, and the audit line never holds it
        stored = db.execute(select(ResumeCode)).scalar_one()
        assert code not in stored.code_hash and len(stored.code_hash) == 64
    event = _events(dbs, "client.resume_code_issued")[-1]
    assert event.username == "anna" and code not in str(event.detail) and CLIENT_REF not in str(event.detail)

    typed = code[:4].lower() + " " + code[4:]  # as a person types it
    started = await client.post(
        f"{API}/sessions", json={"language": "nl", "resume_code": typed}, headers=kiosk_headers
    )
    assert started.status_code == 201, started.text
    new_id = started.json()["session_id"]
    with dbs() as db:
        row = db.get(ChatSession, new_id)
        assert row.client_ref == CLIENT_REF and row.plan_id == returning_client["plan_id"]
        assert new_id in db.get(Plan, row.plan_id).data["session_ids"]
    greet = fake_rasa.channel_calls("/greet")[-1]
    assert greet["body"]["metadata"]["client_ref"] == CLIENT_REF
    assert _events(dbs, "session.resumed_by_code")[-1].object_id == new_id

    again = await client.post(f"{API}/sessions", json={"resume_code": code}, headers=kiosk_headers)
    assert again.status_code == 422 and "resume code" in again.json()["detail"]


@pytest.mark.parametrize("case", ["expired", "unknown", "malformed"])
async def test_expired_unknown_and_malformed_codes_are_refused(
    client, token_for, kiosk_headers, dbs, returning_client, counts, case
):
    code = (await _issue(client, await token_for("anna"))).json()["code"]
    if case == "expired":
        with dbs() as db:
            db.execute(
                ResumeCode.__table__.update().values(
                    expires_at=datetime.now(timezone.utc) - timedelta(seconds=1)
                )
            )
            db.commit()
    else:
        code = "ZZZZ2222" if case == "unknown" else "<script>"
    before = counts()
    response = await client.post(f"{API}/sessions", json={"resume_code": code}, headers=kiosk_headers)
    assert response.status_code == 422
    assert "onbekend, verlopen of al gebruikt" in response.json()["detail"]
    assert counts() == before


async def test_guessing_codes_is_bounded_per_kiosk_key(make_app, kiosk_headers, returning_client):
    import httpx

    app = make_app(rate_limit_key_resume_codes=3)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http:
        tries = [
            (
                await http.post(
                    f"{API}/sessions", json={"resume_code": f"AAAA{n}{n}{n}{n}"}, headers=kiosk_headers
                )
            ).status_code
            for n in range(2, 7)
        ]
        assert tries == [422, 422, 422, 429, 429]
        # Starting without a code still works for the next client.
        assert (await http.post(f"{API}/sessions", json={}, headers=kiosk_headers)).status_code == 201
    await app.state.rasa.aclose()


async def test_who_may_issue_a_code_and_for_whom(client, token_for, returning_client, dbs):
    assert (await _issue(client, {})).status_code == 401
    assert (await _issue(client, await token_for("tom"))).status_code == 403  # trainers: training only
    assert (await _issue(client, await token_for("anna"), ref="NOBODY-1")).status_code == 404
    assert (await _issue(client, await token_for("root"))).status_code == 201


async def test_a_first_time_client_gets_a_reference_and_a_code_from_the_session_page(
    start_session, say, client, token_for, kiosk_headers, dbs
):
    sid = (await start_session())["session_id"]
    await say(sid, "Ik kom volgende week terug.")
    anna = await token_for("anna")
    issued = await _issue(client, anna, ref="ER-2025-200", session_id=sid)
    assert issued.status_code == 201, issued.text
    with dbs() as db:
        row = db.get(ChatSession, sid)
        assert row.client_ref == "ER-2025-200" and row.plan.client_ref == "ER-2025-200"
        assert row.plan.data["client_ref"] == "ER-2025-200"
    assert _events(dbs, "session.client_ref_set")[-1].object_id == sid
    # Another reference for the same session is a conflict.
    assert (await _issue(client, anna, ref="OTHER-1", session_id=sid)).status_code == 409

    await client.post(f"{API}/sessions/{sid}/end", headers=kiosk_headers)
    started = await client.post(
        f"{API}/sessions", json={"resume_code": issued.json()["code"]}, headers=kiosk_headers
    )
    with dbs() as db:
        assert db.get(ChatSession, started.json()["session_id"]).plan_id == db.get(ChatSession, sid).plan_id


# --- 9. erasure that erases: Rasa's tracker store and the audit log ------------------------------


async def test_deleting_a_client_makes_every_rasa_server_forget_its_conversations(
    client, token_for, dbs, fake_rasa, returning_client
):
    with dbs() as db:
        second = sessions.create_session(db, client_ref=CLIENT_REF).id
        db.commit()
    root = await token_for("root")
    response = await client.delete(
        f"{API}/admin/clients", params={"client_ref": CLIENT_REF, "confirm": CLIENT_REF}, headers=root
    )
    assert response.status_code == 200, response.text
    assert response.json()["tracker_store"] == {
        "store": "memory",
        "sessions": 2,
        "complete": True,
        "failed": [],
    }
    puts = [(c["server"], c["path"]) for c in fake_rasa.calls if c["method"] == "PUT"]
    expected = {
        (server, f"/conversations/{sid}/tracker/events")
        for server in fake_rasa.servers
        for sid in (returning_client["session_id"], second)
    }
    assert set(puts) == expected
    assert all(
        c["body"] == [] and c["params"]["token"] == [fake_rasa.token]
        for c in fake_rasa.calls
        if c["method"] == "PUT"
    )
    assert _events(dbs, "client.tracker_erased")[-1].detail["complete"] is True
    with dbs() as db:
        assert db.execute(select(ResumeCode)).first() is None


async def test_a_rasa_server_that_fails_is_reported_not_hidden(
    client, token_for, fake_rasa, returning_client
):
    fake_rasa.failure = "http_500"
    response = await client.delete(
        f"{API}/admin/clients",
        params={"client_ref": CLIENT_REF, "confirm": CLIENT_REF},
        headers=await token_for("root"),
    )
    tracker = response.json()["tracker_store"]
    assert response.status_code == 200 and tracker["complete"] is False and "HTTP 500" in tracker["failed"][0]


async def test_deleting_a_client_removes_its_events_from_the_sql_tracker_store(
    make_app, users, dbs, tmp_path, returning_client, token_for
):
    import httpx

    tracker_url = f"sqlite:///{tmp_path / 'tracker.db'}"
    engine = create_engine(tracker_url, future=True)
    with (
        engine.begin() as conn
    ):  # Rasa's SQLTrackerStore table (tests/unit/test_tracker_erasure.py uses Rasa's own)
        conn.execute(
            text(
                "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT NULL, "
                "type_name VARCHAR(255) NOT NULL, timestamp FLOAT, intent_name VARCHAR(255), "
                "action_name VARCHAR(255), data TEXT)"
            )
        )
        for sender in (returning_client["session_id"], returning_client["session_id"], "someone-else"):
            conn.execute(
                text("INSERT INTO events (sender_id, type_name, data) VALUES (:s, 'user', :d)"),
                {"s": sender, "d": '{"text": "Ik kom uit Guinee"}'},
            )
    app = make_app(tracker_store_url=tracker_url)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http:
        token = (
            await http.post(f"{API}/auth/token", data={"username": "root", "password": "root-password"})
        ).json()["access_token"]
        response = await http.delete(
            f"{API}/admin/clients",
            params={"client_ref": CLIENT_REF, "confirm": CLIENT_REF},
            headers={"Authorization": f"Bearer {token}"},
        )
    await app.state.rasa.aclose()
    assert response.json()["tracker_store"]["rows_deleted"] == 2
    with engine.connect() as conn:
        assert [r[0] for r in conn.execute(text("SELECT sender_id FROM events"))] == ["someone-else"]
    engine.dispose()


async def test_the_audit_log_keeps_no_search_words(client, token_for, dbs, returning_client):
    anna = await token_for("anna")
    response = await client.get(f"{API}/staff/sessions", params={"q": "telefoonkaarten"}, headers=anna)
    assert response.status_code == 200 and len(response.json()) == 1
    event = _events(dbs, "read.search")[-1]
    assert "telefoonkaarten" not in str(event.detail) and event.detail["q_digest"]


async def test_stoppen_while_a_person_is_coming_keeps_the_call_for_the_counsellor(
    start_session, say, client, kiosk_headers, dbs
):
    """A client in crisis who taps Stoppen has not stopped being in crisis: the hand-off stays in
    the queue and the console is told the client left the kiosk."""
    sid = (await start_session())["session_id"]
    await say(sid, "/request_human")
    answer = await client.post(f"{API}/sessions/{sid}/end", headers=kiosk_headers)
    assert answer.status_code == 200 and answer.json()["status"] == "waiting_for_human"
    assert _session(dbs, sid).status == "waiting_for_human"
    with dbs() as db:
        notes = (
            db.execute(select(Message).where(Message.session_id == sid, Message.sender == "system"))
            .scalars()
            .all()
        )
        assert notes[-1].meta["event"] == "client_left" and notes[-1].meta["reason"] == "ended_by_client"
    assert _events(dbs, "session.client_left")
