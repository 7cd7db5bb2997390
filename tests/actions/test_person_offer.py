"""A request that was the content of an answer (bot.safety.answer_context): the form records
the answer and then asks "wilt u nu met een begeleider praten?" before the next question.

The forms' validation action is run whole (``run``), with the tracker Rasa's FormAction sends:
the events so far, the form's ActionExecuted, then the slot the text filled."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

import pytest

from action_helpers import make_tracker, read_plan, responses
from actions.forms import ValidateKiezenForm, ValidateVerkennenForm, ValidateVerkrijgenForm
from bot.safety import detect
from bot.safety.answer_context import (
    OFFER_DECLINED,
    OFFER_PENDING,
    OFFER_SLOT,
    OFFER_UNCLEAR,
    context_reading,
)

MID = "m-00000000000000c1"


def _reading(text: str, slot: Optional[str]) -> Dict[str, Any]:
    return context_reading(detect(text), text, slot)


def _form_turn(
    session_id: str,
    form: str,
    *,
    text: str,
    intent: str = "inform",
    slots: Dict[str, Any],
    filled: Optional[Dict[str, Any]] = None,
    asked: Optional[str],
    message_id: str = MID,
):
    """The tracker of one form turn: ``asked`` is requested, the text filled ``filled``."""
    events: List[Dict[str, Any]] = [
        {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}},
        {"event": "slot", "name": "requested_slot", "value": slots.get("requested_slot")},
        {"event": "action", "name": form},
        *({"event": "slot", "name": k, "value": v} for k, v in (filled or {}).items()),
    ]
    return make_tracker(
        session_id,
        text=text,
        intent=intent,
        confidence=1.0,
        message_id=message_id,
        slots={**slots, **(filled or {})},
        safety=_reading(text, asked),
        events=events,
        active_loop=form,
    )


def _slots(events) -> Dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


STEP_SLOTS = {"phase": "verkrijgen", "requested_slot": "step_what", "step_kind": "other"}
LEILA = "met mijn begeleider praten over de school van mijn dochters"


async def test_leilas_step_with_her_counsellor_is_her_answer_and_a_person_is_offered(
    plan_session, dispatcher, domain
):
    tracker = _form_turn(
        plan_session,
        "verkrijgen_form",
        text=LEILA,
        slots=STEP_SLOTS,
        filled={"step_what": LEILA},
        asked="step_what",
    )
    events = await ValidateVerkrijgenForm().run(dispatcher, tracker, domain)
    slots = _slots(events)
    assert slots["step_what"] == LEILA
    assert slots[OFFER_SLOT] == OFFER_PENDING and slots["requested_slot"] == OFFER_SLOT
    assert responses(dispatcher) == ["utter_reflect_step_what"]  # no utter_offer_person on top


async def test_mr_a_needs_help_the_need_is_in_the_plan_and_a_person_is_offered(
    plan_session, dispatcher, domain
):
    slots = {"phase": "kiezen", "requested_slot": "goal_needs", "goal": "papieren dochters", "goal_id": "g-1"}
    tracker = _form_turn(
        plan_session,
        "kiezen_form",
        text="hulp",
        slots=slots,
        filled={"goal_needs": "hulp"},
        asked="goal_needs",
    )
    events = await ValidateKiezenForm().run(dispatcher, tracker, domain)
    assert _slots(events)["requested_slot"] == OFFER_SLOT
    assert "utter_offer_person" not in responses(dispatcher)
    [need] = read_plan(plan_session)["sections"]["goal_needs"]["items"]
    assert "hulp" in str(need) and need["provenance"]["message_ids"] == [MID]


async def test_an_ordinary_answer_asks_the_next_question(plan_session, dispatcher, domain):
    text = "een paspoort aanvragen"
    tracker = _form_turn(
        plan_session,
        "verkrijgen_form",
        text=text,
        slots=STEP_SLOTS,
        filled={"step_what": text},
        asked="step_what",
    )
    slots = _slots(await ValidateVerkrijgenForm().run(dispatcher, tracker, domain))
    assert OFFER_SLOT not in slots and slots["requested_slot"] == "step_who"


AFTER_OFFER = {**STEP_SLOTS, "step_what": LEILA, "requested_slot": OFFER_SLOT, OFFER_SLOT: OFFER_PENDING}


@pytest.mark.parametrize("text, intent", [("/deny", "deny"), ("Nee, ga verder", "deny"), ("nee", "inform")])
async def test_no_thanks_goes_on_with_the_next_question(plan_session, dispatcher, domain, text, intent):
    tracker = _form_turn(
        plan_session, "verkrijgen_form", text=text, intent=intent, slots=AFTER_OFFER, asked=OFFER_SLOT
    )
    slots = _slots(await ValidateVerkrijgenForm().run(dispatcher, tracker, domain))
    assert slots[OFFER_SLOT] == OFFER_DECLINED and slots["requested_slot"] == "step_who"
    assert dispatcher.messages == []  # the form asks step_who next


@pytest.mark.parametrize(
    "text, intent",
    [("/request_human", "request_human"), ("ja", "request_human"), ("ik wil dood", "safety_crisis")],
)
async def test_yes_takes_nothing_so_the_safety_rules_hand_off(plan_session, dispatcher, domain, text, intent):
    """The "Ja" button is /request_human and a typed yes is read as request_human: the form
    extracts nothing, Rasa's FormAction rejects, and the rule 'the client asks for a person' runs."""
    tracker = _form_turn(
        plan_session, "verkrijgen_form", text=text, intent=intent, slots=AFTER_OFFER, asked=OFFER_SLOT
    )
    events = await ValidateVerkrijgenForm().run(dispatcher, tracker, domain)
    assert [e for e in events if e.get("name") != "requested_slot"] == []
    assert dispatcher.messages == []


