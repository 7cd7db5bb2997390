"""Retention: closed sessions older than ``retention_days`` lose what a person said.

What goes: the text of every message (the bot's reflections quote the client),
what Rasa extracted from it (entities, matched safety words), the client
reference, and every free-text value in the plan and its history. What stays:
the skeleton that statistics need (dates, phases, senders, intents and their
confidence, safety categories, hand-off reasons, which plan fields were
answered, scores, choices, action kinds and their status).

A plan is anonymised only once every session that fed it is; a client who is
still talking keeps their plan. Running twice changes nothing the second time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Dict, List, Optional, Set

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.orm import Session

from bot import audit
from bot.db.models import AuditEvent, ChatSession, Message, Plan, PlanChange
from bot.plan.schema import load_schema, resolve

# Strings that are identifiers or codes, not words of a person.
KEPT_STRING_KEYS = {
    "id",
    "goal_id",
    "action_id",
    "session_id",
    "session_ids",
    "factor_key",
    "schema_version",
    "language",
    "source",
    "recorded_by",
    "message_ids",
}
# Blocks that only hold identity: emptied whole.
IDENTITY_BLOCKS = ("client_info",)
IDENTITY_FIELDS = ("organisation_info.file_number", "organisation_info.present")


@dataclass
class RetentionReport:
    now: datetime
    cutoff: datetime
    sessions: List[str] = field(default_factory=list)
    plans: List[str] = field(default_factory=list)
    messages: int = 0
    idle_closed: List[str] = field(default_factory=list)
    codes_purged: int = 0
    audit_purged: int = 0

    def as_dict(self) -> Dict[str, Any]:
        return {
            "now": self.now.isoformat(),
            "cutoff": self.cutoff.isoformat(),
            "sessions_anonymised": len(self.sessions),
            "plans_anonymised": len(self.plans),
            "messages_cleared": self.messages,
            "idle_sessions_closed": len(self.idle_closed),
            "resume_codes_purged": self.codes_purged,
            "audit_events_purged": self.audit_purged,
        }


OPEN_STATUSES = ("bot", "waiting_for_human", "human")


def idle_sessions(db: Session, *, now: datetime, bot_minutes: int, staff_minutes: int) -> List[str]:
    """Open sessions nobody touched for a while: the bot's after ``bot_minutes``, those
    waiting for or held by a person after ``staff_minutes`` (a counsellor may be on the way)."""
    last_activity = func.coalesce(ChatSession.last_message_at, ChatSession.started_at)
    rows = db.execute(
        select(ChatSession.id)
        .where(
            or_(
                and_(ChatSession.status == "bot", last_activity < now - timedelta(minutes=bot_minutes)),
                and_(
                    ChatSession.status.in_(("waiting_for_human", "human")),
                    last_activity < now - timedelta(minutes=staff_minutes),
                ),
            )
        )
        .order_by(last_activity)
    ).scalars()
    return list(rows)


def close_idle_sessions(db: Session, *, now: datetime, bot_minutes: int, staff_minutes: int) -> List[str]:
    """Close the idle sessions (reason ``idle``), so retention reaches them; their ids.

    Several API workers may sweep at once: a session another one closed is skipped."""
    from bot import sessions

    closed = []
    for session_id in idle_sessions(db, now=now, bot_minutes=bot_minutes, staff_minutes=staff_minutes):
        chat_session = db.get(ChatSession, session_id)
        try:
            sessions.close(db, chat_session, reason="idle", now=now)  # refuses before writing
        except sessions.SessionClosed:
            continue
        closed.append(session_id)
    return closed


def due_sessions(db: Session, *, now: datetime, retention_days: int) -> List[ChatSession]:
    cutoff = now - timedelta(days=retention_days)
    return list(
        db.execute(
            select(ChatSession)
            .where(
                ChatSession.status == "closed",
                ChatSession.closed_at < cutoff,
                ChatSession.anonymised_at.is_(None),
            )
            .order_by(ChatSession.closed_at)
        ).scalars()
    )


def run(
    db: Session,
    *,
    now: datetime,
    retention_days: int,
    actor: str = "retention",
    idle_close_minutes: Optional[int] = None,
    idle_close_staff_minutes: Optional[int] = None,
    audit_retention_days: Optional[int] = None,
) -> RetentionReport:
    """Anonymise every closed session past the period, and plans no open session still uses.

    With ``idle_close_minutes`` (``coach retention run`` passes the settings), open sessions
    left idle are closed first and expired resume codes are dropped; with
    ``audit_retention_days``, audit rows older than that go (``purge_audit``). The caller
    erases the anonymised sessions from Rasa's tracker store (``bot.tracker_erasure``) after
    commit.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware (UTC)")
    if retention_days < 1:
        raise ValueError("retention_days must be at least 1")
    report = RetentionReport(now=now, cutoff=now - timedelta(days=retention_days))
    if idle_close_minutes is not None:
        from bot import resume_codes

        report.idle_closed = close_idle_sessions(
            db,
            now=now,
            bot_minutes=idle_close_minutes,
            staff_minutes=idle_close_staff_minutes or idle_close_minutes,
        )
        report.codes_purged = resume_codes.purge(db, now=now)
    touched_plans: Set[str] = set()
    for chat_session in due_sessions(db, now=now, retention_days=retention_days):
        report.messages += anonymise_session(db, chat_session, now=now)
        report.sessions.append(chat_session.id)
        touched_plans.add(chat_session.plan_id)
    for plan_id in sorted(touched_plans):
        if _all_sessions_anonymised(db, plan_id):
            anonymise_plan(db, db.get(Plan, plan_id))
            report.plans.append(plan_id)
    if audit_retention_days is not None:
        report.audit_purged = purge_audit(db, now=now, days=audit_retention_days)
    if report.sessions or report.idle_closed or report.audit_purged:
        audit.record(
            db,
            user=actor,
            action="retention.run",
            object_type="retention",
            object_id=None,
            detail={
                **report.as_dict(),
                "retention_days": retention_days,
                "audit_retention_days": audit_retention_days,
            },
        )
    db.flush()
    return report


