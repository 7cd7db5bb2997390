"""The persoonlijk actieplan as plain data: dict in, new dict out.

No database here; ``bot.plan.service`` stores what these functions return.
Every answer carries its provenance (which client message, which session,
who recorded it) so a counsellor can always trace a value to the transcript.
"""

from __future__ import annotations

import copy
import uuid
from datetime import datetime, timezone
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

from bot.plan.catalog import PlanField, field_by_path, field_catalog
from bot.plan.schema import (
    PlanInvalid,
    PlanPathError,
    is_answer,
    item_schema,
    load_schema,
    node_at,
    validate,
)

SCHEMA_VERSION = "1.0"
PHASES = ("verkennen", "kiezen", "verkrijgen", "afgerond")
ANSWER_STATUSES = ("answered", "declined", "not_applicable", "unknown")
# List items that have a natural key are replaced, not duplicated, when the
# client re-scores a factor or revises a goal.
ITEM_KEYS = ("factor_key", "id", "number")

__all__ = [
    "PlanInvalid",
    "PlanPathError",
    "SCHEMA_VERSION",
    "PHASES",
    "ANSWER_STATUSES",
    "new_plan",
    "attach_session",
    "set_answer",
    "add_action",
    "set_section_status",
    "set_phase_reached",
    "get_at",
    "make_provenance",
    "iso",
    "validate",
    "changed_leaves",
    "section_names",
    "field_catalog",
    "field_by_path",
    "PlanField",
]


