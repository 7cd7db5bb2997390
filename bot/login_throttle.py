"""Login protection: failed sign-ins counted per account and per address.

Counts live in the app database (table ``login_throttle``), so every API replica
sees the same numbers. Neither the typed user name nor the address is stored:
the keys are ``user:``/``addr:`` plus a SHA-256 prefix.

* per account: the first ``ACCOUNT_FREE`` failures cost nothing; every further
  failure locks the account for a growing delay (30 s, 60 s, 2 min, … up to
  15 min); after ``ACCOUNT_LOCKOUT`` failures the account stays locked until an
  admin lifts it (admin API or ``coach user unlock NAME``).
* per address: ``ADDRESS_FREE`` failures within the window, then growing delays
  up to an hour; address locks always end by themselves.

A locked key is refused *before* the password is checked, so guessing costs the
server a database read, not a bcrypt hash (the kiosks share that server).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Optional

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import audit
from bot.db.models import LoginThrottle
from bot.db.types import utcnow

ACCOUNT_FREE = 5
ACCOUNT_LOCKOUT = 10
ADDRESS_FREE = 20
FIRST_DELAY_S = 30
ACCOUNT_MAX_DELAY_S = 15 * 60
ADDRESS_MAX_DELAY_S = 60 * 60
# Failures older than this no longer count (a fresh start after a quiet day).
WINDOW = timedelta(hours=24)
# "Until an admin lifts it": far enough to mean forever, still a valid timestamp.
FOREVER = timedelta(days=365 * 100)

LOCKED_DETAIL = (
    "Te veel mislukte pogingen om in te loggen. Probeer het later opnieuw of vraag "
    "een beheerder. / Too many failed sign-ins; try again later or ask an admin."
)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def username_hash(username: str) -> str:
    """What the audit log keeps of a typed user name that is not an account."""
    return _digest("user-name:" + (username or "").strip().lower())


def account_key(username: str) -> str:
    return "user:" + _digest((username or "").strip().lower())


def address_key(address: Optional[str]) -> str:
    return "addr:" + _digest(address or "unknown")


@dataclass(frozen=True)
class Refusal:
    """Why a sign-in is refused before the password is checked."""

    kind: str  # "account" | "address"
    retry_after_s: int
    permanent: bool


def _delay_s(failures: int, free: int, max_delay: int) -> int:
    if failures < free:
        return 0
    return min(FIRST_DELAY_S * 2 ** (failures - free), max_delay)


def _row(db: Session, key: str) -> Optional[LoginThrottle]:
    return db.get(LoginThrottle, key, populate_existing=True)


def _active_lock(row: Optional[LoginThrottle], now: datetime) -> Optional[datetime]:
    if row is None or row.locked_until is None or row.locked_until <= now:
        return None
    return row.locked_until


def check(
    db: Session, username: str, address: Optional[str], *, now: Optional[datetime] = None
) -> Optional[Refusal]:
    """A Refusal when the account or the address is locked now, else None.

    Counts the refused try on the lock (shown to admins); no password is checked.
    """
    now = now or utcnow()
    for kind, key in (("account", account_key(username)), ("address", address_key(address))):
        row = _row(db, key)
        until = _active_lock(row, now)
        if until is not None:
            db.execute(
                update(LoginThrottle)
                .where(LoginThrottle.key == key)
                .values(refused=LoginThrottle.refused + 1)
            )
            seconds = max(1, int((until - now).total_seconds() + 0.999))
            permanent = until - now > timedelta(days=365)
            return Refusal(kind, min(seconds, 3600) if permanent else seconds, permanent)
    return None


def _count_failure(db: Session, key: str, now: datetime) -> LoginThrottle:
    """failures += 1, atomically across replicas; a stale row starts again at 1."""
    stale = now - WINDOW
    db.execute(
        update(LoginThrottle)
        .where(
            LoginThrottle.key == key,
            LoginThrottle.last_failure_at < stale,
            LoginThrottle.locked_until.is_(None),
        )
        .values(failures=0, first_failure_at=now)
    )
    result = db.execute(
        update(LoginThrottle)
        .where(LoginThrottle.key == key)
        .values(failures=LoginThrottle.failures + 1, last_failure_at=now)
    )
    if result.rowcount == 0:
        try:
            with db.begin_nested():
                db.add(
                    LoginThrottle(key=key, failures=1, first_failure_at=now, last_failure_at=now, refused=0)
                )
        except IntegrityError:  # another replica inserted it first
            db.execute(
                update(LoginThrottle)
                .where(LoginThrottle.key == key)
                .values(failures=LoginThrottle.failures + 1, last_failure_at=now)
            )
    row = _row(db, key)
    if row is None:  # updated or inserted just above, in this transaction
        raise RuntimeError(f"login throttle row {key!r} missing right after it was written")
    return row


def record_failure(
    db: Session,
    username: str,
    address: Optional[str],
    *,
    user_id: Optional[int],
    now: Optional[datetime] = None,
) -> None:
    """Count a wrong password (or unknown name) and lock what went over its limit; audited."""
    now = now or utcnow()
    known = user_id is not None
    name = (username or "").strip().lower()[:64]
    audit.record(
        db,
        user=None,
        action="auth.failed",
        object_type="user",
        object_id=user_id,
        detail={"username": name} if known else {"username_sha256": username_hash(username)},
    )
    account = _count_failure(db, account_key(username), now)
    lock: Optional[datetime] = None
    if account.failures >= ACCOUNT_LOCKOUT:
        lock = now + FOREVER
    elif account.failures >= ACCOUNT_FREE:
        lock = now + timedelta(seconds=_delay_s(account.failures, ACCOUNT_FREE, ACCOUNT_MAX_DELAY_S))
    if lock is not None:
        account.locked_until = lock
        audit.record(
            db,
            user=None,
            action="auth.locked",
            object_type="user",
            object_id=user_id,
            detail={
                "kind": "account",
                "failures": account.failures,
                "until_admin_unlocks": account.failures >= ACCOUNT_LOCKOUT,
                **({"username": name} if known else {"username_sha256": username_hash(username)}),
            },
        )
    addr = _count_failure(db, address_key(address), now)
    if addr.failures >= ADDRESS_FREE:
        addr.locked_until = now + timedelta(
            seconds=_delay_s(addr.failures, ADDRESS_FREE, ADDRESS_MAX_DELAY_S)
        )
        audit.record(
            db,
            user=None,
            action="auth.locked",
            object_type="address",
            object_id=None,
            detail={"kind": "address", "failures": addr.failures, "address_sha256": address_key(address)[5:]},
        )
    # Forget old, unlocked counts now and then (cheap: indexed on last_failure_at).
    db.execute(
        delete(LoginThrottle).where(
            LoginThrottle.last_failure_at < now - WINDOW, LoginThrottle.locked_until.is_(None)
        )
    )
    db.flush()


def record_success(db: Session, username: str) -> None:
    """A right password ends the account's count (the address keeps its count)."""
    db.execute(delete(LoginThrottle).where(LoginThrottle.key == account_key(username)))


def unlock_account(db: Session, username: str, *, actor: audit.Actor, user_id: Optional[int] = None) -> bool:
    """Lift an account's lock and forget its failures; audited. True if something was lifted."""
    row = _row(db, account_key(username))
    if row is None:
        return False
    audit.record(
        db,
        user=actor,
        action="auth.unlocked",
        object_type="user",
        object_id=user_id,
        detail={
            "username": (username or "").strip().lower()[:64],
            "failures": row.failures,
            "refused": row.refused,
        },
    )
    db.delete(row)
    db.flush()
    return True


def account_status(db: Session, username: str, *, now: Optional[datetime] = None) -> dict:
    now = now or utcnow()
    row = _row(db, account_key(username))
    until = _active_lock(row, now)
    return {
        "failures": row.failures if row else 0,
        "locked": until is not None,
        "until_admin_unlocks": bool(until and until - now > timedelta(days=365)),
        "locked_until": until if until and until - now <= timedelta(days=365) else None,
    }
