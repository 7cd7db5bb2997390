"""Plan service: the database side of the action plan.

The action server calls ``record_answer``/``add_action_item`` as the client
answers; the console calls ``replace_plan`` to correct. Every write is
validated against the schema first (an invalid write changes nothing) and
leaves one ``plan_changes`` row per changed field, with old and new value.
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any, Iterable, List, Optional, Sequence, Union

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import audit
from bot.db.models import ChatSession, Plan, PlanChange
from bot.db.types import utcnow
from bot.plan import model, store
from bot.plan.schema import PlanInvalid, is_answer, item_schema, load_schema, resolve, validate
from bot.sessions import get_session

# Fields the server owns; a counsellor's PUT cannot move a plan to another
# client or rewrite its history.
SERVER_OWNED = ("schema_version", "session_id", "session_ids", "client_ref", "created_at")

MessageIds = Union[str, Sequence[str]]


def _plan_row(db: Session, session_id: str) -> Plan:
    chat_session = get_session(db, session_id)
    return store.load_for_update(db, chat_session.plan_id)


def get_plan(db: Session, session_id: str) -> dict:
    chat_session = get_session(db, session_id)
    row = db.get(Plan, chat_session.plan_id)
    return copy.deepcopy(row.data)


def plan_history(db: Session, session_id: str) -> List[PlanChange]:
    """Every recorded change of this session's plan, oldest first."""
    chat_session = get_session(db, session_id)
    return list(
        db.execute(
            select(PlanChange).where(PlanChange.plan_id == chat_session.plan_id).order_by(PlanChange.id)
        ).scalars()
    )


def _message_ids(message_id: MessageIds) -> List[str]:
    ids = [message_id] if isinstance(message_id, str) else list(message_id or [])
    ids = [i for i in ids if isinstance(i, str) and i]
    if not ids:
        raise PlanInvalid("provenance.message_ids", "a client answer or change needs its message id")
    return ids


def record_answer(
    db: Session,
    session_id: str,
    path: str,
    value: Any,
    *,
    message_id: MessageIds,
    confidence: Optional[float] = None,
    status: str = "answered",
    client_confirmed: bool = True,
    note: Optional[str] = None,
) -> dict:
    """Write the client's answer at ``path``, traced to its message(s).

    ``client_confirmed`` defaults to True because the bot writes only after the
    client agreed ("Zal ik dat opschrijven?"); pass False otherwise.
    """
    return write_from_client(
        db,
        session_id,
        message_id,
        confidence,
        client_confirmed,
        lambda plan, provenance: model.set_answer(
            plan, path, value, provenance=provenance, status=status, note=note
        ),
    )


def add_action_item(
    db: Session,
    session_id: str,
    item: dict,
    *,
    message_id: MessageIds,
    confidence: Optional[float] = None,
    client_confirmed: bool = True,
) -> dict:
    """Append one agreed action (what, who, when) to the plan."""
    return write_from_client(
        db,
        session_id,
        message_id,
        confidence,
        client_confirmed,
        lambda plan, provenance: model.add_action(plan, item, provenance=provenance),
    )


def write_from_client(
    db: Session,
    session_id: str,
    message_id: MessageIds,
    confidence: Optional[float],
    client_confirmed: bool,
    change,
) -> dict:
    """Apply ``change(plan, provenance) -> new plan`` traced to the client's message(s) under the
    plan's row lock; validate, audit and store it (``store.save``); return a copy."""
    ids = _message_ids(message_id)
    now = utcnow()
    row = _plan_row(db, session_id)
    provenance = model.make_provenance(
        source="client_message",
        recorded_at=now,
        message_ids=ids,
        session_id=session_id,
        client_confirmed=client_confirmed,
        nlu_confidence=confidence,
    )
    updated = change(row.data, provenance)
    store.save(db, row, updated, source="client_message", session_id=session_id, message_id=ids[0], now=now)
    return copy.deepcopy(updated)


