"""Where each answer of a plan came from, whether the coach placed it with doubt, and moving it.

For every answer and list item the coach wrote from a client message, ``describe(db, plan)``
names the question the coach had just asked (the bot's text right before the client's
message, as the client read it) and says whether the answer sits where that question's
answer belongs (``bot.conversation.questions``). An answer the coach put somewhere else —
a fact the listening module heard while another question was open, a note collected from
several turns, an answer not confirmed by the client, a derived value — is *placed with
doubt*: the console highlights it "door de coach ingedeeld, controleer".

``move(...)`` takes one answer (a field or a list item) to another question in one step:
the client's words go to the target (a text question or a note), the source is emptied,
and the new answer keeps its message ids so it still quotes the client. It goes through
``bot.plan.service.replace_plan`` (validated, every changed field in the plan history)
and leaves a ``plan.answer_moved`` line in the audit log.
"""

from __future__ import annotations

import copy
import re
from typing import Any, Dict, Iterable, Iterator, List, Optional, Tuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import audit
from bot.db.models import Message, User
from bot.db.types import utcnow
from bot.plan import model, service
from bot.plan.schema import PlanPathError, answer_kind, is_answer, item_schema, node_at

# Doubt reasons, in the counsellor's words.
WHY_OTHER_QUESTION = "het antwoord kwam op een andere vraag"
WHY_NO_QUESTION = "de coach had hier geen vraag over gesteld"
WHY_NOT_CONFIRMED = "de cliënt heeft het niet bevestigd"
WHY_DERIVED = "de coach heeft dit afgeleid"
WHY_STATUS = "geen gewoon antwoord ({status})"
# How far back the question before a client message is looked for (the bot's last turn).
LOOKBACK = 6
# Targets of a move: questions that take the client's words as text.
MOVE_KINDS = ("text", "text_list", "plain_text")
ITEM_PATH = re.compile(r"^(?P<path>[a-z0-9_.]+)\[(?P<index>\d{1,4})\]$")


class MoveRefused(Exception):
    """The move cannot be made as asked: ``reason`` is ``approved`` (withdraw the approval first),
    ``stale`` (the plan changed since it was opened) or ``empty`` (nothing to move)."""

    def __init__(self, reason: str, message: str):
        self.reason = reason
        super().__init__(message)


# --- reading ----------------------------------------------------------------------------


def answers(plan: Dict[str, Any]) -> Iterable[Tuple[str, str, Optional[int], Dict[str, Any]]]:
    """(key, path, index, node) of every answer wrapper and list item that has provenance.
    ``key`` is the path, or ``path[index]`` for a list item."""

    def walk(node: Any, path: str) -> Iterator[Tuple[str, str, Optional[int], Dict[str, Any]]]:
        if isinstance(node, dict):
            if isinstance(node.get("provenance"), dict) and path:
                yield path, path, None, node
                return
            for key, value in node.items():
                if key in ("provenance", "review"):
                    continue
                yield from walk(value, f"{path}.{key}" if path else key)
        elif isinstance(node, list):
            for index, item in enumerate(node):
                if isinstance(item, dict) and isinstance(item.get("provenance"), dict):
                    yield f"{path}[{index}]", path, index, item

    yield from walk(plan, "")


def questions_before(db: Session, message_ids: Iterable[str]) -> Dict[str, Dict[str, Any]]:
    """For each client message: the question the coach asked just before it
    (``{"text", "asked_slot"}``); the text is None when the coach asked nothing."""
    from bot.safety.answer_context import slot_of_response

    out: Dict[str, Dict[str, Any]] = {}
    wanted = sorted(set(message_ids))
    if not wanted:
        return out
    for message in db.execute(select(Message).where(Message.id.in_(wanted))).scalars():
        before = db.execute(
            select(Message.sender, Message.text, Message.utter_action)
            .where(Message.session_id == message.session_id, Message.seq < message.seq)
            .order_by(Message.seq.desc())
            .limit(LOOKBACK)
        ).all()
        text, slot = None, None
        for sender, said, utter in before:
            if sender != "bot":
                break
            if slot is None and slot_of_response(utter):
                slot, text = slot_of_response(utter), said
            elif text is None and said and said.rstrip().endswith("?"):
                text = said
        out[message.id] = {"text": text, "asked_slot": slot}
    return out


