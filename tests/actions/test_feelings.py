"""A feeling is named and a person offered; the fallback never says "not understood" to it."""

from __future__ import annotations

import asyncio
import importlib.util
from pathlib import Path

import pytest

from action_helpers import make_tracker, responses
from bot.safety import policy

_spec = importlib.util.spec_from_file_location(
    "distress_sentences", Path(__file__).resolve().parents[1] / "safety/test_distress_never_misunderstood.py"
)
_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_module)
SENTENCES = _module.SENTENCES


def _reading(text):
    return policy.assess(text, second_opinion=lambda t: policy.NO_OPINION)


@pytest.mark.parametrize("text", SENTENCES[:80])
def test_the_fallback_never_says_it_did_not_understand_distress(text, dispatcher, domain):
    from actions.handoff import ActionHandleFallback

    reading = _reading(text)
    tracker = make_tracker(text=text, intent="nlu_fallback", confidence=0.3, safety=reading)
    asyncio.run(ActionHandleFallback().run(dispatcher, tracker, domain))
    said = responses(dispatcher)
    assert "utter_fallback_rephrase" not in said and "utter_default" not in said, (text, reading, said)
    if reading["action"] == policy.OFFER_PERSON:
        assert said[0].startswith("utter_empathy_") and "utter_offer_person" in said
    else:
        assert said == [f"utter_handoff_{reading['handoff_reason']}"], (text, said)


def test_an_ordinary_misunderstood_turn_still_asks_to_rephrase(dispatcher, domain):
    from actions.handoff import ActionHandleFallback

    tracker = make_tracker(
        text="blauw raam fiets", intent="nlu_fallback", confidence=0.3, safety=_reading("blauw raam fiets")
    )
    asyncio.run(ActionHandleFallback().run(dispatcher, tracker, domain))
    assert responses(dispatcher) == ["utter_fallback_rephrase"]


@pytest.mark.parametrize("kind", sorted(policy.FEELING_KINDS))
def test_every_feeling_kind_has_its_line_in_the_domain(kind, domain):
    assert f"utter_empathy_{kind}" in domain["responses"]


def test_acknowledge_names_the_feeling_offers_a_person_and_goes_back_to_the_form(dispatcher, domain):
    from actions.feelings import ActionAcknowledgeFeeling

    reading = {
        "category": "none",
        "flag": "depression",
        "tier": 1,
        "action": "offer_person",
        "kind": "crying",
    }
    tracker = make_tracker(
        text="ik moet veel huilen", intent="share_feeling", safety=reading, active_loop="verkennen_form"
    )
    events = asyncio.run(ActionAcknowledgeFeeling().run(dispatcher, tracker, domain))
    assert responses(dispatcher) == ["utter_empathy_crying", "utter_offer_person"]
    offer = domain["responses"]["utter_offer_person"][0]
    assert any(b["payload"] == "/request_human" for b in offer["buttons"])
    assert {"event": "active_loop", "name": "verkennen_form"} in [
        {k: e.get(k) for k in ("event", "name")} for e in events
    ]


def test_a_half_heard_request_is_handed_over_and_half_heard_distress_offered_a_person(dispatcher, domain):
    from actions.handoff import ActionHandleFallback

    request = {"category": "none", "tier": 0, "action": "continue", "doubt": "request"}
    asyncio.run(
        ActionHandleFallback().run(
            dispatcher, make_tracker(text="x", intent="nlu_fallback", safety=request), domain
        )
    )
    assert responses(dispatcher) == ["utter_handoff_request"]
    dispatcher.messages.clear()
    crisis = {"category": "none", "tier": 0, "action": "continue", "doubt": "crisis"}
    asyncio.run(
        ActionHandleFallback().run(
            dispatcher, make_tracker(text="x", intent="nlu_fallback", safety=crisis), domain
        )
    )
    assert responses(dispatcher) == ["utter_empathy_general", "utter_offer_person"]
