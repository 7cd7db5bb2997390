"""What the actions read from the tracker, in one place."""

from __future__ import annotations

from typing import Any, Dict, Optional

from rasa_sdk import Tracker

SAFETY_INTENTS = ("safety_crisis", "express_emotion", "request_human", "safety_uncertain")
INTENT_REASONS = {
    "safety_crisis": "crisis",
    "express_emotion": "emotion",
    "request_human": "request",
    "safety_uncertain": "uncertain",
    "nlu_fallback": "uncertain",
}
HANDOFF_REASONS = ("crisis", "emotion", "request", "uncertain")


def latest(tracker: Tracker) -> Dict[str, Any]:
    return tracker.latest_message or {}


def message_id(tracker: Tracker) -> Optional[str]:
    """The API's id of the client message being answered (metadata first)."""
    message = latest(tracker)
    metadata = message.get("metadata") or {}
    return metadata.get("message_id") or message.get("message_id")


def intent_name(tracker: Tracker) -> Optional[str]:
    return (latest(tracker).get("intent") or {}).get("name")


def confidence(tracker: Tracker) -> Optional[float]:
    value = (latest(tracker).get("intent") or {}).get("confidence")
    return float(value) if value is not None else None


def text(tracker: Tracker) -> str:
    return latest(tracker).get("text") or ""


def safety(tracker: Tracker) -> Dict[str, Any]:
    return latest(tracker).get("safety") or {}


def entity(tracker: Tracker, name: str) -> Optional[Any]:
    for found in latest(tracker).get("entities") or []:
        if found.get("entity") == name:
            return found.get("value")
    return None


def entities(tracker: Tracker, name: str) -> list:
    """Every value of entity ``name`` in the latest message, in order, without repeats."""
    values: list = []
    for found in latest(tracker).get("entities") or []:
        if found.get("entity") == name and found.get("value") not in values:
            values.append(found.get("value"))
    return values


def handoff_reason(tracker: Tracker) -> str:
    """Why the bot hands over now: the safety detector first, then the intent."""
    reason = safety(tracker).get("handoff_reason")
    if reason in HANDOFF_REASONS:
        return reason
    return INTENT_REASONS.get(intent_name(tracker) or "", "request")


def turns_in_a_row_answered_by(tracker: Tracker, action_name: str, *, only_by_it: bool = False) -> int:
    """How many client turns in a row, before the one being answered now, ran ``action_name``.

    ``only_by_it``: a turn that another action (not ``action_listen``) answered before
    ``action_name`` ran ends the streak too.
    """
    streak = 0
    user_turns = 0
    answered = False
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "action" and event.get("name") not in ("action_listen", None):
            if event.get("name") == action_name:
                answered = True
            elif only_by_it and user_turns >= 1 and not answered:
                break
        elif kind == "user":
            user_turns += 1
            if user_turns == 1:
                continue  # the message being answered now
            if not answered:
                break
            streak += 1
            answered = False
    return streak
