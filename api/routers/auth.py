"""Staff sign-in: OAuth2 password form → JWT bearer token."""

from __future__ import annotations

import threading
from typing import Optional

import anyio
from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from fastapi.security import OAuth2PasswordRequestForm
from sqlalchemy.orm import Session

from bot import account_admin, accounts, audit, login_throttle
from bot.db.models import User
from bot.settings import Settings
from api.deps import create_access_token, current_user, get_settings_dep
from api.errors import error_response
from api.schemas import Token, UserOut

router = APIRouter(prefix="/auth", tags=["auth"])

# Password hashes checked at once per API process; more sign-ins wait briefly, then
# get 429, so a burst of guesses from many addresses cannot take every core.
PASSWORD_CHECKS = threading.BoundedSemaphore(2)
# Threads for sign-in work per API process. A burst of guesses queues for these in the event
# loop instead of filling the shared thread pool that every kiosk turn needs
# (tests/api/test_guessing_keeps_the_kiosk_answering.py).
LOGIN_THREADS = 4
BUSY_DETAIL = "Even te druk om in te loggen; probeer het zo opnieuw. / Busy; try again in a moment."


@router.post(
    "/token",
    response_model=Token,
    responses={
        401: error_response("Wrong name or password, or account disabled."),
        429: error_response(
            "Too many failed sign-ins for this account or address "
            "(growing delays, then a lock an admin lifts)."
        ),
    },
    summary="Sign in with username and password (OAuth2 password form)",
)
async def sign_in(
    request: Request,
    form: OAuth2PasswordRequestForm = Depends(),
    settings: Settings = Depends(get_settings_dep),
):
    address = request.client.host if request.client else None
    return await request.app.state.db.run_limited(
        _login_limiter(request.app), _sign_in, settings, form.username, form.password, address
    )


def _login_limiter(app) -> anyio.CapacityLimiter:
    """Sign-ins run on their own few threads (made on first use, in the server's event loop)."""
    limiter = getattr(app.state, "login_limiter", None)
    if limiter is None:
        limiter = app.state.login_limiter = anyio.CapacityLimiter(LOGIN_THREADS)
    return limiter


def _sign_in(db: Session, settings: Settings, username: str, password: str, address: Optional[str]):
    """Throttle, check the password, record the outcome; a refusal is committed before it is raised."""
    refusal = login_throttle.check(db, username, address)
    if refusal is not None:
        db.commit()  # the refused try is counted on the lock; no password is checked
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            login_throttle.LOCKED_DETAIL,
            headers={"Retry-After": str(refusal.retry_after_s)},
        )
    if not PASSWORD_CHECKS.acquire(timeout=2.0):
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, BUSY_DETAIL, headers={"Retry-After": "1"})
    try:
        user = accounts.authenticate(db, username, password)
    finally:
        PASSWORD_CHECKS.release()
    if user is None:
        known = accounts.get_user(db, username)
        login_throttle.record_failure(db, username, address, user_id=known.id if known else None)
        db.commit()
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, "wrong username or password", headers={"WWW-Authenticate": "Bearer"}
        )
    login_throttle.record_success(db, username)
    token = create_access_token(settings, user)
    audit.record(db, user=user, action="auth.signed_in", object_type="user", object_id=user.id)
    return {
        "access_token": token,
        "token_type": "bearer",
        "role": user.role,
        "expires_in": settings.jwt_expire_minutes * 60,
    }


@router.get("/me", response_model=UserOut, summary="Who the token belongs to")
def me(user: User = Depends(current_user)):
    return {"id": user.id, "username": user.username, "role": user.role}


@router.post(
    "/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses={401: error_response("Not signed in, or already signed out.")},
    summary="Sign out: every token of this account stops working at once",
)
async def sign_out(request: Request, user: User = Depends(current_user)):
    await request.app.state.db.run(_sign_out, user.id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


def _sign_out(db: Session, user_id: int) -> None:
    account_admin.sign_out(db, db.get(User, user_id))