async def test_an_unclear_reply_is_asked_once_more_then_the_talk_goes_on(plan_session, dispatcher, domain):
    form = ValidateVerkrijgenForm()
    first = _slots(
        await form.run(
            dispatcher,
            _form_turn(
                plan_session, "verkrijgen_form", text="weet niet", slots=AFTER_OFFER, asked=OFFER_SLOT
            ),
            domain,
        )
    )
    assert first[OFFER_SLOT] == OFFER_PENDING and first["requested_slot"] == OFFER_SLOT
    assert first["unclear_slot"] == OFFER_SLOT and responses(dispatcher) == ["utter_unclear_button"]
    again = {**AFTER_OFFER, "unclear_slot": OFFER_SLOT}
    second = _slots(
        await form.run(
            dispatcher,
            _form_turn(plan_session, "verkrijgen_form", text="de school", slots=again, asked=OFFER_SLOT),
            domain,
        )
    )
    assert second[OFFER_SLOT] == OFFER_UNCLEAR and second["requested_slot"] == "step_who"
    assert responses(dispatcher)[-1] == "utter_unclear_moving_on"


async def test_a_stale_offer_is_not_asked_after_a_hand_back(plan_session, dispatcher, domain):
    """The client took the person (hand-off clears requested_slot); after the hand-back the
    form goes on with the next question, not with the old offer."""
    slots = {**STEP_SLOTS, "step_what": LEILA, "requested_slot": None, OFFER_SLOT: OFFER_PENDING}
    tracker = _form_turn(
        plan_session,
        "verkrijgen_form",
        text="/resume_conversation",
        intent="resume_conversation",
        slots=slots,
        asked=None,
    )
    assert (
        _slots(await ValidateVerkrijgenForm().run(dispatcher, tracker, domain))["requested_slot"]
        == "step_who"
    )


async def test_a_supporter_named_as_a_counsellor_in_verkennen(plan_session, dispatcher, domain):
    slots = {"phase": "verkennen", "requested_slot": "family_here", "life_here": "azc"}
    tracker = _form_turn(
        plan_session,
        "verkennen_form",
        text="een begeleider",
        slots=slots,
        filled={"family_here": "een begeleider"},
        asked="family_here",
    )
    slots_out = _slots(await ValidateVerkennenForm().run(dispatcher, tracker, domain))
    assert slots_out["family_here"] == "een begeleider" and slots_out["requested_slot"] == OFFER_SLOT
    assert read_plan(plan_session)["sections"]["support"]["supporters"]
