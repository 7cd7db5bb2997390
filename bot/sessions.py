"""Session service: the conversation's state machine and its transcript.

    bot ──request_handoff──▶ waiting_for_human ──take_over──▶ human ──hand_back──▶ bot
     └───────────────────────────take_over───────────────────▲
    any non-closed state ──close──▶ closed

Every transition runs under a row lock, writes a ``system`` message into the
transcript (a machine key such as ``handoff:crisis`` that the UI translates)
and an audit event. The API owns these calls; the action server only writes
the plan (``bot.plan.service``).
"""

from __future__ import annotations

import uuid
from typing import Any, List, Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import audit
from bot.db.locks import lock_for_write
from bot.db.models import (
    HANDOFF_REASONS,
    LANGUAGES,
    PHASES,
    SENDERS,
    SESSION_STATUSES,
    ChatSession,
    Handoff,
    Message,
    Plan,
)
from bot.db.types import utcnow
from bot.plan import model as plan_model
from bot.plan import store as plan_store

# A crisis outranks every other reason: a session already waiting for a person
# is escalated, so the console sorts it to the top.
ESCALATING_REASON = "crisis"


class SessionNotFound(LookupError):
    """No session with that id (HTTP 404)."""


class SessionClosed(Exception):
    """The session is closed and takes no more messages or changes (HTTP 409)."""


class IllegalTransition(Exception):
    """The state machine does not allow this step from the current status (HTTP 409)."""


class MessageNotFound(LookupError):
    """No message with that id in this session."""


def new_session_id() -> str:
    return uuid.uuid4().hex


def new_message_id() -> str:
    return "m-" + uuid.uuid4().hex[:16]


def _clean_ref(client_ref: Optional[str]) -> Optional[str]:
    if client_ref is None:
        return None
    if not isinstance(client_ref, str):
        raise ValueError("client_ref must be text")
    client_ref = client_ref.strip()
    if len(client_ref) > 128:
        raise ValueError("client_ref is longer than 128 characters")
    return client_ref or None


def create_session(
    db: Session,
    *,
    language: str = "nl",
    client_ref: Optional[str] = None,
    is_training: bool = False,
) -> ChatSession:
    """Start a session with its plan.

    A known ``client_ref`` resumes that client's latest plan (the session id is
    added to ``session_ids``) and starts in the phase the plan reached.
    Training sessions never touch a client's plan.
    """
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}")
    client_ref = _clean_ref(client_ref)
    session_id = new_session_id()
    now = utcnow()

    plan_row = None
    if client_ref and not is_training:
        plan_row = plan_store.latest_plan_for_client(db, client_ref)
    resumed = plan_row is not None
    if plan_row is not None:
        plan_row = plan_store.load_for_update(db, plan_row.id)
        plan_store.save(
            db,
            plan_row,
            plan_model.attach_session(plan_row.data, session_id),
            source="derived",
            now=now,
        )
        phase = plan_row.data.get("phase_reached", PHASES[0])
    else:
        plan_row = Plan(
            id=uuid.uuid4().hex,
            client_ref=client_ref,
            data=plan_model.new_plan(session_id, client_ref=client_ref, language=language, now=now),
            created_at=now,
            updated_at=now,
        )
        db.add(plan_row)
        phase = PHASES[0]

    chat_session = ChatSession(
        id=session_id,
        client_ref=client_ref,
        language=language,
        phase=phase,
        status="bot",
        is_training=bool(is_training),
        plan=plan_row,
        started_at=now,
        fallback_streak=0,
    )
    db.add(chat_session)
    # The session row must exist before the audit event (PostgreSQL checks FKs per statement).
    db.flush()
    audit.record(
        db,
        user="kiosk",
        action="session.created",
        object_type="session",
        object_id=session_id,
        detail={"plan_id": plan_row.id, "resumed": resumed, "is_training": bool(is_training)},
    )
    return chat_session


