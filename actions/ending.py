"""The end of a talk, and what happens when the client writes after it.

A talk ends when the client does not want to start, declines to go on to the
next phase, or finishes the plan. ("Ik wil stoppen" in the middle is a wish for a
person, docs/specs/safety.md §1.5: the safety detector hands over with reason ``request``.)
The slot ``conversation_ended`` marks it, so the rules in
``data/rules/after_the_end.yml`` can answer a later message with a polite
closing and an offer (go on, a person, stop) instead of "ik begrijp u niet".
Two messages in a row after the end that do not pick an offer bring a person.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import tracker_info
from actions.handoff import handoff_events
from bot.conversation import phases

ENDED = "conversation_ended"


def ended_events() -> List[EventType]:
    """Stop any form (none should be active here) and mark the talk as ended."""
    return [SlotSet("requested_slot", None), ActiveLoop(None), SlotSet(ENDED, True)]


def after_end_streak(tracker: Tracker) -> int:
    """How many client turns in a row, before this one, got ``action_after_end`` (and nothing else)."""
    return tracker_info.turns_in_a_row_answered_by(tracker, "action_after_end", only_by_it=True)


class ActionEndConversation(Action):
    """Follows utter_no_start / utter_end_for_now: the talk has ended for now."""

    def name(self) -> Text:
        return "action_end_conversation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        return ended_events()


class ActionAfterEnd(Action):
    """A message after the end: a polite closing with an offer. The second one in a
    row that picks no offer brings a person (the bot cannot tell what is needed)."""

    def name(self) -> Text:
        return "action_after_end"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        if after_end_streak(tracker) >= 1:
            return handoff_events(dispatcher, "uncertain")
        dispatcher.utter_message(response="utter_after_end")
        return []


class ActionContinueTalk(Action):
    """The client wants to go on after the end: back to where the talk was.

    The phase's form opens again and asks only what is still open; a phase whose
    questions are all answered goes straight to its summary and "Klopt dat?",
    after which the usual rules ask permission for the next phase. A finished
    plan says so (the client can still look at it and change it).
    """

    def name(self) -> Text:
        return "action_continue_talk"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        form = phases.form_for_phase(tracker.get_slot("phase"))
        if form is None:
            dispatcher.utter_message(response="utter_resume_afgerond")
            return []
        dispatcher.utter_message(response="utter_continue_talk")
        return [SlotSet(ENDED, None), SlotSet("requested_slot", None), ActiveLoop(form)]
