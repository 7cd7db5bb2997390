"""Staff accounts and kiosk keys.

Passwords are hashed with passlib (argon2 when installed, else bcrypt); kiosk
keys are random tokens of which only the SHA-256 is stored. Neither a password
nor a key is ever logged or written to the audit trail.
"""
from __future__ import annotations

import hashlib
import hmac
import importlib.util
import re
import secrets
from typing import List, Optional, Union

from passlib.context import CryptContext
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import audit
from bot.db.models import ROLES, KioskKey, User
from bot.db.types import utcnow
from bot.settings import MIN_KIOSK_KEY_CHARS, secret_problem

MIN_PASSWORD_LENGTH = 8
BCRYPT_MAX_BYTES = 72  # bcrypt ignores everything after 72 bytes
USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
Actor = Union[User, int, str, None]

_SCHEMES = ["argon2", "bcrypt"] if importlib.util.find_spec("argon2") else ["bcrypt"]
_context = CryptContext(schemes=_SCHEMES, deprecated="auto")
# Verified against when the user does not exist, so timing does not reveal names.
_DUMMY_HASH = _context.hash("not-a-real-password")


class AccountError(ValueError):
    """Bad input for an account operation; the message says what to fix."""


class UnknownUser(AccountError):
    pass


def normalise_username(username: str) -> str:
    if not isinstance(username, str):
        raise AccountError("username must be text")
    name = username.strip().lower()
    if not USERNAME_PATTERN.fullmatch(name):
        raise AccountError(
            "username: 2-64 characters, letters, digits, '.', '_' or '-', starting with a letter or digit"
        )
    return name


def _check_password(password: str) -> None:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"password needs at least {MIN_PASSWORD_LENGTH} characters")
    if _SCHEMES[0] == "bcrypt" and len(password.encode("utf-8")) > BCRYPT_MAX_BYTES:
        raise AccountError(f"password may be at most {BCRYPT_MAX_BYTES} bytes")


def hash_password(password: str) -> str:
    _check_password(password)
    return _context.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    try:
        return _context.verify(password, password_hash)
    except (ValueError, TypeError):
        return False


def get_user(db: Session, username: str) -> Optional[User]:
    try:
        name = normalise_username(username)
    except AccountError:
        return None
    return db.execute(select(User).where(User.username == name)).scalar_one_or_none()


def _require_user(db: Session, username: str) -> User:
    user = get_user(db, username)
    if user is None:
        raise UnknownUser(f"no user {username!r}")
    return user


def create_user(
    db: Session, username: str, role: str, password: str, *, actor: Actor = "cli"
) -> User:
    name = normalise_username(username)
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if get_user(db, name) is not None:
        raise AccountError(f"user {name!r} already exists")
    user = User(username=name, role=role, password_hash=hash_password(password), disabled=False)
    db.add(user)
    db.flush()
    audit.record(db, user=actor, action="user.created", object_type="user", object_id=user.id,
                 detail={"username": name, "role": role})
    return user


def authenticate(db: Session, username: str, password: str) -> Optional[User]:
    """The user if the password is right and the account enabled, else None."""
    user = get_user(db, username) if isinstance(password, str) else None
    if user is None:
        verify_password("not-the-password", _DUMMY_HASH)
        return None
    if not verify_password(password, user.password_hash) or user.disabled:
        return None
    if _context.needs_update(user.password_hash):
        user.password_hash = _context.hash(password)
    user.last_login_at = utcnow()
    db.flush()
    return user


def disable_user(db: Session, username: str, *, actor: Actor = "cli") -> User:
    user = _require_user(db, username)
    user.disabled = True
    audit.record(db, user=actor, action="user.disabled", object_type="user", object_id=user.id,
                 detail={"username": user.username})
    db.flush()
    return user


def enable_user(db: Session, username: str, *, actor: Actor = "cli") -> User:
    user = _require_user(db, username)
    user.disabled = False
    audit.record(db, user=actor, action="user.enabled", object_type="user", object_id=user.id,
                 detail={"username": user.username})
    db.flush()
    return user


def reset_password(db: Session, username: str, password: str, *, actor: Actor = "cli") -> User:
    """A new password; every token issued so far stops working (signed out everywhere)."""
    user = _require_user(db, username)
    user.password_hash = hash_password(password)
    user.token_version = (user.token_version or 0) + 1
    audit.record(db, user=actor, action="user.password_reset", object_type="user",
                 object_id=user.id, detail={"username": user.username})
    db.flush()
    return user


# --- kiosk keys -------------------------------------------------------------------


def hash_kiosk_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _clean_label(label: str) -> str:
    if not isinstance(label, str) or not label.strip():
        raise AccountError("a kiosk key needs a label (for example the T-room's name)")
    if len(label.strip()) > 100:
        raise AccountError("kiosk key label is longer than 100 characters")
    return label.strip()


def create_kiosk_key(db: Session, label: str, *, actor: Actor = "cli") -> str:
    """Make a new key; the plaintext is returned once and never stored."""
    key = secrets.token_urlsafe(32)
    row = KioskKey(label=_clean_label(label), key_hash=hash_kiosk_key(key))
    db.add(row)
    db.flush()
    audit.record(db, user=actor, action="kiosk_key.created", object_type="kiosk_key",
                 object_id=row.id, detail={"label": row.label})
    return key


def ensure_kiosk_key(db: Session, key: str, label: str) -> KioskKey:
    """Accept a given key (COACH_KIOSK_KEY). A key once revoked stays revoked."""
    problem = secret_problem(key, MIN_KIOSK_KEY_CHARS)
    if problem:
        raise AccountError(f"kiosk key {problem}; make one with `coach kiosk-key create`")
    digest = hash_kiosk_key(key)
    row = db.execute(select(KioskKey).where(KioskKey.key_hash == digest)).scalar_one_or_none()
    if row is None:
        row = KioskKey(label=_clean_label(label), key_hash=digest)
        db.add(row)
        db.flush()
        audit.record(db, user="system", action="kiosk_key.ensured", object_type="kiosk_key",
                     object_id=row.id, detail={"label": row.label})
    return row


def verify_kiosk_key(db: Session, key: Optional[str]) -> bool:
    if not isinstance(key, str) or not key:
        return False
    digest = hash_kiosk_key(key)
    row = db.execute(
        select(KioskKey).where(KioskKey.key_hash == digest, KioskKey.revoked_at.is_(None))
    ).scalar_one_or_none()
    # The lookup is by hash; compare again in constant time for good measure.
    return row is not None and hmac.compare_digest(row.key_hash, digest)


def revoke_kiosk_key(db: Session, key_id: int, *, actor: Actor = "cli") -> KioskKey:
    row = db.get(KioskKey, key_id)
    if row is None:
        raise AccountError(f"no kiosk key {key_id}")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        audit.record(db, user=actor, action="kiosk_key.revoked", object_type="kiosk_key",
                     object_id=row.id, detail={"label": row.label})
    db.flush()
    return row


def list_kiosk_keys(db: Session) -> List[KioskKey]:
    return list(db.execute(select(KioskKey).order_by(KioskKey.id)).scalars())


def find_kiosk_key(db: Session, key: str) -> Optional[KioskKey]:
    """The row of a key, revoked or not (lookup by hash)."""
    if not isinstance(key, str) or not key:
        return None
    return db.execute(select(KioskKey).where(KioskKey.key_hash == hash_kiosk_key(key))).scalar_one_or_none()