def get_session(db: Session, session_id: str) -> ChatSession:
    chat_session = db.get(ChatSession, session_id) if isinstance(session_id, str) else None
    if chat_session is None:
        raise SessionNotFound(f"no session {session_id!r}")
    return chat_session


def list_sessions(
    db: Session, *, status: Optional[str] = None, include_training: bool = True, limit: int = 200
) -> List[ChatSession]:
    """Newest activity first; ``status`` filters (e.g. ``waiting_for_human``)."""
    query = select(ChatSession)
    if status is not None:
        if status not in SESSION_STATUSES:
            raise ValueError(f"status must be one of {', '.join(SESSION_STATUSES)}")
        query = query.where(ChatSession.status == status)
    if not include_training:
        query = query.where(ChatSession.is_training.is_(False))
    query = query.order_by(func.coalesce(ChatSession.last_message_at, ChatSession.started_at).desc()).limit(
        limit
    )
    return list(db.execute(query).scalars())


def _lock_open(db: Session, chat_session: ChatSession) -> None:
    """Lock the row, reload it, and refuse if it is closed."""
    lock_for_write(db, chat_session)
    if chat_session.status == "closed":
        raise SessionClosed(f"session {chat_session.id} is closed")


def _append(
    db: Session,
    chat_session: ChatSession,
    *,
    sender: str,
    text: str,
    buttons: Optional[list] = None,
    intent: Optional[str] = None,
    confidence: Optional[float] = None,
    entities: Optional[list] = None,
    safety: Optional[dict] = None,
    utter_action: Optional[str] = None,
    mi_code: Optional[str] = None,
    meta: Optional[dict] = None,
    author_user_id: Optional[int] = None,
    forwarded_to_rasa: bool = False,
) -> Message:
    """Append a message; the caller holds the session row lock."""
    now = utcnow()
    last_seq = db.execute(select(func.max(Message.seq)).where(Message.session_id == chat_session.id)).scalar()
    message = Message(
        id=new_message_id(),
        session_id=chat_session.id,
        seq=(last_seq or 0) + 1,
        sender=sender,
        text=text,
        buttons=buttons,
        intent=intent,
        confidence=confidence,
        entities=entities,
        safety=safety,
        utter_action=utter_action,
        mi_code=mi_code,
        meta=meta,
        author_user_id=author_user_id,
        forwarded_to_rasa=bool(forwarded_to_rasa),
        created_at=now,
    )
    db.add(message)
    chat_session.last_message_at = now
    db.flush()
    return message


def add_message(
    db: Session,
    chat_session: ChatSession,
    *,
    sender: str,
    text: str,
    buttons: Optional[list] = None,
    intent: Optional[str] = None,
    confidence: Optional[float] = None,
    entities: Optional[list] = None,
    safety: Optional[dict] = None,
    utter_action: Optional[str] = None,
    mi_code: Optional[str] = None,
    meta: Optional[dict] = None,
    author_user_id: Optional[int] = None,
    forwarded_to_rasa: bool = False,
) -> Message:
    """Append a transcript message with the next ``seq``; refuses closed sessions."""
    if sender not in SENDERS:
        raise ValueError(f"sender must be one of {', '.join(SENDERS)}")
    if not isinstance(text, str):
        raise ValueError("message text must be a string")
    if confidence is not None and not 0.0 <= float(confidence) <= 1.0:
        raise ValueError("confidence must be between 0 and 1")
    _lock_open(db, chat_session)
    return _append(
        db,
        chat_session,
        sender=sender,
        text=text,
        buttons=buttons,
        intent=intent,
        confidence=confidence,
        entities=entities,
        safety=safety,
        utter_action=utter_action,
        mi_code=mi_code,
        meta=meta,
        author_user_id=author_user_id,
        forwarded_to_rasa=forwarded_to_rasa,
    )


def get_message(db: Session, session_id: str, message_id: str) -> Message:
    message = db.execute(
        select(Message).where(Message.session_id == session_id, Message.id == message_id)
    ).scalar_one_or_none()
    if message is None:
        raise MessageNotFound(f"no message {message_id!r} in session {session_id!r}")
    return message


