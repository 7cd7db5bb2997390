"""A conversation becomes a regression test (issue 17.7): trainer routes that turn a transcript
into a scenario draft (anonymised, reviewed in the editor before it is saved with
``PUT /trainer/scenarios/{name}``) or export it as a Rasa test story.

Like every trainer route with a session in its path, these work on training conversations only
(the sandbox and replays; the authorisation matrix, ``tests/api/test_authorization_matrix.py``):
trainers never read a client's conversation. Rasa is reached only through the API's client, with
the Rasa token; nothing of Rasa is exposed. Both reads are in the audit log.
"""

from __future__ import annotations

from typing import Any, Dict

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.responses import PlainTextResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import audit, sessions
from bot.db.models import Message, User
from bot.scenarios import from_transcript
from api.deps import check_visible
from api.rasa_client import RasaUnavailable
from api.routers.trainer import _store, responses_for, trainer_or_admin

router = APIRouter(prefix="/trainer", tags=["trainer"])


def _training_session(db: Session, user: User, session_id: str):
    chat = sessions.get_session(db, session_id)
    check_visible(user, chat)
    if not chat.is_training:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, "only training conversations can become scenarios here"
        )
    return chat


@router.get(
    "/sessions/{session_id}/scenario-draft",
    responses=responses_for(401, 403, 404),
    summary="A scenario drafted from this conversation (places and names replaced), for the editor",
)
async def scenario_draft(
    session_id: str, request: Request, user: User = Depends(trainer_or_admin)
) -> Dict[str, Any]:
    known = _store(request).known_responses

    def _read(db: Session):
        _training_session(db, user, session_id)
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
    "/sessions/{session_id}/story",
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
