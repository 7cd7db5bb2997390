"""Helpers for action tests: fresh trackers and reading the plan back."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.db.engine import session_scope


def read_plan(session_id: str) -> Dict[str, Any]:
    from bot.plan.service import get_plan

    with session_scope() as db:
        return get_plan(db, session_id)


def make_tracker(
    sender_id: str = "s-test",
    *,
    text: str = "",
    intent: Optional[str] = "inform",
    confidence: float = 0.9,
    slots: Optional[Dict[str, Any]] = None,
    entities: Optional[List[Dict[str, Any]]] = None,
    message_id: Optional[str] = "m-0123456789abcdef",
    safety: Optional[Dict[str, Any]] = None,
    events: Optional[List[Dict[str, Any]]] = None,
    active_loop: Optional[str] = None,
) -> Tracker:
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "entities": entities or [],
        "message_id": message_id,
        "metadata": {"message_id": message_id} if message_id else {},
    }
    if safety is not None:
        latest["safety"] = safety
    return Tracker(
        sender_id,
        {"phase": "verkennen", **(slots or {})},
        latest,
        events or [],
        False,
        None,
        {"name": active_loop} if active_loop else {},
        "action_listen",
    )


def responses(dispatcher: CollectingDispatcher) -> List[Optional[str]]:
    return [m.get("response") for m in dispatcher.messages]
