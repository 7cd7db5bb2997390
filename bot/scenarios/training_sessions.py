"""Sandbox and replay sessions (``is_training``): wiping them all at once.

Training sessions get a plan of their own (never a client's, see
``bot.sessions.create_session``), so deleting them with their plans cannot
touch client data. The audit trail keeps a record of the wipe itself.
"""

from __future__ import annotations

from typing import Dict

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot import audit
from bot.db.models import ChatSession, Handoff, Message, Plan, PlanChange


def wipe_training_sessions(db: Session, *, user_id: int) -> Dict[str, int]:
    """Delete every training session with its messages, hand-offs and plan."""
    rows = db.execute(
        select(ChatSession.id, ChatSession.plan_id).where(ChatSession.is_training.is_(True))
    ).all()
    session_ids = [row.id for row in rows]
    plan_ids = {row.plan_id for row in rows}
    # Belt and braces: a plan that a client session also points at stays.
    shared = (
        set(
            db.execute(
                select(ChatSession.plan_id).where(
                    ChatSession.plan_id.in_(plan_ids), ChatSession.is_training.is_(False)
                )
            ).scalars()
        )
        if plan_ids
        else set()
    )
    own_plans = sorted(plan_ids - shared)
    counts = {"sessions": len(session_ids), "messages": 0, "plans": len(own_plans)}
    if session_ids:

        def run(statement):  # nothing of these rows is loaded in this ORM session
            return db.execute(statement, execution_options={"synchronize_session": False})

        run(delete(Handoff).where(Handoff.session_id.in_(session_ids)))
        counts["messages"] = run(delete(Message).where(Message.session_id.in_(session_ids))).rowcount
        run(update(PlanChange).where(PlanChange.session_id.in_(session_ids)).values(session_id=None))
        if own_plans:
            run(delete(PlanChange).where(PlanChange.plan_id.in_(own_plans)))
        run(delete(ChatSession).where(ChatSession.id.in_(session_ids)))
        if own_plans:
            run(delete(Plan).where(Plan.id.in_(own_plans)))
    audit.record(
        db, user=user_id, action="training.wiped", object_type="session", object_id=None, detail=counts
    )
    return counts