def messages_after(db: Session, session_id: str, after_id: Optional[str] = None) -> List[Message]:
    """Messages in ``seq`` order, only those after ``after_id`` when given."""
    get_session(db, session_id)
    query = select(Message).where(Message.session_id == session_id)
    if after_id:
        query = query.where(Message.seq > get_message(db, session_id, after_id).seq)
    return list(db.execute(query.order_by(Message.seq)).scalars())


def set_phase(db: Session, chat_session: ChatSession, phase: str) -> ChatSession:
    """Move the conversation to ``phase``; the plan remembers the furthest one."""
    if phase not in PHASES:
        raise ValueError(f"phase must be one of {', '.join(PHASES)}")
    _lock_open(db, chat_session)
    if chat_session.phase != phase:
        chat_session.phase = phase
        _note_phase_in_plan(db, chat_session, phase)
        db.flush()
    return chat_session


def _note_phase_in_plan(db: Session, chat_session: ChatSession, phase: str) -> None:
    plan_row = plan_store.load_for_update(db, chat_session.plan_id)
    updated = plan_model.set_phase_reached(plan_row.data, phase)
    if updated != plan_row.data:
        updated["updated_at"] = plan_model.iso(utcnow())
        plan_store.save(db, plan_row, updated, source="derived", session_id=chat_session.id)


