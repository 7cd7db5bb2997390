"""One error shape for every failure: `{"detail": str}`, never a stack trace.

Two halves: the exception handlers that produce that shape (``install_error_handlers``),
and the table the routers document their error responses with in OpenAPI
(``ErrorResponses``: one shared wording per status code, a router overrides only
what it says more precisely).
"""

from __future__ import annotations

import logging
from typing import Any, Dict, Mapping, Optional

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.schemas import ErrorOut
from bot.sessions import IllegalTransition, SessionClosed, SessionNotFound

log = logging.getLogger(__name__)

DB_DOWN_DETAIL = "De database is niet bereikbaar; er is niets opgeslagen. Probeer het opnieuw."

# The documented meaning of each error status, shared by every router.
ERROR_WORDING: Dict[int, str] = {
    401: "Not signed in, token expired, or account disabled.",
    403: "The role may not do this.",
    404: "Unknown session.",
    409: "Not allowed in the session's current state.",
    413: "Text over the maximum length.",
    422: "Invalid input; detail says what to fix.",
    429: "Over the rate limit; try again in a minute.",
    503: "The database is unavailable; nothing was stored.",
}


class ErrorResponses:
    """A router's error responses for OpenAPI: ``responses=responses_for(401, 404)``.

    ``wording`` overrides the shared ``ERROR_WORDING`` where the router can say more
    (the kiosk's 401 is a wrong kiosk key, not a staff token).
    """

    def __init__(self, wording: Optional[Mapping[int, str]] = None) -> None:
        self.wording: Dict[int, str] = {**ERROR_WORDING, **(wording or {})}

    def __call__(self, *codes: int) -> Dict[int | str, Dict[str, Any]]:
        return {code: error_response(self.wording[code]) for code in codes}


def error_response(description: str) -> Dict[str, Any]:
    """One documented error response (the `{"detail": str}` body) for an endpoint's own case."""
    return {"model": ErrorOut, "description": description}


def _validation_detail(exc: RequestValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error.get("loc", ()) if p != "body") or "body"
        parts.append(f"{where}: {error.get('msg', 'invalid')}")
    return "; ".join(parts) or "malformed request"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        return JSONResponse(status_code=422, content={"detail": _validation_detail(exc)})

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        return JSONResponse(
            status_code=exc.status_code, content={"detail": detail}, headers=getattr(exc, "headers", None)
        )

    @app.exception_handler(SessionNotFound)
    async def _not_found(request: Request, exc: SessionNotFound):
        return JSONResponse(status_code=404, content={"detail": "unknown session"})

    @app.exception_handler(SessionClosed)
    async def _closed(request: Request, exc: SessionClosed):
        return JSONResponse(status_code=409, content={"detail": "session is closed"})

    @app.exception_handler(IllegalTransition)
    async def _illegal(request: Request, exc: IllegalTransition):
        return JSONResponse(status_code=409, content={"detail": str(exc) or "not allowed in this state"})

    @app.exception_handler(SQLAlchemyError)
    async def _db_down(request: Request, exc: SQLAlchemyError):
        log.exception("database error on %s %s", request.method, request.url.path)
        return JSONResponse(status_code=503, content={"detail": DB_DOWN_DETAIL})

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return JSONResponse(status_code=500, content={"detail": "internal error"})
