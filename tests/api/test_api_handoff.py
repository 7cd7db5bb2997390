"""Hand-offs on the message path: crisis, requests, Rasa failures, the gate."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.db.models import Handoff, Message
from bot.safety import policy
from bot.safety import SafetyResult

from fake_rasa import CRISIS_TEXT

API = "/api/v1"
CRISIS_MESSAGE = "ik wil dood"


def _messages(dbs, session_id):
    with dbs() as db:
        return list(
            db.execute(
                select(Message).where(Message.session_id == session_id).order_by(Message.seq)
            ).scalars()
        )


def _handoffs(dbs, session_id):
    with dbs() as db:
        return list(db.execute(select(Handoff).where(Handoff.session_id == session_id)).scalars())


@pytest.fixture
def detector(monkeypatch):
    """Make the API's local detector answer a chosen category for chosen texts."""
    answers = {}

    def fake_detect(text, **_):
        category = answers.get(text, "none")
        tier = {"crisis": 3, "none": 0}.get(category, 2)
        return SafetyResult(
            category=category,
            flag="test" if category != "none" else None,
            matched=text if category != "none" else None,
            tier=tier,
        )

    monkeypatch.setattr("bot.safety.policy.detect", fake_detect)
    monkeypatch.setattr("bot.safety.policy.classifier_opinion", lambda text: policy.NO_OPINION)
    return answers


def _texts(body, sender):
    return [m["text"] for m in body["messages"] if m["sender"] == sender and not m.get("event")]


# --- crisis ----------------------------------------------------------------


async def test_crisis_handed_off_by_rasa_is_in_the_very_response(start_session, say, dbs, detector):
    detector[CRISIS_MESSAGE] = "crisis"
    session = await start_session()
    body = (await say(session["session_id"], CRISIS_MESSAGE)).json()
    assert body["status"] == "waiting_for_human"
    assert body["handoff"]["reason"] == "crisis" and body["handoff"]["at"]
    assert _texts(body, "bot") == [CRISIS_TEXT]  # Rasa's crisis turn, not a second copy
    [handoff] = _handoffs(dbs, session["session_id"])
    assert handoff.reason == "crisis" and handoff.message_id == body["messages"][0]["id"]
    client_row = next(m for m in _messages(dbs, session["session_id"]) if m.sender == "client")
    assert client_row.safety["category"] == "crisis"
    assert client_row.safety["rasa"]["flag"] == "suicide"


async def test_crisis_missed_by_rasa_gets_the_crisis_route_from_domain_yml(
    start_session, say, fake_rasa, app, detector, client, token_for
):
    fake_rasa.notice_crisis = False
    detector[CRISIS_MESSAGE] = "crisis"
    session = await start_session()
    body = (await say(session["session_id"], CRISIS_MESSAGE)).json()
    crisis = app.state.wording.get("utter_handoff_crisis").text
    assert "112" in crisis and "113" in crisis
    assert _texts(body, "bot") == [crisis]  # Rasa's next question is withheld: ask nothing further
    assert (body["status"], body["handoff"]["reason"]) == ("waiting_for_human", "crisis")
    detail = (
        await client.get(f"{API}/staff/sessions/{session['session_id']}", headers=await token_for("anna"))
    ).json()
    client_turn = next(m for m in detail["messages"] if m["sender"] == "client")
    assert [r["utter_action"] for r in client_turn["withheld_bot_replies"]] == ["utter_ask_future"]


async def test_crisis_route_follows_the_session_language(
    client, kiosk_headers, say, fake_rasa, app, detector
):
    fake_rasa.notice_crisis = False
    detector["I want to die"] = "crisis"
    created = (await client.post(f"{API}/sessions", json={"language": "en"}, headers=kiosk_headers)).json()
    body = (await say(created["session_id"], "I want to die")).json()
    assert app.state.wording.get("utter_handoff_crisis", "en").text in _texts(body, "bot")


async def test_the_real_detector_catches_a_crisis_rasa_missed(start_session, say, fake_rasa):
    """No stand-in: bot.safety.detect itself must flag a plain death wish."""
    fake_rasa.notice_crisis = False
    session = await start_session()
    body = (await say(session["session_id"], "Ik wil niet meer leven.")).json()
    assert body["handoff"] is not None and body["handoff"]["reason"] == "crisis"


async def test_crisis_while_rasa_is_down_still_gets_the_crisis_route(
    start_session, say, fake_rasa, app, detector
):
    detector[CRISIS_MESSAGE] = "crisis"
    session = await start_session()
    fake_rasa.down = set(fake_rasa.servers)
    body = (await say(session["session_id"], CRISIS_MESSAGE)).json()
    assert app.state.wording.get("utter_handoff_crisis").text in _texts(body, "bot")
    assert app.state.wording.get("utter_system_rasa_down").text in _texts(body, "system")
    assert body["handoff"]["reason"] == "crisis"


async def test_crisis_while_waiting_escalates_and_gives_the_route_once(
    start_session, say, app, dbs, detector
):
    detector[CRISIS_MESSAGE] = "crisis"
    session = await start_session()
    sid = session["session_id"]
    assert (await say(sid, "/request_human", title="Ik wil met een mens praten")).json()["handoff"][
        "reason"
    ] == "request"
    body = (await say(sid, CRISIS_MESSAGE)).json()
    assert body["handoff"]["reason"] == "crisis"
    assert app.state.wording.get("utter_handoff_crisis").text in _texts(body, "bot")
    again = (await say(sid, CRISIS_MESSAGE)).json()
    assert _texts(again, "bot") == []  # escalated already; the counsellor is on the way
    reasons = sorted((h.reason, h.closed_at is None) for h in _handoffs(dbs, sid))
    assert reasons == [("crisis", True), ("request", False)]