def _open_handoff(db: Session, chat_session: ChatSession) -> Optional[Handoff]:
    return db.execute(
        select(Handoff)
        .where(Handoff.session_id == chat_session.id, Handoff.closed_at.is_(None))
        .order_by(Handoff.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def _system(db: Session, chat_session: ChatSession, key: str, **meta: Any) -> Message:
    return _append(db, chat_session, sender="system", text=key, meta={"event": key, **meta})


def request_handoff(
    db: Session, chat_session: ChatSession, *, reason: str, message_id: Optional[str]
) -> Handoff:
    """bot → waiting_for_human. A crisis may also escalate a session already waiting."""
    if reason not in HANDOFF_REASONS:
        raise ValueError(f"reason must be one of {', '.join(HANDOFF_REASONS)}")
    _lock_open(db, chat_session)
    escalation = (
        chat_session.status == "waiting_for_human"
        and reason == ESCALATING_REASON
        and chat_session.handoff_reason != ESCALATING_REASON
    )
    if chat_session.status != "bot" and not escalation:
        raise IllegalTransition(f"cannot request a hand-off while the session is {chat_session.status}")
    if message_id is not None:
        get_message(db, chat_session.id, message_id)
    now = utcnow()
    previous = _open_handoff(db, chat_session) if escalation else None
    if previous is not None:
        previous.closed_at = now  # superseded by the crisis hand-off
    handoff = Handoff(session_id=chat_session.id, reason=reason, message_id=message_id, created_at=now)
    db.add(handoff)
    chat_session.status = "waiting_for_human"
    chat_session.handoff_reason = reason
    _system(db, chat_session, f"handoff:{reason}", by="bot", message_id=message_id)
    audit.record(
        db,
        user="bot",
        action="session.handoff_escalated" if escalation else "session.handoff_requested",
        object_type="session",
        object_id=chat_session.id,
        detail={"reason": reason, "message_id": message_id},
    )
    db.flush()
    return handoff


def take_over(db: Session, chat_session: ChatSession, *, user_id: int) -> ChatSession:
    """waiting_for_human | bot → human (a counsellor may also step in unasked)."""
    _lock_open(db, chat_session)
    if chat_session.status == "human":
        if chat_session.assigned_user_id == user_id:
            return chat_session  # a double click, not a conflict
        raise IllegalTransition("another counsellor already holds this session")
    previous = chat_session.status
    now = utcnow()
    handoff = _open_handoff(db, chat_session)
    if handoff is not None and handoff.taken_at is None:
        handoff.taken_by_user_id = user_id
        handoff.taken_at = now
    chat_session.status = "human"
    chat_session.assigned_user_id = user_id
    _system(db, chat_session, "takeover", user_id=user_id, previous_status=previous)
    audit.record(
        db,
        user=user_id,
        action="session.takeover",
        object_type="session",
        object_id=chat_session.id,
        detail={"previous_status": previous, "handoff_reason": chat_session.handoff_reason},
    )
    db.flush()
    return chat_session


def hand_back(
    db: Session, chat_session: ChatSession, *, user_id: int, phase: Optional[str] = None
) -> ChatSession:
    """human → bot, optionally in another phase; the bot resumes where the plan left off."""
    if phase is not None and phase not in PHASES:
        raise ValueError(f"phase must be one of {', '.join(PHASES)}")
    _lock_open(db, chat_session)
    if chat_session.status != "human":
        raise IllegalTransition(f"cannot hand back a session that is {chat_session.status}")
    now = utcnow()
    handoff = _open_handoff(db, chat_session)
    if handoff is not None:
        handoff.handed_back_at = now
        handoff.closed_at = now
    chat_session.status = "bot"
    chat_session.assigned_user_id = None
    chat_session.handoff_reason = None
    chat_session.fallback_streak = 0
    if phase is not None and phase != chat_session.phase:
        chat_session.phase = phase
        _note_phase_in_plan(db, chat_session, phase)
    _system(db, chat_session, "handback", user_id=user_id, phase=chat_session.phase)
    audit.record(
        db,
        user=user_id,
        action="session.handback",
        object_type="session",
        object_id=chat_session.id,
        detail={"phase": chat_session.phase},
    )
    db.flush()
    return chat_session


def client_left(db: Session, chat_session: ChatSession, *, reason: str) -> ChatSession:
    """The client left the kiosk (Stoppen, or it cleared itself) while a person is coming or
    with them: the session stays open and its hand-off stays in the queue, so a counsellor
    still goes to the client (a crisis is never cancelled by a tap); the console is told."""
    if reason not in CLOSE_REASONS:
        raise ValueError(f"reason must be one of {', '.join(CLOSE_REASONS)}")
    _lock_open(db, chat_session)
    _system(db, chat_session, "client_left", reason=reason, status=chat_session.status)
    audit.record(
        db,
        user="kiosk",
        action="session.client_left",
        object_type="session",
        object_id=chat_session.id,
        detail={"reason": reason, "status": chat_session.status},
    )
    db.flush()
    return chat_session


# Why a session closed when no counsellor closed it (``close(reason=…)``).
CLOSE_REASONS = ("ended_by_client", "kiosk_idle", "idle")


def close(
    db: Session,
    chat_session: ChatSession,
    *,
    user_id: Optional[int] = None,
    reason: Optional[str] = None,
    now=None,
) -> ChatSession:
    """Any open status → closed. Nothing is deleted; the transcript stays readable.

    ``reason``: ``ended_by_client`` (the kiosk's "Stoppen"), ``kiosk_idle`` (the kiosk
    cleared itself after "Bent u er nog?" went unanswered) or ``idle`` (the server's
    sweep); none when a counsellor closes.
    """
    if reason is not None and reason not in CLOSE_REASONS:
        raise ValueError(f"reason must be one of {', '.join(CLOSE_REASONS)}")
    _lock_open(db, chat_session)
    now = now or utcnow()
    previous = chat_session.status
    handoff = _open_handoff(db, chat_session)
    if handoff is not None:
        handoff.closed_at = now
    extra = {"reason": reason} if reason else {}
    _system(db, chat_session, "closed", user_id=user_id, previous_status=previous, **extra)
    chat_session.status = "closed"
    chat_session.closed_at = now
    actor = (
        user_id
        if user_id is not None
        else ("kiosk" if reason in ("ended_by_client", "kiosk_idle") else "system")
    )
    audit.record(
        db,
        user=actor,
        action="session.closed",
        object_type="session",
        object_id=chat_session.id,
        detail={"previous_status": previous, **extra},
    )
    db.flush()
    return chat_session
