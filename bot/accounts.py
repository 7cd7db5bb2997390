"""Staff accounts and kiosk keys.

Passwords are hashed with argon2id (argon2-cffi, its default parameters: RFC 9106's
low-memory profile). Hashes made by earlier versions with bcrypt are still accepted
(checked with the bcrypt library) and replaced by an argon2 hash at the next successful
sign-in. Kiosk keys are random tokens of which only the SHA-256 is stored. Neither a
password nor a key is ever logged or written to the audit trail.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from typing import Dict, List, Optional, Union

import bcrypt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import audit
from bot.db.models import ROLES, KioskKey, User
from bot.db.types import utcnow
from bot.settings import MIN_KIOSK_KEY_CHARS, secret_problem

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_BYTES = 1024  # argon2 takes any length; this only bounds the work one request can ask for
BCRYPT_MAX_BYTES = 72  # old bcrypt hashes: bcrypt ignores everything after 72 bytes
BCRYPT_PREFIXES = ("$2a$", "$2b$", "$2y$")
# bcrypt 4.0.1 panics (an exception that is no Exception) on a malformed hash: check the shape first.
BCRYPT_HASH = re.compile(r"^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$")
USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
Actor = Union[User, int, str, None]

# Replaced by a cheap one in the tests (tests/conftest.py); read through the module each time.
_hasher = PasswordHasher()
# Verified against when the user does not exist, so timing does not reveal names;
# one per hasher, so it costs what a real check costs.
_dummy_hashes: Dict[tuple, str] = {}


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
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise AccountError(f"password may be at most {MAX_PASSWORD_BYTES} bytes")


def hash_password(password: str) -> str:
    _check_password(password)
    return _hasher.hash(password)


def _is_bcrypt(password_hash: str) -> bool:
    return password_hash.startswith(BCRYPT_PREFIXES)


def verify_password(password: str, password_hash: str) -> bool:
    """True if the password matches an argon2 hash, or a bcrypt hash of an earlier version."""
    if not isinstance(password, str) or not isinstance(password_hash, str):
        return False
    secret = password.encode("utf-8")
    if _is_bcrypt(password_hash):
        # Such passwords were refused above 72 bytes when set; a longer one must not
        # match through bcrypt's silent truncation.
        if len(secret) > BCRYPT_MAX_BYTES or not BCRYPT_HASH.fullmatch(password_hash):
            return False
        try:
            return bcrypt.checkpw(secret, password_hash.encode("ascii"))
        except ValueError:  # malformed hash or non-ASCII in it
            return False
    try:
        return _hasher.verify(password_hash, secret)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """A bcrypt hash, or an argon2 hash with other parameters than the current ones."""
    if _is_bcrypt(password_hash):
        return True
    try:
        return _hasher.check_needs_rehash(password_hash)
    except (InvalidHashError, ValueError):
        return True


def _dummy_hash() -> str:
    key = (_hasher.type, _hasher.time_cost, _hasher.memory_cost, _hasher.parallelism)
    if key not in _dummy_hashes:
        _dummy_hashes[key] = _hasher.hash("not-a-real-password")
    return _dummy_hashes[key]


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


def create_user(db: Session, username: str, role: str, password: str, *, actor: Actor = "cli") -> User:
    name = normalise_username(username)
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if get_user(db, name) is not None:
        raise AccountError(f"user {name!r} already exists")
    user = User(username=name, role=role, password_hash=hash_password(password), disabled=False)
    db.add(user)
    db.flush()
    audit.record(
        db,
        user=actor,
        action="user.created",
        object_type="user",
        object_id=user.id,
        detail={"username": name, "role": role},
    )
    return user


def authenticate(db: Session, username: str, password: str) -> Optional[User]:
    """The user if the password is right and the account enabled, else None."""
    user = get_user(db, username) if isinstance(password, str) else None
    if user is None:
        verify_password("not-the-password", _dummy_hash())
        return None
    if not verify_password(password, user.password_hash) or user.disabled:
        return None
    if needs_rehash(user.password_hash):  # an old bcrypt hash becomes argon2 here
        user.password_hash = _hasher.hash(password)
    user.last_login_at = utcnow()
    db.flush()
    return user


def disable_user(db: Session, username: str, *, actor: Actor = "cli") -> User:
    user = _require_user(db, username)
    user.disabled = True
    audit.record(
        db,
        user=actor,
        action="user.disabled",
        object_type="user",
        object_id=user.id,
        detail={"username": user.username},
    )
    db.flush()
    return user


def enable_user(db: Session, username: str, *, actor: Actor = "cli") -> User:
    user = _require_user(db, username)
    user.disabled = False
    audit.record(
        db,
        user=actor,
        action="user.enabled",
        object_type="user",
        object_id=user.id,
        detail={"username": user.username},
    )
    db.flush()
    return user


def reset_password(db: Session, username: str, password: str, *, actor: Actor = "cli") -> User:
    """A new password; every token issued so far stops working (signed out everywhere)."""
    user = _require_user(db, username)
    user.password_hash = hash_password(password)
    user.token_version = (user.token_version or 0) + 1
    audit.record(
        db,
        user=actor,
        action="user.password_reset",
        object_type="user",
        object_id=user.id,
        detail={"username": user.username},
    )
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
    audit.record(
        db,
        user=actor,
        action="kiosk_key.created",
        object_type="kiosk_key",
        object_id=row.id,
        detail={"label": row.label},
    )
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
        audit.record(
            db,
            user="system",
            action="kiosk_key.ensured",
            object_type="kiosk_key",
            object_id=row.id,
            detail={"label": row.label},
        )
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
        audit.record(
            db,
            user=actor,
            action="kiosk_key.revoked",
            object_type="kiosk_key",
            object_id=row.id,
            detail={"label": row.label},
        )
    db.flush()
    return row


def list_kiosk_keys(db: Session) -> List[KioskKey]:
    return list(db.execute(select(KioskKey).order_by(KioskKey.id)).scalars())


def find_kiosk_key(db: Session, key: str) -> Optional[KioskKey]:
    """The row of a key, revoked or not (lookup by hash)."""
    if not isinstance(key, str) or not key:
        return None
    return db.execute(select(KioskKey).where(KioskKey.key_hash == hash_kiosk_key(key))).scalar_one_or_none()
