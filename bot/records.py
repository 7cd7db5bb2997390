"""Counsellor records: finding sessions, and a client's data on request (export, delete).

Search and filters run in SQL so a page of results costs the same however many
sessions exist. Export and delete work by client reference, the only link
between a person and their sessions (the kiosk asks for no name).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Dict, List, Optional, Tuple

from sqlalchemy import and_, delete, exists, func, or_, select
from sqlalchemy.orm import Session

from bot import audit
from bot.accounts import Actor
from bot.db.models import AuditEvent, ChatSession, Handoff, Message, Plan, PlanChange, User
from bot.db.types import utcnow

MAX_QUERY_CHARS = 200
OPEN_STATUSES = ("bot", "waiting_for_human", "human")


class RecordsError(ValueError):
    """Bad input for a records operation; the message says what to fix."""


class UnknownClient(LookupError):
    """No session or plan carries this client reference."""


@dataclass(frozen=True)
class SessionFilter:
    status: Optional[str] = None
    phase: Optional[str] = None
    handoff_reason: Optional[str] = None  # any hand-off the session had, not only the open one
    started_from: Optional[date] = None  # inclusive, UTC calendar day
    started_to: Optional[date] = None  # inclusive, UTC calendar day
    client_ref: Optional[str] = None
    text: Optional[str] = None  # words anywhere in the transcript
    training: Optional[bool] = None  # None: whatever the role may see

    def is_targeted(self) -> bool:
        """A search for a person or for words."""
        return bool(self.client_ref or self.text)

    def is_queue_view(self) -> bool:
        """The live work list (open sessions by status, nothing else): polled all day, so not audited.

        Every other list (closed sessions, searches, filters, browsing) is a read of
        records and gets an audit line naming the sessions shown.
        """
        other = (
            self.phase,
            self.handoff_reason,
            self.started_from,
            self.started_to,
            self.client_ref,
            self.text,
        )
        return self.status in OPEN_STATUSES and not any(other)


def role_scope(query, role: str, training: Optional[bool] = None):
    """Trainers see only training sessions, counsellors only clients', admins choose."""
    if role == "trainer":
        return query.where(ChatSession.is_training.is_(True))
    if role == "counsellor":
        return query.where(ChatSession.is_training.is_(False))
    if training is not None:
        return query.where(ChatSession.is_training.is_(training))
    return query


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.utc)


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _filtered(query, f: SessionFilter):
    if f.status:
        query = query.where(ChatSession.status == f.status)
    if f.phase:
        query = query.where(ChatSession.phase == f.phase)
    if f.handoff_reason:
        query = query.where(
            exists().where(Handoff.session_id == ChatSession.id, Handoff.reason == f.handoff_reason)
        )
    if f.started_from and f.started_to and f.started_from > f.started_to:
        raise RecordsError("the 'from' date is after the 'to' date")
    if f.started_from:
        query = query.where(ChatSession.started_at >= _day_start(f.started_from))
    if f.started_to:
        query = query.where(ChatSession.started_at < _day_start(f.started_to + timedelta(days=1)))
    if f.client_ref:
        query = query.where(func.lower(ChatSession.client_ref) == f.client_ref.strip().lower())
    if f.text:
        words = f.text.strip()
        if len(words) > MAX_QUERY_CHARS:
            raise RecordsError(f"search text is longer than {MAX_QUERY_CHARS} characters")
        query = query.where(
            exists().where(
                Message.session_id == ChatSession.id,
                Message.text.ilike(_like_pattern(words), escape="\\"),
            )
        )
    return query


def search_sessions(
    db: Session, f: SessionFilter, *, role: str, offset: int = 0, limit: int = 50
) -> Tuple[List[ChatSession], int]:
    """One page of sessions (newest activity first) and the total that match."""
    if offset < 0 or limit < 1:
        raise RecordsError("offset must be 0 or more and limit at least 1")
    base = _filtered(role_scope(select(ChatSession), role, f.training), f)
    total = db.execute(select(func.count()).select_from(base.subquery())).scalar_one()
    page = (
        base.order_by(
            func.coalesce(ChatSession.last_message_at, ChatSession.started_at).desc(), ChatSession.id
        )
        .offset(offset)
        .limit(limit)
    )
    return list(db.execute(page).scalars()), total


