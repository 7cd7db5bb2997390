"""The counsellor's view of a plan: every field of the form, where each answer came from, approval.

``form_layout()`` turns the JSON Schema into the blocks and fields of the
printed form (labels from ``x-label-nl``), so the console needs no copy of the
schema. ``review(db, session_id)`` adds the plan itself, the client messages the
answers came from and the message → field links of the plan history.
``correct(...)`` and ``approve(...)`` are the only writes; both go through
``bot.plan.service.replace_plan``, which audits every changed field.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from typing import Any, Dict, Iterable, List, Optional, Tuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import audit, plan_placement
from bot.db.models import ChatSession, Message, User
from bot.db.types import utcnow
from bot.plan import model, service
from bot.plan.catalog import CLIENT_FIELDS
from bot.plan.schema import (
    PlanPathError,
    answer_kind,
    enum_options,
    is_answer,
    item_schema,
    load_schema,
    node_at,
    resolve,
)

# Top-level blocks of the form, in the order of the printed plan.
BLOCKS = (
    "organisation_info",
    "client_info",
    "consent",
    "provisional_decision",
    "factors",
    "sections",
    "actions",
)
# Item properties the console never edits: the server or the schema fills them.
SYSTEM_ITEM_KEYS = {"provenance", "created_at", "updated_at"}
# Item keys that are identifiers: generated for new items, not typed.
ID_KEYS = {"id"}
REVIEW_FIELDS = ("status", "approved_by", "approved_at")
# Schema labels that speak of JSON keys or sources; the console and the print show these instead.
BLOCK_LABEL_OVERRIDES = {"provisional_decision": "Voorlopig besluit"}
LABEL_OVERRIDES = {
    "sections.practical_matters.note": "Toelichting (de zaken zelf staan bij de acties)",
    "sections.appointments.note": "Toelichting (de activiteiten staan bij de acties)",
}


class PlanConflict(Exception):
    """The plan changed since the counsellor loaded it; reload and try again."""


class ApprovalRefused(PlanConflict):
    """Approval needs a step first: close the conversation, or confirm a nearly empty plan.

    ``reason`` is ``conversation_open`` or ``incomplete``; the message is Dutch with
    an English line after it (the console shows it as it is)."""

    def __init__(self, reason: str, message: str, **facts: Any):
        self.reason = reason
        self.facts = facts
        super().__init__(message)


# A conversation in these states can still write to the plan: approving it now would approve a moving target.
OPEN_STATUSES = ("bot", "waiting_for_human", "human")
# Below this share of filled questions and lists, approving needs an explicit confirmation.
SPARSE_SHARE = 0.2


# --- the form, from the schema ------------------------------------------------------


def _types(node: dict) -> List[Any]:
    kind = node.get("type")
    return kind if isinstance(kind, list) else [kind]


def _options(node: dict) -> List[List[str]]:
    labels = node.get("x-enum-labels-nl", {})
    return [[v, labels.get(v, v)] for v in node.get("enum", []) if v is not None]


def _is_wrapper(node: dict, chain: List[str]) -> bool:
    """An answer wrapper {value, status, …}; not a bare reference to the answer's status enum."""
    return is_answer(chain) and "value" in node.get("properties", {})


def _item_field(key: str, raw: dict, required: Iterable[str]) -> Dict[str, Any]:
    node, chain = resolve(raw)
    out: Dict[str, Any] = {"key": key, "label": node.get("x-label-nl", key), "required": key in required}
    if _is_wrapper(node, chain):
        out["kind"] = "yes_no_answer" if answer_kind(node, chain) == "yes_no" else "text_answer"
    elif key in ID_KEYS:
        out["kind"] = "id"
    elif "enum" in node:
        out.update(
            kind="choice", options=_options(node), nullable=None in node["enum"] or key not in required
        )
    elif "array" in _types(node):
        items, _ = resolve(node.get("items", {}))
        out.update(kind="multi_choice", options=_options(items))
    elif "boolean" in _types(node):
        out["kind"] = "bool"
    elif "integer" in _types(node):
        out.update(kind="integer", minimum=node.get("minimum"), maximum=node.get("maximum"))
    elif node.get("format") == "date":
        out["kind"] = "date"
    elif node.get("format") == "date-time":
        out["kind"] = "datetime"
    else:
        out["kind"] = "text"
    if node.get("x-sensitivity"):
        out["sensitivity"] = node["x-sensitivity"]
    return out


