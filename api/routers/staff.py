"""Staff endpoints: the queue, transcripts, takeover/hand-back/close, the plan."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any, Dict, List, Optional

from fastapi.encoders import jsonable_encoder
from fastapi import APIRouter, Body, Depends, Header, HTTPException, Query, Request, WebSocket, status
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from sqlalchemy.orm import Session
from starlette.websockets import WebSocketDisconnect

from bot import audit, plan_review, records, sessions
from bot.db.models import ChatSession, User
from bot.plan import service as plan_service
from bot.plan.schema import PlanInvalid
from api import serialise
from api.errors import ErrorResponses, error_response
from api.deps import any_staff, check_visible, may_see, user_from_token
from api.plan_view import print_context, render_plan_html, render_plan_pdf
from api.rasa_client import RasaUnavailable
from api.security import first_message
from api.schemas import (
    HandbackIn,
    HandoffReason,
    Phase,
    SessionDetail,
    SessionSummary,
    StaffActionOut,
    StaffMessageIn,
    Status,
)
from api.ws_hub import STAFF_TOPIC, next_nudge

router = APIRouter(prefix="/staff", tags=["staff"])

responses_for = ErrorResponses({403: "The role may not do this or see this session."})


def _visible_session(db: Session, user: User, session_id: str) -> ChatSession:
    chat_session = sessions.get_session(db, session_id)
    check_visible(user, chat_session)
    return chat_session


def _check_holder(chat_session: ChatSession, user: User) -> None:
    """While a counsellor holds a session, only they (or an admin) write to it, hand it back or close it."""
    if chat_session.status == "human" and chat_session.assigned_user_id != user.id and user.role != "admin":
        raise sessions.IllegalTransition("another counsellor holds this session")


@router.get(
    "/sessions",
    response_model=List[SessionSummary],
    responses={
        **responses_for(401, 403),
        422: error_response("A filter is malformed (unknown status, 'from' after 'to' …)."),
    },
    summary="Sessions the role may see, newest activity first; filters, search and pages "
    "(total in the X-Total-Count header)",
)
async def list_sessions(
    request: Request,
    response: Response,
    status_: Optional[Status] = Query(None, alias="status", description="e.g. waiting_for_human"),
    phase: Optional[Phase] = Query(None),
    reason: Optional[HandoffReason] = Query(
        None, description="Sessions that had a hand-off for this reason."
    ),
    started_from: Optional[date] = Query(
        None, alias="from", description="Started on or after this day (UTC)."
    ),
    started_to: Optional[date] = Query(None, alias="to", description="Started on or before this day (UTC)."),
    client_ref: Optional[str] = Query(None, max_length=128, description="Exact client reference (any case)."),
    q: Optional[str] = Query(
        None, max_length=records.MAX_QUERY_CHARS, description="Words anywhere in the transcript."
    ),
    training: Optional[bool] = Query(
        None, description="Admins only: true = training sessions, false = client sessions."
    ),
    offset: int = Query(0, ge=0),
    limit: int = Query(100, ge=1, le=500),
    user: User = Depends(any_staff),
):
    wanted = records.SessionFilter(
        status=status_,
        phase=phase,
        handoff_reason=reason,
        started_from=started_from,
        started_to=started_to,
        client_ref=(client_ref or "").strip() or None,
        text=(q or "").strip() or None,
        training=training if user.role == "admin" else None,
    )

    def _list(db: Session):
        rows, total = records.search_sessions(db, wanted, role=user.role, offset=offset, limit=limit)
        if not wanted.is_queue_view():
            # Browsing or searching records is a read of them: audited, with the sessions shown.
            audit.record(
                db,
                user=user,
                action="read.search" if wanted.is_targeted() else "read.session_list",
                object_type="session",
                object_id=None,
                detail={
                    "client_ref_digest": records.ref_digest(wanted.client_ref) if wanted.client_ref else None,
                    # The words searched for may be a client's: only a digest is kept.
                    "q_digest": records.ref_digest(wanted.text) if wanted.text else None,
                    "results": total,
                    "shown": [s.id for s in rows],
                },
            )
        return [serialise.summary_out(db, s) for s in rows], total

    try:
        rows, total = await request.app.state.db.run(_list)
    except records.RecordsError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, str(exc)) from exc
    response.headers["X-Total-Count"] = str(total)
    return rows


@router.get(
    "/sessions/{session_id}",
    response_model=SessionDetail,
    responses=responses_for(401, 403, 404),
    summary="One session with its full transcript and hand-offs",
)
async def get_session(session_id: str, request: Request, user: User = Depends(any_staff)):
    def _detail(db: Session):
        detail = serialise.detail_out(db, _visible_session(db, user, session_id))
        audit.record(db, user=user, action="read.session", object_type="session", object_id=session_id)
        return detail

    return await request.app.state.db.run(_detail)


async def _transition(request: Request, session_id: str, user: User, step) -> Dict[str, Any]:
    def _do(db: Session):
        chat_session = _visible_session(db, user, session_id)
        before = sessions.messages_after(db, session_id)
        last_seq = before[-1].seq if before else 0
        step(db, chat_session)
        new = [m for m in sessions.messages_after(db, session_id) if m.seq > last_seq]
        return {
            "session": serialise.summary_out(db, chat_session),
            "messages": [serialise.msg_out(m) for m in new],
        }

    result = await request.app.state.db.run(_do)
    request.app.state.hub.session_changed(session_id, status=result["session"]["status"])
    return result


@router.post(
    "/sessions/{session_id}/takeover",
    response_model=StaffActionOut,
    responses=responses_for(401, 403, 404, 409),
    summary="A counsellor takes the conversation over",
)
async def take_over(session_id: str, request: Request, user: User = Depends(any_staff)):
    return await _transition(
        request, session_id, user, lambda db, s: sessions.take_over(db, s, user_id=user.id)
    )


@router.post(
    "/sessions/{session_id}/messages",
    response_model=StaffActionOut,
    responses=responses_for(401, 403, 404, 409),
    summary="The counsellor writes to the client",
)
async def counsellor_message(
    session_id: str, body: StaffMessageIn, request: Request, user: User = Depends(any_staff)
):
    limit = request.app.state.settings.max_message_chars
    if len(body.text) > limit:
        raise HTTPException(
            status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            f"text is {len(body.text)} characters; the maximum is {limit}",
        )

    def _write(db: Session, chat_session: ChatSession):
        if chat_session.status == "closed":
            raise sessions.SessionClosed(session_id)
        if chat_session.status != "human":
            raise sessions.IllegalTransition("take the session over before writing to the client")
        _check_holder(chat_session, user)
        message = sessions.add_message(
            db, chat_session, sender="counsellor", text=body.text, author_user_id=user.id
        )
        # The transcript row says who and when; the audit trail lists it with the other staff steps.
        audit.record(
            db,
            user=user,
            action="session.counsellor_message",
            object_type="session",
            object_id=session_id,
            detail={"message_id": message.id},
        )

    return await _transition(request, session_id, user, _write)


@router.post(
    "/sessions/{session_id}/handback",
    response_model=StaffActionOut,
    responses={
        **responses_for(401, 403, 404, 409),
        503: error_response("Rasa unreachable; the session is queued again."),
    },
    summary="Give the conversation back to the bot; its next turn is in the reply",
)
async def hand_back(
    session_id: str,
    request: Request,
    body: Optional[HandbackIn] = Body(None),
    user: User = Depends(any_staff),
):
    def _check(db: Session):
        _check_holder(_visible_session(db, user, session_id), user)

    await request.app.state.db.run(_check)
    try:
        result = await request.app.state.conversations.hand_back(
            session_id, user_id=user.id, phase=body.phase if body else None
        )
    except RasaUnavailable:
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE,
            "Rasa is unreachable; the session is back in the queue (reason uncertain)",
        ) from None
    return {"session": result.summary, "messages": result.messages}


@router.post(
    "/sessions/{session_id}/close",
    response_model=StaffActionOut,
    responses=responses_for(401, 403, 404, 409),
    summary="Close the session (nothing is deleted)",
)
async def close(session_id: str, request: Request, user: User = Depends(any_staff)):
    def _close(db: Session, chat_session: ChatSession):
        _check_holder(chat_session, user)
        sessions.close(db, chat_session, user_id=user.id)

    return await _transition(request, session_id, user, _close)


@router.get(
    "/sessions/{session_id}/plan",
    response_model=Dict[str, Any],
    responses=responses_for(401, 403, 404),
    summary="The persoonlijk actieplan of the session, as JSON",
)
async def get_plan(session_id: str, request: Request, user: User = Depends(any_staff)):
    def _get(db: Session):
        _visible_session(db, user, session_id)
        audit.record(
            db,
            user=user,
            action="read.plan",
            object_type="session",
            object_id=session_id,
            detail={"view": "json"},
        )
        return plan_service.get_plan(db, session_id)

    return await request.app.state.db.run(_get)


@router.get(
    "/sessions/{session_id}/plan.html",
    response_class=HTMLResponse,
    responses=responses_for(401, 403, 404),
    summary="The plan as a printable page",
)
async def plan_html(session_id: str, request: Request, user: User = Depends(any_staff)):
    return HTMLResponse(await _plan_page(request, session_id, user, "html"))


@router.get(
    "/sessions/{session_id}/plan.pdf",
    responses={
        **responses_for(401, 403, 404),
        200: {"content": {"application/pdf": {}}, "description": "The printable plan as PDF."},
    },
    response_class=Response,
    summary="The plan as PDF",
)
async def plan_pdf(session_id: str, request: Request, user: User = Depends(any_staff)):
    page = await _plan_page(request, session_id, user, "pdf")
    pdf = await run_in_threadpool(render_plan_pdf, page)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="actieplan-{session_id}.pdf"'},
    )


async def _plan_page(request: Request, session_id: str, user: User, form: str) -> str:
    def _get(db: Session):
        chat_session = _visible_session(db, user, session_id)
        audit.record(
            db,
            user=user,
            action="read.plan_print",
            object_type="session",
            object_id=session_id,
            detail={"format": form},
        )
        return plan_service.get_plan(db, session_id), print_context(db, chat_session)

    plan, context = await request.app.state.db.run(_get)
    return render_plan_html(plan, organisation=request.app.state.settings.organisation_name, context=context)


@router.put(
    "/sessions/{session_id}/plan",
    response_model=Dict[str, Any],
    responses={**responses_for(401, 403, 404), 422: error_response("Invalid plan; detail names the field.")},
    summary="Correct the plan (every changed field is audited)",
)
async def put_plan(
    session_id: str,
    request: Request,
    plan: Dict[str, Any] = Body(...),
    if_match: Optional[str] = Header(
        None, description="The plan's `updated_at` as loaded; 409 if it changed since."
    ),
    user: User = Depends(any_staff),
):
    def _put(db: Session):
        _visible_session(db, user, session_id)
        return plan_review.correct(db, session_id, plan, user=user, expected_updated_at=if_match)

    try:
        return await request.app.state.db.run(_put)
    except PlanInvalid as exc:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_ENTITY, f"plan invalid at {exc.path or '(plan)'}: {exc.message}"
        ) from exc
    except plan_review.PlanConflict as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from exc


@router.websocket("/ws")
async def follow_queue(websocket: WebSocket):
    """First message `{"type": "auth", "token": "<bearer token>"}` (never in the URL); answered with
    `{"type": "ready"}` once listening; then pushes `{"type": "session", "session": SessionSummary, "alert": reason|null}` when a visible session changes."""
    app = websocket.app
    await websocket.accept()
    hello = await first_message(websocket)
    token = hello.get("token") if hello else None
    if not isinstance(token, str):
        token = None

    def _user(db: Session) -> User:
        return user_from_token(app.state.settings, db, token)

    def _summary(db: Session, session_id: str):
        still_allowed = user_from_token(app.state.settings, db, token)
        chat_session = sessions.get_session(db, session_id)
        if not may_see(still_allowed, chat_session):
            return None
        return serialise.summary_out(db, chat_session)

    try:
        await app.state.db.run(_user)
    except HTTPException as exc:
        await websocket.send_json({"type": "error", "detail": exc.detail})
        await websocket.close(code=4401)
        return
    queue = app.state.hub.subscribe(STAFF_TOPIC)
    # Listening from here on: the console counts the feed as live only now (no change is
    # missed between its first message and this point).
    await websocket.send_json({"type": "ready"})
    receiver = asyncio.ensure_future(websocket.receive())
    try:
        while True:
            nudge_task = asyncio.ensure_future(next_nudge(queue, 30.0))
            done, _ = await asyncio.wait({nudge_task, receiver}, return_when=asyncio.FIRST_COMPLETED)
            if receiver in done:
                nudge_task.cancel()
                message = receiver.result()
                if message["type"] == "websocket.disconnect":
                    return
                receiver = asyncio.ensure_future(websocket.receive())
                continue
            nudge = nudge_task.result()
            if not nudge:
                await websocket.send_json({"type": "ping"})
                continue
            summary = await app.state.db.run(_summary, nudge["session_id"])
            if summary is not None:
                await websocket.send_json(
                    {"type": "session", "session": jsonable_encoder(summary), "alert": nudge.get("alert")}
                )
    except (WebSocketDisconnect, HTTPException):
        pass
    finally:
        receiver.cancel()
        app.state.hub.unsubscribe(STAFF_TOPIC, queue)
