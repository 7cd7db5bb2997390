"""The FastAPI application: `create_app(settings=None)` and the module-level `app`.

Nothing connects at import or creation time; the database and Rasa are first
touched by a request.
"""

from __future__ import annotations

import asyncio

import logging
import secrets
from pathlib import Path
from typing import Optional, Union

import httpx
from fastapi import APIRouter, FastAPI

from bot.db.engine import make_sessionmaker
from bot.settings import Settings, get_settings
from bot.safety import policy
from api.db_runner import DbRunner
from api.domain_texts import DomainTexts
from api.errors import install_error_handlers
from api.pages import mount_pages
from api.rasa_client import RasaClient
from api.rate_limit import RateLimiter
from api.security import RequestGate, SecurityHeaders, redact_socket_frames_in_logs
from api.routers import (
    admin,
    auth,
    health,
    kiosk,
    records,
    resume,
    staff,
    trainer,
    scenario_from_conversation,
)
from api.idle import install_idle_sweep
from api.turns import Conversations
from api.observability import RequestContext, install_observability
from api.ws_hub import install_hub, make_hub

log = logging.getLogger("api")

API_PREFIX = "/api/v1"
# Far above any message or plan; stops a huge body before it is parsed.
MAX_BODY_BYTES = 1_000_000


DESCRIPTION = """
Kiosk, staff and health endpoints of the Toekomstcoach: the public HTTP contract, extended
(the extensions are listed in the README).
Errors are always `{"detail": str}`.

**WebSockets** (OpenAPI cannot describe them as operations):

No key or token ever travels in a URL: a WebSocket authenticates in its **first message**
(within 10 s, else it is closed with 4401).

* `WS /api/v1/sessions/{session_id}/ws`, first message
  `{"type": "auth", "key": "<kiosk key>", "after": "<message id>"|null}`:
  pushes `{"type": "update", "messages": [Msg], "status", "phase", "handoff"}`
  at connect and on every change (the same objects as
  `GET /api/v1/sessions/{session_id}/messages`). Closes with 4401 (bad key),
  4404 (unknown session), 4422 (unknown `after`), 1000 once the session is closed.
* `WS /api/v1/staff/ws`, first message `{"type": "auth", "token": "<bearer token>"}`, answered
  with `{"type": "ready"}` once the socket listens; then pushes
  `{"type": "session", "session": SessionSummary, "alert": reason|null}` when a session
  the role may see changes, and `{"type": "ping"}` every 30 s; 4401 on a bad token.
"""


def _kiosk_key(settings: Settings) -> Optional[str]:
    """COACH_KIOSK_KEY, or in dev a fresh key for this run (keys in the DB work too).

    The dev key is never logged: the dev kiosk page carries it, and `coach run`
    prints its own key once in the start banner.
    """
    if settings.kiosk_key or settings.env != "dev":
        return settings.kiosk_key
    log.warning(
        "No COACH_KIOSK_KEY set; a development kiosk key was made for this run "
        "(the dev kiosk page at /kiosk carries it)."
    )
    return secrets.token_urlsafe(24)


def create_app(
    settings: Optional[Settings] = None,
    *,
    rasa_transport: Optional[httpx.AsyncBaseTransport] = None,
    domain_path: Union[str, Path, None] = None,
) -> FastAPI:
    """Build the app. Tests pass settings, a fake Rasa transport and a domain file."""
    settings = settings or get_settings()
    if settings.env == "production":
        settings.check_production()
    wording = DomainTexts.load(domain_path)
    missing = wording.missing()
    if missing:
        message = f"domain.yml lacks responses the API needs: {', '.join(missing)}"
        if settings.env == "production":
            raise RuntimeError(message)
        log.warning(message)

    app = FastAPI(
        title="Toekomstcoach API",
        version="1.0.0",
        description=DESCRIPTION,
        # Off in production: no public map of the API (tests and dev keep /openapi.json).
        openapi_url="/openapi.json" if settings.api_docs else None,
        docs_url="/docs" if settings.api_docs else None,
        redoc_url="/redoc" if settings.api_docs else None,
    )
    state = app.state
    state.settings = settings
    state.sessionmaker = make_sessionmaker(settings.database_url)
    state.db = DbRunner(state.sessionmaker)
    state.hub = make_hub(settings)  # Redis pub/sub across replicas when COACH_REDIS_URL is set
    state.rate_limiter = RateLimiter()
    state.wording = wording
    state.accepted_kiosk_key = _kiosk_key(settings)
    state.rasa = RasaClient(
        settings.rasa_urls,
        token=settings.rasa_token,
        action_server_url=settings.action_server_url,
        timeout_s=settings.rasa_timeout_s,
        transport=rasa_transport,
        internal_token=settings.internal_token,
        max_turns_per_server=settings.rasa_max_turns_per_server,
        busy_notice_s=settings.rasa_busy_notice_s,
        queue_timeout_s=settings.rasa_queue_timeout_s,
    )
    state.conversations = Conversations(db=state.db, rasa=state.rasa, wording=wording, hub=state.hub)

    @app.on_event("shutdown")
    async def _close_rasa_client() -> None:
        await state.rasa.aclose()

    @app.on_event("startup")
    async def _warm_up_safety() -> None:
        # The rules and the learned second opinion load before the first client types, not
        # during that client's turn (bot/safety/policy.py). In the background: a slow load
        # never keeps the API from answering; a turn that comes first simply loads them itself.
        asyncio.get_running_loop().run_in_executor(None, policy.warm_up)

    api = APIRouter(prefix=API_PREFIX)
    for module in (health, kiosk, auth, staff, records, resume, trainer, scenario_from_conversation, admin):
        api.include_router(module.router)
    app.include_router(api)
    mount_pages(app)
    install_idle_sweep(app)
    install_hub(app)
    install_observability(app)  # /metrics, JSON logs, error tracking (issue 15.5)
    install_error_handlers(app)
    # Outermost last: headers on every answer; auth, then body size, before any parsing.
    app.add_middleware(RequestGate, max_body_bytes=MAX_BODY_BYTES)
    app.add_middleware(SecurityHeaders, production=settings.env == "production")
    app.add_middleware(RequestContext)  # request id and latency around everything
    redact_socket_frames_in_logs()
    return app


app = create_app()