def _field(path: str, node: dict, chain: List[str], group: Optional[str]) -> Optional[Dict[str, Any]]:
    who = "client" if path in CLIENT_FIELDS else "counsellor"
    label = LABEL_OVERRIDES.get(path) or node.get("x-label-nl", path.rsplit(".", 1)[-1])
    base = {"path": path, "label": label, "who": who, "group": group}
    if node.get("x-sensitivity"):
        base["sensitivity"] = node["x-sensitivity"]
    if _is_wrapper(node, chain):
        kind = answer_kind(node, chain)
        base["kind"] = kind
        if kind in ("choice", "multi_choice"):
            base["options"] = [list(pair) for pair in enum_options(node)]
        return base
    items = item_schema(node)
    if items is not None:
        if items.get("type") != "object":
            return None  # lists of plain ids (session_ids) are bookkeeping
        required = items.get("required", [])
        base.update(
            kind="list",
            item_label=items.get("x-label-nl", "item"),
            item_fields=[
                _item_field(k, v, required)
                for k, v in items.get("properties", {}).items()
                if k not in SYSTEM_ITEM_KEYS
            ],
            max_items=node.get("maxItems"),
        )
        if items.get("x-sensitivity") and "sensitivity" not in base:
            base["sensitivity"] = items["x-sensitivity"]
        return base
    if "integer" in _types(node):
        base.update(kind="plain_int", minimum=node.get("minimum"), maximum=node.get("maximum"))
        return base
    if "string" in _types(node):
        base["kind"] = "plain_text"
        return base
    return None


def _fields(prefix: str, node: dict, group: Optional[str] = None) -> List[Dict[str, Any]]:
    out: List[Dict[str, Any]] = []
    for key, raw in node.get("properties", {}).items():
        if key == "status" and prefix.startswith("sections."):
            continue  # the section's own status, shown in its heading
        path = f"{prefix}.{key}"
        child, chain = resolve(raw)
        if not _is_wrapper(child, chain) and child.get("type") == "object" and child.get("properties"):
            out.extend(_fields(path, child, child.get("x-label-nl", key)))
            continue
        field = _field(path, child, chain, group)
        if field is not None:
            out.append(field)
    return out


@lru_cache(maxsize=1)
def _layout() -> Tuple[Dict[str, Any], ...]:
    schema = load_schema()
    top = schema["properties"]
    blocks: List[Dict[str, Any]] = []
    for key in BLOCKS:
        node, _ = resolve(top[key])
        if key == "sections":
            for name, raw in node["properties"].items():
                section, _ = resolve(raw)
                status_node, _ = resolve(section["properties"]["status"])
                blocks.append(
                    {
                        "key": name,
                        "path": f"sections.{name}",
                        "label": section.get("x-label-nl", name),
                        "section": True,
                        "status_path": f"sections.{name}.status",
                        "status_options": _options(status_node),
                        "sensitivity": section.get("x-sensitivity"),
                        "fields": _fields(f"sections.{name}", section),
                    }
                )
        elif key == "actions":
            field = _field("actions", node, [], None)
            blocks.append(
                {
                    "key": "actions",
                    "path": "actions",
                    "label": "Acties (wat, wie, wanneer)",
                    "section": False,
                    "fields": [field],
                }
            )
        else:
            label = BLOCK_LABEL_OVERRIDES.get(key) or node.get("x-label-nl", key)
            blocks.append(
                {
                    "key": key,
                    "path": key,
                    "label": label,
                    "section": False,
                    "sensitivity": node.get("x-sensitivity"),
                    "fields": _fields(key, node),
                }
            )
    return tuple(blocks)


def form_layout() -> List[Dict[str, Any]]:
    """Blocks (header blocks, sections 1-13, actions) with their fields, in print order."""
    return copy.deepcopy(list(_layout()))


def review_options() -> List[List[str]]:
    node, _ = resolve(load_schema()["properties"]["review"]["properties"]["status"])
    return _options(node)


def label_of(path: str) -> str:
    """Dutch label of a plan path, with its section: "3 Personen… › Wie?"."""
    try:
        node, _ = node_at(path)
    except PlanPathError:
        return path
    label = LABEL_OVERRIDES.get(path) or BLOCK_LABEL_OVERRIDES.get(path) or node.get("x-label-nl", path)
    parts = path.split(".")
    if parts[0] == "sections" and len(parts) > 2:
        section, _ = node_at(".".join(parts[:2]))
        return f"{section.get('x-label-nl', parts[1])} › {label}"
    return label


# --- provenance and links ----------------------------------------------------------------


def _message_ids(node: Any) -> Iterable[str]:
    if isinstance(node, dict):
        prov = node.get("provenance")
        if isinstance(prov, dict):
            yield from (m for m in prov.get("message_ids") or [] if isinstance(m, str))
        for key, value in node.items():
            if key != "provenance":
                yield from _message_ids(value)
    elif isinstance(node, list):
        for value in node:
            yield from _message_ids(value)