def purge_audit(db: Session, *, now: datetime, days: int) -> int:
    """Delete audit rows older than ``days``; how many went. The run's own row (written after
    this) says how many, so the log shows that it was trimmed and when."""
    if days < 1:
        raise ValueError("audit retention must be at least 1 day")
    result = db.execute(delete(AuditEvent).where(AuditEvent.created_at < now - timedelta(days=days)))
    return int(result.rowcount or 0)


def anonymise_session(db: Session, chat_session: ChatSession, *, now: datetime) -> int:
    messages = list(db.execute(select(Message).where(Message.session_id == chat_session.id)).scalars())
    for message in messages:
        if message.sender != "system":
            message.text = ""
        message.entities = [
            {"entity": e.get("entity")} for e in message.entities or [] if isinstance(e, dict)
        ] or None
        if isinstance(message.safety, dict):
            message.safety = {k: v for k, v in message.safety.items() if k in ("category", "flag")}
        message.meta = _kept_meta(message.meta)
    chat_session.client_ref = None
    chat_session.anonymised_at = now
    return len(messages)


def _kept_meta(meta: Optional[dict]) -> Optional[dict]:
    """System notes keep their machine keys; nothing that quotes a person survives."""
    if not isinstance(meta, dict):
        return None
    kept = {
        k: v
        for k, v in meta.items()
        if k in ("event", "by", "user_id", "previous_status", "phase", "message_id", "system", "reason")
    }
    return kept or None


def _all_sessions_anonymised(db: Session, plan_id: str) -> bool:
    pending = db.execute(
        select(ChatSession.id).where(ChatSession.plan_id == plan_id, ChatSession.anonymised_at.is_(None))
    ).first()
    return pending is None


def anonymise_plan(db: Session, row: Plan) -> None:
    data = scrub_plan(row.data)
    row.data = data
    row.client_ref = None
    for change in db.execute(select(PlanChange).where(PlanChange.plan_id == row.id)).scalars():
        change.old_value = _scrub_any(change.old_value)
        change.new_value = _scrub_any(change.new_value)


def scrub_plan(plan: dict) -> dict:
    """The plan without free text or identity, still valid against the schema."""
    schema = load_schema()
    out = _scrub(plan, schema, schema)
    out["client_ref"] = None
    for block in IDENTITY_BLOCKS:
        if block in out:
            out[block] = {}
    for path in IDENTITY_FIELDS:
        parent_key, key = path.split(".")
        out.get(parent_key, {}).pop(key, None)
    return out


def _is_free_text(node: dict) -> bool:
    if "enum" in node or "const" in node:
        return False
    if node.get("format") == "date-time":
        return False  # when things happened is statistics, not a person's words
    kind = node.get("type")
    if kind is None:
        return True  # unknown to the schema: treat as words, privacy first
    return "string" in (kind if isinstance(kind, list) else [kind])


def _scrub(value: Any, node: dict, schema: dict, key: Optional[str] = None) -> Any:
    node, _ = resolve(node) if "$ref" in node else (node, [])
    if key == "provenance":
        return value
    if isinstance(value, dict):
        props = node.get("properties", {})
        return {k: _scrub(v, props.get(k, {}), schema, k) for k, v in value.items()}
    if isinstance(value, list):
        items = node.get("items", {})
        if key in KEPT_STRING_KEYS:
            return value
        if items and _is_free_text(resolve(items)[0] if "$ref" in items else items):
            return []
        return [_scrub(v, items, schema) for v in value]
    if isinstance(value, str) and key not in KEPT_STRING_KEYS and _is_free_text(node):
        types = node.get("type")
        nullable = isinstance(types, list) and "null" in types
        return None if nullable else ""
    return value


def _scrub_any(value: Any) -> Any:
    """Plan history values have no schema at hand: keep only numbers, booleans and structure."""
    if isinstance(value, dict):
        return {
            k: (
                v
                if k
                in (
                    "status",
                    "source",
                    "recorded_by",
                    "recorded_at",
                    "message_ids",
                    "session_id",
                    "factor_key",
                    "id",
                    "kind",
                    "section",
                    "owner",
                    "domain",
                    "aspect",
                    "category",
                    "where",
                    "type",
                    "score",
                    "realistic",
                    "agreed_by_client",
                )
                else _scrub_any(v)
            )
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_scrub_any(v) for v in value]
    if isinstance(value, str):
        return None
    return value
