"""Write the client's answers into the persoonlijk actieplan, never losing one.

Each write runs in its own ``session_scope()``. If the database refuses, the
answer is kept in the slot ``unsaved_answers`` and ``plan_write_failed`` is set,
so the channel tells the API (which shows it to the counsellor); the next
action that writes retries the kept answers first, oldest first.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from actions import tracker_info

if TYPE_CHECKING:
    from bot.plan.service import MessageIds

logger = logging.getLogger(__name__)


def _message_ids(entry: Dict[str, Any]) -> MessageIds:
    """The message id(s) the entry was written from. An entry without one (a tracker with no
    message id) gets none: the plan service refuses it (PlanInvalid) and the entry stays unsaved."""
    return entry.get("message_id") or []


def _record_answer(session_id: str, entry: Dict[str, Any]) -> None:
    from bot.db.engine import session_scope
    from bot.plan.service import record_answer

    with session_scope() as db:
        record_answer(
            db,
            session_id,
            entry["path"],
            entry["value"],
            message_id=_message_ids(entry),
            confidence=entry.get("confidence"),
            status=entry.get("status", "answered"),
            note=entry.get("note"),
        )


def _add_action_item(session_id: str, entry: Dict[str, Any]) -> None:
    from bot.db.engine import session_scope
    from bot.plan.service import add_action_item

    with session_scope() as db:
        add_action_item(db, session_id, entry["item"], message_id=_message_ids(entry))


def _update_action_item(session_id: str, entry: Dict[str, Any]) -> None:
    from bot.db.engine import session_scope
    from bot.conversation.plan_edits import update_action_item

    with session_scope() as db:
        update_action_item(db, session_id, entry["item_id"], entry["changes"], message_id=_message_ids(entry))


def _set_section_status(session_id: str, entry: Dict[str, Any]) -> None:
    from bot.db.engine import session_scope
    from bot.conversation.plan_edits import set_section_status

    with session_scope() as db:
        set_section_status(db, session_id, entry["section"], entry["status"], message_id=_message_ids(entry))


def _remove_answer_items(session_id: str, entry: Dict[str, Any]) -> None:
    from bot.db.engine import session_scope
    from bot.conversation.plan_edits import replace_answer_items

    with session_scope() as db:
        replace_answer_items(db, session_id, entry["path"], entry["answer"], message_id=_message_ids(entry))


_WRITERS = {
    "answer": _record_answer,
    "action_item": _add_action_item,
    "action_update": _update_action_item,
    "section_status": _set_section_status,
    "remove_answer_items": _remove_answer_items,
}


class PlanWriter:
    """Collects the writes of one action run and the events that report on them."""

    def __init__(self, tracker: Tracker) -> None:
        self.session_id = tracker.sender_id
        self.message_id = tracker_info.message_id(tracker)
        self.confidence = tracker_info.confidence(tracker)
        self.unsaved: List[Dict[str, Any]] = list(tracker.get_slot("unsaved_answers") or [])
        self._was_failing = bool(tracker.get_slot("plan_write_failed"))
        self._touched = False
        self._retried = False

    def answer(
        self,
        path: str,
        value: Any,
        *,
        status: str = "answered",
        note: Optional[str] = None,
        message_ids: Optional[List[str]] = None,
    ) -> bool:
        """Write one answer. ``note``: the client's words beside it (the answer wrapper's note);
        ``message_ids``: every message the value comes from (a note heard over several turns),
        else the message being answered."""
        entry: Dict[str, Any] = {
            "kind": "answer",
            "path": path,
            "value": value,
            "status": status,
            "message_id": list(message_ids) if message_ids else self.message_id,
            "confidence": self.confidence,
        }
        if note:
            entry["note"] = note
        return self._write(entry)

    def action_item(self, item: Dict[str, Any]) -> bool:
        return self._write({"kind": "action_item", "item": item, "message_id": self.message_id})

    def action_update(self, item_id: str, changes: Dict[str, Any]) -> bool:
        """A step the client changed or removed (the item keeps its id)."""
        return self._write(
            {"kind": "action_update", "item_id": item_id, "changes": changes, "message_id": self.message_id}
        )

    def remove_answer_items(self, path: str, answer: str) -> bool:
        """The list items an earlier answer wrote at ``path`` go (the client corrected it)."""
        return self._write(
            {"kind": "remove_answer_items", "path": path, "answer": answer, "message_id": self.message_id}
        )

    def section_status(self, section: str, status: str) -> bool:
        return self._write(
            {"kind": "section_status", "section": section, "status": status, "message_id": self.message_id}
        )

    def _write(self, entry: Dict[str, Any]) -> bool:
        self._touched = True
        if not self._retried:
            self._retried = True
            self._retry_unsaved()
        if self.unsaved:  # keep the order: never write a newer answer before an older one
            self.unsaved.append(entry)
            return False
        return self._try(entry)

    def _try(self, entry: Dict[str, Any]) -> bool:
        try:
            _WRITERS[entry["kind"]](self.session_id, entry)
            return True
        except Exception:
            logger.exception(
                "Plan write failed for session %s (%s); answer kept in the tracker",
                self.session_id,
                entry.get("path") or entry["kind"],
            )
            self.unsaved.append(entry)
            return False

    def _retry_unsaved(self) -> None:
        waiting, self.unsaved = self.unsaved, []
        for index, entry in enumerate(waiting):
            if not self._try(entry):
                self.unsaved.extend(waiting[index + 1 :])
                return

    def events(self) -> List[EventType]:
        """Slot events that tell the API (and the next action) how the writes went."""
        if not self._touched:
            return []
        failed = bool(self.unsaved)
        events: List[EventType] = [SlotSet("unsaved_answers", self.unsaved or None)]
        if failed or self._was_failing:
            events.append(SlotSet("plan_write_failed", failed))
        return events