def _expected_paths(slot: Optional[str]) -> Tuple[List[str], Optional[str]]:
    """The plan paths an answer to ``slot`` is written to, and its factor, if any."""
    from bot.conversation import questions

    if not slot or not questions.has_question(slot):
        return [], None
    q = questions.question(slot)
    paths = [q.path] if q.path else []
    try:
        paths += [p for p, _ in questions.plan_writes(slot, "x") if p not in paths]
    except Exception:  # kinds written by a form step, not on their own; q.path is enough
        pass
    return paths, q.factor_key


def _belongs(path: str, node: Dict[str, Any], slot: Optional[str]) -> bool:
    paths, factor = _expected_paths(slot)
    for expected in paths:
        if path == expected or path.startswith(expected + ".") or expected.startswith(path + "."):
            if (
                factor
                and node.get("factor_key")
                and node.get("factor_key") != factor
                and path == "factors.overview_1"
            ):
                continue
            return True
    return False


def doubt(path: str, node: Dict[str, Any], asked: Optional[Dict[str, Any]]) -> Optional[str]:
    """Why the coach's placement of this answer needs a look, or None."""
    prov = node.get("provenance") or {}
    source = prov.get("source")
    if source in ("counsellor_entry", "counsellor_correction", "organisation_record"):
        return None  # a person put it there
    if source == "derived":
        return WHY_DERIVED
    if prov.get("client_confirmed") is False:
        return WHY_NOT_CONFIRMED
    status = node.get("status")
    if "value" in node and status not in (None, "answered"):
        return WHY_STATUS.format(status=status)
    slot = (asked or {}).get("asked_slot")
    if slot is None:
        return WHY_NO_QUESTION
    if not _belongs(path, node, slot):
        return WHY_OTHER_QUESTION
    return None


def describe(db: Session, plan: Dict[str, Any]) -> Dict[str, Dict[str, Any]]:
    """Per answer key: the question before the client's (first) message, and the doubt, if any."""
    found = list(answers(plan))
    ids = [m for _, _, _, node in found for m in (node["provenance"].get("message_ids") or [])[:1]]
    asked = questions_before(db, ids)
    out: Dict[str, Dict[str, Any]] = {}
    for key, path, _index, node in found:
        prov = node["provenance"]
        first = (prov.get("message_ids") or [None])[0]
        before = asked.get(first) if first else None
        reason = (
            doubt(path, node, before)
            if prov.get("source") == "client_message" or prov.get("source") == "derived"
            else None
        )
        out[key] = {
            "question": (before or {}).get("text"),
            "asked_slot": (before or {}).get("asked_slot"),
            "message_id": first,
            "doubt": reason is not None,
            "why": reason,
        }
    return out


# --- moving -------------------------------------------------------------------------------


def target_kind(path: str) -> str:
    """The kind of a move target; PlanPathError when it is no question that takes text."""
    node, chain = node_at(path)
    if is_answer(chain) and "value" in node.get("properties", {}):
        kind = answer_kind(node, chain)
    elif item_schema(node) is None and "string" in _types_of(node):
        kind = "plain_text"
    else:
        kind = "other"
    if kind not in MOVE_KINDS:
        raise PlanPathError(
            f"{path!r} is no question that takes the client's words as text; "
            "choose a text question or a note"
        )
    return kind


def _types_of(node: Dict[str, Any]) -> List[Any]:
    """The JSON-schema ``type`` of ``node`` as a list (it may be one name or a list of names)."""
    declared = node.get("type")
    return declared if isinstance(declared, list) else [declared]


def _parent(plan: Dict[str, Any], path: str, create: bool) -> Tuple[Optional[dict], str]:
    parts = path.split(".")
    node: Any = plan
    for part in parts[:-1]:
        if not isinstance(node, dict):
            return None, parts[-1]
        if part not in node and create:
            node[part] = {}
        node = node.get(part)
    return (node if isinstance(node, dict) else None), parts[-1]


