"""Kiosk endpoints: sessions, the message path, polling, bad input."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot import accounts
from bot.db.models import Message

from fake_rasa import QUESTIONS

API = "/api/v1"


def _stored(dbs, session_id):
    with dbs() as db:
        return list(
            db.execute(
                select(Message).where(Message.session_id == session_id).order_by(Message.seq)
            ).scalars()
        )


# --- starting --------------------------------------------------------------


async def test_start_session_returns_the_bots_opening_turn(start_session, fake_rasa, dbs):
    data = await start_session()
    assert (data["status"], data["phase"], data["handoff"]) == ("bot", "verkennen", None)
    assert len(data["session_id"]) == 32
    texts = [m["text"] for m in data["messages"]]
    assert texts == ["Welkom. Ik ben de toekomstcoach.", QUESTIONS[0][1]]
    assert data["messages"][1]["buttons"] == [
        {"title": "Goed", "payload": "/inform_goed"},
        {"title": "Niet goed", "payload": "/inform_slecht"},
    ]
    greet = fake_rasa.channel_calls("/greet")
    assert len(greet) == 1
    assert greet[0]["body"]["sender"] == data["session_id"]
    assert greet[0]["body"]["metadata"]["session_id"] == data["session_id"]
    stored = _stored(dbs, data["session_id"])
    assert [(m.sender, m.utter_action) for m in stored] == [
        ("bot", "utter_greet"),
        ("bot", "utter_ask_situation"),
    ]


@pytest.mark.parametrize(
    "headers", [{}, {"X-Kiosk-Key": "wrong"}, {"X-Kiosk-Key": ""}], ids=["missing", "wrong", "empty"]
)
async def test_start_session_needs_the_kiosk_key(client, headers, counts, fake_rasa):
    before = counts()
    response = await client.post(f"{API}/sessions", json={"language": "nl"}, headers=headers)
    assert response.status_code == 401
    assert "kiosk key" in response.json()["detail"]
    assert counts() == before and fake_rasa.calls == []


async def test_a_kiosk_key_from_the_database_works_and_a_revoked_one_does_not(client, dbs):
    with dbs() as db:
        key = accounts.create_kiosk_key(db, "T-room Zeist")
        db.commit()
    ok = await client.post(f"{API}/sessions", json={}, headers={"X-Kiosk-Key": key})
    assert ok.status_code == 201
    with dbs() as db:
        row = db.execute(
            select(accounts.KioskKey).where(accounts.KioskKey.key_hash == accounts.hash_kiosk_key(key))
        ).scalar_one()
        accounts.revoke_kiosk_key(db, row.id)
        db.commit()
    refused = await client.post(f"{API}/sessions", json={}, headers={"X-Kiosk-Key": key})
    assert refused.status_code == 401


@pytest.mark.parametrize(
    "body",
    [{"language": "xx"}, {"client_ref": "x" * 129}, [1, 2]],
    ids=["language", "long-ref", "not-object"],
)
async def test_start_session_rejects_a_bad_body(client, kiosk_headers, counts, body):
    before = counts()
    response = await client.post(f"{API}/sessions", json=body, headers=kiosk_headers)
    assert response.status_code == 422
    assert isinstance(response.json()["detail"], str)
    assert counts() == before


async def test_start_session_while_rasa_is_down_hands_off_with_a_system_message(
    start_session, fake_rasa, app
):
    fake_rasa.down = set(fake_rasa.servers)
    data = await start_session()
    assert data["status"] == "waiting_for_human"
    assert data["handoff"]["reason"] == "uncertain"
    system = [m for m in data["messages"] if m["sender"] == "system" and not m["event"]]
    assert [m["text"] for m in system] == [app.state.wording.get("utter_system_rasa_down").text]


# --- the message path ------------------------------------------------------


async def test_a_turn_stores_the_client_message_with_nlu_and_the_bots_reply(start_session, say, dbs):
    session = await start_session()
    response = await say(session["session_id"], "Het gaat wel, dank u.")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["phase"], body["handoff"]) == ("bot", "verkennen", None)
    assert [(m["sender"], m["text"]) for m in body["messages"]] == [
        ("client", "Het gaat wel, dank u."),
        ("bot", QUESTIONS[1][1]),
    ]
    client_row, bot_row = _stored(dbs, session["session_id"])[-2:]
    assert (client_row.intent, client_row.confidence, client_row.forwarded_to_rasa) == ("inform", 0.87, True)
    assert client_row.safety["category"] == "none"
    assert client_row.safety["rasa"]["category"] == "none"
    assert (bot_row.utter_action, bot_row.mi_code) == ("utter_ask_future", "open_question")
    assert client_row.id == body["messages"][0]["id"]


async def test_the_client_message_is_committed_before_rasa_is_called(start_session, say, fake_rasa, dbs):
    session = await start_session()
    seen_in_db = []

    def check_db(body):
        seen_in_db.append([m.text for m in _stored(dbs, body["sender"]) if m.sender == "client"])

    fake_rasa.on_message = check_db
    await say(session["session_id"], "eerst bewaren")
    assert seen_in_db == [["eerst bewaren"]]
    assert fake_rasa.channel_calls("eerst bewaren")[0]["body"]["metadata"]["message_id"].startswith("m-")


async def test_phase_reported_by_rasa_is_stored(start_session, say, fake_rasa, dbs):
    fake_rasa.phase_after = {2: "kiezen"}
    session = await start_session()
    body = (await say(session["session_id"], "ik denk aan mijn familie")).json()
    assert body["phase"] == "kiezen"
    from bot import sessions

    with dbs() as db:
        assert sessions.get_session(db, session["session_id"]).phase == "kiezen"


async def test_a_tapped_button_shows_its_title_and_sends_its_payload(start_session, say, fake_rasa, dbs):
    session = await start_session()
    body = (await say(session["session_id"], "/inform_goed", title="Goed")).json()
    assert body["messages"][0]["text"] == "Goed"
    assert fake_rasa.channel_calls()[-1]["body"]["message"] == "/inform_goed"
    assert _stored(dbs, session["session_id"])[2].text == "/inform_goed"


async def test_polling_returns_messages_after_a_given_id(start_session, say, client, kiosk_headers):
    session = await start_session()
    sid = session["session_id"]
    first = (await say(sid, "een")).json()["messages"]
    second = (await say(sid, "twee")).json()["messages"]
    everything = (await client.get(f"{API}/sessions/{sid}/messages", headers=kiosk_headers)).json()
    assert [m["id"] for m in everything["messages"]] == [
        m["id"] for m in session["messages"] + first + second
    ]
    after = (
        await client.get(
            f"{API}/sessions/{sid}/messages", params={"after": first[-1]["id"]}, headers=kiosk_headers
        )
    ).json()
    assert [m["id"] for m in after["messages"]] == [m["id"] for m in second]
    assert (after["status"], after["phase"]) == ("bot", "verkennen")


async def test_polling_with_an_unknown_after_id_is_a_clear_422(start_session, client, kiosk_headers):
    session = await start_session()
    response = await client.get(
        f"{API}/sessions/{session['session_id']}/messages",
        params={"after": "m-doesnotexist"},
        headers=kiosk_headers,
    )
    assert response.status_code == 422 and "after" in response.json()["detail"]


async def test_polling_needs_the_key_and_a_known_session(client, kiosk_headers, start_session):
    session = await start_session()
    assert (await client.get(f"{API}/sessions/{session['session_id']}/messages")).status_code == 401
    assert (await client.get(f"{API}/sessions/{'0' * 32}/messages", headers=kiosk_headers)).status_code == 404


# --- bad input: clear error, nothing stored, Rasa not called -----------------


@pytest.mark.parametrize(
    "content, status, words",
    [
        ('{"text": ""}', 422, "empty"),
        ('{"text": "   \\n\\t "}', 422, "empty"),
        ('{"text": "hallo"', 422, "json"),
        ("not json at all", 422, "json"),
        ('{"tekst": "hallo"}', 422, "text"),
        ('{"text": 12}', 422, "str"),
        ('{"text": null}', 422, "text"),
        ('{"text": "' + "a" * 2001 + '"}', 413, "2000"),
    ],
    ids=["empty", "whitespace", "broken-json", "not-json", "missing-text", "number", "null", "too-long"],
)
async def test_bad_message_bodies_store_nothing(
    start_session, client, kiosk_headers, counts, fake_rasa, content, status, words
):
    session = await start_session()
    calls, before = len(fake_rasa.calls), counts()
    response = await client.post(
        f"{API}/sessions/{session['session_id']}/messages",
        content=content,
        headers={**kiosk_headers, "Content-Type": "application/json"},
    )
    assert response.status_code == status, response.text
    detail = response.json()["detail"]
    assert isinstance(detail, str) and words.lower() in detail.lower()
    assert counts() == before
    assert len(fake_rasa.calls) == calls


async def test_exactly_2000_characters_is_accepted(start_session, say):
    session = await start_session()
    assert (await say(session["session_id"], "a" * 2000)).status_code == 200


async def test_unknown_session_is_404_and_stores_nothing(say, counts):
    before = counts()
    response = await say("0" * 32, "hallo")
    assert response.status_code == 404 and response.json()["detail"] == "unknown session"
    assert counts() == before


async def test_wrong_key_is_401_and_stores_nothing(start_session, client, counts):
    session = await start_session()
    before = counts()
    response = await client.post(
        f"{API}/sessions/{session['session_id']}/messages",
        json={"text": "hoi"},
        headers={"X-Kiosk-Key": "nope"},
    )
    assert response.status_code == 401
    assert counts() == before


async def test_closed_session_is_409_and_stores_nothing(start_session, say, client, token_for, counts):
    session = await start_session()
    closed = await client.post(
        f"{API}/staff/sessions/{session['session_id']}/close", headers=await token_for("anna")
    )
    assert closed.status_code == 200
    before = counts()
    response = await say(session["session_id"], "hallo?")
    assert response.status_code == 409 and "closed" in response.json()["detail"]
    assert counts() == before


async def test_rate_limit_per_session_is_429_and_stores_nothing(app, start_session, say, counts, monkeypatch):
    monkeypatch.setattr(
        app.state, "settings", app.state.settings.copy(update={"rate_limit_session_messages": 2})
    )
    session = await start_session()
    assert (await say(session["session_id"], "een")).status_code == 200
    assert (await say(session["session_id"], "twee")).status_code == 200
    before = counts()
    response = await say(session["session_id"], "drie")
    assert response.status_code == 429 and response.headers["Retry-After"] == "60"
    assert counts() == before
    other = await start_session()
    assert (await say(other["session_id"], "een")).status_code == 200


async def test_rate_limit_on_new_sessions_per_key(app, client, kiosk_headers, monkeypatch):
    monkeypatch.setattr(
        app.state, "settings", app.state.settings.copy(update={"rate_limit_key_new_sessions": 1})
    )
    assert (await client.post(f"{API}/sessions", json={}, headers=kiosk_headers)).status_code == 201
    assert (await client.post(f"{API}/sessions", json={}, headers=kiosk_headers)).status_code == 429


async def test_a_database_error_is_503_and_leaves_nothing_half_written(
    start_session, say, counts, monkeypatch, fake_rasa
):
    from sqlalchemy.exc import OperationalError
    from bot import sessions

    session = await start_session()
    before, calls = counts(), len(fake_rasa.calls)
    real_add = sessions.add_message

    def failing_add(db, chat_session, **kwargs):
        real_add(db, chat_session, **kwargs)  # written into the transaction, then the disk fails
        raise OperationalError("INSERT", {}, Exception("disk I/O error"))

    monkeypatch.setattr(sessions, "add_message", failing_add)
    response = await say(session["session_id"], "komt dit aan?")
    assert response.status_code == 503
    assert "database" in response.json()["detail"].lower()
    assert "Traceback" not in response.text
    assert counts() == before
    assert len(fake_rasa.calls) == calls  # never forwarded what was not stored


async def test_huge_bodies_are_refused_before_parsing(start_session, client, kiosk_headers):
    session = await start_session()
    response = await client.post(
        f"{API}/sessions/{session['session_id']}/messages",
        content=b'{"text": "' + b"a" * 1_200_000 + b'"}',
        headers={**kiosk_headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 413
