"""One-time resume codes: how a returning client continues their plan at the kiosk.

The kiosk never takes a file number (anyone holding a kiosk key could read another
client's plan with it). A counsellor issues a short code in the console instead; the
client types it at the kiosk within ``resume_code_minutes``, and the new session
continues that client's latest plan. A code works once: used, expired and unknown
codes are refused alike, and the API limits tries per kiosk key.

Only an HMAC of the code is stored (keyed with a server secret, so a database reader
cannot try all codes offline); the code itself is shown to the counsellor once.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Optional

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from bot import audit
from bot.accounts import Actor
from bot.db.models import ChatSession, Plan, ResumeCode
from bot.db.types import utcnow
from bot.plan import store as plan_store

# No 0/O, 1/I/L: easy to read aloud and to type. 31 ** 8 ≈ 8.5e11 codes.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
_SEPARATORS = re.compile(r"[\s\-_.]+")


class ResumeCodeError(ValueError):
    """The code cannot be issued; the message says why."""


class UnknownClient(LookupError):
    """No client plan carries this reference."""


class RefConflict(ResumeCodeError):
    """The session already belongs to another client reference."""


class CodeRefused(LookupError):
    """Unknown, expired or already used (one answer for all, so tries learn nothing)."""


@dataclass(frozen=True)
class Issued:
    code: str
    client_ref: str
    expires_at: datetime


def normalise(code: str) -> str:
    """What the client typed, as stored: upper case, without spaces or dashes."""
    return _SEPARATORS.sub("", code or "").upper()


def looks_valid(code: str) -> bool:
    value = normalise(code)
    return len(value) == CODE_LENGTH and all(c in ALPHABET for c in value)


def code_hash(code: str, secret: str) -> str:
    return hmac.new(secret.encode("utf-8"), normalise(code).encode("utf-8"), hashlib.sha256).hexdigest()


def _new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def _clean_ref(client_ref: str) -> str:
    if not isinstance(client_ref, str) or not client_ref.strip():
        raise ResumeCodeError("a client reference is needed")
    client_ref = client_ref.strip()
    if len(client_ref) > 128:
        raise ResumeCodeError("client reference is longer than 128 characters")
    return client_ref


def _link_session(db: Session, chat_session: ChatSession, client_ref: str, *, actor: Actor) -> None:
    """Give a session (and its plan) the client reference the counsellor typed."""
    if chat_session.is_training:
        raise ResumeCodeError("training sessions never continue as a client's plan")
    if chat_session.client_ref:
        if chat_session.client_ref.lower() != client_ref.lower():
            raise RefConflict("this session already has another client reference")
        return
    plan_row = plan_store.load_for_update(db, chat_session.plan_id)
    if plan_row.client_ref and plan_row.client_ref.lower() != client_ref.lower():
        raise RefConflict("the plan of this session already has another client reference")
    chat_session.client_ref = client_ref
    if not plan_row.client_ref:
        plan_store.save(
            db,
            plan_row,
            {**plan_row.data, "client_ref": client_ref},
            source="derived",
            session_id=chat_session.id,
            now=utcnow(),
        )
        plan_row.client_ref = client_ref
    from bot.records import ref_digest

    audit.record(
        db,
        user=actor,
        action="session.client_ref_set",
        object_type="session",
        object_id=chat_session.id,
        detail={"client_ref_digest": ref_digest(client_ref)},
    )


def issue(
    db: Session,
    client_ref: str,
    *,
    secret: str,
    minutes: int,
    actor: Actor,
    session_id: Optional[str] = None,
    now: Optional[datetime] = None,
) -> Issued:
    """A new code for the client's latest plan (audited, never the code itself).

    With ``session_id``, a session without a reference gets ``client_ref`` first, so a
    first-time client can come back; a session with another reference is a conflict.
    """
    from bot import sessions
    from bot.records import ref_digest

    client_ref = _clean_ref(client_ref)
    now = now or utcnow()
    if session_id is not None:
        _link_session(db, sessions.get_session(db, session_id), client_ref, actor=actor)
        db.flush()
    training_plans = select(ChatSession.plan_id).where(ChatSession.is_training.is_(True))
    plan_id = db.execute(
        select(Plan.id).where(Plan.client_ref == client_ref, Plan.id.notin_(training_plans)).limit(1)
    ).scalar_one_or_none()
    if plan_id is None:
        raise UnknownClient(client_ref)
    purge(db, now=now)
    code = _new_code()
    expires_at = now + timedelta(minutes=minutes)
    user_id = getattr(actor, "id", None) if not isinstance(actor, int) else actor
    db.add(
        ResumeCode(
            code_hash=code_hash(code, secret),
            client_ref=client_ref,
            created_by_user_id=user_id,
            created_at=now,
            expires_at=expires_at,
        )
    )
    audit.record(
        db,
        user=actor,
        action="client.resume_code_issued",
        object_type="client",
        object_id=ref_digest(client_ref),
        detail={"expires_at": expires_at.isoformat(), "session_id": session_id},
    )
    db.flush()
    return Issued(code=code, client_ref=client_ref, expires_at=expires_at)


def redeem(db: Session, code: str, *, secret: str, now: Optional[datetime] = None) -> str:
    """Use the code once; the client reference it continues. Raises CodeRefused.

    One conditional UPDATE marks it used, so two kiosks typing the same code at the
    same moment cannot both get it.
    """
    if not looks_valid(code):
        raise CodeRefused("not a resume code")
    now = now or utcnow()
    digest = code_hash(code, secret)
    result = db.execute(
        update(ResumeCode)
        .where(ResumeCode.code_hash == digest, ResumeCode.used_at.is_(None), ResumeCode.expires_at > now)
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise CodeRefused("unknown, expired or already used")
    return db.execute(select(ResumeCode.client_ref).where(ResumeCode.code_hash == digest)).scalar_one()


def note_used(db: Session, code: str, session_id: str, *, secret: str) -> None:
    """Remember which session a code started (audited with the session, not the code)."""
    db.execute(
        update(ResumeCode)
        .where(ResumeCode.code_hash == code_hash(code, secret))
        .values(used_session_id=session_id)
        .execution_options(synchronize_session=False)
    )
    audit.record(
        db, user="kiosk", action="session.resumed_by_code", object_type="session", object_id=session_id
    )


def purge(db: Session, *, now: Optional[datetime] = None) -> int:
    """Drop codes that can no longer be used (they carry a client reference)."""
    now = now or utcnow()
    result = db.execute(
        delete(ResumeCode)
        .where(or_(ResumeCode.expires_at <= now, ResumeCode.used_at.isnot(None)))
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def delete_for_client(db: Session, client_ref: str) -> int:
    result = db.execute(
        delete(ResumeCode)
        .where(ResumeCode.client_ref == client_ref)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0
