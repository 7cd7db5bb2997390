"""A conversation becomes a regression test (issue 17.7).

Two doors, one draft (``bot/scenarios/from_transcript.py``: places, names, numbers replaced):

* ``/trainer/sessions/{id}/scenario-draft`` and ``/story``: a trainer's training conversations
  (the sandbox and replays). Like every trainer route with a session in its path, training
  conversations only (``tests/api/test_authorization_matrix.py``): trainers never read a
  client's conversation. The draft is saved with ``PUT /trainer/scenarios/{name}``.
* ``/staff/sessions/{id}/scenario-draft``, ``/scenario/check`` and ``/scenario``: whoever may read
  the conversation (a counsellor for a client's talk that went wrong) drafts it, reads and
  edits the anonymised text, and saves it as a new scenario. Only what they saved reaches the
  trainers' library; the client's own transcript stays where it was. There is no Rasa story for
  a client's conversation: a story holds every message as typed.

Rasa is reached only through the API's client; nothing of Rasa is exposed. Every draft, export
and save is in the audit log (ids and counts, never the client's words).
"""

from __future__ import annotations

from typing import Any, Dict

from fastapi import APIRouter, Body, Depends, HTTPException, Request, status
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import audit, sessions
from bot.db.models import Message, User
from bot.scenarios import ScenarioInvalid, from_transcript
from bot.scenarios.store import VersionConflict
from api.deps import any_staff, check_visible
from api.rasa_client import RasaUnavailable
from api.routers.trainer import _invalid, _store, check_text, responses_for, trainer_or_admin

router = APIRouter(tags=["trainer"])


def _training_session(db: Session, user: User, session_id: str):
    chat = sessions.get_session(db, session_id)
    check_visible(user, chat)
    if not chat.is_training:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, "only training conversations can become scenarios here"
        )
    return chat


def _visible_session(db: Session, user: User, session_id: str):
    chat = sessions.get_session(db, session_id)
    check_visible(user, chat)
    return chat


async def _draft(request: Request, user: User, session_id: str, opened) -> Dict[str, Any]:
    known = _store(request).known_responses

    def _read(db: Session):
        opened(db, user, session_id)
        rows = db.execute(
            select(Message).where(Message.session_id == session_id).order_by(Message.seq)
        ).scalars()
        drafted = from_transcript.draft(
            list(rows), session_id=session_id, known_responses=set(known) if known else None
        )
        audit.record(
            db,
            user=user,
            action="scenario.drafted",
            object_type="session",
            object_id=session_id,
            detail={"turns": drafted["turns"], "replaced": len(drafted["replaced"])},
        )
        return {
            "name": from_transcript.suggested_name(session_id),
            "yaml": drafted["yaml"],
            "replaced": drafted["replaced"],
            "turns": drafted["turns"],
        }

    return await request.app.state.db.run(_read)


@router.get(
    "/trainer/sessions/{session_id}/scenario-draft",
    responses=responses_for(401, 403, 404),
    summary="A scenario drafted from this training conversation (places and names replaced), for the editor",
)
async def scenario_draft(
    session_id: str, request: Request, user: User = Depends(trainer_or_admin)
) -> Dict[str, Any]:
    return await _draft(request, user, session_id, _training_session)


@router.get(
    "/staff/sessions/{session_id}/scenario-draft",
    responses=responses_for(401, 403, 404),
    summary="A scenario drafted from any conversation this user may read (places, names, numbers "
    "replaced), to read and edit before saving it with POST .../scenario",
)
async def staff_scenario_draft(
    session_id: str, request: Request, user: User = Depends(any_staff)
) -> Dict[str, Any]:
    return await _draft(request, user, session_id, _visible_session)


class ScenarioFromConversationIn(BaseModel):
    name: str = Field(..., max_length=64, description="File name of the new scenario (a-z, 0-9, - and _).")
    yaml: str = Field(..., max_length=200_000, description="The reviewed draft as text.")


@router.post(
    "/staff/sessions/{session_id}/scenario/check",
    responses=responses_for(401, 403, 404),
    summary="Validate the edited draft without saving it (the editor checks while the user types)",
)
async def staff_scenario_check(
    session_id: str,
    request: Request,
    body: ScenarioFromConversationIn = Body(...),
    user: User = Depends(any_staff),
) -> Dict[str, Any]:
    await request.app.state.db.run(lambda db: _visible_session(db, user, session_id))
    return check_text(_store(request), body.name, body.yaml)


@router.post(
    "/staff/sessions/{session_id}/scenario",
    status_code=status.HTTP_201_CREATED,
    responses=responses_for(401, 403, 404, 409, 422),
    summary="Save the reviewed draft as a new scenario (never replaces one: 409 if the name is taken)",
)
async def staff_scenario_save(
    session_id: str,
    request: Request,
    body: ScenarioFromConversationIn = Body(...),
    user: User = Depends(any_staff),
):
    await request.app.state.db.run(lambda db: _visible_session(db, user, session_id))
    try:
        stored = _store(request).save(body.name, text=body.yaml, version=None)
    except ScenarioInvalid as error:
        return _invalid(error)
    except VersionConflict:
        raise HTTPException(
            status.HTTP_409_CONFLICT, f"er is al een scenario {body.name!r}; kies een andere naam"
        ) from None

    def _audit(db: Session):
        audit.record(
            db,
            user=user,
            action="scenario.saved",
            object_type="scenario",
            object_id=body.name,
            detail={"version": stored.version, "from_session": session_id},
        )

    await request.app.state.db.run(_audit)
    return stored.detail()


@router.get(
    "/trainer/sessions/{session_id}/story",
    response_class=PlainTextResponse,
    responses={
        **responses_for(401, 403, 404),
        503: {"description": "No Rasa server knows this conversation."},
    },
    summary="This conversation as a Rasa test story (YAML), from Rasa's GET /conversations/{id}/story",
)
async def rasa_story(session_id: str, request: Request, user: User = Depends(trainer_or_admin)):
    def _check(db: Session):
        _training_session(db, user, session_id)
        audit.record(db, user=user, action="story.exported", object_type="session", object_id=session_id)

    await request.app.state.db.run(_check)
    try:
        story = await request.app.state.rasa.story(session_id)
    except RasaUnavailable as exc:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, f"Rasa gaf geen story: {exc}") from exc
    return PlainTextResponse(
        story,
        media_type="application/x-yaml",
        headers={"Content-Disposition": f'attachment; filename="story-{session_id[:8]}.yml"'},
    )
