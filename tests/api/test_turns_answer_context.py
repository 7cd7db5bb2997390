"""A request that answers the question asked (bot.safety.answer_context) on the message path:
the API reads the client's text in the context of the bot's last question, tells Rasa that
question (metadata.asked_slot), and hands off only when the text is a request there too, when
Rasa did not take the text as the answer, or when Rasa is down."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import pytest
from sqlalchemy import select

from bot.db.models import Handoff, Message
from bot.safety import detect
from bot.safety.answer_context import OFFER_RESPONSE, OFFER_SLOT, read_in_context

from fake_rasa import FakeRasa, _reply

REAL_DOMAIN = Path(__file__).resolve().parents[2] / "domain.yml"
QUESTION_TEXT = {
    "utter_ask_situation": "Hoe gaat het nu met u?",
    "utter_ask_life_here": "Hoe is uw leven hier?",
    "utter_ask_goal_needs": "Wat heeft u nodig om dat doel te halen?",
    "utter_ask_step_what": "Wat is een stap die u wilt zetten?",
    "utter_ask_step_who": "Wie gaat dat doen?",
    OFFER_RESPONSE: "Wilt u nu met een begeleider praten?",
}


def _bot(action: str, buttons=()) -> dict:
    return {
        "text": QUESTION_TEXT.get(action, action),
        "utter_action": action,
        "mi_code": "open_question",
        "buttons": [{"title": t, "payload": p} for t, p in buttons],
    }


class ContextFakeRasa(FakeRasa):
    """Rasa with the real safety component and a form: asks ``first`` after the greeting,
    reads each text in the context of ``metadata.asked_slot`` as the component does, takes a
    demoted request as the answer and asks the offer, hands off a request."""

    def __init__(self, first: str = "utter_ask_goal_needs", **kwargs) -> None:
        super().__init__(**kwargs)
        self.first = first
        self.takes_context = True  # False: a Rasa that does not offer (older model …)
        self.metadata: List[dict] = []
        self.on_message = lambda body: self.metadata.append(body.get("metadata") or {})

    def converse(self, sender: str, text: str) -> dict:
        if self.paused.get(sender):
            return _reply(paused=True)
        if text == "/greet":
            return _reply([_bot(self.first)], intent="greet")
        if text == "/resume_conversation":
            return _reply([_bot("utter_ask_step_who")], intent="resume_conversation")
        slot = self.metadata[-1].get("asked_slot") if self.takes_context else None
        reading = read_in_context(detect(text), text, slot) if not text.startswith("/") else detect("")
        if text == "/request_human" or reading.category == "request":
            self.paused[sender] = True
            warm = {
                "text": "Ik vraag een begeleider voor u.",
                "buttons": [],
                "utter_action": "utter_handoff_request",
                "mi_code": "handoff",
            }
            return _reply(
                [warm],
                paused=True,
                reason="request",
                intent="request_human",
                safety_category="request",
                flag="request_human",
            )
        body = _reply([_bot("utter_ask_step_who")], intent="inform")
        if reading.flag == "request_human":  # set aside as the answer: reflect, then offer
            body = _reply(
                [
                    _bot("utter_reflect_goal_needs"),
                    _bot(
                        OFFER_RESPONSE,
                        [("Ja, nu met een begeleider praten", "/request_human"), ("Nee, ga verder", "/deny")],
                    ),
                ],
                intent="inform",
            )
        body["nlu"]["safety"] = reading.to_dict()
        return body


@pytest.fixture
def fake_rasa() -> ContextFakeRasa:
    return ContextFakeRasa()


@pytest.fixture
def app(settings, fake_rasa):
    from api.main import create_app

    return create_app(settings, rasa_transport=fake_rasa.transport, domain_path=REAL_DOMAIN)


def _client_row(dbs, sid: str, text: str) -> Message:
    with dbs() as db:
        return (
            db.execute(
                select(Message)
                .where(Message.session_id == sid, Message.sender == "client", Message.text == text)
                .order_by(Message.seq.desc())
            )
            .scalars()
            .first()
        )


def _handoffs(dbs, sid: str) -> List[tuple]:
    with dbs() as db:
        return [
            (h.reason, h.message_id)
            for h in db.execute(select(Handoff).where(Handoff.session_id == sid)).scalars()
        ]


def _actions(body: dict) -> List[Optional[str]]:
    return [m.get("utter_action") for m in body["messages"] if m["sender"] == "bot"]


async def _start(start_session, fake_rasa: ContextFakeRasa, first: str) -> str:
    fake_rasa.first = first
    return (await start_session())["session_id"]


@pytest.mark.parametrize(
    "first, text",
    [
        ("utter_ask_goal_needs", "hulp"),
        ("utter_ask_step_what", "met mijn begeleider praten over de school van mijn dochters"),
    ],
)
async def test_a_request_that_answers_the_question_is_recorded_and_a_person_offered(
    start_session, say, fake_rasa, dbs, first, text
):
    sid = await _start(start_session, fake_rasa, first)
    body = (await say(sid, text)).json()
    assert body["status"] == "bot" and body["handoff"] is None
    assert _actions(body)[-1] == OFFER_RESPONSE  # the offer is the last message: its buttons show
    assert fake_rasa.metadata[-1]["asked_slot"] == first[len("utter_ask_") :]
    row = _client_row(dbs, sid, text)
    assert row.forwarded_to_rasa and row.safety["category"] == "none"
    assert row.safety["flag"] == "request_human" and row.safety["context_free"]["category"] == "request"
    assert _handoffs(dbs, sid) == []


async def test_tapping_yes_on_the_offer_hands_off_like_any_request(start_session, say, fake_rasa, dbs):
    sid = await _start(start_session, fake_rasa, "utter_ask_goal_needs")
    await say(sid, "hulp")
    body = (await say(sid, "/request_human", title="Ja, nu met een begeleider praten")).json()
    assert (body["status"], body["handoff"]["reason"]) == ("waiting_for_human", "request")
    assert _handoffs(dbs, sid) == [("request", _client_row(dbs, sid, "/request_human").id)]


@pytest.mark.parametrize("rasa_takes_context", [True, False])
async def test_a_typed_yes_to_the_offer_is_a_request(
    start_session, say, fake_rasa, dbs, app, rasa_takes_context
):
    sid = await _start(start_session, fake_rasa, "utter_ask_goal_needs")
    await say(sid, "hulp")
    assert fake_rasa.metadata[-1]["asked_slot"] == "goal_needs"
    fake_rasa.takes_context = rasa_takes_context  # without it, the API's own reading hands off
    body = (await say(sid, "ja graag")).json()
    assert fake_rasa.metadata[-1]["asked_slot"] == OFFER_SLOT
    assert (body["status"], body["handoff"]["reason"]) == ("waiting_for_human", "request")
    assert _client_row(dbs, sid, "ja graag").safety["escalation"] == "answer_context:person_offer"
    if not rasa_takes_context:
        assert _actions(body) == ["utter_handoff_request"]


async def test_no_thanks_goes_on(start_session, say, fake_rasa, dbs):
    sid = await _start(start_session, fake_rasa, "utter_ask_goal_needs")
    await say(sid, "hulp")
    body = (await say(sid, "/deny", title="Nee, ga verder")).json()
    assert body["status"] == "bot" and _actions(body) == ["utter_ask_step_who"]
    assert _handoffs(dbs, sid) == []


@pytest.mark.parametrize("first", ["utter_ask_goal_needs", "utter_ask_step_what"])
@pytest.mark.parametrize(
    "text", ["ik wil nu met een begeleider praten", "hulp!! nu", "kan ik een mens spreken"]
)
async def test_immediacy_in_the_same_context_still_hands_off(start_session, say, fake_rasa, dbs, first, text):
    sid = await _start(start_session, fake_rasa, first)
    body = (await say(sid, text)).json()
    assert (body["status"], body["handoff"]["reason"]) == ("waiting_for_human", "request")
    assert _client_row(dbs, sid, text).safety["category"] == "request"


@pytest.mark.parametrize("first", ["utter_ask_situation", "utter_ask_life_here"])
async def test_hulp_to_another_question_hands_off_as_before(start_session, say, fake_rasa, dbs, first):
    sid = await _start(start_session, fake_rasa, first)
    body = (await say(sid, "hulp")).json()
    assert (body["status"], body["handoff"]["reason"]) == ("waiting_for_human", "request")


async def test_when_rasa_does_not_offer_a_person_the_api_hands_off(start_session, say, fake_rasa, dbs, app):
    """The API set the request aside as an answer, but Rasa went on without asking the offer
    (no form, an older model): the request stands and a person comes."""
    sid = await _start(start_session, fake_rasa, "utter_ask_goal_needs")
    fake_rasa.converse = lambda sender, text: _reply([_bot("utter_ask_step_who")], intent="inform")
    body = (await say(sid, "hulp")).json()
    assert (body["status"], body["handoff"]["reason"]) == ("waiting_for_human", "request")
    assert _actions(body) == ["utter_handoff_request"]
    row = _client_row(dbs, sid, "hulp")
    assert row.safety["category"] == "request" and row.safety["context_unconfirmed"] is True
    assert row.meta["withheld_bot_replies"][0]["utter_action"] == "utter_ask_step_who"


async def test_rasa_down_after_an_answer_that_named_help_is_a_request(start_session, say, fake_rasa, dbs):
    sid = await _start(start_session, fake_rasa, "utter_ask_goal_needs")
    fake_rasa.down = set(fake_rasa.servers)
    body = (await say(sid, "hulp")).json()
    assert (body["status"], body["handoff"]["reason"]) == ("waiting_for_human", "request")
    assert _client_row(dbs, sid, "hulp").safety["category"] == "request"


async def test_no_context_after_a_person_spoke(start_session, say, fake_rasa, dbs, client, token_for):
    """After a hand-back the context is the question the bot asks on resuming."""
    sid = await _start(start_session, fake_rasa, "utter_ask_goal_needs")
    await say(sid, "/request_human")
    anna = await token_for("anna")
    await client.post(f"/api/v1/staff/sessions/{sid}/takeover", headers=anna)
    fake_rasa.paused.clear()
    await client.post(f"/api/v1/staff/sessions/{sid}/handback", json={}, headers=anna)
    await say(sid, "Samen met mijn begeleider")
    assert fake_rasa.metadata[-1]["asked_slot"] == "step_who"


# --- the same words again (metadata.repeated_answer) -----------------------------------


async def test_the_same_words_typed_again_are_marked_as_a_repeated_answer(start_session, say, fake_rasa):
    sid = await _start(start_session, fake_rasa, "utter_ask_goal_needs")
    await say(sid, "tijd en een computer")
    assert "repeated_answer" not in fake_rasa.metadata[-1]  # the first time: as the NLU reads it
    await say(sid, "Tijd en een  computer")  # case and spaces do not make it other words
    assert fake_rasa.metadata[-1]["repeated_answer"] is True
    await say(sid, "tijd")
    assert "repeated_answer" not in fake_rasa.metadata[-1]


async def test_a_repeated_button_payload_is_no_repeated_answer(start_session, say, fake_rasa):
    sid = await _start(start_session, fake_rasa, "utter_ask_goal_needs")
    await say(sid, "/deny", title="Nee")
    await say(sid, "/deny", title="Nee")
    assert "repeated_answer" not in fake_rasa.metadata[-1]


def test_last_turn_finds_the_question_and_the_previous_client_text_past_a_long_summary(app, dbs):
    from api.turns import ASKED_LOOKBACK, last_turn
    from bot import sessions

    with dbs() as db:
        chat = sessions.create_session(db)
        sessions.add_message(db, chat, sender="client", text="ja dat klopt")
        for n in range(ASKED_LOOKBACK + 3):  # a phase summary: more lines than the question lookback
            sessions.add_message(db, chat, sender="bot", text=f"regel {n}", utter_action="utter_summary_x")
        sessions.add_message(
            db, chat, sender="bot", text="Klopt dat?", utter_action="utter_ask_summary_correct"
        )
        db.commit()
        assert last_turn(db, chat.id) == ("summary_correct", "ja dat klopt")

        sessions.add_message(db, chat, sender="system", text="handback")
        db.commit()
        assert last_turn(db, chat.id) == (None, "ja dat klopt")  # a person spoke since the question
