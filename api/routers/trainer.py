"""Trainer workbench: sandbox conversations, scenarios and their replay, the flow
picture, the wording review. Trainers and admins only.

Training sessions are ordinary sessions with `is_training` set: they go
through the same message path (safety check, hand-off, transcript), get their
own plan (never a client's, even with a client_ref), and only trainers and
admins see them in the staff endpoints. A trainer plays the counsellor side of
a training session with the ordinary staff endpoints (takeover, messages,
handback, close).

A scenario replay is a client of this same API: the run endpoint hands the
runner (`bot/scenarios/runner.py`) an HTTP client on this app with the
trainer's own token, so every turn takes the public path a kiosk would. It runs
as a background job (202 with a run id; the page polls the run and shows each
step as it finishes); `?wait=true` and `coach scenarios run` replay synchronously.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import OrderedDict
from typing import Any, Dict, List, Optional

import httpx
from fastapi import APIRouter, Body, Depends, HTTPException, Query, Request, status
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from bot import audit, sessions
from bot.db.models import User
from bot.flow.graph import FlowGraph, build_graph
from bot.flow.path import trace
from bot.flow.sources import FlowSources
from bot.flow.wording import response_catalog
from bot.scenarios.loader import ScenarioInvalid, parse_scenario
from bot.scenarios.runner import ScenarioRunner
from bot.scenarios.store import ScenarioNotFound, ScenarioStore, VersionConflict
from bot.scenarios.training_sessions import wipe_training_sessions
from api.errors import ErrorResponses
from api.deps import check_visible, require_roles
from api.routers.kiosk import read_messages
from api.schemas import MessageIn, MessagesOut, SessionCreate, SessionOut, TurnOut

log = logging.getLogger(__name__)
router = APIRouter(prefix="/trainer", tags=["trainer"])
trainer_or_admin = require_roles("trainer", "admin")
# A whole persona conversation through Rasa; each turn has its own Rasa timeout too.
RUN_TIMEOUT_S = 600.0
# Replay jobs kept in memory for the pages that follow them (oldest dropped first).
MAX_KEPT_RUNS = 50

responses_for = ErrorResponses(
    {
        403: "Only trainers and admins; only training sessions.",
        404: "Unknown session or scenario.",
        409: "The session is closed, or the scenario changed meanwhile.",
        422: "Invalid scenario; `errors` lists each mistake with its line.",
    }
)


# --- sandbox ------------------------------------------------------------------------


@router.post(
    "/sessions",
    response_model=SessionOut,
    status_code=status.HTTP_201_CREATED,
    responses=responses_for(401, 403),
    summary="Start a sandbox conversation",
)
async def start_training_session(
    body: SessionCreate, request: Request, user: User = Depends(trainer_or_admin)
):
    result = await request.app.state.conversations.start(
        language=body.language, client_ref=None, is_training=True
    )
    return {"session_id": result.session_id, **result.public()}


def _training_session(db: Session, user: User, session_id: str):
    chat_session = sessions.get_session(db, session_id)
    if not chat_session.is_training:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "only training sessions can be used here")
    check_visible(user, chat_session)
    return chat_session


@router.post(
    "/sessions/{session_id}/messages",
    response_model=TurnOut,
    responses=responses_for(401, 403, 404, 409, 413),
    summary="Say something in a sandbox conversation, as the client would",
)
async def say_in_training_session(
    session_id: str, body: MessageIn, request: Request, user: User = Depends(trainer_or_admin)
):
    limit = request.app.state.settings.max_message_chars
    if len(body.text) > limit:
        raise HTTPException(
            status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            f"text is {len(body.text)} characters; the maximum is {limit}",
        )
    await request.app.state.db.run(_training_session, user, session_id)
    result = await request.app.state.conversations.client_says(session_id, body.text, body.title)
    return result.public()


@router.get(
    "/sessions/{session_id}/messages",
    response_model=MessagesOut,
    responses=responses_for(401, 403, 404),
    summary="Messages of a sandbox conversation after a given id",
)
async def training_messages(
    request: Request,
    session_id: str,
    after: Optional[str] = Query(None),
    user: User = Depends(trainer_or_admin),
):
    return await request.app.state.db.run(_training_messages, user, session_id, after)


def _training_messages(db: Session, user: User, session_id: str, after: Optional[str]) -> Dict[str, Any]:
    _training_session(db, user, session_id)
    return read_messages(db, session_id, after)


class WipeOut(BaseModel):
    sessions: int = Field(..., description="Training sessions deleted.")
    messages: int
    plans: int


@router.delete(
    "/sessions",
    response_model=WipeOut,
    responses=responses_for(401, 403),
    summary="Delete every training session (sandbox and replays) with its plan; client data stays",
)
async def wipe_training(request: Request, user: User = Depends(trainer_or_admin)):
    counts = await request.app.state.db.run(wipe_training_sessions, user_id=user.id)
    log.info("training sessions wiped by %s: %s", user.username, counts)
    return counts


@router.get(
    "/sessions/{session_id}/path",
    responses=responses_for(401, 403, 404),
    summary="The path a training session took through the flow picture",
)
async def training_path(session_id: str, request: Request, user: User = Depends(trainer_or_admin)):
    def _responses(db: Session) -> List[str]:
        chat_session = _training_session(db, user, session_id)
        return [m.utter_action for m in chat_session.messages if m.sender == "bot" and m.utter_action]

    responses = await request.app.state.db.run(_responses)
    return {"session_id": session_id, "responses": responses, **trace(_flow(request), responses)}


# --- scenarios -----------------------------------------------------------------------


def _store(request: Request) -> ScenarioStore:
    """`app.state.scenarios_dir` (tests) or the repository's data/scenarios."""
    known = set(request.app.state.wording.responses)
    return ScenarioStore(getattr(request.app.state, "scenarios_dir", None), known_responses=known or None)