# --- a client's data on request ---------------------------------------------------


def _clean_ref(client_ref: str) -> str:
    if not isinstance(client_ref, str) or not client_ref.strip():
        raise RecordsError("a client reference is needed")
    return client_ref.strip()


def ref_digest(client_ref: str) -> str:
    """Names a deleted client in the audit trail without keeping the reference."""
    return hashlib.sha256(client_ref.strip().lower().encode("utf-8")).hexdigest()[:16]


def _client_rows(db: Session, client_ref: str) -> Tuple[List[ChatSession], List[Plan]]:
    sessions = list(
        db.execute(
            select(ChatSession)
            .where(ChatSession.client_ref == client_ref, ChatSession.is_training.is_(False))
            .order_by(ChatSession.started_at)
        ).scalars()
    )
    plan_ids = {s.plan_id for s in sessions}
    # A sandbox session given a real reference gets a plan carrying it; that plan is no client data.
    training_plans = select(ChatSession.plan_id).where(ChatSession.is_training.is_(True))
    plans = list(
        db.execute(
            select(Plan)
            .where(
                or_(
                    and_(Plan.client_ref == client_ref, Plan.id.notin_(training_plans)), Plan.id.in_(plan_ids)
                )
            )
            .order_by(Plan.created_at)
        ).scalars()
    )
    return sessions, plans


def _username(db: Session, user_id: Optional[int]) -> Optional[str]:
    user = db.get(User, user_id) if user_id is not None else None
    return user.username if user is not None else None


def _iso(moment: Optional[datetime]) -> Optional[str]:
    return moment.isoformat() if moment is not None else None


def _message_out(db: Session, m: Message) -> Dict[str, Any]:
    return {
        "id": m.id,
        "seq": m.seq,
        "at": _iso(m.created_at),
        "sender": m.sender,
        "text": m.text,
        "buttons": m.buttons or [],
        "intent": m.intent,
        "confidence": m.confidence,
        "entities": m.entities,
        "safety": m.safety,
        "meta": m.meta,
        "author": _username(db, m.author_user_id),
    }


def export_client(db: Session, client_ref: str, *, actor: Actor) -> Dict[str, Any]:
    """Everything stored about one client (sessions, transcripts, hand-offs, plans, plan history)."""
    client_ref = _clean_ref(client_ref)
    sessions, plans = _client_rows(db, client_ref)
    if not sessions and not plans:
        raise UnknownClient(client_ref)
    out = {
        "client_ref": client_ref,
        "exported_at": utcnow().isoformat(),
        "sessions": [
            {
                "id": s.id,
                "language": s.language,
                "phase": s.phase,
                "status": s.status,
                "started_at": _iso(s.started_at),
                "last_message_at": _iso(s.last_message_at),
                "closed_at": _iso(s.closed_at),
                "anonymised_at": _iso(s.anonymised_at),
                "plan_id": s.plan_id,
                "messages": [_message_out(db, m) for m in s.messages],
                "handoffs": [
                    {
                        "reason": h.reason,
                        "at": _iso(h.created_at),
                        "message_id": h.message_id,
                        "taken_by": _username(db, h.taken_by_user_id),
                        "taken_at": _iso(h.taken_at),
                        "handed_back_at": _iso(h.handed_back_at),
                        "closed_at": _iso(h.closed_at),
                    }
                    for h in s.handoffs
                ],
            }
            for s in sessions
        ],
        "plans": [
            {
                "id": p.id,
                "data": p.data,
                "changes": [
                    {
                        "at": _iso(c.created_at),
                        "path": c.path,
                        "old": c.old_value,
                        "new": c.new_value,
                        "source": c.source,
                        "message_id": c.message_id,
                        "session_id": c.session_id,
                        "user": _username(db, c.user_id),
                    }
                    for c in p.changes
                ],
            }
            for p in plans
        ],
    }
    audit.record(
        db,
        user=actor,
        action="client.exported",
        object_type="client",
        object_id=ref_digest(client_ref),
        detail={"sessions": len(sessions), "plans": len(plans)},
    )
    return out


