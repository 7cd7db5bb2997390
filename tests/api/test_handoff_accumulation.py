"""Safety accumulation in the API (docs/specs/safety.md §1.2, §1.5): the session's
SessionSafetyState sees every client turn and hands off when Rasa did not —
two misunderstood turns in a row, a signal that comes back, several signals."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from bot.db.models import ChatSession, Handoff, Message
from bot.safety import policy
from bot.safety import SafetyResult

from fake_rasa import FakeRasa

API = "/api/v1"
REAL_DOMAIN = Path(__file__).resolve().parents[2] / "domain.yml"
NOT_UNDERSTOOD = "blub fnarg zwiep"
ALSO_NOT_UNDERSTOOD = "qwx prrt"
REPHRASE = "Sorry, ik begrijp u niet goed. Kunt u het anders zeggen?"


class FallbackFakeRasa(FakeRasa):
    """Rasa whose NLU falls back on some texts and that never hands off for it itself."""

    gibberish = (NOT_UNDERSTOOD, ALSO_NOT_UNDERSTOOD)

    one_word_answers = ("bakker", "geen")

    def converse(self, sender: str, text: str) -> dict:
        reply = super().converse(sender, text)
        if text in self.gibberish:
            reply["nlu"].update(intent="nlu_fallback", confidence=0.21)
            reply["messages"] = [
                {
                    "text": REPHRASE,
                    "buttons": [],
                    "utter_action": "utter_fallback_rephrase",
                    "mi_code": "structure",
                }
            ]
        if text in self.one_word_answers:  # the NLU cannot classify it, the form takes it
            reply["nlu"].update(intent="nlu_fallback", confidence=0.3)
        return reply


@pytest.fixture
def fake_rasa() -> FakeRasa:
    return FallbackFakeRasa()


@pytest.fixture
def app(settings, fake_rasa):
    """The app with the real domain.yml, so the hand-off words are the assistant's own."""
    from api.main import create_app

    return create_app(settings, rasa_transport=fake_rasa.transport, domain_path=REAL_DOMAIN)


@pytest.fixture
def signals(monkeypatch):
    """Make the API's detector read chosen texts as T0/T1 signals (flag, tier)."""
    table = {}

    def fake_detect(text, **_):
        if text not in table:
            return SafetyResult(category="none")
        flag, tier = table[text]
        return SafetyResult(category="none", flag=flag, matched=text, tier=tier)

    monkeypatch.setattr("bot.safety.policy.detect", fake_detect)
    monkeypatch.setattr("bot.safety.policy.classifier_opinion", lambda text: policy.NO_OPINION)
    return table


def _bot_texts(body):
    return [m["text"] for m in body["messages"] if m["sender"] == "bot"]


def _client_row(dbs, sid, text):
    with dbs() as db:
        return (
            db.execute(
                select(Message)
                .where(Message.session_id == sid, Message.text == text)
                .order_by(Message.seq.desc())
            )
            .scalars()
            .first()
        )


def _handoffs(dbs, sid):
    with dbs() as db:
        return [
            (h.reason, h.message_id)
            for h in db.execute(select(Handoff).where(Handoff.session_id == sid)).scalars()
        ]


async def test_two_misunderstood_turns_in_a_row_hand_off_uncertain(start_session, say, app, dbs):
    sid = (await start_session())["session_id"]
    first = (await say(sid, NOT_UNDERSTOOD)).json()
    assert first["status"] == "bot" and first["handoff"] is None

    second = (await say(sid, ALSO_NOT_UNDERSTOOD)).json()
    assert (second["status"], second["handoff"]["reason"]) == ("waiting_for_human", "uncertain")
    # The assistant's own hand-off words, not Rasa's next question.
    assert _bot_texts(second) == [app.state.wording.get("utter_handoff_uncertain").text]
    trigger = _client_row(dbs, sid, ALSO_NOT_UNDERSTOOD)
    assert _handoffs(dbs, sid) == [("uncertain", trigger.id)]
    assert trigger.safety["accumulated"]["escalation"] == "misunderstood:2"
    assert trigger.intent == "nlu_fallback"
    assert trigger.meta["withheld_bot_replies"][0]["text"] == REPHRASE


async def test_a_turn_understood_in_between_breaks_the_streak(start_session, say, dbs):
    sid = (await start_session())["session_id"]
    for text in (NOT_UNDERSTOOD, "Ik woon in Utrecht.", ALSO_NOT_UNDERSTOOD):
        body = (await say(sid, text)).json()
        assert body["status"] == "bot", text
    assert _client_row(dbs, sid, ALSO_NOT_UNDERSTOOD).safety["session_state"]["misunderstood_in_a_row"] == 1
    with dbs() as db:
        assert db.get(ChatSession, sid).fallback_streak == 1


async def test_the_state_lives_in_the_database_not_in_one_api_process(
    start_session, say, settings, fake_rasa, kiosk_headers
):
    """A second API worker (or a restart) continues the same count."""
    from api.main import create_app

    sid = (await start_session())["session_id"]
    assert (await say(sid, NOT_UNDERSTOOD)).json()["status"] == "bot"
    other_worker = create_app(settings, rasa_transport=fake_rasa.transport, domain_path=REAL_DOMAIN)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=other_worker), base_url="http://w2") as w2:
        body = (
            await w2.post(
                f"{API}/sessions/{sid}/messages", json={"text": ALSO_NOT_UNDERSTOOD}, headers=kiosk_headers
            )
        ).json()
    await other_worker.state.rasa.aclose()
    assert body["handoff"]["reason"] == "uncertain"


