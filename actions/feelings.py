"""A feeling, a loss, fear, pain or tears: name it, offer a pause or a person, go on.

The safety policy (``bot/safety/policy.py``) decides that a message carries a feeling
and which kind; the Rasa safety component turns that into the intent ``share_feeling``
when no open question can take the words as its answer. The bot then never says
"I don't understand" to it: it names the feeling in plain words (``utter_empathy_<kind>``),
offers a pause or a person (``utter_offer_person``, with the button for a person), and
asks the open question again.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import tracker_info
from bot.safety import policy

OFFER_RESPONSE = "utter_offer_person"


def acknowledge(dispatcher: CollectingDispatcher, reading: Dict[str, Any]) -> None:
    """The empathic line that fits the feeling, then the offer of a pause or a person."""
    dispatcher.utter_message(
        response=policy.empathy_response({**reading, "action": policy.OFFER_PERSON})
        or f"utter_empathy_{policy.GENERAL_KIND}"
    )
    dispatcher.utter_message(response=OFFER_RESPONSE)


class ActionAcknowledgeFeeling(Action):
    def name(self) -> Text:
        return "action_acknowledge_feeling"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        from actions.conversation import _reopen as reopen

        acknowledge(dispatcher, tracker_info.safety(tracker))
        # Before the talk began, a rule asks "Zullen we beginnen?" again (data/rules/conversation.yml).
        return reopen(tracker, tracker.active_loop_name)
