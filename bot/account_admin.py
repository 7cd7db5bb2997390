"""Account management for admins: list, create, disable, enable, reset, change role, sign out.

Builds on ``bot.accounts`` (hashing, validation, audit) and adds what the console
needs: every change that should end a user's sessions bumps ``token_version``,
and the last enabled admin can never lock the organisation out.
"""

from __future__ import annotations

from typing import List, Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import accounts, audit
from bot.accounts import AccountError, Actor
from bot.db.models import ROLES, User


class LastAdmin(AccountError):
    """The change would leave no enabled admin account."""


def list_users(db: Session) -> List[User]:
    return list(db.execute(select(User).order_by(User.username)).scalars())


def get_user_by_id(db: Session, user_id: int) -> User:
    user = db.get(User, user_id)
    if user is None:
        raise accounts.UnknownUser(f"no user with id {user_id}")
    return user


def revoke_tokens(db: Session, user: User) -> None:
    """Every token issued so far stops working (logout, password reset, role change)."""
    user.token_version = (user.token_version or 0) + 1
    db.flush()


def sign_out(db: Session, user: User) -> None:
    revoke_tokens(db, user)
    audit.record(db, user=user, action="auth.signed_out", object_type="user", object_id=user.id)


def _enabled_admins(db: Session) -> int:
    return db.execute(
        select(func.count()).select_from(User).where(User.role == "admin", User.disabled.is_(False))
    ).scalar_one()


def _keep_an_admin(db: Session, user: User) -> None:
    if user.role == "admin" and not user.disabled and _enabled_admins(db) <= 1:
        raise LastAdmin("this is the last enabled admin; make another admin first")


def create_user(db: Session, username: str, role: str, password: str, *, actor: Actor) -> User:
    return accounts.create_user(db, username, role, password, actor=actor)


def disable_user(db: Session, user_id: int, *, actor: Actor) -> User:
    user = get_user_by_id(db, user_id)
    if user.disabled:
        return user
    _keep_an_admin(db, user)
    accounts.disable_user(db, user.username, actor=actor)
    revoke_tokens(db, user)
    return user


def enable_user(db: Session, user_id: int, *, actor: Actor) -> User:
    user = get_user_by_id(db, user_id)
    if not user.disabled:
        return user
    return accounts.enable_user(db, user.username, actor=actor)


def reset_password(db: Session, user_id: int, password: str, *, actor: Actor) -> User:
    user = get_user_by_id(db, user_id)
    accounts.reset_password(db, user.username, password, actor=actor)  # bumps token_version
    return user


def change_role(db: Session, user_id: int, role: str, *, actor: Actor) -> User:
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    user = get_user_by_id(db, user_id)
    if user.role == role:
        return user
    if role != "admin":
        _keep_an_admin(db, user)
    old = user.role
    user.role = role
    revoke_tokens(db, user)
    audit.record(
        db,
        user=actor,
        action="user.role_changed",
        object_type="user",
        object_id=user.id,
        detail={"username": user.username, "old": old, "new": role},
    )
    return user


def user_out(user: User) -> dict:
    """What the console shows of an account (never the hash)."""
    return {
        "id": user.id,
        "username": user.username,
        "role": user.role,
        "disabled": bool(user.disabled),
        "created_at": user.created_at,
        "last_login_at": user.last_login_at,
    }


def find_user(db: Session, username: str) -> Optional[User]:
    return accounts.get_user(db, username)
