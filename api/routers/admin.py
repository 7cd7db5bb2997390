"""Admin endpoints: staff accounts, the audit log, a client's data on request, retention.

Only the admin role. Account changes that should end someone's work at once
(disable, password reset, role change) also revoke that person's tokens.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any, Dict, List, Optional

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response, status
from fastapi.encoders import jsonable_encoder
from starlette.concurrency import run_in_threadpool
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from bot import account_admin, accounts, audit, login_throttle, records, retention, tracker_erasure
from bot.accounts import AccountError, UnknownUser
from bot.db.models import User
from bot.db.types import utcnow
from api.errors import ErrorResponses
from api.deps import require_roles
from api.schemas import Role

router = APIRouter(prefix="/admin", tags=["admin"])
admin_only = require_roles("admin")

responses_for = ErrorResponses(
    {
        403: "Only admins.",
        404: "Unknown user or client reference.",
        409: "Not allowed: it would leave no enabled admin.",
    }
)


class AccountOut(BaseModel):
    id: int
    username: str
    role: Role
    disabled: bool
    created_at: datetime
    last_login_at: Optional[datetime] = None


class AccountCreate(BaseModel):
    username: str = Field(..., max_length=64)
    role: Role
    password: str = Field(..., max_length=200, description="At least 8 characters.")


class PasswordIn(BaseModel):
    password: str = Field(..., max_length=200)


class RoleIn(BaseModel):
    role: Role


class AuditEventOut(BaseModel):
    id: int
    at: datetime
    user: Optional[str] = None
    user_id: Optional[int] = None
    action: str
    object_type: str
    object_id: Optional[str] = None
    detail: Optional[Dict[str, Any]] = None


class DeletedOut(BaseModel):
    sessions: int
    messages: int
    plans: int
    plan_changes: int
    tracker_store: Optional[Dict[str, Any]] = Field(
        None, description="What was erased from Rasa's tracker store (`complete` false: see `failed`)."
    )


class RetentionOut(BaseModel):
    retention_days: int
    due_sessions: int = Field(..., description="Closed sessions past the period, not yet anonymised.")


async def _account_step(request: Request, step) -> Dict[str, Any]:
    def _do(db: Session):
        return account_admin.user_out(step(db))

    try:
        return await request.app.state.db.run(_do)
    except account_admin.LastAdmin as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from exc
    except UnknownUser as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from exc
    except AccountError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, str(exc)) from exc


# --- accounts --------------------------------------------------------------------------


@router.get(
    "/users", response_model=List[AccountOut], responses=responses_for(401, 403), summary="All staff accounts"
)
async def list_users(request: Request, user: User = Depends(admin_only)):
    def _list(db: Session):
        return [account_admin.user_out(u) for u in account_admin.list_users(db)]

    return await request.app.state.db.run(_list)


@router.post(
    "/users",
    response_model=AccountOut,
    status_code=status.HTTP_201_CREATED,
    responses=responses_for(401, 403, 422),
    summary="Create a staff account",
)
async def create_user(body: AccountCreate, request: Request, user: User = Depends(admin_only)):
    return await _account_step(
        request, lambda db: account_admin.create_user(db, body.username, body.role, body.password, actor=user)
    )


@router.post(
    "/users/{user_id}/disable",
    response_model=AccountOut,
    responses=responses_for(401, 403, 404, 409),
    summary="Disable an account; its tokens stop working at once",
)
async def disable_user(user_id: int, request: Request, user: User = Depends(admin_only)):
    return await _account_step(request, lambda db: account_admin.disable_user(db, user_id, actor=user))


@router.post(
    "/users/{user_id}/enable",
    response_model=AccountOut,
    responses=responses_for(401, 403, 404),
    summary="Enable a disabled account",
)
async def enable_user(user_id: int, request: Request, user: User = Depends(admin_only)):
    return await _account_step(request, lambda db: account_admin.enable_user(db, user_id, actor=user))


@router.post(
    "/users/{user_id}/password",
    response_model=AccountOut,
    responses=responses_for(401, 403, 404, 422),
    summary="Set a new password; the user's tokens stop working",
)
async def reset_password(user_id: int, body: PasswordIn, request: Request, user: User = Depends(admin_only)):
    return await _account_step(
        request, lambda db: account_admin.reset_password(db, user_id, body.password, actor=user)
    )


@router.post(
    "/users/{user_id}/role",
    response_model=AccountOut,
    responses=responses_for(401, 403, 404, 409, 422),
    summary="Change the role; the user signs in again",
)
async def change_role(user_id: int, body: RoleIn, request: Request, user: User = Depends(admin_only)):
    return await _account_step(
        request, lambda db: account_admin.change_role(db, user_id, body.role, actor=user)
    )


# --- audit log -------------------------------------------------------------------------


@router.get(
    "/audit",
    response_model=List[AuditEventOut],
    responses=responses_for(401, 403, 422),
    summary="The audit log, newest first; the total is in the X-Total-Count header",
)
async def audit_log(
    request: Request,
    response: Response,
    username: Optional[str] = Query(None, max_length=64, description="Who did it."),
    action: Optional[str] = Query(
        None, max_length=64, description="Exact action, or a prefix ending in '.' (plan.)"
    ),
    object_type: Optional[str] = Query(None, max_length=32),
    object_id: Optional[str] = Query(None, max_length=64, description="e.g. a session id"),
    since: Optional[date] = Query(None, alias="from", description="First day (UTC), inclusive."),
    until: Optional[date] = Query(None, alias="to", description="Last day (UTC), inclusive."),
    offset: int = Query(0, ge=0),
    limit: int = Query(100, ge=1, le=500),
    user: User = Depends(admin_only),
):
    wanted = records.AuditFilter(
        username=username,
        action=action,
        object_type=object_type,
        object_id=object_id,
        since=since,
        until=until,
    )

    def _search(db: Session):
        rows, total = records.search_audit(db, wanted, offset=offset, limit=limit)
        return [records.audit_out(e) for e in rows], total

    try:
        rows, total = await request.app.state.db.run(_search)
    except records.RecordsError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, str(exc)) from exc
    response.headers["X-Total-Count"] = str(total)
    return rows


# --- a client's data on request ------------------------------------------------------------


async def _client_step(request: Request, step):
    try:
        return await request.app.state.db.run(step)
    except records.UnknownClient:
        raise HTTPException(
            status.HTTP_404_NOT_FOUND, "no sessions or plan with this client reference"
        ) from None
    except records.RecordsError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, str(exc)) from exc


@router.get(
    "/clients/export",
    response_model=Dict[str, Any],
    responses=responses_for(401, 403, 404, 422),
    summary="Everything stored about one client (sessions, transcripts, plans, plan history) as JSON",
)
async def export_client(
    request: Request,
    client_ref: str = Query(..., min_length=1, max_length=128),
    user: User = Depends(admin_only),
):
    data = await _client_step(request, lambda db: records.export_client(db, client_ref, actor=user))
    safe_name = "".join(c if c.isalnum() or c in "-_" else "_" for c in client_ref)[:64]
    return Response(
        content=json.dumps(jsonable_encoder(data), ensure_ascii=False, indent=2),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="client-{safe_name}.json"'},
    )


@router.delete(
    "/clients",
    response_model=DeletedOut,
    responses=responses_for(401, 403, 404, 422),
    summary="Delete one client's sessions, transcripts and plans (asks for the reference twice)",
)
async def delete_client(
    request: Request,
    client_ref: str = Query(..., min_length=1, max_length=128),
    confirm: str = Query(..., description="The same client reference again."),
    user: User = Depends(admin_only),
):
    if confirm.strip() != client_ref.strip():
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, "confirm must repeat the client reference")
    counts = await _client_step(request, lambda db: records.delete_client(db, client_ref, actor=user))
    erased = await erase_trackers(request, counts.pop("session_ids"))

    def _audit(db: Session):
        audit.record(
            db,
            user=user,
            action="client.tracker_erased",
            object_type="client",
            object_id=records.ref_digest(client_ref),
            detail=erased,
        )

    await request.app.state.db.run(_audit)
    return {**counts, "tracker_store": erased}


async def erase_trackers(request: Request, session_ids: List[str]) -> Dict[str, Any]:
    """Erase the sessions from Rasa's tracker store too (issue 14.9; `bot/tracker_erasure.py`):
    the SQL store directly, the in-memory one through each Rasa server's HTTP API."""
    settings = request.app.state.settings
    if settings.tracker_store_url:
        report = await run_in_threadpool(tracker_erasure.erase_sql, settings.tracker_store_url, session_ids)
        return report.as_dict()
    failed: List[str] = []
    for session_id in session_ids:
        failed += await request.app.state.rasa.forget(session_id)
    return {"store": "memory", "sessions": len(session_ids), "complete": not failed, "failed": failed[:20]}


