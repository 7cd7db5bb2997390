"""Plan writes the conversation needs beyond one answer at a time.

``bot.plan.service`` records answers and appends action items. During the talk
the client may also change or remove a step (an action item keeps its id; a
removed step is kept with status ``dropped``, so the counsellor sees it), and a
refusal of a list question is kept as the section's status so a later session
does not ask again. Every write is validated and audited like the service's.
"""

from __future__ import annotations

import copy
from typing import Any, Dict, Optional

from sqlalchemy.orm import Session

from bot.conversation.normalise import fold
from bot.plan import model
from bot.plan.schema import PlanInvalid
from bot.plan.service import MessageIds, write_from_client

# What the client may change on a step in the conversation.
EDITABLE_ACTION_FIELDS = (
    "section",
    "kind",
    "description",
    "owner",
    "owner_name",
    "due_text",
    "due_date",
    "needs",
    "status",
)


def update_action_item(
    db: Session,
    session_id: str,
    item_id: str,
    changes: Dict[str, Any],
    *,
    message_id: MessageIds,
    confidence: Optional[float] = None,
) -> dict:
    """Change fields of the action item ``item_id`` (a changed or removed step)."""
    unknown = set(changes) - set(EDITABLE_ACTION_FIELDS)
    if unknown:
        raise PlanInvalid("actions", f"cannot change {', '.join(sorted(unknown))} of a step")

    def change_step(plan: dict, provenance: dict) -> dict:
        plan = copy.deepcopy(plan)
        for action in plan.get("actions") or []:
            if action.get("id") == item_id:
                action.update(changes)
                if changes.get("due_date", "") is None:
                    action.pop("due_date", None)  # the new "when" has no date: drop the old one
                action["updated_at"] = provenance["recorded_at"]
                action["provenance"] = provenance
                break
        else:
            raise PlanInvalid("actions", f"no step with id {item_id!r} in this plan")
        plan["updated_at"] = provenance["recorded_at"]
        return plan

    return write_from_client(db, session_id, message_id, confidence, True, change_step)


def set_section_status(
    db: Session, session_id: str, section: str, status: str, *, message_id: MessageIds
) -> dict:
    """A section the client declined (or that does not apply), traced to the message."""

    def change_status(plan: dict, provenance: dict) -> dict:
        plan = model.set_section_status(plan, section, status)
        plan["updated_at"] = provenance["recorded_at"]
        return plan

    return write_from_client(db, session_id, message_id, None, True, change_status)


# The fields of a list item that hold the client's words (docs/specs/action-plan.md §2).
ITEM_WORD_FIELDS = ("description", "who", "worry", "substance", "explanation", "text")


def _plain(words: Any) -> str:
    return " ".join(fold(str(words or "")).split())


def holds_answer(item: Any, answer: str) -> bool:
    """The list item was written from ``answer``: one of its word fields is the answer, or a
    clause of it (what listening wrote when the answer was told in passing)."""
    if not isinstance(item, dict):
        return False
    said = _plain(answer)
    for field in ITEM_WORD_FIELDS:
        words = _plain(item.get(field))
        if words and said and (words == said or (len(words) >= 4 and words in said)):
            return True
    return False


def remove_answer_items(plan: dict, path: str, answer: str) -> dict:
    """``plan`` without the items of the list at ``path`` that were written from ``answer``."""
    plan = copy.deepcopy(plan)
    parent: Any = plan  # a walk through the plan's JSON: any value may stand at a part of the path
    *head, key = path.split(".")
    for part in head:
        parent = parent.get(part) if isinstance(parent, dict) else None
        if parent is None:
            return plan
    items = parent.get(key) if isinstance(parent, dict) else None
    if isinstance(items, list):
        parent[key] = [item for item in items if not holds_answer(item, answer)]
    return plan


def replace_answer_items(
    db: Session, session_id: str, path: str, answer: str, *, message_id: MessageIds
) -> dict:
    """A corrected answer ("nee, niet de winkel maar een restaurant"): the list items the old
    answer wrote at ``path`` go, so the new answer (written next) does not stand beside the
    wrong one. The change is audited like every write (the old item stays in the history)."""

    def drop(plan: dict, provenance: dict) -> dict:
        updated = remove_answer_items(plan, path, answer)
        if updated != plan:
            updated["updated_at"] = provenance["recorded_at"]
        return updated

    return write_from_client(db, session_id, message_id, None, True, drop)
