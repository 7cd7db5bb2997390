"""Plan writes the conversation needs beyond one answer at a time.

``bot.plan.service`` records answers and appends action items. During the talk
the client may also change or remove a step (an action item keeps its id; a
removed step is kept with status ``dropped``, so the counsellor sees it), and a
refusal of a list question is kept as the section's status so a later session
does not ask again. Every write is validated and audited like the service's.
"""
from __future__ import annotations

import copy
from typing import Any, Dict, Optional, Sequence, Union

from sqlalchemy.orm import Session

from bot.db.types import utcnow
from bot.plan import model, store
from bot.plan.schema import PlanInvalid
from bot.sessions import get_session

MessageIds = Union[str, Sequence[str]]
# What the client may change on a step in the conversation.
EDITABLE_ACTION_FIELDS = ("section", "kind", "description", "owner", "owner_name", "due_text",
                          "due_date", "needs", "status")


def _ids(message_id: MessageIds) -> list:
    ids = [message_id] if isinstance(message_id, str) else list(message_id or [])
    ids = [i for i in ids if isinstance(i, str) and i]
    if not ids:
        raise PlanInvalid("provenance.message_ids", "a client change needs its message id")
    return ids


def update_action_item(db: Session, session_id: str, item_id: str, changes: Dict[str, Any], *,
                       message_id: MessageIds, confidence: Optional[float] = None) -> dict:
    """Change fields of the action item ``item_id`` (a changed or removed step)."""
    unknown = set(changes) - set(EDITABLE_ACTION_FIELDS)
    if unknown:
        raise PlanInvalid("actions", f"cannot change {', '.join(sorted(unknown))} of a step")
    ids = _ids(message_id)
    now = utcnow()
    row = store.load_for_update(db, get_session(db, session_id).plan_id)
    plan = copy.deepcopy(row.data)
    for action in plan.get("actions") or []:
        if action.get("id") == item_id:
            action.update(changes)
            if changes.get("due_date", "") is None:
                action.pop("due_date", None)  # the new "when" has no date: drop the old one
            action["updated_at"] = model.iso(now)
            action["provenance"] = model.make_provenance(
                source="client_message", recorded_at=now, message_ids=ids, session_id=session_id,
                client_confirmed=True, nlu_confidence=confidence)
            break
    else:
        raise PlanInvalid("actions", f"no step with id {item_id!r} in this plan")
    plan["updated_at"] = model.iso(now)
    store.save(db, row, plan, source="client_message", session_id=session_id, message_id=ids[0], now=now)
    return copy.deepcopy(plan)


def set_section_status(db: Session, session_id: str, section: str, status: str, *,
                       message_id: MessageIds) -> dict:
    """A section the client declined (or that does not apply), traced to the message."""
    ids = _ids(message_id)
    now = utcnow()
    row = store.load_for_update(db, get_session(db, session_id).plan_id)
    plan = model.set_section_status(row.data, section, status)
    plan["updated_at"] = model.iso(now)
    store.save(db, row, plan, source="client_message", session_id=session_id, message_id=ids[0], now=now)
    return copy.deepcopy(plan)
