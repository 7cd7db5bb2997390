"""Kiosk endpoints: start a session, send messages, read and follow the conversation."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, Optional

from fastapi.encoders import jsonable_encoder
from fastapi import APIRouter, Depends, HTTPException, Query, Request, WebSocket, status
from sqlalchemy.orm import Session
from starlette.websockets import WebSocketDisconnect, WebSocketState

from bot import resume_codes, sessions
from api import serialise
from api.errors import ErrorResponses
from api.deps import Kiosk, kiosk_key_is_valid, require_kiosk
from api.rate_limit import Limit, per_minute
from api.security import first_message
from api.schemas import MessageIn, MessagesOut, SessionOut, TurnOut
from api.schemas import KioskSessionCreate, SessionEndIn, SessionEndOut
from api.ws_hub import next_nudge

log = logging.getLogger(__name__)
router = APIRouter(tags=["kiosk"])

# A socket re-reads the database at least this often, so it catches up on
# changes made by another API worker whose nudge it did not hear.
WS_REFRESH_S = 3.0

responses_for = ErrorResponses(
    {
        401: "Missing or wrong kiosk key.",
        409: "The session is closed (the kiosk can no longer read or write it).",
        413: "Text over the maximum length (2,000 characters).",
        422: "Malformed body (bad JSON, empty or blank text; a `client_ref`; "
        "an unknown, expired or used `resume_code`).",
    }
)


def _rate_limit(request: Request, bucket: str, limit) -> None:
    if not request.app.state.rate_limiter.allow(bucket, limit):
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            "too many requests; wait a minute and try again",
            headers={"Retry-After": str(int(limit.window_s))},
        )


@router.post(
    "/sessions",
    response_model=SessionOut,
    status_code=status.HTTP_201_CREATED,
    responses=responses_for(401, 422, 429, 503),
    summary="Start a conversation; the reply holds the bot's opening turn",
)
async def start_session(body: KioskSessionCreate, request: Request, kiosk: Kiosk = Depends(require_kiosk)):
    settings = request.app.state.settings
    _rate_limit(request, "new:" + kiosk.bucket, per_minute(settings.rate_limit_key_new_sessions))
    client_ref = None
    if body.resume_code:
        # Every try counts, so guessing codes is bounded per kiosk key.
        _rate_limit(
            request, "resume:" + kiosk.bucket, Limit(settings.rate_limit_key_resume_codes, RESUME_WINDOW_S)
        )
        client_ref = await request.app.state.db.run(_redeem, body.resume_code, settings.jwt_secret)
    result = await request.app.state.conversations.start(
        language=body.language, client_ref=client_ref, is_training=False
    )
    if body.resume_code:
        await request.app.state.db.run(
            _note_resumed, body.resume_code, result.session_id, settings.jwt_secret
        )
    return {"session_id": result.session_id, **result.public()}


# Resume-code tries per kiosk key are counted over this window (COACH_RATE_LIMIT_KEY_RESUME_CODES).
RESUME_WINDOW_S = 600.0
RESUME_CODE_REFUSED = (
    "code onbekend, verlopen of al gebruikt / " "resume code unknown, expired or already used"
)


def _redeem(db: Session, code: str, secret: str) -> str:
    try:
        client_ref = resume_codes.redeem(db, code, secret=secret)
    except resume_codes.CodeRefused:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, RESUME_CODE_REFUSED) from None
    db.commit()  # used now, whatever happens next: a code never works twice
    return client_ref


def _note_resumed(db: Session, code: str, session_id: str, secret: str) -> None:
    resume_codes.note_used(db, code, session_id, secret=secret)
    db.commit()


@router.post(
    "/sessions/{session_id}/end",
    response_model=SessionEndOut,
    responses=responses_for(401, 404, 409, 422, 503),
    summary='Extra: the client ends the talk ("Stoppen"); nobody is called, the plan keeps what was said',
)
async def end_session(
    session_id: str,
    request: Request,
    body: Optional[SessionEndIn] = None,
    kiosk: Kiosk = Depends(require_kiosk),
):
    """Closes the session with reason `ended_by_client` (or `kiosk_idle` when the kiosk cleared
    itself after "Bent u er nog?"). From then on the kiosk can neither read nor write it (409)."""
    reason = body.reason if body else "ended_by_client"

    def _end(db: Session):
        chat_session = sessions.get_session(db, session_id)
        if chat_session.status in ("waiting_for_human", "human"):
            # A person is coming or there: the kiosk forgets, the counsellor's call stands.
            sessions.client_left(db, chat_session, reason=reason)
        else:
            sessions.close(db, chat_session, reason=reason)
        db.commit()
        return {
            "session_id": session_id,
            "status": chat_session.status,
            "phase": chat_session.phase,
            "reason": reason,
        }

    out = await request.app.state.db.run(_end)
    request.app.state.hub.session_changed(session_id, status=out["status"])
    return out


@router.post(
    "/sessions/{session_id}/messages",
    response_model=TurnOut,
    responses=responses_for(401, 404, 409, 413, 422, 429, 503),
    summary="Send the client's message; the reply holds what was stored and the bot's answer",
)
async def send_message(
    session_id: str, body: MessageIn, request: Request, kiosk: Kiosk = Depends(require_kiosk)
):
    limit = request.app.state.settings.max_message_chars
    if len(body.text) > limit:
        raise HTTPException(
            status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            f"text is {len(body.text)} characters; the maximum is {limit}",
        )
    settings = request.app.state.settings
    _rate_limit(request, "msg:" + kiosk.bucket, per_minute(settings.rate_limit_key_messages))
    _rate_limit(request, "session:" + session_id, per_minute(settings.rate_limit_session_messages))
    result = await request.app.state.conversations.client_says(session_id, body.text, body.title)
    return result.public()


def refuse_closed(db: Session, session_id: str) -> None:
    """A closed talk is never read back at the kiosk: the next person there must not see it."""
    if sessions.get_session(db, session_id).status == "closed":
        raise sessions.SessionClosed(session_id)


def read_messages(
    db: Session, session_id: str, after: Optional[str], *, open_only: bool = False
) -> Dict[str, Any]:
    if open_only:
        refuse_closed(db, session_id)
    chat_session = sessions.get_session(db, session_id)
    try:
        messages = sessions.messages_after(db, session_id, after)
    except sessions.MessageNotFound:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_ENTITY, f"after: no message {after!r} in this session"
        ) from None
    return {"messages": [serialise.msg_out(m) for m in messages], **serialise.state_out(db, chat_session)}


@router.get(
    "/sessions/{session_id}/messages",
    response_model=MessagesOut,
    responses=responses_for(401, 404, 409, 422),
    summary="Messages after a given message id (polling fallback of the WebSocket); 409 once closed",
)
async def list_messages(
    request: Request,
    session_id: str,
    after: Optional[str] = Query(None, description="Id of the last message the kiosk has; omit for all."),
    kiosk: Kiosk = Depends(require_kiosk),
):
    return await request.app.state.db.run(read_messages, session_id, after, open_only=True)


@router.websocket("/sessions/{session_id}/ws")
async def follow_session(websocket: WebSocket, session_id: str):
    """First message `{"type": "auth", "key": "<kiosk key>", "after": "<message id>"|null}`;
    then pushes `{"type": "update", "messages": [Msg], "status", "phase", "handoff"}` on every change.
    The key never travels in the URL (URLs end up in logs)."""
    app = websocket.app
    await websocket.accept()
    hello = await first_message(websocket)
    key = hello.get("key") if hello else None
    after = hello.get("after") if hello else None
    if not isinstance(key, str) or (after is not None and not isinstance(after, str)):
        key = None

    def _check_key(db: Session) -> bool:
        return kiosk_key_is_valid(app, db, key)

    try:
        if not key or not await app.state.db.run(_check_key):
            await websocket.send_json({"type": "error", "detail": "missing or wrong kiosk key"})
            await websocket.close(code=4401)
            return
        await stream_updates(websocket, session_id, after)
    except HTTPException as exc:
        await websocket.send_json({"type": "error", "detail": exc.detail})
        await websocket.close(code=4000 + exc.status_code)
    except sessions.SessionNotFound:
        await websocket.send_json({"type": "error", "detail": "unknown session"})
        await websocket.close(code=4404)
    except sessions.SessionClosed:
        await websocket.send_json({"type": "error", "detail": "session is closed"})
        await websocket.close(code=4409)
    except WebSocketDisconnect:
        pass


async def stream_updates(websocket: WebSocket, session_id: str, after: Optional[str]) -> None:
    app = websocket.app
    queue = app.state.hub.subscribe(session_id)
    receiver = asyncio.ensure_future(_drain_until_closed(websocket))
    try:
        last_id, last_state = after, None
        # A closed session is not read back (4409); one that closes while followed sends its last update.
        await app.state.db.run(refuse_closed, session_id)
        while True:
            update = await app.state.db.run(read_messages, session_id, last_id)
            state = (update["status"], update["phase"], repr(update["handoff"]))
            if update["messages"] or state != last_state:
                await websocket.send_json({"type": "update", **jsonable_encoder(update)})
                last_state = state
                if update["messages"]:
                    last_id = update["messages"][-1]["id"]
            if update["status"] == "closed":
                await websocket.close(code=1000)
                return
            nudge = asyncio.ensure_future(next_nudge(queue, WS_REFRESH_S))
            done, _ = await asyncio.wait({nudge, receiver}, return_when=asyncio.FIRST_COMPLETED)
            if receiver in done:
                nudge.cancel()
                return
    finally:
        receiver.cancel()
        app.state.hub.unsubscribe(session_id, queue)


async def _drain_until_closed(websocket: WebSocket) -> None:
    """The kiosk sends nothing we need; reading tells us when it goes away."""
    while websocket.application_state == WebSocketState.CONNECTED:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return
