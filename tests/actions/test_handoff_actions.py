"""action_handoff and action_handle_fallback: the route to a person."""

from __future__ import annotations

import pytest
from rasa_sdk.events import ActionExecuted, ActiveLoop, ConversationPaused, SlotSet, UserUtteranceReverted

from actions.handoff import ActionHandleFallback, ActionHandoff, fallback_streak
from action_helpers import make_tracker, responses

PAUSE = [
    SlotSet("requested_slot", None),
    ActiveLoop(None),
    ConversationPaused(),
    ActionExecuted("action_listen"),
]


@pytest.mark.parametrize(
    "intent, safety, reason, response",
    [
        (
            "safety_crisis",
            {"category": "crisis", "handoff_reason": "crisis"},
            "crisis",
            "utter_handoff_crisis",
        ),
        (
            "express_emotion",
            {"category": "emotion", "handoff_reason": "emotion"},
            "emotion",
            "utter_handoff_emotion",
        ),
        (
            "request_human",
            {"category": "request", "handoff_reason": "request"},
            "request",
            "utter_handoff_request",
        ),
        (
            "safety_uncertain",
            {"category": "uncertain", "handoff_reason": "uncertain"},
            "uncertain",
            "utter_handoff_uncertain",
        ),
        # DIET alone (detector saw nothing): the intent still decides
        ("request_human", {"category": "none", "handoff_reason": None}, "request", "utter_handoff_request"),
        ("safety_crisis", None, "crisis", "utter_handoff_crisis"),
    ],
    ids=["crisis", "emotion", "request", "uncertain", "intent-only-request", "no-safety-key"],
)
async def test_handoff_utters_the_route_sets_the_reason_and_pauses(
    dispatcher, domain, intent, safety, reason, response
):
    tracker = make_tracker(text="...", intent=intent, safety=safety, active_loop="verkennen_form")
    events = await ActionHandoff().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == [response]
    assert events == [SlotSet("handoff_reason", reason)] + PAUSE


async def test_detector_reason_wins_over_the_intent(dispatcher, domain):
    # DIET said request_human, the detector saw a crisis: the crisis route goes out.
    tracker = make_tracker(
        text="ik wil dood, haal iemand",
        intent="request_human",
        safety={"category": "crisis", "handoff_reason": "crisis"},
    )
    events = await ActionHandoff().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_handoff_crisis"]
    assert SlotSet("handoff_reason", "crisis") in events


def test_crisis_text_has_every_number_of_the_crisis_route(domain):
    text = " ".join(v["text"] for v in domain["responses"]["utter_handoff_crisis"])
    for needed in ("112", "0800-0113", "113.nl", "begeleider", "computer"):
        assert needed in text


def _user(intent):
    return {"event": "user", "text": "xx", "parse_data": {"intent": {"name": intent}}}


def _action(name):
    return {"event": "action", "name": name}


def test_fallback_streak_counts_only_turns_that_ended_in_the_fallback_action():
    first = [_action("action_listen"), _user("nlu_fallback")]
    assert fallback_streak(make_tracker(events=first)) == 0
    second = first + [_action("action_handle_fallback"), _action("action_listen"), _user("nlu_fallback")]
    assert fallback_streak(make_tracker(events=second)) == 1
    # an understood turn in between breaks the streak
    broken = second[:3] + [
        _action("action_listen"),
        _user("inform"),
        _action("verkennen_form"),
        _action("action_listen"),
        _user("nlu_fallback"),
    ]
    assert fallback_streak(make_tracker(events=broken)) == 0


async def test_one_fallback_asks_kindly_to_rephrase(dispatcher, domain):
    tracker = make_tracker(
        text="blrp", intent="nlu_fallback", events=[_action("action_listen"), _user("nlu_fallback")]
    )
    events = await ActionHandleFallback().run(dispatcher, tracker, domain)
    # reverted: the next answer is read where the dialogue stood ("Klopt dat?" still waits)
    assert events == [UserUtteranceReverted()]
    assert responses(dispatcher) == ["utter_fallback_rephrase"]
    buttons = domain["responses"]["utter_fallback_rephrase"][0]["buttons"]
    assert {"/request_human", "/dont_know"} == {b["payload"] for b in buttons}


async def test_second_fallback_in_a_row_hands_over_as_uncertain(dispatcher, domain):
    events_so_far = [
        _action("action_listen"),
        _user("nlu_fallback"),
        _action("action_handle_fallback"),
        _action("action_listen"),
        _user("nlu_fallback"),
    ]
    tracker = make_tracker(text="qqq", intent="nlu_fallback", events=events_so_far)
    events = await ActionHandleFallback().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_handoff_uncertain"]
    assert events == [SlotSet("handoff_reason", "uncertain")] + PAUSE


async def test_a_reverted_fallback_still_counts_for_the_second_one(dispatcher, domain):
    # What the tracker holds after the first fallback reverted its message (the
    # core fallback after "Klopt dat?", then another message nobody understood).
    events_so_far = [
        _action("action_summarize_verkennen"),
        _action("action_listen"),
        _user("inform"),
        _action("action_handle_fallback"),
        {"event": "rewind"},
        _action("action_listen"),
        _user("inform"),
    ]
    tracker = make_tracker(text="zzz", intent="inform", events=events_so_far)
    events = await ActionHandleFallback().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_handoff_uncertain"]
    assert SlotSet("handoff_reason", "uncertain") in events and ConversationPaused() in events


async def test_an_understood_turn_between_two_fallbacks_resets_the_count(dispatcher, domain):
    events_so_far = [
        _action("action_listen"),
        _user("nlu_fallback"),
        _action("action_handle_fallback"),
        {"event": "rewind"},
        _action("action_listen"),
        _user("affirm"),
        _action("utter_ask_continue_kiezen"),
        _action("action_listen"),
        _user("nlu_fallback"),
    ]
    tracker = make_tracker(text="qqq", intent="nlu_fallback", events=events_so_far)
    assert await ActionHandleFallback().run(dispatcher, tracker, domain) == [UserUtteranceReverted()]
    assert responses(dispatcher) == ["utter_fallback_rephrase"]


def test_the_core_fallback_is_the_counting_fallback_action():
    """config.yml: Rasa's own default fallback would say 'ik begrijp u niet' forever."""
    import yaml
    from pathlib import Path

    config = yaml.safe_load((Path(__file__).resolve().parents[2] / "config.yml").read_text())
    rule_policy = next(p for p in config["policies"] if p["name"] == "RulePolicy")
    assert rule_policy["core_fallback_action_name"] == "action_handle_fallback"
