"""ORM models of the app database (SQLAlchemy 1.4, 2.0 style).

Rasa's own tables (tracker store) never live here.
"""

from __future__ import annotations

from typing import Any, List, Optional

from sqlalchemy import (
    Boolean,
    Column,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base, relationship

from bot.db.types import UTCDateTime, json_column_type, utcnow

# Named constraints keep Alembic batch mode (SQLite) and downgrades predictable.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Any: SQLAlchemy 1.4 has no types (requirements-dev.txt), so mypy cannot see the declarative base.
Base: Any = declarative_base(metadata=MetaData(naming_convention=NAMING_CONVENTION))

ROLES = ("counsellor", "trainer", "admin")
SESSION_STATUSES = ("bot", "waiting_for_human", "human", "closed")
PHASES = ("verkennen", "kiezen", "verkrijgen", "afgerond")
SENDERS = ("client", "bot", "counsellor", "system")
HANDOFF_REASONS = ("crisis", "emotion", "uncertain", "request")
LANGUAGES = ("nl", "en")
PLAN_CHANGE_SOURCES = (
    "client_message",
    "counsellor_entry",
    "counsellor_correction",
    "derived",
)


def _enum(values, name: str) -> Enum:
    # VARCHAR + CHECK instead of a native PostgreSQL ENUM: same DDL on both
    # databases and new values need no ALTER TYPE.
    return Enum(
        *values,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(v) for v in values),
    )


class User(Base):
    __tablename__ = "users"

    id = Column(Integer, primary_key=True)
    username = Column(String(64), nullable=False, unique=True)
    password_hash = Column(String(255), nullable=False)
    role = Column(_enum(ROLES, "user_role"), nullable=False)
    disabled = Column(Boolean, nullable=False, default=False)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    last_login_at = Column(UTCDateTime, nullable=True)
    # Bumped by logout, password reset and role change: older tokens stop working.
    token_version = Column(Integer, nullable=False, default=0, server_default="0")

    def __repr__(self) -> str:  # never the hash
        return f"<User {self.id} {self.username!r} {self.role}>"


class KioskKey(Base):
    __tablename__ = "kiosk_keys"

    id = Column(Integer, primary_key=True)
    label = Column(String(100), nullable=False)
    key_hash = Column(String(64), nullable=False, unique=True)  # sha256 hex
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    revoked_at = Column(UTCDateTime, nullable=True)

    def __repr__(self) -> str:
        return f"<KioskKey {self.id} {self.label!r}>"