def _messages(db: Session, ids: Iterable[str]) -> Dict[str, Dict[str, Any]]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = db.execute(select(Message).where(Message.id.in_(wanted))).scalars()
    out = {}
    for m in rows:
        title = (m.meta or {}).get("button_title") if m.sender == "client" else None
        out[m.id] = {
            "id": m.id,
            "session_id": m.session_id,
            "seq": m.seq,
            "sender": m.sender,
            "text": title or m.text,
            "at": m.created_at,
        }
    return out


def _username(db: Session, user_id: Optional[int]) -> Optional[str]:
    user = db.get(User, user_id) if user_id is not None else None
    return user.username if user is not None else None


def history(db: Session, session_id: str) -> List[Dict[str, Any]]:
    """Every recorded change of the session's plan, newest first, labelled."""
    out = []
    for change in reversed(service.plan_history(db, session_id)):
        out.append(
            {
                "id": change.id,
                "at": change.created_at,
                "path": change.path,
                "label": label_of(change.path),
                "old": change.old_value,
                "new": change.new_value,
                "source": change.source,
                "message_id": change.message_id,
                "session_id": change.session_id,
                "user": _username(db, change.user_id),
            }
        )
    return out


def _is_section_status(path: str) -> bool:
    parts = path.split(".")
    return len(parts) == 3 and parts[0] == "sections" and parts[2] == "status"


def links(db: Session, session_id: str) -> List[Dict[str, Any]]:
    """Which client message wrote which plan field (oldest first), from the plan history.

    One link per (message, field): a list that grew twice from one answer is one
    link. A section's own status moves along with its answers and links nowhere.
    """
    out: List[Dict[str, Any]] = []
    seen = set()
    for c in service.plan_history(db, session_id):
        if not c.message_id or c.source != "client_message" or _is_section_status(c.path):
            continue
        if (c.message_id, c.path) in seen:
            continue
        seen.add((c.message_id, c.path))
        out.append(
            {
                "message_id": c.message_id,
                "path": c.path,
                "label": label_of(c.path),
                "at": c.created_at,
                "session_id": c.session_id,
            }
        )
    return out


def review(db: Session, session_id: str) -> Dict[str, Any]:
    plan = service.get_plan(db, session_id)
    link_list = links(db, session_id)
    ids = list(_message_ids(plan)) + [link["message_id"] for link in link_list]
    return {
        "session_id": session_id,
        "plan": plan,
        "layout": form_layout(),
        "review_options": review_options(),
        "messages": _messages(db, ids),
        "links": link_list,
        # per answer ("path" or "path[i]"): the question asked before the client's words, and
        # whether the coach placed it with doubt (bot/plan_placement.py)
        "placements": plan_placement.describe(db, plan),
    }


# --- writes ------------------------------------------------------------------------------


def _content(plan: dict) -> dict:
    return {k: v for k, v in plan.items() if k not in ("review", "updated_at")}


def correct(
    db: Session, session_id: str, new_plan: dict, *, user: User, expected_updated_at: Optional[str] = None
) -> dict:
    """A counsellor's edit of the whole plan.

    ``expected_updated_at`` (the ``updated_at`` the editor loaded) stops an edit
    from silently overwriting answers the bot wrote meanwhile. Changing the
    content of an approved plan withdraws the approval unless the same request
    approves it again: a printed "goedgekeurd" must match what was approved.
    """
    current = service.get_plan(db, session_id)
    if expected_updated_at is not None and expected_updated_at != current.get("updated_at"):
        raise PlanConflict("the plan changed since it was opened; reload it and make the change again")
    if not isinstance(new_plan, dict):
        return service.replace_plan(db, session_id, new_plan, user_id=user.id)  # raises PlanInvalid
    new_plan = copy.deepcopy(new_plan)
    old_review = current.get("review") or {}
    new_review = new_plan.get("review")
    content_changed = _content(new_plan) != _content(current)
    if (
        content_changed
        and old_review.get("status") == "counsellor_approved"
        and (new_review is None or new_review == old_review)
    ):
        new_plan["review"] = {"status": "draft"}
        audit.record(
            db,
            user=user,
            action="plan.approval_withdrawn",
            object_type="session",
            object_id=session_id,
            detail={"reason": "content changed"},
        )
    elif new_review is None:
        new_plan["review"] = old_review or {"status": "draft"}
    updated = service.replace_plan(db, session_id, new_plan, user_id=user.id)
    paths = [path for path, _, _ in model.changed_leaves(current, updated) if path != "updated_at"]
    # replace_plan audits against the plan row; this line lets the session's audit trail show the edit too.
    audit.record(
        db,
        user=user,
        action="plan.corrected",
        object_type="session",
        object_id=session_id,
        detail={"paths": paths},
    )
    return updated


