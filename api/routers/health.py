"""GET /health: is every part the kiosk depends on up?"""
from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

from api.schemas import HealthOut

router = APIRouter(tags=["health"])


def _db_status(maker) -> str:
    try:
        with maker() as db:
            db.execute(text("SELECT 1"))
        return "ok"
    except Exception as exc:  # any failure means "down"; the name says which kind
        return f"down ({type(exc).__name__})"


@router.get(
    "/health",
    response_model=HealthOut,
    responses={503: {"model": HealthOut, "description": "A part is down; its field says which."}},
    summary="Health of the API and what it depends on",
)
async def health(request: Request):
    state = request.app.state
    db_status, parts = await asyncio.gather(
        run_in_threadpool(_db_status, state.sessionmaker), state.rasa.status()
    )
    body = {"rasa": parts["rasa"], "actions": parts["actions"], "db": db_status}
    healthy = all(value == "ok" for value in body.values())
    body["status"] = "ok" if healthy else "degraded"
    return JSONResponse(status_code=200 if healthy else 503, content=body)
