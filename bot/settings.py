"""Project settings from the environment (prefix ``COACH_``).

One source of configuration for the API, the action server, the CLI and the
Rasa endpoint file. Tests change the environment and then call
``get_settings.cache_clear()``.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, List, Literal, Optional

from pydantic import BaseSettings, Field, root_validator, validator

DEV_JWT_SECRET = "dev-jwt-secret-change-me"
DEV_RASA_TOKEN = "dev-rasa-token"
DEV_INTERNAL_TOKEN = "dev-internal-token"

# Minimum lengths outside development (kiosk keys: always).
MIN_JWT_SECRET_CHARS = 32
MIN_TOKEN_CHARS = 24
MIN_KIOSK_KEY_CHARS = 24
# Values seen in examples and tutorials: refused whatever their length.
KNOWN_WEAK_SECRETS = frozenset(
    {
        DEV_JWT_SECRET,
        DEV_RASA_TOKEN,
        DEV_INTERNAL_TOKEN,
        "weak",
        "secret",
        "changeme",
        "change-me",
        "password",
        "kiosk",
        "kiosk-key",
        "test",
        "token",
        "admin",
        "default",
        "example",
        "12345678",
        "123456789012345678901234",
        "000000000000000000000000",
        "aaaaaaaaaaaaaaaaaaaaaaaa",
        "changemechangemechangeme",
        "secretsecretsecretsecret",
        "please-change-me-in-production",
    }
)


def secret_problem(value: Any, min_chars: int) -> Optional[str]:
    """Why ``value`` is not a usable secret (None if it is): empty, known or short."""
    if not isinstance(value, str) or not value.strip():
        return "is empty"
    if value.strip().lower() in KNOWN_WEAK_SECRETS or value in KNOWN_WEAK_SECRETS:
        return "is a known example or development value"
    if len(value) < min_chars:
        return f"is shorter than {min_chars} characters"
    if len(set(value)) < 8:
        return "repeats too few characters"
    return None


def repo_root() -> Path:
    """The repository root (the folder that holds ``bot/``)."""
    return Path(__file__).resolve().parent.parent


def default_database_url() -> str:
    return f"sqlite:///{repo_root() / 'var' / 'coach.db'}"


class InsecureProductionSettings(ValueError):
    """Production was asked to start with development secrets or SQLite."""


class Settings(BaseSettings):
    # Defaults go by keyword (Field(default=...)): mypy reads a keyword default as optional,
    # a positional one as required (pydantic 1.10's own mypy plugin does not run with mypy 1.13).
    env: Literal["dev", "test", "production"] = "dev"
    database_url: str = Field(default_factory=default_database_url)
    api_host: str = "127.0.0.1"
    api_port: int = Field(default=8000, ge=1, le=65535)
    rasa_urls: List[str] = Field(default_factory=lambda: ["http://127.0.0.1:5005"])
    rasa_token: str = Field(default=DEV_RASA_TOKEN, repr=False)
    action_server_url: str = "http://127.0.0.1:5055/webhook"
    jwt_secret: str = Field(default=DEV_JWT_SECRET, repr=False)
    jwt_expire_minutes: int = Field(default=480, gt=0)
    kiosk_key: Optional[str] = Field(default=None, repr=False)
    # Shared secret between the API, the Rasa servers and the action server
    # (header X-Coach-Internal-Token on the channel webhook and the action webhook).
    internal_token: str = Field(default=DEV_INTERNAL_TOKEN, repr=False)
    tracker_store_url: Optional[str] = None
    lock_store_url: Optional[str] = None
    max_message_chars: int = Field(default=2000, gt=0)
    # Per minute, per API worker: a person types a few messages a minute; a kiosk
    # key may serve several devices. Tests and load benchmarks raise them.
    rate_limit_session_messages: int = Field(default=30, gt=0)
    rate_limit_key_messages: int = Field(default=240, gt=0)
    rate_limit_key_new_sessions: int = Field(default=30, gt=0)
    rasa_timeout_s: float = Field(default=15, gt=0)
    # Overload (issue 16.5, api/rasa_client.py TurnGate): turns in flight to each Rasa server at
    # once; the rest wait in line in the API. A turn waiting longer than rasa_busy_notice_s gets
    # "een ogenblik" (utter_system_busy) on the kiosk; one that gets no server within
    # rasa_queue_timeout_s is handed to a person as if Rasa were down.
    rasa_max_turns_per_server: int = Field(default=4, ge=1)
    rasa_busy_notice_s: float = Field(default=3, ge=0)
    rasa_queue_timeout_s: float = Field(default=120, gt=0)
    retention_days: int = Field(default=365, gt=0)
    # The audit log (who read or changed what; no client text) is kept this long, then
    # `coach retention run` deletes older rows: long enough to answer a complaint or an
    # inspection about last year, not forever (bot/retention.py purge_audit).
    audit_retention_days: int = Field(default=730, gt=0)
    # Kiosk privacy (issue 14.1): the kiosk asks "Bent u er nog?" after this many seconds
    # without a tap or key, and clears the screen (ending the talk) this many seconds later.
    kiosk_idle_warn_s: int = Field(default=180, gt=0)
    kiosk_idle_clear_s: int = Field(default=60, gt=0)
    # After the bot's last words of a talk (bot/conversation/phases.py TALK_ENDING_RESPONSES)
    # the kiosk clears the screen this many seconds later, unless the client goes on.
    kiosk_after_goodbye_s: int = Field(default=45, gt=0)
    # Open sessions nobody touched for this long are closed by the server (so retention
    # reaches them): the bot's after the first, those waiting for or held by a person after
    # the second. The API checks every `session_idle_sweep_s`; `coach retention run` too.
    session_idle_close_minutes: int = Field(default=60, gt=0)
    session_idle_close_staff_minutes: int = Field(default=24 * 60, gt=0)
    session_idle_sweep_s: float = Field(default=60, gt=0)
    # Returning clients (issue 14.2): a counsellor's one-time resume code lives this long;
    # a kiosk key may try this many codes per 10 minutes.
    resume_code_minutes: int = Field(default=15, gt=0, le=24 * 60)
    rate_limit_key_resume_codes: int = Field(default=10, gt=0)
    organisation_name: str = "Toekomstcoach T-room"
    # Operations (issue 15): staff alerts across API replicas through Redis pub/sub when
    # set (in-process otherwise); log lines as JSON or text; error tracking when a DSN is set.
    redis_url: Optional[str] = Field(default=None, repr=False)
    hub_channel: str = "coach:hub"
    log_format: Literal["text", "json"] = "text"
    log_level: str = "INFO"
    sentry_dsn: Optional[str] = Field(default=None, repr=False)

    class Config:
        env_prefix = "COACH_"
        case_sensitive = False

        @classmethod
        def parse_env_var(cls, field_name: str, raw_val: str) -> Any:
            # A comma-separated list is friendlier in shells and compose files
            # than the JSON pydantic expects by default; JSON still works.
            if field_name == "rasa_urls" and not raw_val.lstrip().startswith("["):
                return [part.strip() for part in raw_val.split(",") if part.strip()]
            return json.loads(raw_val)

    @validator("rasa_urls")
    def _at_least_one_rasa_url(cls, urls: List[str]) -> List[str]:
        urls = [u.strip().rstrip("/") for u in urls if u and u.strip()]
        if not urls:
            raise ValueError("COACH_RASA_URLS needs at least one URL")
        return urls

    @validator("kiosk_key", "tracker_store_url", "lock_store_url", "redis_url", "sentry_dsn", pre=True)
    def _empty_is_none(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @validator("kiosk_key")
    def _strong_kiosk_key(cls, value: Optional[str]) -> Optional[str]:
        if value is not None:
            problem = secret_problem(value, MIN_KIOSK_KEY_CHARS)
            if problem:
                raise ValueError(f"COACH_KIOSK_KEY {problem} (use `coach kiosk-key create`)")
        return value

    @root_validator(skip_on_failure=True)
    def _refuse_insecure_production(cls, values: dict) -> dict:
        problems = production_problems(values)
        if problems:
            raise InsecureProductionSettings("refusing to start in production: " + "; ".join(problems))
        return values

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def api_docs(self) -> bool:
        """/docs, /redoc and /openapi.json are served outside production only."""
        return self.env != "production"

    @property
    def rasa_url(self) -> str:
        """The first Rasa server (callers that balance use ``rasa_urls``)."""
        return self.rasa_urls[0]

    def check_production(self) -> None:
        """Raise InsecureProductionSettings if production runs on dev defaults."""
        problems = production_problems(self.__dict__)
        if problems:
            raise InsecureProductionSettings("refusing to start in production: " + "; ".join(problems))


def production_problems(values: dict) -> List[str]:
    """What makes these values unfit for ``env=production`` (empty if fine)."""
    if values.get("env") != "production":
        return []
    problems = []
    for name, field, min_chars in (
        ("COACH_JWT_SECRET", "jwt_secret", MIN_JWT_SECRET_CHARS),
        ("COACH_RASA_TOKEN", "rasa_token", MIN_TOKEN_CHARS),
        ("COACH_INTERNAL_TOKEN", "internal_token", MIN_TOKEN_CHARS),
    ):
        problem = secret_problem(values.get(field), min_chars)
        if problem:
            if values.get(field) in (DEV_JWT_SECRET, DEV_RASA_TOKEN, DEV_INTERNAL_TOKEN):
                problem = "is the development default"
            problems.append(f"{name} {problem}")
    if str(values.get("database_url", "")).startswith("sqlite"):
        problems.append("COACH_DATABASE_URL must not be SQLite")
    return problems


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