def _invalid(error: ScenarioInvalid) -> JSONResponse:
    return JSONResponse(
        status_code=status.HTTP_422_UNPROCESSABLE_ENTITY,
        content={"detail": str(error), "errors": [i.to_dict() for i in error.issues]},
    )


def _stored(store: ScenarioStore, name: str):
    try:
        return store.get(name)
    except ScenarioNotFound:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no scenario {name!r}") from None


@router.get(
    "/scenarios",
    responses=responses_for(401, 403),
    summary="Every scenario file: title, persona, number of turns and checks; broken files with their errors",
)
def list_scenarios(request: Request, user: User = Depends(trainer_or_admin)) -> List[Dict[str, Any]]:
    return [stored.listing() for stored in _store(request).all()]


@router.get(
    "/scenarios/{name}",
    responses=responses_for(401, 403, 404),
    summary="One scenario: its YAML text, the parsed form and its version",
)
def get_scenario(name: str, request: Request, user: User = Depends(trainer_or_admin)) -> Dict[str, Any]:
    return _stored(_store(request), name).detail()


class ScenarioIn(BaseModel):
    yaml: Optional[str] = Field(None, max_length=200_000, description="The file as text (kept as typed).")
    scenario: Optional[Dict[str, Any]] = Field(
        None, description="Or the parsed form, written as formatted YAML."
    )
    version: Optional[str] = Field(None, description="Version being replaced; omit to create a new scenario.")