def _filled(field: Dict[str, Any], raw: Any) -> bool:
    """The console's notion of a filled field (records.js isEmpty): a list with items, a value, or a
    status such as "weet ik niet" that answers the question."""
    kind = field["kind"]
    if kind == "list":
        return isinstance(raw, list) and len(raw) > 0
    if kind in ("plain_text", "plain_int"):
        return raw not in (None, "")
    if not isinstance(raw, dict):
        return False
    if raw.get("status") and raw["status"] not in ("answered", "not_asked"):
        return True
    return raw.get("value") not in (None, "", [])


def _get(plan: Dict[str, Any], path: str) -> Any:
    node: Any = plan
    for part in path.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def fill_counts(plan: Dict[str, Any]) -> Dict[str, Any]:
    """How many questions and lists of the form are filled, and which blocks are still empty."""
    filled = total = 0
    empty_blocks: List[str] = []
    for block in _layout():
        block_filled = sum(_filled(f, _get(plan, f["path"])) for f in block["fields"])
        filled += block_filled
        total += len(block["fields"])
        if block_filled == 0:
            empty_blocks.append(block["label"])
    return {
        "filled": filled,
        "total": total,
        "empty_blocks": empty_blocks,
        "sparse": total > 0 and filled < SPARSE_SHARE * total,
    }


def open_sessions(db: Session, session_id: str) -> List[str]:
    """Ids of the conversations feeding this plan that are still open (this one first)."""
    chat = db.get(ChatSession, session_id)
    if chat is None:
        return []
    rows = (
        db.execute(
            select(ChatSession.id, ChatSession.status).where(ChatSession.plan_id == chat.plan_id)
        ).all()
        if chat.plan_id is not None
        else [(chat.id, chat.status)]
    )
    ids = [sid for sid, state in rows if state in OPEN_STATUSES]
    return sorted(ids, key=lambda sid: sid != session_id)


def approve(
    db: Session,
    session_id: str,
    *,
    user: User,
    expected_updated_at: Optional[str] = None,
    confirm_incomplete: bool = False,
) -> dict:
    """Mark the plan approved by this counsellor, now.

    Refused while a conversation that feeds the plan is open (the coach could
    still write to it): the counsellor closes it first. A plan with fewer than a fifth
    of its questions and lists filled is approved only with ``confirm_incomplete``.
    """
    current = service.get_plan(db, session_id)
    if expected_updated_at is not None and expected_updated_at != current.get("updated_at"):
        raise PlanConflict("the plan changed since it was opened; read it again before approving")
    still_open = open_sessions(db, session_id)
    if still_open:
        raise ApprovalRefused(
            "conversation_open",
            "Het gesprek is nog open. Sluit het gesprek eerst af; keur het plan daarna goed. "
            "(The conversation is still open: close it before approving the plan.)",
            open_sessions=still_open,
        )
    counts = fill_counts(current)
    if counts["sparse"] and not confirm_incomplete:
        raise ApprovalRefused(
            "incomplete",
            f"Er zijn maar {counts['filled']} van de {counts['total']} vragen en lijsten ingevuld. "
            "Bevestig dat u het plan toch wilt goedkeuren. "
            f"(Only {counts['filled']} of {counts['total']} answers are filled: confirm to approve anyway.)",
            filled=counts["filled"],
            total=counts["total"],
        )
    current["review"] = {
        "status": "counsellor_approved",
        "approved_by": user.username,
        "approved_at": model.iso(utcnow()),
    }
    updated = service.replace_plan(db, session_id, current, user_id=user.id)
    audit.record(
        db,
        user=user,
        action="plan.approved",
        object_type="session",
        object_id=session_id,
        detail={
            "filled": counts["filled"],
            "total": counts["total"],
            "confirmed_incomplete": bool(counts["sparse"]),
        }
        if counts["sparse"]
        else None,
    )
    return updated


def reopen(db: Session, session_id: str, *, user: User) -> dict:
    """Withdraw an approval (for instance to talk the plan through with the client again)."""
    current = service.get_plan(db, session_id)
    current["review"] = {"status": "draft"}
    updated = service.replace_plan(db, session_id, current, user_id=user.id)
    audit.record(
        db,
        user=user,
        action="plan.approval_withdrawn",
        object_type="session",
        object_id=session_id,
        detail={"reason": "reopened"},
    )
    return updated
