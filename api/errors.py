"""One error shape for every failure: `{"detail": str}`, never a stack trace."""
from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException

from bot.sessions import IllegalTransition, SessionClosed, SessionNotFound

log = logging.getLogger(__name__)

DB_DOWN_DETAIL = "De database is niet bereikbaar; er is niets opgeslagen. Probeer het opnieuw."


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
        return JSONResponse(status_code=exc.status_code, content={"detail": detail},
                            headers=getattr(exc, "headers", None))

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