def replace_plan(db: Session, session_id: str, new_plan: dict, *, user_id: int) -> dict:
    """A counsellor's correction (PUT): validated first, every changed field audited.

    Changed answers that still carry the old provenance are re-stamped as the
    counsellor's, so the plan never attributes a counsellor's words to the client.
    Raises PlanInvalid (with the path) and writes nothing if the plan is invalid.
    New answers and items may come without provenance; they get the counsellor's.
    """
    if not isinstance(new_plan, dict):
        raise PlanInvalid("", "the plan must be a JSON object")
    now = utcnow()
    row = _plan_row(db, session_id)
    old = row.data
    updated = copy.deepcopy(new_plan)
    for key in SERVER_OWNED:
        if key in old:
            updated[key] = copy.deepcopy(old[key])
        else:
            updated.pop(key, None)
    updated["updated_at"] = model.iso(now)
    _stamp_counsellor_edits(old, updated, user_id=user_id, session_id=session_id, now=now)
    validate(updated)  # before any write; store.save validates again for its other callers
    changes = store.save(
        db,
        row,
        updated,
        source="counsellor_correction",
        session_id=session_id,
        user_id=user_id,
        now=now,
    )
    audit.record(
        db,
        user=user_id,
        action="plan.replaced",
        object_type="plan",
        object_id=row.id,
        detail={"session_id": session_id, "paths": [path for path, _, _ in changes]},
    )
    return copy.deepcopy(updated)


def _stamp_counsellor_edits(old: Any, new: Any, *, user_id: int, session_id: str, now: datetime) -> None:
    """Give edited answers and list items a counsellor provenance, in place."""
    stamp = lambda source: model.make_provenance(  # noqa: E731
        source=source, recorded_at=now, recorded_by=user_id, session_id=session_id
    )
    for old_node, new_node in _pairs(old, new):
        if _without_provenance(old_node) == _without_provenance(new_node):
            continue
        new_prov = new_node.get("provenance")
        old_prov = old_node.get("provenance") if isinstance(old_node, dict) else None
        if new_prov is None or new_prov == old_prov:
            new_node["provenance"] = stamp(
                "counsellor_correction" if old_node is not None else "counsellor_entry"
            )


def _pairs(old: Any, new: Any, schema_node: Optional[dict] = None) -> Iterable[tuple]:
    """(old, new) pairs of every answer wrapper and list item that carries provenance.

    Walks the schema alongside the data, so sections (which also have a
    ``status``) are never mistaken for answers.
    """
    node, chain = (schema_node, []) if schema_node is not None else resolve(load_schema())
    if isinstance(new, dict) and node.get("type") != "array":
        if is_answer(chain) or _has_provenance_field(node):
            yield (old if isinstance(old, dict) else None), new
            return
        props = node.get("properties", {})
        for key, child in new.items():
            if key in props:
                child_node, child_chain = resolve(props[key])
                yield from _pairs_resolved(
                    old.get(key) if isinstance(old, dict) else None, child, child_node, child_chain
                )
    elif isinstance(new, list):
        items = item_schema(node) or {}
        if not _has_provenance_field(items):
            return
        old_items = old if isinstance(old, list) else []
        for item in new:
            if isinstance(item, dict):
                yield _matching_item(old_items, item), item


def _pairs_resolved(old: Any, new: Any, node: dict, chain: List[str]) -> Iterable[tuple]:
    if isinstance(new, dict) and is_answer(chain):
        yield (old if isinstance(old, dict) else None), new
    else:
        yield from _pairs(old, new, node)


def _has_provenance_field(node: dict) -> bool:
    return node.get("type") == "object" and "provenance" in node.get("properties", {})


def _matching_item(old_items: List[Any], item: dict) -> Optional[dict]:
    for key in model.ITEM_KEYS:
        if key in item:
            for old in old_items:
                if isinstance(old, dict) and old.get(key) == item[key]:
                    return old
            return None
    content = _without_provenance(item)
    prov = item.get("provenance")
    for old in old_items:
        if isinstance(old, dict) and (
            _without_provenance(old) == content or (prov and old.get("provenance") == prov)
        ):
            return old
    return None


def _without_provenance(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: v for k, v in node.items() if k not in ("provenance", "updated_at")}
    return node


def session_plan_row(db: Session, session_id: str) -> Plan:
    """The ORM row of a session's plan (read only; use the functions above to write)."""
    chat_session: ChatSession = get_session(db, session_id)
    return db.get(Plan, chat_session.plan_id)