@router.put(
    "/scenarios/{name}",
    responses=responses_for(401, 403, 409, 422),
    summary="Create or replace a scenario after validating it",
)
async def save_scenario(
    name: str, body: ScenarioIn, request: Request, user: User = Depends(trainer_or_admin)
):
    if (body.yaml is None) == (body.scenario is None):
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, "send either 'yaml' or 'scenario'")
    store = _store(request)
    try:
        stored = store.save(name, text=body.yaml, data=body.scenario, version=body.version)
    except ScenarioInvalid as error:
        return _invalid(error)
    except VersionConflict as error:
        raise HTTPException(status.HTTP_409_CONFLICT, str(error)) from error

    def _audit(db: Session):
        audit.record(
            db,
            user=user,
            action="scenario.saved",
            object_type="scenario",
            object_id=name,
            detail={"version": stored.version, "replaced": body.version},
        )

    await request.app.state.db.run(_audit)
    return stored.detail()


class ScenarioTextIn(BaseModel):
    yaml: str = Field(..., max_length=200_000, description="The file as text.")


@router.post(
    "/scenarios/{name}/check",
    responses=responses_for(401, 403),
    summary="Validate a scenario's text without saving it (the editor checks while the trainer types)",
)
def check_scenario(
    name: str, body: ScenarioTextIn, request: Request, user: User = Depends(trainer_or_admin)
) -> Dict[str, Any]:
    return check_text(_store(request), name, body.yaml)


def check_text(store: ScenarioStore, name: str, text: str) -> Dict[str, Any]:
    """The editor's answer for a scenario's text: valid or not, each mistake with its line."""
    try:
        scenario = parse_scenario(
            text, name=name, source=f"{name}.yml", known_responses=store.known_responses
        )
    except ScenarioInvalid as error:
        return {"valid": False, "errors": [i.to_dict() for i in error.issues], "summary": None}
    return {"valid": True, "errors": [], "summary": scenario.summary()}


@router.delete(
    "/scenarios/{name}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses_for(401, 403, 404, 409),
    summary="Delete a scenario file",
)
async def delete_scenario(
    name: str, request: Request, version: Optional[str] = Query(None), user: User = Depends(trainer_or_admin)
):
    try:
        _store(request).delete(name, version)
    except ScenarioNotFound:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no scenario {name!r}") from None
    except VersionConflict as error:
        raise HTTPException(status.HTTP_409_CONFLICT, str(error)) from error

    def _audit(db: Session):
        audit.record(db, user=user, action="scenario.deleted", object_type="scenario", object_id=name)

    await request.app.state.db.run(_audit)


async def _replay(
    request: Request, name: str, scenario, user: User, authorization: str, progress=None
) -> Dict[str, Any]:
    transport = httpx.ASGITransport(app=request.app)
    async with httpx.AsyncClient(
        transport=transport,
        base_url="http://coach.internal",
        headers={"Authorization": authorization},
        timeout=RUN_TIMEOUT_S,
    ) as http:
        result = await ScenarioRunner(http, progress=progress).run(scenario)
    out = result.to_dict()
    out["path"] = trace(_flow(request), result.responses())

    def _audit(db: Session):
        audit.record(
            db,
            user=user,
            action="scenario.run",
            object_type="scenario",
            object_id=name,
            detail={
                "passed": result.passed,
                "session_id": result.session_id,
                "failed_checks": out["counts"]["failed"],
            },
        )

    await request.app.state.db.run(_audit)
    return out


def _runs(app) -> "OrderedDict[str, Dict[str, Any]]":
    runs = getattr(app.state, "scenario_runs", None)
    if runs is None:
        runs = app.state.scenario_runs = OrderedDict()
    return runs


def _run_view(run: Dict[str, Any]) -> Dict[str, Any]:
    return {k: v for k, v in run.items() if not k.startswith("_")}


