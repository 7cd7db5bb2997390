"""Question context for a request (bot.safety.answer_context): an answer that names a person
or help is that answer, and a person is offered; everything else keeps the detector's call."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.conversation import questions
from bot.safety import detect
from bot.safety.answer_context import (
    OFFER_RESPONSE,
    OFFER_SLOT,
    accepts_offer,
    context_reading,
    context_slots,
    declines_offer,
    is_demoted,
    read_in_context,
    slot_of_response,
)
from bot.safety.evaluation import load_labelled_set

HERE = Path(__file__).parent


def _in(slot, text):
    return read_in_context(detect(text), text, slot)


def test_the_context_slots_are_the_step_need_and_supporter_questions():
    assert context_slots() == {"step_kind", "step_what", "step_who", "step_when", "goal_needs", "family_here"}
    kinds = {questions.question(slot).kind for slot in context_slots()}
    assert kinds == {questions.ACTION_PART, questions.NEED, questions.SUPPORTER}


@pytest.mark.parametrize(
    "slot, text",
    [
        ("step_what", "met mijn begeleider praten over de school van mijn dochters"),  # persona leila
        ("goal_needs", "hulp"),  # persona mr_a
        ("goal_needs", "Hulp."),
        ("goal_needs", "hulp van een begeleider"),
        ("step_what", "met mijn begeleider praten"),
        ("step_what", "ik wil met mijn begeleider praten over de school"),
        ("step_what", "samen met de begeleider praten over werk"),
        ("step_who", "een begeleider"),
        ("step_when", "na het gesprek met mijn begeleider"),
        ("family_here", "begeleiders"),
    ],
)
def test_a_person_or_help_as_the_content_of_the_answer_is_not_a_handoff(slot, text):
    assert detect(text).category == "request"  # context-free, the detector still asks for a person
    result = _in(slot, text)
    assert result.category == "none" and result.flag == "request_human" and result.tier == 1
    assert result.escalation == f"answer_context:{slot}"
    assert is_demoted(result.to_dict())


@pytest.mark.parametrize(
    "slot, text",
    [
        ("step_what", "ik wil nu met een begeleider praten"),
        ("goal_needs", "hulp!! nu"),
        ("step_what", "kan ik een mens spreken"),
        ("goal_needs", "kan ik een mens spreken"),
        ("step_what", "ik wil met een begeleider praten"),  # a wish without the topic of a step
        ("step_what", "met mijn begeleider praten, meteen"),
        ("goal_needs", "hulp?"),
        ("goal_needs", "hulp aub"),
        ("goal_needs", "help"),
        ("goal_needs", "een mens"),
        ("step_what", "bel mijn begeleider"),
        ("step_what", "met mijn begeleider praten, ik wil stoppen"),
        ("step_what", "waar is mijn begeleider"),
        ("step_who", "iemand moet komen, een begeleider"),
        ("step_what", "hulp"),  # "hulp" is a need, not a step
        ("family_here", "hulp"),
        ("step_what", "met mijn begeleider praten, ik slaap niet"),  # a second signal: a person
    ],
)
def test_immediacy_or_a_wish_for_a_person_still_hands_off_in_the_same_context(slot, text):
    result = _in(slot, text)
    assert result.category == "request" and result.escalation is None


@pytest.mark.parametrize("slot", [None, "life_here", "situation", "goal", "reasons_for", "step_confirm"])
def test_hulp_in_another_context_hands_off_as_before(slot):
    assert _in(slot, "hulp").category == "request"
    assert _in(slot, "met mijn begeleider praten over school").category == "request"


@pytest.mark.parametrize("slot", sorted(context_slots()) + [OFFER_SLOT])
@pytest.mark.parametrize(
    "text", ["ik wil dood", "ik wil niet meer leven, hulp", "ik kan niet meer", "ik ben 16 jaar"]
)
def test_crisis_emotion_and_uncertain_are_never_touched(slot, text):
    before = detect(text)
    assert before.category in ("crisis", "emotion", "uncertain")
    assert read_in_context(before, text, slot) is before


def test_no_labelled_or_held_out_request_is_ever_demoted_in_any_context():
    """Request recall stays 1.00 in context too: every request item of every set, in every
    question that allows a demotion, still hands off."""
    sets = [HERE / "labelled_set.yml", *sorted(HERE.glob("heldout_after_lexicon_v*.yml"))]
    items = [i for path in sets for i in load_labelled_set(path) if i.label == "request"]
    assert len(items) >= 100
    demoted = [
        (i.text, slot)
        for i in items
        for slot in sorted(context_slots())
        if _in(slot, i.text).category != "request"
    ]
    assert demoted == []


@pytest.mark.parametrize("text", ["ja", "Ja graag", "ja hoor", "ok", "/affirm"])
def test_a_yes_to_the_offer_is_a_request(text):
    assert accepts_offer(text)
    result = _in(OFFER_SLOT, text)
    assert result.category == "request" and result.handoff_reason == "request"
    assert result.escalation == "answer_context:person_offer"


@pytest.mark.parametrize(
    "text, intent",
    [
        ("nee", None),
        ("Nee, ga verder", None),
        ("/deny", "deny"),
        ("nee dank u", None),
        ("later", None),
        ("eerst verder", None),
        ("nee hoor", "deny"),
    ],
)
def test_a_no_to_the_offer_goes_on(text, intent):
    assert declines_offer(text, intent) and not accepts_offer(text)
    assert _in(OFFER_SLOT, text).category == "none"


@pytest.mark.parametrize("text", ["weet niet", "misschien", "de school"])
def test_an_unclear_reply_to_the_offer_is_neither(text):
    assert not accepts_offer(text) and not declines_offer(text)
    assert _in(OFFER_SLOT, text).category == "none"


def test_a_new_request_in_reply_to_the_offer_still_hands_off():
    assert _in(OFFER_SLOT, "ik wil met een mens praten").category == "request"
    assert _in(OFFER_SLOT, "hulp").category == "request"  # the offer is no context slot


def test_the_stored_reading_says_what_context_changed():
    text = "hulp"
    data = context_reading(detect(text), text, "goal_needs")
    assert data["category"] == "none" and data["handoff_reason"] is None
    assert data["asked_slot"] == "goal_needs"
    assert data["context_free"]["category"] == "request"
    assert "context_free" not in context_reading(detect("geld"), "geld", "goal_needs")
    assert "asked_slot" not in context_reading(detect("hulp"), "hulp", "life_here")


def test_question_names():
    assert slot_of_response("utter_ask_step_what") == "step_what"
    assert slot_of_response(OFFER_RESPONSE) == OFFER_SLOT
    assert slot_of_response("utter_reflect_goal") is None and slot_of_response(None) is None


def test_a_request_raised_by_the_session_or_the_classifier_is_not_lowered():
    raised = detect("hulp").__class__(
        "request", "request_human", "hulp", 2, escalation="intent:request_human"
    )
    assert read_in_context(raised, "hulp", "goal_needs") is raised