# --- retention -------------------------------------------------------------------------------


@router.get(
    "/retention",
    response_model=RetentionOut,
    responses=responses_for(401, 403),
    summary="The retention period and how many closed sessions are due for anonymising",
)
async def retention_status(request: Request, user: User = Depends(admin_only)):
    days = request.app.state.settings.retention_days

    def _count(db: Session):
        return len(retention.due_sessions(db, now=utcnow(), retention_days=days))

    return {"retention_days": days, "due_sessions": await request.app.state.db.run(_count)}


# --- login locks (issue 14.3) -------------------------------------------------------------


class LoginLockOut(BaseModel):
    username: str
    unlocked: bool = Field(..., description="True when a lock or a failure count was lifted.")
    failures: int = Field(..., description="Failed sign-ins counted now (0 after an unlock).")
    locked: bool


@router.post(
    "/users/{user_id}/unlock",
    response_model=LoginLockOut,
    responses=responses_for(401, 403, 404),
    summary="Lift the sign-in lock of an account (after too many wrong passwords); audited",
)
async def unlock_user(user_id: int, request: Request, user: User = Depends(admin_only)):
    def _unlock(db: Session):
        target = account_admin.get_user_by_id(db, user_id)
        lifted = login_throttle.unlock_account(db, target.username, actor=user, user_id=target.id)
        db.commit()
        state = login_throttle.account_status(db, target.username)
        return {
            "username": target.username,
            "unlocked": lifted,
            "failures": state["failures"],
            "locked": state["locked"],
        }

    try:
        return await request.app.state.db.run(_unlock)
    except UnknownUser as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from exc


