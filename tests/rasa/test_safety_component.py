"""The safety NLU component: overrides the intent for a hand-off, always reports."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from rasa_plugins.safety_classifier import SafetyClassifier, apply_safety


def _message(text, intent="inform", confidence=0.8):
    message = Message(data={"text": text})
    message.set("intent", {"name": intent, "confidence": confidence}, add_to_output=True)
    message.set("intent_ranking", [{"name": intent, "confidence": confidence}], add_to_output=True)
    return message


@pytest.mark.parametrize(
    "text, intent",
    [
        ("ik wil niet meer leven", "safety_crisis"),
        ("I want to die", "safety_crisis"),
        ("ik wil met een mens praten", "request_human"),
    ],
    ids=["nl-crisis", "en-crisis", "request"],
)
def test_detector_hand_off_overrides_the_intent(text, intent):
    message = _message(text, intent="inform", confidence=0.95)
    SafetyClassifier({}).process([message])
    assert message.get("intent") == {"name": intent, "confidence": 1.0}
    assert message.get("intent_ranking")[0]["name"] == intent
    safety = message.get("safety")
    assert safety["category"] != "none" and safety["nlu_intent"] == "inform"
    assert {"intent", "safety"} <= set(message.as_dict(only_output_properties=True))


def test_crisis_wins_over_a_fallback():
    message = _message("ik wil dood", intent="nlu_fallback", confidence=0.5)
    SafetyClassifier({}).process([message])
    assert message.get("intent")["name"] == "safety_crisis"


def test_ordinary_answer_keeps_its_intent_and_still_gets_a_safety_report():
    message = _message("ik woon met mijn broer in het azc")
    SafetyClassifier({}).process([message])
    assert message.get("intent") == {"name": "inform", "confidence": 0.8}
    assert message.get("safety")["category"] == "none"
    assert "safety" in message.as_dict(only_output_properties=True)


def test_harmless_use_of_an_alarming_word_is_not_a_crisis():
    message = _message("ik ben doodmoe van het wachten")
    SafetyClassifier({}).process([message])
    assert message.get("intent")["name"] == "inform"


@pytest.mark.parametrize("text", ["mijn telefoon is dood", "ik wil een opleiding doen", "Ik ben 34 jaar."])
def test_an_unconfirmed_safety_intent_is_demoted_to_a_sure_ordinary_intent(text):
    message = Message(data={"text": text})
    message.set("intent", {"name": "safety_crisis", "confidence": 0.3}, add_to_output=True)
    message.set(
        "intent_ranking",
        [
            {"name": "safety_crisis", "confidence": 0.3},
            {"name": "request_human", "confidence": 0.1},
            {"name": "dont_know", "confidence": 0.55},
            {"name": "inform", "confidence": 0.05},
        ],
        add_to_output=True,
    )
    SafetyClassifier({}).process([message])
    assert message.get("intent") == {"name": "dont_know", "confidence": 0.55}
    assert "request_human" not in [r["name"] for r in message.get("intent_ranking")]
    safety = message.get("safety")
    assert safety["category"] == "none" and safety["nlu_intent"] == "safety_crisis"


def test_an_unsure_second_guess_becomes_an_answer_not_a_detour():
    message = Message(data={"text": "Ik wil niet dat mijn kinderen opgroeien zonder toekomst"})
    message.set("intent", {"name": "express_emotion", "confidence": 0.97}, add_to_output=True)
    message.set(
        "intent_ranking",
        [{"name": "express_emotion", "confidence": 0.97}, {"name": "ask_recorded", "confidence": 0.01}],
        add_to_output=True,
    )
    SafetyClassifier({}).process([message])
    assert message.get("intent")["name"] == "inform"
    assert message.get("safety")["category"] == "none"


def test_a_demoted_intent_with_nothing_else_becomes_an_answer():
    message = _message("hmm", intent="express_emotion", confidence=0.9)
    SafetyClassifier({}).process([message])
    assert message.get("intent")["name"] == "inform"
    assert message.get("safety")["flag"] == "classifier_emotion"


def test_a_broken_detector_is_reported_and_errs_toward_a_person():
    def broken(text, intent, confidence, asked_slot):
        raise RuntimeError("lexicon missing")

    message = _message("ik woon in het azc")
    payload = apply_safety(message, assess=broken)
    assert payload["error"] == "detector_failed"
    # Nobody could read the message: a person does, never "ik begrijp het niet".
    assert payload["category"] == "uncertain" and payload["action"] == "hand_over"
    assert message.get("intent")["name"] == "safety_uncertain"


# --- question context (bot.safety.answer_context; the API sends metadata.asked_slot) ---------


def _answer(text, asked_slot, intent="request_human", confidence=0.98):
    message = Message(data={"text": text, "metadata": {"message_id": "m-1", "asked_slot": asked_slot}})
    message.set("intent", {"name": intent, "confidence": confidence}, add_to_output=True)
    message.set(
        "intent_ranking",
        [{"name": intent, "confidence": confidence}, {"name": "go_back", "confidence": 0.01}],
        add_to_output=True,
    )
    return message


@pytest.mark.parametrize(
    "text, slot",
    [
        ("met mijn begeleider praten over de school van mijn dochters", "step_what"),
        ("hulp", "goal_needs"),
    ],
)
def test_a_request_that_answers_the_question_goes_to_the_form_as_an_answer(text, slot):
    message = _answer(text, slot)
    SafetyClassifier({}).process([message])
    assert message.get("intent") == {"name": "inform", "confidence": 1.0}
    assert "request_human" not in [r["name"] for r in message.get("intent_ranking")]
    safety = message.get("safety")
    assert safety["category"] == "none" and safety["flag"] == "request_human"
    assert safety["escalation"] == f"answer_context:{slot}" and safety["asked_slot"] == slot
    assert safety["context_free"]["category"] == "request" and safety["nlu_intent"] == "request_human"


@pytest.mark.parametrize(
    "text, slot",
    [
        ("ik wil nu met een begeleider praten", "step_what"),
        ("hulp!! nu", "goal_needs"),
        ("kan ik een mens spreken", "goal_needs"),
        ("hulp", "life_here"),
        ("hulp", None),
    ],
)
def test_a_request_with_immediacy_or_in_another_question_still_hands_off(text, slot):
    message = _answer(text, slot, intent="inform", confidence=0.6)
    SafetyClassifier({}).process([message])
    assert message.get("intent") == {"name": "request_human", "confidence": 1.0}
    assert message.get("safety")["category"] == "request"


def test_yes_to_the_offer_of_a_person_is_a_request():
    message = _answer("ja", "person_offer", intent="affirm", confidence=0.99)
    SafetyClassifier({}).process([message])
    assert message.get("intent") == {"name": "request_human", "confidence": 1.0}
    assert message.get("safety")["handoff_reason"] == "request"


def test_no_to_the_offer_keeps_its_intent():
    message = _answer("nee", "person_offer", intent="deny", confidence=0.99)
    SafetyClassifier({}).process([message])
    assert message.get("intent")["name"] == "deny"
    assert message.get("safety")["category"] == "none"


# --- the same words typed again (the API sends metadata.repeated_answer) ------------------


def _repeat(text, intent, repeated=True, asked_slot="goal_needs"):
    metadata = {"message_id": "m-2", "asked_slot": asked_slot}
    if repeated:
        metadata["repeated_answer"] = True
    message = Message(data={"text": text, "metadata": metadata})
    message.set("intent", {"name": intent, "confidence": 0.9}, add_to_output=True)
    message.set("intent_ranking", [{"name": intent, "confidence": 0.9}], add_to_output=True)
    return message


def test_an_answer_taken_for_a_privacy_question_is_an_answer_when_typed_again():
    # "een computer" to "what do you need?" was read as "are you a computer?": the bot answered
    # that and asked again; the same words again are the answer (no endless loop).
    message = _repeat("tijd en een computer", "ask_privacy")
    payload = apply_safety(message)
    assert message.get("intent")["name"] == "inform"
    assert payload["repeated_answer"] is True and payload["nlu_intent"] == "ask_privacy"


@pytest.mark.parametrize("intent", ["ask_privacy", "ask_recorded", "thank"])
def test_the_first_time_a_control_is_a_control(intent):
    message = _repeat("tijd en een computer", intent, repeated=False)
    apply_safety(message)
    assert message.get("intent")["name"] == intent


@pytest.mark.parametrize("intent", ["go_back", "correct_answer", "edit_step"])
def test_controls_that_move_to_another_question_may_be_repeated(intent):
    message = _repeat("vorige vraag", intent)
    apply_safety(message)
    assert message.get("intent")["name"] == intent


def test_a_repeat_without_an_open_question_stays_a_control():
    message = Message(data={"text": "wie leest dit", "metadata": {"repeated_answer": True}})
    message.set("intent", {"name": "ask_privacy", "confidence": 0.9}, add_to_output=True)
    apply_safety(message)
    assert message.get("intent")["name"] == "ask_privacy"


def test_a_repeated_crisis_is_still_a_crisis():
    message = _repeat("ik wil niet meer leven", "ask_privacy")
    apply_safety(message)
    assert message.get("intent")["name"] == "safety_crisis"
