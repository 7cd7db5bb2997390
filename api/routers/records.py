"""Plan review for counsellors: the form with provenance, the change history, approval.

Every read and write is audited (who, what, when); the trail of a plan's
fields is its history (`plan_changes`), shown in the console next to the form.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, List, Optional

from fastapi import APIRouter, Body, Depends, HTTPException, Request, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from bot import audit, plan_review, sessions
from bot.db.models import User
from api.errors import ErrorResponses, error_response
from api.deps import any_staff, check_visible

router = APIRouter(prefix="/staff", tags=["records"])

responses_for = ErrorResponses(
    {
        403: "The role may not see this session.",
        409: "The plan changed since it was loaded; reload it. Approval also: "
        "`reason` `conversation_open` (close the conversation first, "
        "`open_sessions` lists them) or `incomplete` (few answers: send "
        "`confirm_incomplete`; `filled`, `total`).",
    }
)


class ApproveIn(BaseModel):
    expected_updated_at: Optional[str] = Field(
        None, description="The plan's `updated_at` as the counsellor read it; 409 if it changed since."
    )
    confirm_incomplete: bool = Field(
        False,
        description="The counsellor saw that fewer than a fifth of the questions are filled and "
        "approves anyway; without it such a plan is 409 `incomplete`.",
    )


class PlanChangeOut(BaseModel):
    id: int
    at: datetime
    path: str
    label: str
    old: Any = None
    new: Any = None
    source: str
    message_id: Optional[str] = None
    session_id: Optional[str] = None
    user: Optional[str] = Field(None, description="Username of the counsellor; empty for the bot.")


def visible_session(db: Session, user: User, session_id: str):
    chat_session = sessions.get_session(db, session_id)
    check_visible(user, chat_session)
    return chat_session


def note_read(db: Session, user: User, action: str, session_id: str, **detail: Any) -> None:
    audit.record(
        db, user=user, action=action, object_type="session", object_id=session_id, detail=detail or None
    )


@router.get(
    "/sessions/{session_id}/plan/review",
    response_model=Dict[str, Any],
    responses=responses_for(401, 403, 404),
    summary="The plan with its form layout, source messages and message → field links",
)
async def plan_review_view(session_id: str, request: Request, user: User = Depends(any_staff)):
    def _read(db: Session):
        visible_session(db, user, session_id)
        note_read(db, user, "read.plan", session_id, view="review")
        return plan_review.review(db, session_id)

    return await request.app.state.db.run(_read)


@router.get(
    "/sessions/{session_id}/plan/history",
    response_model=List[PlanChangeOut],
    responses=responses_for(401, 403, 404),
    summary="Every change of the plan (who, when, old and new value), newest first",
)
async def plan_history(session_id: str, request: Request, user: User = Depends(any_staff)):
    def _read(db: Session):
        visible_session(db, user, session_id)
        note_read(db, user, "read.plan_history", session_id)
        return plan_review.history(db, session_id)

    return await request.app.state.db.run(_read)


class PlanLinkOut(BaseModel):
    message_id: str
    path: str = Field(..., description="Dotted plan path, e.g. sections.background.talents.")
    label: str
    at: datetime
    session_id: Optional[str] = Field(None, description="The session the message belongs to.")


@router.get(
    "/sessions/{session_id}/plan/links",
    response_model=List[PlanLinkOut],
    responses=responses_for(401, 403, 404),
    summary="Which client message filled which plan field (for the transcript), oldest first",
)
async def plan_links(session_id: str, request: Request, user: User = Depends(any_staff)):
    def _read(db: Session):
        visible_session(db, user, session_id)
        note_read(db, user, "read.plan_links", session_id)
        return plan_review.links(db, session_id)

    return await request.app.state.db.run(_read)


async def _write(request: Request, session_id: str, user: User, step):
    def _do(db: Session):
        visible_session(db, user, session_id)
        return step(db)

    try:
        return await request.app.state.db.run(_do)
    except plan_review.ApprovalRefused as exc:
        return JSONResponse(
            status_code=status.HTTP_409_CONFLICT,
            content={"detail": str(exc), "reason": exc.reason, **exc.facts},
        )
    except plan_review.PlanConflict as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from exc


@router.post(
    "/sessions/{session_id}/plan/approve",
    response_model=Dict[str, Any],
    responses=responses_for(401, 403, 404, 409),
    summary="Approve the plan as the signed-in counsellor (review.status counsellor_approved)",
)
async def approve_plan(
    session_id: str, request: Request, body: Optional[ApproveIn] = Body(None), user: User = Depends(any_staff)
):
    expected = body.expected_updated_at if body else None
    confirmed = bool(body and body.confirm_incomplete)
    return await _write(
        request,
        session_id,
        user,
        lambda db: plan_review.approve(
            db, session_id, user=user, expected_updated_at=expected, confirm_incomplete=confirmed
        ),
    )


class MoveIn(BaseModel):
    source: str = Field(
        ...,
        max_length=300,
        alias="from",
        description="The answer to move: a field path (`sections.background.talents`) or a list "
        "item as `path[index]` (`sections.support.supporters[0]`), as in `placements`.",
    )
    target: str = Field(
        ...,
        max_length=300,
        alias="to",
        description="A question of the plan schema that takes text, or a note "
        "(`sections.practical_matters.note`).",
    )
    expected_updated_at: Optional[str] = Field(
        None, description="The plan's `updated_at` as the counsellor read it; 409 if it changed since."
    )


@router.post(
    "/sessions/{session_id}/plan/move",
    response_model=Dict[str, Any],
    responses={
        **responses_for(401, 403, 404, 409),
        422: error_response("The target is no text question of " "the plan schema."),
    },
    summary="Move one answer to another question in one step (audited; refused for an approved plan)",
)
async def move_answer(
    session_id: str, request: Request, body: MoveIn = Body(...), user: User = Depends(any_staff)
):
    from bot import plan_placement
    from bot.plan.schema import PlanInvalid, PlanPathError

    def _do(db: Session):
        visible_session(db, user, session_id)
        return plan_placement.move(
            db,
            session_id,
            user=user,
            source=body.source,
            target=body.target,
            expected_updated_at=body.expected_updated_at,
        )

    try:
        return await request.app.state.db.run(_do)
    except plan_placement.MoveRefused as exc:
        return JSONResponse(
            status_code=status.HTTP_409_CONFLICT, content={"detail": str(exc), "reason": exc.reason}
        )
    except (PlanPathError, PlanInvalid) as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, str(exc)) from exc


@router.post(
    "/sessions/{session_id}/plan/reopen",
    response_model=Dict[str, Any],
    responses=responses_for(401, 403, 404),
    summary="Withdraw the approval; the plan is a draft again",
)
async def reopen_plan(session_id: str, request: Request, user: User = Depends(any_staff)):
    return await _write(request, session_id, user, lambda db: plan_review.reopen(db, session_id, user=user))
