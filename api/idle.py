"""The API closes sessions left idle (issue 14.1), so retention reaches them.

A client who walks away from the kiosk (or reloads it) leaves an open session that
no counsellor will close. Every `COACH_SESSION_IDLE_SWEEP_S` seconds each API
worker closes, with reason `idle`, the bot's sessions untouched for
`COACH_SESSION_IDLE_CLOSE_MINUTES` and those waiting for or held by a person
untouched for `COACH_SESSION_IDLE_CLOSE_STAFF_MINUTES` (`bot.retention.close_idle_sessions`;
`coach retention run` does the same). A kiosk still following such a session
sees it close and returns to its welcome screen.
"""

from __future__ import annotations

import asyncio
import logging
from typing import List

from fastapi import FastAPI
from sqlalchemy.orm import Session

from bot import retention
from bot.db.types import utcnow

log = logging.getLogger(__name__)


async def sweep_once(app: FastAPI) -> List[str]:
    """Close the idle sessions now; nudge their kiosks and the consoles. Their ids."""
    settings = app.state.settings

    def _sweep(db: Session) -> List[str]:
        closed = retention.close_idle_sessions(
            db,
            now=utcnow(),
            bot_minutes=settings.session_idle_close_minutes,
            staff_minutes=settings.session_idle_close_staff_minutes,
        )
        db.commit()
        return closed

    closed = await app.state.db.run(_sweep)
    for session_id in closed:
        app.state.hub.session_changed(session_id, status="closed")
    if closed:
        log.info("closed %d idle session(s)", len(closed))
    return closed


async def _loop(app: FastAPI) -> None:
    while True:
        await asyncio.sleep(app.state.settings.session_idle_sweep_s)
        try:
            await sweep_once(app)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the database may be down for a while; try again next time
            log.warning("idle sweep failed: %s", type(exc).__name__)


def install_idle_sweep(app: FastAPI) -> None:
    @app.on_event("startup")
    async def _start_idle_sweep() -> None:
        app.state.idle_sweep = asyncio.ensure_future(_loop(app))

    @app.on_event("shutdown")
    async def _stop_idle_sweep() -> None:
        task = getattr(app.state, "idle_sweep", None)
        if task is not None:
            task.cancel()