class Plan(Base):
    __tablename__ = "plans"

    id = Column(String(32), primary_key=True)
    client_ref = Column(String(128), nullable=True, index=True)
    data = Column(json_column_type(), nullable=False)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = Column(UTCDateTime, nullable=False, default=utcnow)

    changes: List["PlanChange"] = relationship(
        "PlanChange",
        back_populates="plan",
        order_by="PlanChange.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class ChatSession(Base):
    __tablename__ = "sessions"

    id = Column(String(32), primary_key=True)
    client_ref = Column(String(128), nullable=True, index=True)
    language = Column(String(8), nullable=False, default="nl")
    phase = Column(_enum(PHASES, "session_phase"), nullable=False, default="verkennen")
    status = Column(_enum(SESSION_STATUSES, "session_status"), nullable=False, default="bot", index=True)
    is_training = Column(Boolean, nullable=False, default=False)
    plan_id = Column(String(32), ForeignKey("plans.id"), nullable=False, index=True)
    started_at = Column(UTCDateTime, nullable=False, default=utcnow)
    last_message_at = Column(UTCDateTime, nullable=True)
    closed_at = Column(UTCDateTime, nullable=True)
    assigned_user_id = Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    handoff_reason = Column(String(32), nullable=True)
    fallback_streak = Column(Integer, nullable=False, default=0)
    # Set by the retention run once client text is removed (statistics stay).
    anonymised_at = Column(UTCDateTime, nullable=True)

    plan: Plan = relationship("Plan")
    assigned_user: Optional[User] = relationship("User")
    messages: List["Message"] = relationship(
        "Message",
        back_populates="chat_session",
        order_by="Message.seq",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    handoffs: List["Handoff"] = relationship(
        "Handoff",
        back_populates="chat_session",
        order_by="Handoff.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    def __repr__(self) -> str:
        return f"<ChatSession {self.id} {self.status}/{self.phase}>"


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (UniqueConstraint("session_id", "seq"),)

    id = Column(String(32), primary_key=True)
    session_id = Column(String(32), ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False, index=True)
    seq = Column(Integer, nullable=False)
    sender = Column(_enum(SENDERS, "message_sender"), nullable=False)
    text = Column(Text, nullable=False, default="")
    buttons = Column(json_column_type(), nullable=True)
    intent = Column(String(100), nullable=True)
    confidence = Column(Float, nullable=True)
    entities = Column(json_column_type(), nullable=True)
    safety = Column(json_column_type(), nullable=True)
    utter_action = Column(String(100), nullable=True)
    mi_code = Column(String(50), nullable=True)
    meta = Column(json_column_type(), nullable=True)
    author_user_id = Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    # False for client text that reached no bot (a person held the session, or Rasa was down).
    forwarded_to_rasa = Column(Boolean, nullable=False, default=False)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)

    chat_session: ChatSession = relationship("ChatSession", back_populates="messages")

    def __repr__(self) -> str:
        return f"<Message {self.id} #{self.seq} {self.sender}>"


class Handoff(Base):
    __tablename__ = "handoffs"

    id = Column(Integer, primary_key=True)
    session_id = Column(String(32), ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False, index=True)
    reason = Column(_enum(HANDOFF_REASONS, "handoff_reason"), nullable=False)
    message_id = Column(String(32), ForeignKey("messages.id", ondelete="SET NULL"), nullable=True)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    taken_by_user_id = Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    taken_at = Column(UTCDateTime, nullable=True)
    handed_back_at = Column(UTCDateTime, nullable=True)
    closed_at = Column(UTCDateTime, nullable=True)

    chat_session: ChatSession = relationship("ChatSession", back_populates="handoffs")


class PlanChange(Base):
    __tablename__ = "plan_changes"

    id = Column(Integer, primary_key=True)
    plan_id = Column(String(32), ForeignKey("plans.id", ondelete="CASCADE"), nullable=False, index=True)
    session_id = Column(String(32), ForeignKey("sessions.id", ondelete="SET NULL"), nullable=True)
    path = Column(String(255), nullable=False)
    old_value = Column(json_column_type(), nullable=True)
    new_value = Column(json_column_type(), nullable=True)
    source = Column(_enum(PLAN_CHANGE_SOURCES, "plan_change_source"), nullable=False)
    message_id = Column(String(32), nullable=True)
    user_id = Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)

    plan: Plan = relationship("Plan", back_populates="changes")


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_object", "object_type", "object_id"),)

    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    username = Column(String(64), nullable=True)
    action = Column(String(64), nullable=False)
    object_type = Column(String(32), nullable=False)
    object_id = Column(String(64), nullable=True)
    detail = Column(json_column_type(), nullable=True)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow, index=True)


class LoginThrottle(Base):
    """Failed sign-ins per account or per address (bot/login_throttle.py).

    ``key`` is ``user:`` or ``addr:`` plus a SHA-256 prefix: neither a typed user
    name nor an address is stored. Kept in the database so every API replica sees
    the same counts and locks.
    """

    __tablename__ = "login_throttle"

    key = Column(String(80), primary_key=True)
    failures = Column(Integer, nullable=False, default=0)
    first_failure_at = Column(UTCDateTime, nullable=False, default=utcnow)
    last_failure_at = Column(UTCDateTime, nullable=False, default=utcnow, index=True)
    # None = not locked; a time = refused until then (an admin can lift it).
    locked_until = Column(UTCDateTime, nullable=True)
    refused = Column(Integer, nullable=False, default=0)


class ResumeCode(Base):
    """A short-lived, one-time code a counsellor issues so a returning client can
    continue their plan at the kiosk (bot/resume_codes.py).

    Only an HMAC of the code is stored; ``used_at`` makes it single-use. Rows carry
    the client reference, so they are purged once expired and deleted with the client.
    """

    __tablename__ = "resume_codes"

    id = Column(Integer, primary_key=True)
    code_hash = Column(String(64), nullable=False, unique=True)
    client_ref = Column(String(128), nullable=False, index=True)
    created_by_user_id = Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    expires_at = Column(UTCDateTime, nullable=False, index=True)
    used_at = Column(UTCDateTime, nullable=True)
    used_session_id = Column(String(32), nullable=True)


__all__ = [
    "Base",
    "User",
    "KioskKey",
    "Plan",
    "ChatSession",
    "Message",
    "Handoff",
    "PlanChange",
    "AuditEvent",
    "LoginThrottle",
    "ResumeCode",
    "ROLES",
    "SESSION_STATUSES",
    "PHASES",
    "SENDERS",
    "HANDOFF_REASONS",
    "LANGUAGES",
    "PLAN_CHANGE_SOURCES",
]