@router.post(
    "/scenarios/{name}/run",
    status_code=status.HTTP_202_ACCEPTED,
    responses={
        **responses_for(401, 403, 404, 422),
        200: {"description": "With `?wait=true`: the whole result at once (the old synchronous replay)."},
        202: {
            "description": "The replay started: `{run_id, status: running, done, total, turns: []}`; "
            "follow it with GET /trainer/scenarios/{name}/runs/{run_id}."
        },
    },
    summary="Replay a scenario through this API as a background job (turn by turn, pass/fail per expectation)",
)
async def run_scenario(
    name: str,
    request: Request,
    wait: bool = Query(
        False, description="Answer only when the replay is done, with the whole result (200)."
    ),
    user: User = Depends(trainer_or_admin),
):
    stored = _stored(_store(request), name)
    if stored.error is not None:
        return _invalid(stored.error)
    authorization = request.headers.get("authorization", "")
    if wait:
        return JSONResponse(
            jsonable_encoder(await _replay(request, name, stored.scenario, user, authorization))
        )
    runs = _runs(request.app)
    run_id = uuid.uuid4().hex
    total = len(stored.scenario.turns) + 1
    run: Dict[str, Any] = {
        "run_id": run_id,
        "scenario": name,
        "status": "running",
        "done": 0,
        "total": total,
        "turns": [],
        "result": None,
        "error": None,
        "started_by": user.username,
    }
    runs[run_id] = run
    while len(runs) > MAX_KEPT_RUNS:
        runs.popitem(last=False)

    def progress(outcome, done: int, total_turns: int) -> None:
        run["done"], run["total"] = done, total_turns
        run["turns"].append(jsonable_encoder(outcome.to_dict()))

    async def background() -> None:
        try:
            run["result"] = jsonable_encoder(
                await _replay(request, name, stored.scenario, user, authorization, progress)
            )
            run["status"] = "done"
        except Exception as error:  # a replay that breaks is shown, never lost in a log only
            log.exception("scenario replay %s failed", name)
            run["status"], run["error"] = "failed", f"{type(error).__name__}: {error}"

    run["_task"] = asyncio.ensure_future(background())
    return JSONResponse(status_code=status.HTTP_202_ACCEPTED, content=jsonable_encoder(_run_view(run)))


@router.get(
    "/scenarios/{name}/runs/{run_id}",
    responses=responses_for(401, 403, 404),
    summary="A replay job: status (running, done, failed), turn i of n with each finished step, "
    "and the whole result when done",
)
async def scenario_run(name: str, run_id: str, request: Request, user: User = Depends(trainer_or_admin)):
    run = _runs(request.app).get(run_id)
    if run is None or run["scenario"] != name:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no replay {run_id!r} of scenario {name!r}")
    return _run_view(run)


# --- flow picture and wording -------------------------------------------------------------


def _flow(request: Request) -> FlowGraph:
    """Built from the files on disk; rebuilt when one of them changes."""
    sources = getattr(request.app.state, "flow_sources", None) or FlowSources.from_repo()
    cached: Optional[FlowGraph] = getattr(request.app.state, "flow_graph", None)
    if cached is None or cached.fingerprint != sources.fingerprint():
        cached = build_graph(sources)
        request.app.state.flow_graph = cached
    return cached


@router.get(
    "/flow",
    responses=responses_for(401, 403),
    summary="The conversation's structure (phases, forms and slots, rules, hand-offs) with positions",
)
def flow_graph(request: Request, user: User = Depends(trainer_or_admin)) -> Dict[str, Any]:
    return _flow(request).to_dict()


class TraceIn(BaseModel):
    responses: List[str] = Field(
        ..., max_items=5000, description="utter_action names in the order the bot used them."
    )


@router.post(
    "/flow/trace",
    responses=responses_for(401, 403),
    summary="Where a sequence of bot responses lies in the flow picture",
)
def flow_trace(request: Request, body: TraceIn = Body(...), user: User = Depends(trainer_or_admin)):
    return trace(_flow(request), body.responses)


@router.get(
    "/responses",
    responses=responses_for(401, 403),
    summary="Every bot response in domain.yml with its MI code, variations and the steps that use it",
)
def responses(request: Request, user: User = Depends(trainer_or_admin)) -> Dict[str, Any]:
    sources = getattr(request.app.state, "flow_sources", None) or FlowSources.from_repo()
    return response_catalog(sources)
