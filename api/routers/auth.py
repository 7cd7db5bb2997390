"""Staff sign-in: OAuth2 password form → JWT bearer token."""
from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Response, status
from fastapi.security import OAuth2PasswordRequestForm
from sqlalchemy.orm import Session

from bot import account_admin, accounts, audit
from bot.db.models import User
from bot.settings import Settings
from api.deps import create_access_token, current_user, get_db, get_settings_dep
from api.schemas import ErrorOut, Token, UserOut

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post(
    "/token",
    response_model=Token,
    responses={401: {"model": ErrorOut, "description": "Wrong name or password, or account disabled."}},
    summary="Sign in with username and password (OAuth2 password form)",
)
def sign_in(
    form: OAuth2PasswordRequestForm = Depends(),
    settings: Settings = Depends(get_settings_dep),
    db: Session = Depends(get_db),
):
    user = accounts.authenticate(db, form.username, form.password)
    if user is None:
        audit.record(db, user=None, action="auth.failed", object_type="user", object_id=None,
                     detail={"username": form.username[:64]})
        db.commit()
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "wrong username or password",
                            headers={"WWW-Authenticate": "Bearer"})
    token = create_access_token(settings, user)
    audit.record(db, user=user, action="auth.signed_in", object_type="user", object_id=user.id)
    db.commit()
    return {"access_token": token, "token_type": "bearer", "role": user.role,
            "expires_in": settings.jwt_expire_minutes * 60}


@router.get("/me", response_model=UserOut, summary="Who the token belongs to")
def me(user: User = Depends(current_user)):
    return {"id": user.id, "username": user.username, "role": user.role}


@router.post(
    "/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses={401: {"model": ErrorOut, "description": "Not signed in, or already signed out."}},
    summary="Sign out: every token of this account stops working at once",
)
def sign_out(user: User = Depends(current_user), db: Session = Depends(get_db)):
    account_admin.sign_out(db, user)
    db.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