async def test_a_hand_back_starts_the_count_again(start_session, say, client, token_for, dbs):
    sid = (await start_session())["session_id"]
    await say(sid, NOT_UNDERSTOOD)
    anna = await token_for("anna")
    await client.post(f"{API}/staff/sessions/{sid}/takeover", headers=anna)  # stepping in unasked
    assert (
        await client.post(f"{API}/staff/sessions/{sid}/handback", json={}, headers=anna)
    ).status_code == 200
    body = (await say(sid, ALSO_NOT_UNDERSTOOD)).json()
    assert body["status"] == "bot"  # the counsellor has seen the first one
    assert _client_row(dbs, sid, ALSO_NOT_UNDERSTOOD).safety["session_state"]["misunderstood_in_a_row"] == 1


async def test_a_signal_that_comes_back_within_three_turns_hands_off_emotion(
    start_session, say, signals, dbs, app
):
    signals["Ik slaap niet."] = ("sleep", 1)
    signals["Ik slaap weer niet, de hele nacht wakker."] = ("sleep", 1)
    sid = (await start_session())["session_id"]
    assert (await say(sid, "Ik slaap niet.")).json()["status"] == "bot"  # T1 once: offer, go on
    assert (await say(sid, "Ik woon in Utrecht.")).json()["status"] == "bot"
    body = (await say(sid, "Ik slaap weer niet, de hele nacht wakker.")).json()
    assert (body["status"], body["handoff"]["reason"]) == ("waiting_for_human", "emotion")
    assert _bot_texts(body) == [app.state.wording.get("utter_handoff_emotion").text]
    row = _client_row(dbs, sid, "Ik slaap weer niet, de hele nacht wakker.")
    assert row.safety["accumulated"]["escalation"] == "repeated:sleep"


async def test_a_signal_far_apart_does_not_hand_off(start_session, say, signals):
    signals["Ik slaap niet."] = ("sleep", 1)
    sid = (await start_session())["session_id"]
    for text in ("Ik slaap niet.", "een", "twee", "drie", "Ik slaap niet."):
        assert (await say(sid, text)).json()["status"] == "bot", text


async def test_several_different_signals_add_up_to_a_handoff(start_session, say, signals, dbs):
    signals.update(
        {
            "Mijn hoofd doet pijn.": ("somatic", 0),
            "Ik eet bijna niet.": ("depression", 1),
            "Ik vergeet alles.": ("other_complaints", 0),
        }
    )
    sid = (await start_session())["session_id"]
    assert (await say(sid, "Mijn hoofd doet pijn.")).json()["status"] == "bot"
    assert (await say(sid, "Ik eet bijna niet.")).json()["status"] == "bot"
    body = (await say(sid, "Ik vergeet alles.")).json()
    assert body["handoff"]["reason"] == "emotion"
    escalation = _client_row(dbs, sid, "Ik vergeet alles.").safety["accumulated"]["escalation"]
    assert escalation == "accumulated:somatic+depression+other_complaints"


async def test_rasas_own_safety_reading_counts_too(start_session, say, fake_rasa, dbs):
    """Our detector saw nothing; the signal Rasa's component reported still adds up."""

    def rasa_sees_sleep(body):
        fake_rasa.sleep_turn = body["message"].startswith("slaap")

    fake_rasa.on_message = rasa_sees_sleep
    original = fake_rasa.converse

    def converse(sender, text):
        reply = original(sender, text)
        if getattr(fake_rasa, "sleep_turn", False):
            reply["nlu"]["safety"] = {"category": "none", "flag": "sleep", "matched": "slaap", "tier": 1}
        return reply

    fake_rasa.converse = converse
    sid = (await start_session())["session_id"]
    assert (await say(sid, "slaap slecht")).json()["status"] == "bot"
    body = (await say(sid, "slaap nog steeds slecht")).json()
    assert body["handoff"]["reason"] == "emotion"


async def test_the_staff_feed_alerts_with_the_reason_of_an_accumulated_handoff(start_session, say, app):
    sid = (await start_session())["session_id"]
    feed = app.state.hub.subscribe("staff")
    await say(sid, NOT_UNDERSTOOD)
    await say(sid, ALSO_NOT_UNDERSTOOD)
    nudges = []
    while not feed.empty():
        nudges.append(feed.get_nowait())
    assert [n["alert"] for n in nudges if n["session_id"] == sid] == [None, "uncertain"]


async def test_a_crisis_still_wins_over_the_accumulation(start_session, say, app):
    sid = (await start_session())["session_id"]
    await say(sid, NOT_UNDERSTOOD)
    body = (await say(sid, "ik wil dood")).json()  # the fake Rasa hands this off as crisis itself
    assert body["handoff"]["reason"] == "crisis"


async def test_answers_the_form_took_are_not_misunderstood_whatever_the_nlu_thought(start_session, say, dbs):
    sid = (await start_session())["session_id"]
    for text in ("bakker", "geen", "bakker"):
        body = (await say(sid, text)).json()
        assert body["status"] == "bot"
    assert _client_row(dbs, sid, "geen").safety["session_state"]["misunderstood_in_a_row"] == 0
    assert _handoffs(dbs, sid) == []
