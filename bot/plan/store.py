"""Storing plan versions: lock, validate, diff into plan_changes, save.

Shared by the plan service and the session service (phase changes); it knows
nothing about who asked, only what changed and on whose behalf.
"""

from __future__ import annotations

from datetime import datetime
from typing import List, Optional, Tuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.locks import lock_for_write
from bot.db.models import Plan, PlanChange
from bot.db.types import utcnow
from bot.plan import model
from bot.plan.schema import validate

# Bookkeeping that changes on every write; not worth a plan_changes row.
UNAUDITED_PATHS = {"updated_at"}


class PlanNotFound(LookupError):
    pass


def load_for_update(db: Session, plan_id: str) -> Plan:
    row = db.get(Plan, plan_id)
    if row is None:
        raise PlanNotFound(f"no plan {plan_id!r}")
    lock_for_write(db, row)
    return row


def latest_plan_for_client(db: Session, client_ref: str) -> Optional[Plan]:
    return db.execute(
        select(Plan)
        .where(Plan.client_ref == client_ref)
        .order_by(Plan.updated_at.desc(), Plan.created_at.desc())
        .limit(1)
    ).scalar_one_or_none()


def save(
    db: Session,
    row: Plan,
    new_data: dict,
    *,
    source: str,
    session_id: Optional[str] = None,
    message_id: Optional[str] = None,
    user_id: Optional[int] = None,
    now: Optional[datetime] = None,
) -> List[Tuple[str, object, object]]:
    """Validate ``new_data`` and store it, one plan_changes row per changed leaf.

    Raises PlanInvalid before anything is written.
    """
    validate(new_data)
    now = now or utcnow()
    changes = [
        (path, old, new)
        for path, old, new in model.changed_leaves(row.data, new_data)
        if path not in UNAUDITED_PATHS
    ]
    for path, old, new in changes:
        db.add(
            PlanChange(
                plan_id=row.id,
                session_id=session_id,
                path=path,
                old_value=old,
                new_value=new,
                source="counsellor_entry" if source == "counsellor_correction" and old is None else source,
                message_id=message_id,
                user_id=user_id,
                created_at=now,
            )
        )
    row.data = new_data
    row.updated_at = now
    db.flush()
    return changes
