"""Returning clients: a counsellor issues a one-time resume code (issue 14.2).

The kiosk never takes a file number. A counsellor (or admin) issues a short code for
a client reference in the console; the client types it at the kiosk
(`POST /api/v1/sessions {"resume_code": …}`) within `COACH_RESUME_CODE_MINUTES`, and
the new session continues that client's latest plan. The code is shown once, stored
only as an HMAC, works once, and its issue is audited (never the code itself).
"""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from fastapi import APIRouter, Body, Depends, HTTPException, Path, Request, Response, status
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from bot import resume_codes, sessions
from bot.db.models import User
from api.deps import check_visible, require_roles
from api.errors import ErrorResponses

router = APIRouter(prefix="/staff", tags=["staff"])
counsellor_or_admin = require_roles("counsellor", "admin")


class ResumeCodeIn(BaseModel):
    session_id: Optional[str] = Field(
        None,
        max_length=64,
        description="A session of this client that has no client reference yet: it (and its plan) "
        "gets this one first, so a first-time client can come back.",
    )


class ResumeCodeOut(BaseModel):
    code: str = Field(..., description="Eight letters and digits; shown this once, works once.")
    client_ref: str
    expires_at: datetime


responses_for = ErrorResponses(
    {
        403: "Counsellors and admins only; not for training sessions.",
        404: "No client plan with this reference (or unknown session).",
        409: "The session already belongs to another client reference.",
        422: "Invalid reference or session.",
    }
)


@router.post(
    "/clients/{client_ref}/resume-code",
    response_model=ResumeCodeOut,
    status_code=status.HTTP_201_CREATED,
    responses=responses_for(401, 403, 404, 409, 422),
    summary="Extra: a one-time code with which the client continues their plan at the kiosk (audited)",
)
async def issue_resume_code(
    request: Request,
    response: Response,
    client_ref: str = Path(..., min_length=1, max_length=128),
    body: Optional[ResumeCodeIn] = Body(None),
    user: User = Depends(counsellor_or_admin),
):
    settings = request.app.state.settings
    session_id = body.session_id if body else None

    def _issue(db: Session):
        if session_id is not None:
            check_visible(user, sessions.get_session(db, session_id))
        issued = resume_codes.issue(
            db,
            client_ref,
            secret=settings.jwt_secret,
            minutes=settings.resume_code_minutes,
            actor=user,
            session_id=session_id,
        )
        db.commit()
        return {"code": issued.code, "client_ref": issued.client_ref, "expires_at": issued.expires_at}

    try:
        out = await request.app.state.db.run(_issue)
    except resume_codes.UnknownClient:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no client plan with this reference") from None
    except resume_codes.RefConflict as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from exc
    except resume_codes.ResumeCodeError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, str(exc)) from exc
    if session_id is not None:
        request.app.state.hub.session_changed(session_id)  # the console shows the new reference
    response.headers["Cache-Control"] = "no-store"
    return out
