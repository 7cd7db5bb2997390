"""Roughly how long a client waits for a counsellor, from the queue (issue 17).

The kiosk tells a waiting client "Er komt een begeleider. Even geduld, meestal
binnen een paar minuten." and, with this estimate, roughly when. The figure is
plain on purpose: the median time counsellors took to take over recent
hand-offs (the last ``RECENT`` taken within ``WINDOW``; no estimate without
that history: the kiosk then says "meestal binnen een paar minuten"), plus that much again for every client who waits longer
(crisis first: a crisis only waits behind other crises). Whole minutes,
at least 1, at most ``MAX_MINUTES`` (beyond that the kiosk only says "even geduld").
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone
from statistics import median
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import ChatSession, Handoff

RECENT = 20
WINDOW = timedelta(days=7)
MAX_MINUTES = 60


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def typical_take_over_minutes(db: Session, now: datetime) -> Optional[float]:
    rows = db.execute(
        select(Handoff.created_at, Handoff.taken_at)
        .where(Handoff.taken_at.is_not(None), Handoff.created_at >= now - WINDOW)
        .order_by(Handoff.taken_at.desc())
        .limit(RECENT)
    ).all()
    waits = [(_aware(taken) - _aware(asked)).total_seconds() / 60 for asked, taken in rows]
    waits = [w for w in waits if w >= 0]
    return median(waits) if waits else None


def estimate_minutes(db: Session, handoff: Handoff, *, now: Optional[datetime] = None) -> Optional[int]:
    """Minutes until a counsellor likely takes this hand-off; None once taken or when beyond MAX_MINUTES."""
    if handoff.taken_at is not None or handoff.closed_at is not None:
        return None
    now = now or datetime.now(timezone.utc)
    waiting = (
        select(Handoff.id)
        .join(ChatSession, ChatSession.id == Handoff.session_id)
        .where(
            ChatSession.status == "waiting_for_human",
            Handoff.taken_at.is_(None),
            Handoff.closed_at.is_(None),
            Handoff.session_id != handoff.session_id,
            Handoff.created_at < handoff.created_at,
        )
    )
    if handoff.reason == "crisis":
        waiting = waiting.where(Handoff.reason == "crisis")
    ahead = len(db.execute(waiting).all())
    typical = typical_take_over_minutes(db, now)
    if typical is None:
        return None
    waited = max(0.0, (now - _aware(handoff.created_at)).total_seconds() / 60)
    minutes = math.ceil(max(1.0, typical * (ahead + 1) - waited))
    return minutes if minutes <= MAX_MINUTES else None
