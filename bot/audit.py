"""Audit trail: who did what to which object, for the console's accountability."""

from __future__ import annotations

from typing import Any, Optional, Union

from sqlalchemy.orm import Session

from bot.db.models import AuditEvent, User

Actor = Union[User, int, str, None]


def record(
    db: Session,
    *,
    user: Actor,
    action: str,
    object_type: str,
    object_id: Optional[Any],
    detail: Optional[dict] = None,
) -> AuditEvent:
    """Add one audit event to the current transaction.

    ``user`` is a User, a user id, a system actor name such as ``"bot"`` or
    ``"kiosk"``, or None. Never put passwords or keys in ``detail``.
    """
    user_id: Optional[int] = None
    username: Optional[str] = None
    if isinstance(user, User):
        user_id, username = user.id, user.username
    elif isinstance(user, int) and not isinstance(user, bool):
        user_id = user
        known = db.get(User, user)
        username = known.username if known is not None else None
    elif isinstance(user, str):
        username = user
    event = AuditEvent(
        user_id=user_id,
        username=username,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        detail=detail,
    )
    db.add(event)
    return event