# --- other hand-offs ---------------------------------------------------------


async def test_request_human_button_hands_off_with_reason_request(start_session, say, dbs):
    session = await start_session()
    body = (await say(session["session_id"], "/request_human", title="Ik wil met een mens praten")).json()
    assert body["messages"][0]["text"] == "Ik wil met een mens praten"
    assert (body["status"], body["handoff"]["reason"]) == ("waiting_for_human", "request")
    assert "handoff:request" in [m.get("event") for m in body["messages"]]


async def test_local_emotion_signal_hands_off_when_rasa_did_not(start_session, say, detector, app):
    detector["alles is kapot, er is geen toekomst"] = "emotion"
    session = await start_session()
    body = (await say(session["session_id"], "alles is kapot, er is geen toekomst")).json()
    assert (body["status"], body["handoff"]["reason"]) == ("waiting_for_human", "emotion")
    # The bot's hand-off words from domain.yml instead of Rasa's next question.
    assert _texts(body, "bot") == [app.state.wording.get("utter_handoff_emotion").text]


async def test_a_local_handoff_without_domain_words_still_hands_off(start_session, say, detector, app):
    detector["ik ben 16"] = "uncertain"
    assert app.state.wording.missing(["utter_handoff_uncertain"])  # the fixture domain lacks it
    session = await start_session()
    body = (await say(session["session_id"], "ik ben 16")).json()
    assert (body["status"], body["handoff"]["reason"]) == ("waiting_for_human", "uncertain")
    assert len(_texts(body, "bot")) == 1  # Rasa's reply: better than silence


async def test_after_a_handoff_client_text_is_stored_but_not_forwarded(start_session, say, fake_rasa, dbs):
    session = await start_session()
    sid = session["session_id"]
    await say(sid, "/request_human")
    calls = len(fake_rasa.channel_calls())
    body = (await say(sid, "hallo, is daar iemand?")).json()
    assert len(fake_rasa.channel_calls()) == calls
    assert [m["sender"] for m in body["messages"]] == ["client"]
    assert body["status"] == "waiting_for_human"
    last = _messages(dbs, sid)[-1]
    assert (last.text, last.forwarded_to_rasa) == ("hallo, is daar iemand?", False)


# --- Rasa failures -------------------------------------------------------------


async def test_rasa_down_keeps_the_message_and_brings_a_counsellor(start_session, say, fake_rasa, app, dbs):
    session = await start_session()
    fake_rasa.down = set(fake_rasa.servers)
    response = await say(session["session_id"], "mijn antwoord mag niet verloren gaan")
    assert response.status_code == 200
    body = response.json()
    assert body["messages"][0]["text"] == "mijn antwoord mag niet verloren gaan"
    assert _texts(body, "system") == [app.state.wording.get("utter_system_rasa_down").text]
    assert (body["status"], body["handoff"]["reason"]) == ("waiting_for_human", "uncertain")
    stored = next(m for m in _messages(dbs, session["session_id"]) if m.text.startswith("mijn antwoord"))
    assert stored.forwarded_to_rasa is False
    assert stored.meta["maybe_processed"] is False


async def test_failover_sends_to_the_next_server_only_on_connect_errors(start_session, say, fake_rasa):
    session = await start_session()
    fake_rasa.down = {fake_rasa.servers[0]}
    for text in ("een", "twee", "drie"):
        body = (await say(session["session_id"], text)).json()
        assert body["status"] == "bot"
    for text in ("een", "twee", "drie"):
        [call] = fake_rasa.channel_calls(text)  # processed exactly once
        assert call["server"] == fake_rasa.servers[1]


async def test_round_robin_spreads_messages_over_servers(start_session, say, fake_rasa):
    session = await start_session()
    for text in ("een", "twee", "drie", "vier"):
        await say(session["session_id"], text)
    servers = {c["server"] for c in fake_rasa.channel_calls() if c["body"]["message"] != "/greet"}
    assert servers == set(fake_rasa.servers)


@pytest.mark.parametrize("failure", ["read_timeout", "http_500", "bad_json"])
async def test_a_message_rasa_may_have_processed_is_never_sent_twice(start_session, say, fake_rasa, failure):
    session = await start_session()
    fake_rasa.failure = failure
    body = (await say(session["session_id"], "misschien verwerkt")).json()
    assert len(fake_rasa.channel_calls("misschien verwerkt")) == 1
    assert (body["status"], body["handoff"]["reason"]) == ("waiting_for_human", "uncertain")


async def test_the_gate_holds_even_if_rasa_would_answer(start_session, say, fake_rasa, client, token_for):
    """A person holds the session: the bot says nothing, whatever Rasa would do."""
    session = await start_session()
    sid = session["session_id"]
    assert (
        await client.post(f"{API}/staff/sessions/{sid}/takeover", headers=await token_for("anna"))
    ).status_code == 200
    calls = len(fake_rasa.calls)
    body = (await say(sid, "ik wil dood")).json()
    assert len(fake_rasa.calls) == calls
    assert _texts(body, "bot") == []
    assert body["status"] == "human"
