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


@pytest.mark.parametrize("text, intent", [
    ("ik wil niet meer leven", "safety_crisis"),
    ("I want to die", "safety_crisis"),
    ("ik wil met een mens praten", "request_human"),
], ids=["nl-crisis", "en-crisis", "request"])
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
    message.set("intent_ranking", [{"name": "safety_crisis", "confidence": 0.3},
                                   {"name": "request_human", "confidence": 0.1},
                                   {"name": "dont_know", "confidence": 0.55},
                                   {"name": "inform", "confidence": 0.05}], add_to_output=True)
    SafetyClassifier({}).process([message])
    assert message.get("intent") == {"name": "dont_know", "confidence": 0.55}
    assert "request_human" not in [r["name"] for r in message.get("intent_ranking")]
    safety = message.get("safety")
    assert safety["category"] == "none" and safety["nlu_intent"] == "safety_crisis"


def test_an_unsure_second_guess_becomes_an_answer_not_a_detour():
    message = Message(data={"text": "Ik wil niet dat mijn kinderen opgroeien zonder toekomst"})
    message.set("intent", {"name": "express_emotion", "confidence": 0.97}, add_to_output=True)
    message.set("intent_ranking", [{"name": "express_emotion", "confidence": 0.97},
                                   {"name": "ask_recorded", "confidence": 0.01}], add_to_output=True)
    SafetyClassifier({}).process([message])
    assert message.get("intent")["name"] == "inform"
    assert message.get("safety")["category"] == "none"


def test_a_demoted_intent_with_nothing_else_becomes_an_answer():
    message = _message("hmm", intent="express_emotion", confidence=0.9)
    SafetyClassifier({}).process([message])
    assert message.get("intent")["name"] == "inform"
    assert message.get("safety")["flag"] == "classifier_emotion"


def test_a_broken_detector_is_reported_and_loses_nothing():
    def broken(text, intent, confidence):
        raise RuntimeError("lexicon missing")

    message = _message("ik woon in het azc")
    payload = apply_safety(message, detect=broken)
    assert payload["category"] == "none" and payload["error"] == "detector_failed"
    assert message.get("intent")["name"] == "inform"