def _words(db: Session, node: Dict[str, Any]) -> str:
    """The text that moves: a text value as it is, else the client's own words."""
    value = node.get("value") if "value" in node else None
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, list) and all(isinstance(v, str) for v in value) and value:
        return "; ".join(value)
    ids = (node.get("provenance") or {}).get("message_ids") or []
    texts = []
    for message in db.execute(select(Message).where(Message.id.in_(ids))).scalars() if ids else []:
        texts.append(((message.meta or {}).get("button_title") or message.text or "").strip())
    if any(texts):
        return " / ".join(t for t in texts if t)
    parts = [
        str(v)
        for k, v in node.items()
        if k
        not in ("provenance", "id", "created_at", "updated_at", "status", "factor_no", "factor_key", "score")
        and isinstance(v, str)
        and v.strip()
    ]
    return "; ".join(parts)


def move(
    db: Session,
    session_id: str,
    *,
    user: User,
    source: str,
    target: str,
    expected_updated_at: Optional[str] = None,
) -> dict:
    """Move the answer at ``source`` (a field path, or ``path[index]`` for a list item) to the
    question at ``target``. Refused for an approved plan; the target must be a text question
    or note of the schema (PlanPathError otherwise)."""
    current = service.get_plan(db, session_id)
    if expected_updated_at is not None and expected_updated_at != current.get("updated_at"):
        raise MoveRefused(
            "stale", "the plan changed since it was opened; reload it and move the answer again"
        )
    if (current.get("review") or {}).get("status") == "counsellor_approved":
        raise MoveRefused(
            "approved",
            "Het plan is goedgekeurd. Trek de goedkeuring eerst in; verplaats het "
            "antwoord daarna. (The plan is approved: withdraw the approval first.)",
        )
    kind = target_kind(target)
    found = {key: (path, index, node) for key, path, index, node in answers(current)}
    if source not in found:
        raise MoveRefused("empty", f"er staat geen antwoord op {source!r} (no answer at {source!r})")
    path, index, node = found[source]
    if index is None and path == target:
        raise PlanPathError("the answer is already there")
    text = _words(db, node)
    if not text:
        raise MoveRefused("empty", f"het antwoord op {source!r} heeft geen woorden om te verplaatsen")
    plan = copy.deepcopy(current)
    # take the source out
    parent, key = _parent(plan, path, create=False)
    if parent is None:  # cannot happen: answers() found the source in this same plan
        raise PlanPathError(f"{path!r} cannot be reached in this plan")
    if index is None:
        parent.pop(key, None)
    else:
        parent[key].pop(index)
    # put the words at the target, after what is there already
    parent, key = _parent(plan, target, create=True)
    if parent is None:
        raise PlanPathError(f"{target!r} cannot be reached in this plan")
    old = parent.get(key)
    prov = model.make_provenance(
        source="counsellor_correction",
        recorded_at=utcnow(),
        recorded_by=user.id,
        message_ids=(node.get("provenance") or {}).get("message_ids") or None,
        session_id=(node.get("provenance") or {}).get("session_id") or session_id,
    )
    if kind == "plain_text":
        parent[key] = f"{old}\n{text}" if isinstance(old, str) and old.strip() else text
    elif kind == "text_list":
        old_value = old.get("value") if isinstance(old, dict) else None
        items_before = old_value if isinstance(old_value, list) else []
        parent[key] = {"value": [*items_before, text], "status": "answered", "provenance": prov}
    else:
        old_value = old.get("value") if isinstance(old, dict) else None
        text_before = old_value if isinstance(old_value, str) else ""
        parent[key] = {
            "value": f"{text_before}; {text}" if text_before.strip() else text,
            "status": "answered",
            "provenance": prov,
        }
        if isinstance(old, dict) and old.get("note"):
            parent[key]["note"] = old["note"]
    updated = service.replace_plan(db, session_id, plan, user_id=user.id)
    audit.record(
        db,
        user=user,
        action="plan.answer_moved",
        object_type="session",
        object_id=session_id,
        detail={"from": source, "to": target},
    )
    return updated
