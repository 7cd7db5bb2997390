"""Issue 13: what the client said is given back as what it is (P3 Ibrahim, P4 Rosa).

"Weet ik niet. Ik ken daar niemand." is not knowing plus its reason, not an answer; a worry
the NLU took for pushback is a worry; "een vrouw van de kerk" is not "uw vrouw"; insuline
the client uses is no hope of hers. The form validators through the same code the kiosk runs.
"""

from __future__ import annotations

from actions.forms import ValidateVerkennenForm
from action_helpers import make_tracker, read_plan, responses
from bot.conversation.questions import UNKNOWN

MID = "m-00000000000000c3"


def _texts(dispatcher, domain_responses):
    out = []
    for message in dispatcher.messages:
        variants = domain_responses.get(message.get("response")) or []
        params = {k: v for k, v in message.items() if k not in ("response", "template")}
        out += [v["text"].format(**params) for v in variants if "text" in v]
    return out


async def test_not_knowing_with_its_reason_is_recorded_as_not_knowing_and_given_back(
    plan_session, dispatcher, domain
):
    text = "Weet ik niet. Ik ken daar niemand."
    tracker = make_tracker(
        plan_session,
        text=text,
        intent="dont_know",
        confidence=0.94,
        message_id=MID,
        slots={"requested_slot": "origin_future"},
    )
    result = await ValidateVerkennenForm().validate_origin_future(text, dispatcher, tracker, domain)
    assert result["origin_future"] == UNKNOWN
    assert responses(dispatcher)[:2] == ["utter_ack_dont_know", "utter_reflect_dont_know_because"]
    assert dispatcher.messages[1]["words"] == "u kent daar niemand"
    assert "utter_reflect_origin_future" not in responses(dispatcher)  # no "weet u niet. U kent …"


async def test_not_knowing_beside_an_answer_stays_an_answer(plan_session, dispatcher, domain):
    text = "weet niet, een winkel misschien"
    tracker = make_tracker(
        plan_session,
        text=text,
        intent="dont_know",
        confidence=0.9,
        message_id=MID,
        slots={"requested_slot": "origin_future"},
    )
    result = await ValidateVerkennenForm().validate_origin_future(text, dispatcher, tracker, domain)
    assert result["origin_future"] not in (UNKNOWN, None)
    assert "utter_ack_dont_know" not in responses(dispatcher)


async def test_a_worry_the_nlu_took_for_pushback_is_reflected_as_a_worry(plan_session, dispatcher, domain):
    text = "Dat ik terug moet naar een land dat ik niet ken."
    tracker = make_tracker(
        plan_session,
        text=text,
        intent="push_back",
        confidence=0.94,
        message_id=MID,
        slots={"requested_slot": "worries"},
    )
    result = await ValidateVerkennenForm().validate_worries(text, dispatcher, tracker, domain)
    said = responses(dispatcher)
    assert "utter_reflect_push_back" not in said and "utter_ask_skip_offer" not in said
    assert said[0] == "utter_reflect_worries"
    assert dispatcher.messages[0]["words"] == "dat u terug moet naar een land dat u niet kent"
    assert result["worries"]


async def test_pushback_on_the_worry_question_is_still_pushback(plan_session, dispatcher, domain):
    text = "waarom steeds deze vragen over terug"
    tracker = make_tracker(
        plan_session,
        text=text,
        intent="push_back",
        confidence=0.94,
        message_id=MID,
        slots={"requested_slot": "worries"},
    )
    await ValidateVerkennenForm().validate_worries(text, dispatcher, tracker, domain)
    assert responses(dispatcher)[0].startswith("utter_reflect_push_back")


async def test_a_woman_of_the_church_is_not_the_clients_wife(plan_session, dispatcher, domain):
    text = "Een vrouw van de kerk komt soms bij mij."
    tracker = make_tracker(plan_session, text=text, message_id=MID, slots={"requested_slot": "family_here"})
    await ValidateVerkennenForm().validate_family_here(text, dispatcher, tracker, domain)
    said = " ".join(_texts(dispatcher, domain["responses"]))
    assert "uw vrouw" not in said.lower()
    assert "een vrouw van de kerk" in said.lower()
    assert "kerk" in str(read_plan(plan_session)["sections"]["support"])


async def test_insuline_she_uses_is_no_hope(plan_session, dispatcher, domain):
    text = "Insuline, twee keer per dag."
    tracker = make_tracker(
        plan_session, text=text, message_id=MID, slots={"requested_slot": "medication_names"}
    )
    await ValidateVerkennenForm().validate_medication_names(text, dispatcher, tracker, domain)
    said = _texts(dispatcher, domain["responses"])
    assert not any("hoopt" in t for t in said)
    assert "Dat u insuline blijft krijgen, is belangrijk voor u." in said
