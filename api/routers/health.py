"""Health, three ways (issue 15.4):

* ``GET /health/live``: the process answers (liveness: restart the API only when this fails);
* ``GET /health/ready``: the database is reachable (readiness: a Rasa outage does *not*
  make the API unready, because the API is what then stores the client's words, tells the
  client and calls a counsellor);
* ``GET /health``: every part, for people (503 when one is down; unchanged contract), plus,
  under ``coach run``, what the supervisor restarted.
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Any, Dict, Optional

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
    supervised = read_supervisor_status()
    if supervised is not None:
        body["supervisor"] = supervised
    return JSONResponse(status_code=200 if healthy else 503, content=body)


@router.get("/health/live", summary="Liveness: the API process answers (nothing else is asked)")
async def live():
    return {"status": "ok"}


@router.get(
    "/health/ready",
    responses={503: {"description": "The database cannot be reached."}},
    summary="Readiness: the database answers (Rasa down keeps the API ready: it then calls a counsellor)",
)
async def ready(request: Request):
    db_status = await run_in_threadpool(_db_status, request.app.state.sessionmaker)
    ok = db_status == "ok"
    return JSONResponse(
        status_code=200 if ok else 503, content={"status": "ok" if ok else "unready", "db": db_status}
    )


SUPERVISOR_STATUS_ENV = "COACH_SUPERVISOR_STATUS_FILE"


def read_supervisor_status() -> Optional[Dict[str, Any]]:
    """What `coach run`'s supervisor wrote about its children (restarts, last exit), if it runs us."""
    path = os.environ.get(SUPERVISOR_STATUS_ENV)
    if not path:
        return None
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