def delete_client(db: Session, client_ref: str, *, actor: Actor) -> Dict[str, Any]:
    """Delete a client's sessions (with messages and hand-offs), plans and plan history.

    The audit trail keeps who asked and how much was removed, with a digest
    instead of the reference. Audit lines that named a session keep only its id.
    """
    client_ref = _clean_ref(client_ref)
    sessions, plans = _client_rows(db, client_ref)
    if not sessions and not plans:
        raise UnknownClient(client_ref)
    session_ids = [s.id for s in sessions]
    plan_ids = [p.id for p in plans]
    # A plan may have served a training session only if someone forged it; never delete those.
    other = db.execute(
        select(func.count())
        .select_from(ChatSession)
        .where(ChatSession.plan_id.in_(plan_ids), ChatSession.id.notin_(session_ids))
    ).scalar_one()
    if other:
        raise RecordsError(
            "a plan of this client is shared with sessions of another reference; nothing deleted"
        )
    counts = {
        "sessions": len(session_ids),
        "messages": db.execute(
            select(func.count()).select_from(Message).where(Message.session_id.in_(session_ids))
        ).scalar_one(),
        "plans": len(plan_ids),
        "plan_changes": db.execute(
            select(func.count()).select_from(PlanChange).where(PlanChange.plan_id.in_(plan_ids))
        ).scalar_one(),
    }
    # Explicit deletes in FK order: SQLite without ON DELETE support and PostgreSQL behave alike.
    db.execute(delete(PlanChange).where(PlanChange.plan_id.in_(plan_ids)))
    db.execute(delete(Handoff).where(Handoff.session_id.in_(session_ids)))
    db.execute(delete(Message).where(Message.session_id.in_(session_ids)))
    db.execute(delete(ChatSession).where(ChatSession.id.in_(session_ids)))
    db.execute(delete(Plan).where(Plan.id.in_(plan_ids)))
    from bot import resume_codes

    resume_codes.delete_for_client(db, client_ref)
    db.expire_all()
    audit.record(
        db,
        user=actor,
        action="client.deleted",
        object_type="client",
        object_id=ref_digest(client_ref),
        detail=counts,
    )
    db.flush()
    # The caller erases these from Rasa's tracker store after commit (bot.tracker_erasure).
    return {**counts, "session_ids": session_ids}


# --- the audit log ------------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilter:
    username: Optional[str] = None
    action: Optional[str] = None  # exact, or a prefix ending in '.' such as "plan."
    object_type: Optional[str] = None
    object_id: Optional[str] = None
    since: Optional[date] = None
    until: Optional[date] = None


def search_audit(
    db: Session, f: AuditFilter, *, offset: int = 0, limit: int = 100
) -> Tuple[List[AuditEvent], int]:
    """Newest first."""
    if offset < 0 or limit < 1:
        raise RecordsError("offset must be 0 or more and limit at least 1")
    query = select(AuditEvent)
    if f.username:
        query = query.where(AuditEvent.username == f.username.strip().lower())
    if f.action:
        if f.action.endswith("."):
            query = query.where(AuditEvent.action.startswith(f.action, autoescape=True))
        else:
            query = query.where(AuditEvent.action == f.action)
    if f.object_type:
        query = query.where(AuditEvent.object_type == f.object_type)
    if f.object_id:
        query = query.where(AuditEvent.object_id == f.object_id)
    if f.since and f.until and f.since > f.until:
        raise RecordsError("the 'from' date is after the 'to' date")
    if f.since:
        query = query.where(AuditEvent.created_at >= _day_start(f.since))
    if f.until:
        query = query.where(AuditEvent.created_at < _day_start(f.until + timedelta(days=1)))
    total = db.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    page = query.order_by(AuditEvent.id.desc()).offset(offset).limit(limit)
    return list(db.execute(page).scalars()), total


def audit_out(event: AuditEvent) -> Dict[str, Any]:
    return {
        "id": event.id,
        "at": event.created_at,
        "user": event.username,
        "user_id": event.user_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "detail": event.detail,
    }
