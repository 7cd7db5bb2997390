"""Prepare a machine for `coach run`: migrate, dev accounts, kiosk key, banner."""

from __future__ import annotations

import secrets
from typing import Dict

from cli.paths import VAR_DIR

# Development accounts only: created when COACH_ENV=dev, printed at start-up.
DEV_USERS = (
    ("begeleider", "counsellor", "begeleider-dev"),
    ("trainer", "trainer", "trainer-dev"),
    ("beheerder", "admin", "beheerder-dev"),
)


def _dev_kiosk_key() -> str:
    """One kiosk key per checkout, kept so open kiosk pages survive a restart."""
    path = VAR_DIR / "dev_kiosk_key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    key = secrets.token_urlsafe(24)
    path.write_text(key + "\n", encoding="utf-8")
    path.chmod(0o600)
    return key


def prepare(settings) -> Dict[str, str]:
    """Migrate the database, create dev users and the kiosk key; return env for the processes."""
    from bot import accounts
    from bot.db.engine import session_scope
    from bot.db.migrate import upgrade

    VAR_DIR.mkdir(exist_ok=True)
    if settings.env == "production":
        settings.check_production()
    upgrade()
    env: Dict[str, str] = {
        "COACH_RASA_URLS": ",".join(settings.rasa_urls),
        "COACH_DATABASE_URL": settings.database_url,
    }
    kiosk_key = settings.kiosk_key
    if settings.env == "dev":
        kiosk_key = kiosk_key or _dev_kiosk_key()
    with session_scope() as db:
        if settings.env == "dev":
            for name, role, password in DEV_USERS:
                if accounts.get_user(db, name) is None:
                    accounts.create_user(db, name, role, password)
        if kiosk_key:
            accounts.ensure_kiosk_key(db, kiosk_key, label="kiosk (COACH_KIOSK_KEY)")
    if kiosk_key:
        env["COACH_KIOSK_KEY"] = kiosk_key
    return env


def print_banner(settings, env: Dict[str, str]) -> None:
    base = f"http://{settings.api_host}:{settings.api_port}"
    lines = [
        "",
        "=" * 64,
        " Toekomstcoach is running",
        "=" * 64,
        f" Kiosk (client):     {base}/kiosk",
        f" Console (staff):    {base}/console",
        f" API docs:           {base}/docs",
        f" Kiosk key:          {env.get('COACH_KIOSK_KEY', '(set COACH_KIOSK_KEY)')}",
    ]
    if settings.env == "dev":
        lines.append(" Dev accounts (username / password):")
        lines += [f"   {role:<11} {name} / {password}" for name, role, password in DEV_USERS]
    lines += [" Ctrl-C stops everything.", "=" * 64, ""]
    print("\n".join(lines), flush=True)