# --- kiosk keys (issue 14.5) -----------------------------------------------------------------


class KioskKeyOut(BaseModel):
    id: int
    label: str
    created_at: datetime
    revoked_at: Optional[datetime] = None


class KioskKeyCreated(KioskKeyOut):
    key: str = Field(..., description="The key itself: shown this once, stored only as a hash.")


class KioskKeyIn(BaseModel):
    label: str = Field(..., min_length=1, max_length=100, description="For example the T-room's name.")


def _key_out(row) -> Dict[str, Any]:
    return {"id": row.id, "label": row.label, "created_at": row.created_at, "revoked_at": row.revoked_at}


@router.get(
    "/kiosk-keys",
    response_model=List[KioskKeyOut],
    responses=responses_for(401, 403),
    summary="Every kiosk key (label and dates; never the key)",
)
async def list_kiosk_keys(request: Request, user: User = Depends(admin_only)):
    return await request.app.state.db.run(lambda db: [_key_out(k) for k in accounts.list_kiosk_keys(db)])


@router.post(
    "/kiosk-keys",
    response_model=KioskKeyCreated,
    status_code=status.HTTP_201_CREATED,
    responses=responses_for(401, 403, 422),
    summary="Create a kiosk key; the reply shows it once",
)
async def create_kiosk_key(
    body: KioskKeyIn, request: Request, response: Response, user: User = Depends(admin_only)
):
    def _create(db: Session):
        key = accounts.create_kiosk_key(db, body.label, actor=user)
        row = accounts.find_kiosk_key(db, key)
        db.commit()
        return {**_key_out(row), "key": key}

    try:
        return await request.app.state.db.run(_create)
    except AccountError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, str(exc)) from exc


@router.post(
    "/kiosk-keys/{key_id}/revoke",
    response_model=KioskKeyOut,
    responses=responses_for(401, 403, 404),
    summary="Revoke a kiosk key: kiosks using it stop at once (the COACH_KIOSK_KEY one too); audited",
)
async def revoke_kiosk_key(key_id: int, request: Request, user: User = Depends(admin_only)):
    def _revoke(db: Session):
        row = accounts.revoke_kiosk_key(db, key_id, actor=user)
        db.commit()
        return _key_out(row)

    try:
        return await request.app.state.db.run(_revoke)
    except AccountError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from exc
