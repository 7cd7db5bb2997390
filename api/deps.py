"""FastAPI dependencies: database, kiosk key, staff token, role checks."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import timedelta
from typing import Callable, Iterator, Optional

import jwt
from fastapi import Depends, Header, HTTPException, Request, status
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session

from bot import accounts
from bot.db.models import ChatSession, User
from bot.db.types import utcnow
from bot.settings import Settings

JWT_ALGORITHM = "HS256"
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


def get_settings_dep(request: Request) -> Settings:
    return request.app.state.settings


def get_db(request: Request) -> Iterator[Session]:
    """A session per request; endpoints commit what they change."""
    db = request.app.state.sessionmaker()
    try:
        yield db
    except BaseException:
        db.rollback()
        raise
    finally:
        db.close()


# --- kiosk ---------------------------------------------------------------


@dataclass(frozen=True)
class Kiosk:
    """The authenticated kiosk; `bucket` names it for rate limits without the key."""

    bucket: str


def kiosk_key_is_valid(app, db: Session, key: Optional[str]) -> bool:
    """A key from the database that is not revoked, or the configured key (COACH_KIOSK_KEY).

    The configured key is revocable like any other: once its hash is revoked in the
    database (admin API, `coach kiosk-key revoke`), it is refused although the
    environment still holds it. Only reads; nothing is written on the request path.
    """
    if not key:
        return False
    if accounts.verify_kiosk_key(db, key):
        return True
    configured = app.state.accepted_kiosk_key
    if not configured or not hmac.compare_digest(key.encode(), configured.encode()):
        return False
    return accounts.find_kiosk_key(db, key) is None  # a recorded row here is a revoked one


def require_kiosk(
    request: Request,
    x_kiosk_key: Optional[str] = Header(None, description="The kiosk key of this T-room device."),
    db: Session = Depends(get_db),
) -> Kiosk:
    # The request gate (api/security.py) checked the key before the body was read.
    checked = getattr(request.state, "kiosk_key_checked", None)
    if not x_kiosk_key or (checked != x_kiosk_key and not kiosk_key_is_valid(request.app, db, x_kiosk_key)):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "missing or wrong kiosk key (header X-Kiosk-Key)")
    return Kiosk(bucket="key:" + accounts.hash_kiosk_key(x_kiosk_key)[:16])


# --- staff ---------------------------------------------------------------


def create_access_token(settings: Settings, user: User) -> str:
    now = utcnow()
    claims = {
        "sub": str(user.id),
        "name": user.username,
        "role": user.role,
        "ver": user.token_version or 0,
        "iat": now,
        "exp": now + timedelta(minutes=settings.jwt_expire_minutes),
    }
    return jwt.encode(claims, settings.jwt_secret, algorithm=JWT_ALGORITHM)


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, detail, headers={"WWW-Authenticate": "Bearer"})


def user_from_token(settings: Settings, db: Session, token: Optional[str]) -> User:
    """Decode the token and re-read the user, so a disabled account stops at once."""
    if not token:
        raise _unauthorized("not signed in (Authorization: Bearer token needed)")
    try:
        claims = jwt.decode(
            token, settings.jwt_secret, algorithms=[JWT_ALGORITHM], options={"require": ["exp", "sub"]}
        )
        user_id = int(claims["sub"])
    except jwt.ExpiredSignatureError:
        raise _unauthorized("token expired; sign in again") from None
    except (jwt.InvalidTokenError, ValueError, KeyError):
        raise _unauthorized("invalid token") from None
    user = db.get(User, user_id)
    if user is None or user.disabled:
        raise _unauthorized("account unknown or disabled")
    if claims.get("ver", 0) != (user.token_version or 0):
        raise _unauthorized("signed out; sign in again")
    return user


def current_user(
    token: Optional[str] = Depends(oauth2_scheme),
    settings: Settings = Depends(get_settings_dep),
    db: Session = Depends(get_db),
) -> User:
    return user_from_token(settings, db, token)


def require_roles(*roles: str) -> Callable[..., User]:
    def check(user: User = Depends(current_user)) -> User:
        if user.role not in roles:
            raise HTTPException(status.HTTP_403_FORBIDDEN, f"needs role {' or '.join(roles)}")
        return user

    return check


any_staff = require_roles("counsellor", "trainer", "admin")


def may_see(user: User, chat_session: ChatSession) -> bool:
    """Trainers work only with training sessions; counsellors only with clients'."""
    if user.role == "admin":
        return True
    if user.role == "trainer":
        return bool(chat_session.is_training)
    return not chat_session.is_training


def check_visible(user: User, chat_session: ChatSession) -> None:
    if not may_see(user, chat_session):
        kind = "training" if chat_session.is_training else "client"
        raise HTTPException(status.HTTP_403_FORBIDDEN, f"role {user.role} may not open {kind} sessions")
