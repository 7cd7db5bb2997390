"""Hand the conversation to a person, and the fallback that leads there.

``action_handoff`` utters the route for the reason (crisis: docs/specs/safety.md §2.1;
otherwise a warm "a person is coming"), sets ``handoff_reason``, stops any form
and pauses the conversation. The API sees ``paused`` and ``handoff_reason`` in
the channel's answer and records the hand-off.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import (
    ActionExecuted,
    ActiveLoop,
    ConversationPaused,
    EventType,
    SlotSet,
    UserUtteranceReverted,
)
from rasa_sdk.executor import CollectingDispatcher

from actions import tracker_info
from actions.feelings import acknowledge
from bot.safety import policy

HANDOFF_RESPONSES = {
    "crisis": "utter_handoff_crisis",
    "emotion": "utter_handoff_emotion",
    "request": "utter_handoff_request",
    "uncertain": "utter_handoff_uncertain",
}


def handoff_events(dispatcher: CollectingDispatcher, reason: str) -> List[EventType]:
    dispatcher.utter_message(response=HANDOFF_RESPONSES[reason])
    return [
        SlotSet("handoff_reason", reason),
        SlotSet("requested_slot", None),
        ActiveLoop(None),  # stop the topic; resume picks the next open question
        ConversationPaused(),
        # A paused Rasa never runs action_listen itself; without it the rule for
        # /resume_conversation (which follows action_listen) would not match after
        # the hand-back, and the core fallback would rewind to the old message.
        ActionExecuted("action_listen"),
    ]


class ActionHandoff(Action):
    def name(self) -> Text:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        return handoff_events(dispatcher, tracker_info.handoff_reason(tracker))


def fallback_streak(tracker: Tracker) -> int:
    """How many client turns in a row ended in ``action_handle_fallback`` before this one."""
    return tracker_info.turns_in_a_row_answered_by(tracker, "action_handle_fallback")


class ActionHandleFallback(Action):
    """One misunderstood turn: ask kindly to say it differently. Two in a row: a person.

    Serves both the NLU fallback (rule) and the core fallback (config.yml). The
    first time the message is reverted, so the dialogue stands where it stood and
    the client's next answer is read in that place ("Klopt dat?" still expects a
    yes or no); the tracker keeps the reverted message, so the streak still counts it.
    """

    def name(self) -> Text:
        return "action_handle_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        reading = tracker_info.safety(tracker)
        if reading.get("action") in (policy.CRISIS, policy.HAND_OVER) and reading.get("handoff_reason"):
            # The policy called for a person (the rules normally route there before any fallback).
            return handoff_events(dispatcher, str(reading["handoff_reason"]))
        if reading.get("action") == policy.OFFER_PERSON and policy.empathy_response(reading):
            # A feeling is never "not understood" (bot/safety/policy.py): name it, offer a person.
            acknowledge(dispatcher, reading)
            return [UserUtteranceReverted()]
        unsure = policy.when_not_understood(reading)
        if unsure == policy.HAND_OVER:
            return handoff_events(dispatcher, "request")  # a wish for a person, half-heard
        if unsure == policy.OFFER_PERSON:
            # Distress half-heard: not "ik begrijp het niet", but a person offered.
            acknowledge(dispatcher, {**reading, "action": policy.OFFER_PERSON, "kind": policy.GENERAL_KIND})
            return [UserUtteranceReverted()]
        if fallback_streak(tracker) >= 1:
            return handoff_events(dispatcher, "uncertain")
        dispatcher.utter_message(response="utter_fallback_rephrase")
        return [UserUtteranceReverted()]
