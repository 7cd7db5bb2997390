"""Read back what a load run left behind: the transcript, Rasa's tracker store, the plans.

The checks compare three independent records of the same conversations: what
the simulated kiosks sent (bench/load_driver.py), what the API stored (app
database) and what Rasa stored (the `events` table of its SQL tracker store).
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple

from sqlalchemy import select, text

from bot.conversation import normalise, questions
from bot.db.engine import session_scope
from bot.db.models import ChatSession, Message
from bot.plan.service import get_plan


def transcripts(database_url: str, session_ids: Iterable[str]) -> Dict[str, List[Message]]:
    """Every stored message per session, in `seq` order (detached, read-only use)."""
    ids = list(session_ids)
    found: Dict[str, List[Message]] = defaultdict(list)
    with session_scope(database_url) as db:
        rows = (
            db.execute(
                select(Message).where(Message.session_id.in_(ids)).order_by(Message.session_id, Message.seq)
            )
            .scalars()
            .all()
        )
        for row in rows:
            db.expunge(row)
            found[row.session_id].append(row)
    return found


def session_states(database_url: str, session_ids: Iterable[str]) -> Dict[str, Tuple[str, Optional[str]]]:
    """(status, handoff_reason) per session."""
    with session_scope(database_url) as db:
        rows = db.execute(
            select(ChatSession.id, ChatSession.status, ChatSession.handoff_reason).where(
                ChatSession.id.in_(list(session_ids))
            )
        ).all()
    return {row.id: (row.status, row.handoff_reason) for row in rows}


def tracker_events(database_url: str, session_ids: Iterable[str]) -> Dict[str, List[Dict[str, Any]]]:
    """Rasa's stored `user` and `bot` events per conversation, in the order Rasa wrote them."""
    found: Dict[str, List[Dict[str, Any]]] = defaultdict(list)
    with session_scope(database_url) as db:
        rows = db.execute(
            text(
                "SELECT sender_id, type_name, data FROM events "
                "WHERE sender_id = ANY(:ids) AND type_name IN ('user', 'bot') ORDER BY id"
            ),
            {"ids": list(session_ids)},
        ).all()
    for sender_id, type_name, data in rows:
        event = json.loads(data)
        found[sender_id].append(
            {"type": type_name, "text": event.get("text"), "message_id": event.get("message_id")}
        )
    return found


def plans(database_url: str, session_ids: Iterable[str]) -> Dict[str, dict]:
    with session_scope(database_url) as db:
        return {sid: get_plan(db, sid) for sid in session_ids}


# --- what the plan should hold -------------------------------------------------

# Kinds whose plan write stands on its own (factor scores are checked through the amount).
_CHECKED_KINDS = (
    questions.TEXT,
    questions.TEXT_LIST,
    questions.YES_NO,
    questions.RULER,
    questions.COUNTRY,
    questions.OPTION,
    questions.SUPPORTER,
    questions.WORRY,
    questions.FACTOR,
    questions.MEDICINE,
    questions.AMOUNT,
)
# List items are matched on the field that names them.
_ITEM_KEYS = ("factor_key", "who", "worry", "substance")


def expected_answers(slots: Mapping[str, Any]) -> List[Tuple[str, str, Any]]:
    """(slot, plan path, plan value) for every answer Rasa holds in its slots.

    Uses the conversation's own slot → plan map (bot/conversation/questions.py),
    so the check follows the conversation as it grows.
    """
    expected = []
    for q in questions.QUESTIONS:
        value = slots.get(q.slot)
        if q.kind in _CHECKED_KINDS and q.path and questions.is_real_answer(value):
            if q.kind == questions.AMOUNT:
                # The slot keeps the amount (1..3); the plan the signed score, as the form writes it.
                direction = slots.get(q.slot.replace("_amount", "_direction"))
                value = normalise.factor_score(direction, value)
            # One answer may fill several fields (e.g. a safety worry and its reason).
            for path, plan_value in questions.plan_writes(q.slot, value, slots):
                expected.append((q.slot, path, plan_value))
    return expected


def _at(plan: dict, path: str) -> Any:
    node: Any = plan
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def missing_answer(plan: dict, path: str, value: Any) -> Optional[str]:
    """None when the plan holds ``value`` at ``path``; else what is wrong."""
    node = _at(plan, path)
    if isinstance(node, list):
        if not isinstance(value, dict):
            return f"{path}: expected {value!r}, the plan holds a list"
        key = next((k for k in _ITEM_KEYS if value.get(k) is not None), None)
        for item in node:
            if key and item.get(key) != value[key]:
                continue
            if all(item.get(k) == v for k, v in value.items() if v is not None):
                return None
        return f"{path}: no item like {value!r} in {node!r}"
    if isinstance(node, dict) and "value" in node:
        return None if node["value"] == value else f"{path}: {node['value']!r} instead of {value!r}"
    return f"{path}: nothing recorded (expected {value!r})"


def provenance_of(plan: Any) -> List[dict]:
    """Every provenance block in the plan (answers and list items)."""
    found = []
    if isinstance(plan, dict):
        if isinstance(plan.get("provenance"), dict):
            found.append(plan["provenance"])
        for key, child in plan.items():
            if key != "provenance":
                found += provenance_of(child)
    elif isinstance(plan, list):
        for child in plan:
            found += provenance_of(child)
    return found
