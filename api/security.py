"""Pure ASGI middleware: who may send a body, how big it may be, and safe headers.

``RequestGate`` runs before FastAPI reads anything of a request:

1. **auth first**: kiosk routes (``/api/v1/sessions…``) need a valid ``X-Kiosk-Key``,
   staff routes (``/staff``, ``/trainer``, ``/admin``, ``/auth/me``, ``/auth/logout``)
   a valid bearer token, else ``401`` before one byte of the body is read;
2. **size on the stream**: a declared ``Content-Length`` over the limit is ``413`` at
   once; a chunked body is counted while it arrives and refused with ``413`` as soon
   as it passes the limit (it is buffered only up to the limit, then replayed);
3. only then the app parses the body (``422`` for a malformed one).

So the order is 401 → 413 → 422. Role checks stay in the endpoints.

``SecurityHeaders`` adds CSP (no inline script), frame-ancestors 'none' /
X-Frame-Options DENY, nosniff, Referrer-Policy no-referrer, HSTS in production and
``Cache-Control: no-store`` on every API answer and page (transcripts, plans, exports).
"""

from __future__ import annotations

import json
import re
from typing import Awaitable, Callable, Dict, List, Optional, Tuple

from fastapi import HTTPException

API_PREFIX = "/api/v1"
KIOSK_PATH = re.compile(r"^/api/v1/sessions(/.*)?$")
STAFF_PATH = re.compile(r"^/api/v1/(staff|trainer|admin)(/.*)?$|^/api/v1/auth/(me|logout)$")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# The interactive docs load their script from a CDN and run an inline one; they are
# off in production (Settings.api_docs) and get a looser policy in dev and test.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: https:; "
    "frame-ancestors 'none'"
)
DOCS_PATHS = ("/docs", "/redoc", "/docs/oauth2-redirect")

Scope = dict
Receive = Callable[[], Awaitable[dict]]
Send = Callable[[dict], Awaitable[None]]


async def _send_json(send: Send, status: int, detail: str, headers: Optional[Dict[str, str]] = None) -> None:
    body = json.dumps({"detail": detail}).encode("utf-8")
    raw: List[Tuple[bytes, bytes]] = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    raw += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


def _header(scope: Scope, name: bytes) -> Optional[str]:
    for key, value in scope.get("headers") or ():
        if key.lower() == name:
            return value.decode("latin-1")
    return None


class RequestGate:
    def __init__(self, app, *, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        if path.startswith(API_PREFIX) and scope.get("method") != "OPTIONS":
            refusal = await self._check_auth(scope, path)
            if refusal is not None:
                await _send_json(send, 401, *refusal)
                return
        declared = _header(scope, b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > self.max_body_bytes
            except ValueError:
                await _send_json(send, 400, "invalid Content-Length")
                return
            if too_big:
                await _send_json(send, 413, f"body over {self.max_body_bytes} bytes")
                return
        if (
            scope.get("method") in ("GET", "HEAD", "DELETE", "OPTIONS")
            and declared is None
            and _header(scope, b"transfer-encoding") is None
        ):
            await self.app(scope, receive, send)
            return
        # Read the body here, counting bytes, before anything parses it.
        chunks: List[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                await _send_json(send, 413, f"body over {self.max_body_bytes} bytes", {"Connection": "close"})
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        sent = False

        async def replay() -> dict:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _check_auth(self, scope: Scope, path: str) -> Optional[Tuple[str, Dict[str, str]]]:
        app = scope["app"]
        if KIOSK_PATH.match(path):
            key = _header(scope, b"x-kiosk-key")
            from api.deps import kiosk_key_is_valid

            if not key or not await app.state.db.run(lambda db: kiosk_key_is_valid(app, db, key)):
                return "missing or wrong kiosk key (header X-Kiosk-Key)", {}
            scope.setdefault("state", {})["kiosk_key_checked"] = key
            return None
        if STAFF_PATH.match(path):
            from api.deps import user_from_token

            auth = _header(scope, b"authorization") or ""
            scheme, _, token = auth.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                return "not signed in (Authorization: Bearer token needed)", {"WWW-Authenticate": "Bearer"}
            try:
                await app.state.db.run(lambda db: user_from_token(app.state.settings, db, token.strip()))
            except HTTPException as exc:
                return str(exc.detail), {"WWW-Authenticate": "Bearer"}
        return None


class SecurityHeaders:
    def __init__(self, app, *, production: bool) -> None:
        self.app = app
        self.production = production

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        csp = DOCS_CSP if path in DOCS_PATHS else CSP
        host = _header(scope, b"host")
        if host and re.fullmatch(r"[A-Za-z0-9.\-\[\]:]+", host):
            # The pages' own WebSockets: 'self' does not cover ws:/wss: in every browser.
            csp = csp.replace("connect-src 'self'", f"connect-src 'self' ws://{host} wss://{host}")
        extra = [
            (b"content-security-policy", csp.encode()),
            (b"x-frame-options", b"DENY"),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]
        if self.production:
            extra.append((b"strict-transport-security", b"max-age=31536000; includeSubDomains"))
        static = path.startswith("/kiosk/static/") or (
            path.startswith("/console/") and path.endswith((".js", ".css"))
        )
        no_store = not static

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                present = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in extra if k not in present]
                if no_store:
                    headers = [(k, v) for k, v in headers if k.lower() != b"cache-control"]
                    headers.append((b"cache-control", b"no-store"))
                    headers.append((b"pragma", b"no-cache"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


# --- WebSockets: credentials in the first message, never in the URL ---------------------------

WS_AUTH_TIMEOUT_S = 10.0


async def first_message(websocket, timeout_s: Optional[float] = None) -> Optional[dict]:
    """The socket's first message as a JSON object of type "auth", or None (bad, late or gone)."""
    import asyncio

    timeout_s = WS_AUTH_TIMEOUT_S if timeout_s is None else timeout_s
    try:
        message = await asyncio.wait_for(websocket.receive(), timeout=timeout_s)
    except asyncio.TimeoutError:
        return None
    if message.get("type") != "websocket.receive":
        return None
    raw = message.get("text")
    if raw is None and message.get("bytes") is not None:
        raw = message["bytes"].decode("utf-8", "replace")
    try:
        data = json.loads(raw or "")
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("type") != "auth":
        return None
    return data


# --- logs: no frame contents ----------------------------------------------------------------------


class RedactSocketFrames:
    """A logging filter for uvicorn's WebSocket debug lines ("< TEXT '{...}'"): the frame's
    contents (a kiosk key, a staff token, a client's words) become its kind and size."""

    def filter(self, record) -> bool:
        args = record.args
        if isinstance(args, tuple) and any(type(a).__name__ == "Frame" for a in args):
            record.args = tuple(
                f"{getattr(getattr(a, 'opcode', None), 'name', 'frame')} [{len(getattr(a, 'data', b''))} bytes]"
                if type(a).__name__ == "Frame"
                else a
                for a in args
            )
        return True


_REDACTOR = RedactSocketFrames()


def redact_socket_frames_in_logs() -> None:
    import logging

    for name in ("uvicorn.error", "websockets.server", "websockets.protocol"):
        logger = logging.getLogger(name)
        if _REDACTOR not in logger.filters:
            logger.addFilter(_REDACTOR)