def iso(moment: datetime) -> str:
    """UTC ISO 8601 with a ``Z``, the form the schema's date-time expects."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime given; use an aware UTC datetime")
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def section_names() -> List[str]:
    return list(load_schema()["properties"]["sections"]["required"])


def new_plan(
    session_id: str,
    *,
    client_ref: Optional[str] = None,
    language: str = "nl",
    now: Optional[datetime] = None,
) -> dict:
    """An empty, schema-valid plan: every section present and ``not_started``."""
    stamp = iso(now or datetime.now(timezone.utc))
    plan = {
        "schema_version": SCHEMA_VERSION,
        "session_id": session_id,
        "session_ids": [session_id],
        "client_ref": client_ref,
        "language": language,
        "created_at": stamp,
        "updated_at": stamp,
        "phase_reached": PHASES[0],
        "review": {"status": "draft"},
        "organisation_info": {},
        "client_info": {},
        "factors": {},
        "sections": {name: {"status": "not_started"} for name in section_names()},
        "actions": [],
    }
    validate(plan)
    return plan


def attach_session(plan: dict, session_id: str) -> dict:
    """The plan with one more contributing session (a resumed client)."""
    out = copy.deepcopy(plan)
    ids = out.setdefault("session_ids", [out["session_id"]])
    if session_id not in ids:
        ids.append(session_id)
    return out


def make_provenance(
    *,
    source: str = "client_message",
    recorded_at: Optional[datetime] = None,
    recorded_by: Union[str, int] = "bot",
    message_ids: Optional[Sequence[str]] = None,
    session_id: Optional[str] = None,
    client_confirmed: Optional[bool] = None,
    nlu_confidence: Optional[float] = None,
) -> dict:
    """A provenance block; client-message answers must name their message ids."""
    provenance: Dict[str, Any] = {
        "source": source,
        "recorded_at": iso(recorded_at or datetime.now(timezone.utc)),
        "recorded_by": str(recorded_by),
    }
    if message_ids is not None:
        provenance["message_ids"] = [str(m) for m in message_ids]
    if session_id is not None:
        provenance["session_id"] = session_id
    if client_confirmed is not None:
        provenance["client_confirmed"] = bool(client_confirmed)
    if nlu_confidence is not None:
        provenance["nlu_confidence"] = float(nlu_confidence)
    if source == "client_message" and not provenance.get("message_ids"):
        raise PlanInvalid("provenance.message_ids", "a client answer needs its message id")
    return provenance


def _parent_and_key(plan: dict, path: str, create: bool = True) -> Tuple[dict, str]:
    parts = path.split(".")
    node = plan
    for part in parts[:-1]:
        child = node.get(part)
        if child is None:
            if not create:
                raise PlanPathError(f"{path!r}: {part!r} is empty")
            child = node[part] = {}
        if not isinstance(child, dict):
            raise PlanPathError(f"{path!r}: {part!r} is not an object")
        node = child
    return node, parts[-1]


def get_at(plan: dict, path: str, default: Any = None) -> Any:
    """The raw node at a dotted path (an answer wrapper, a list, …) or ``default``."""
    node: Any = plan
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return default
        node = node[part]
    return node


def _touch_section(plan: dict, path: str) -> None:
    parts = path.split(".")
    if parts[0] == "sections" and len(parts) > 2:
        section = plan["sections"][parts[1]]
        if section.get("status", "not_started") == "not_started":
            section["status"] = "in_progress"


def _bump(plan: dict, provenance: dict) -> None:
    plan["updated_at"] = provenance["recorded_at"]


def set_answer(
    plan: dict,
    path: str,
    value: Any,
    *,
    provenance: dict,
    status: str = "answered",
    note: Optional[str] = None,
) -> dict:
    """Record one answer at ``path``.

    An answer field (text, yes/no, date, choice …) gets the schema's ``answer``
    wrapper ``{value, status, provenance}``. A list field (``sections.support.supporters``)
    gets ``value`` (a dict) appended as one item carrying its own provenance; an
    item with the same ``factor_key``/``id``/``number`` as an existing one replaces it.
    The result is not validated here; ``validate`` or the service does that.
    """
    if status not in ANSWER_STATUSES:
        raise PlanPathError(f"status must be one of {', '.join(ANSWER_STATUSES)}, not {status!r}")
    if path == "actions":
        raise PlanPathError("use add_action for action items")
    node, chain = node_at(path)
    out = copy.deepcopy(plan)
    parent, key = _parent_and_key(out, path)
    if is_answer(chain):
        answer: Dict[str, Any] = {"status": status, "provenance": dict(provenance)}
        if status == "answered" or value is not None:
            answer = {"value": value, **answer}
        if note is not None:
            answer["note"] = note
        parent[key] = answer
    elif (item_node := item_schema(node)) is not None and item_node.get("type") == "object":
        if status != "answered":
            raise PlanPathError(
                f"{path!r} is a list; record a declined or unknown list with set_section_status"
            )
        if not isinstance(value, dict):
            raise PlanInvalid(path, "a list item must be an object")
        item = {**value, "provenance": dict(provenance)}
        items = list(parent.get(key) or [])
        parent[key] = _put_item(items, item)
    else:
        raise PlanPathError(f"{path!r} is not a field an answer can be written to")
    _touch_section(out, path)
    _bump(out, provenance)
    return out


def _put_item(items: List[dict], item: dict) -> List[dict]:
    for key in ITEM_KEYS:
        if key in item:
            for index, existing in enumerate(items):
                if isinstance(existing, dict) and existing.get(key) == item[key]:
                    items[index] = item
                    return items
            break
    items.append(item)
    return items


def add_action(plan: dict, item: dict, *, provenance: dict) -> dict:
    """Append one action item (what, who, when), filling id, status and stamps."""
    if not isinstance(item, dict):
        raise PlanInvalid("actions", "an action item must be an object")
    out = copy.deepcopy(plan)
    action = dict(item)
    action.setdefault("id", "a-" + uuid.uuid4().hex[:12])
    action.setdefault("status", "open")
    action.setdefault("agreed_by_client", bool(provenance.get("client_confirmed", False)))
    action.setdefault("created_at", provenance["recorded_at"])
    action["updated_at"] = provenance["recorded_at"]
    action["provenance"] = dict(provenance)
    actions = out.setdefault("actions", [])
    if any(a.get("id") == action["id"] for a in actions):
        raise PlanInvalid("actions", f"an action with id {action['id']!r} already exists")
    actions.append(action)
    section = action.get("section")
    if section in out.get("sections", {}):
        _touch_section(out, f"sections.{section}.actions")
    _bump(out, provenance)
    return out


def set_section_status(plan: dict, section: str, status: str) -> dict:
    allowed = load_schema()["$defs"]["section_status"]["enum"]
    if section not in section_names():
        raise PlanPathError(f"unknown section {section!r}")
    if status not in allowed:
        raise PlanPathError(f"section status must be one of {', '.join(allowed)}")
    out = copy.deepcopy(plan)
    out["sections"][section]["status"] = status
    return out


def set_phase_reached(plan: dict, phase: str) -> dict:
    """Move ``phase_reached`` forward only (going back to talk again is normal)."""
    if phase not in PHASES:
        raise PlanPathError(f"phase must be one of {', '.join(PHASES)}")
    out = copy.deepcopy(plan)
    if PHASES.index(phase) > PHASES.index(out.get("phase_reached", PHASES[0])):
        out["phase_reached"] = phase
    return out


def changed_leaves(old: Any, new: Any, path: str = "") -> Iterable[Tuple[str, Any, Any]]:
    """Every changed leaf between two plans as (dotted path, old, new).

    Answer wrappers and list items are compared whole: a correction of a value
    is one change, with its provenance, not three.
    """
    if isinstance(old, dict) and isinstance(new, dict) and not _is_leaf_object(old, new):
        for key in sorted(set(old) | set(new)):
            child = f"{path}.{key}" if path else key
            yield from changed_leaves(old.get(key), new.get(key), child)
    elif old != new:
        yield path, old, new


def _is_leaf_object(old: dict, new: dict) -> bool:
    return "provenance" in old or "provenance" in new or "status" in old and "value" in old
