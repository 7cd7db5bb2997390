"""Issue 14.3 / 14.5 at the command line: unlock, kiosk-key list|revoke, reset-password signs out."""

from __future__ import annotations

import pytest

from bot import accounts, login_throttle
from bot.db.models import AuditEvent
from bot.db.engine import session_scope
from bot.settings import get_settings
from cli.main import main

ENV_KEY = "env-kiosk-key-7c2e9a41f0b3d865"


@pytest.fixture
def coach_db(tmp_path, clean_env):
    clean_env.setenv("COACH_DATABASE_URL", f"sqlite:///{tmp_path / 'coach.db'}")
    clean_env.setenv("COACH_KIOSK_KEY", ENV_KEY)
    get_settings.cache_clear()
    assert main(["db", "upgrade"]) == 0
    assert main(["user", "add", "anna", "--role", "counsellor", "--password", "geheim-123"]) == 0
    yield
    get_settings.cache_clear()


def test_reset_password_signs_the_user_out_everywhere(coach_db):
    with session_scope() as db:
        before = accounts.get_user(db, "anna").token_version
    assert main(["user", "reset-password", "anna", "--password", "nieuw-wachtwoord"]) == 0
    with session_scope() as db:
        assert accounts.get_user(db, "anna").token_version == before + 1


def test_user_unlock_lifts_the_lock(coach_db, capsys):
    with session_scope() as db:
        user_id = accounts.get_user(db, "anna").id
        for _ in range(login_throttle.ACCOUNT_LOCKOUT):
            login_throttle.record_failure(db, "anna", "10.1.1.1", user_id=user_id)
    with session_scope() as db:
        assert login_throttle.check(db, "anna", "10.9.9.9") is not None
    assert main(["user", "unlock", "anna"]) == 0
    assert "lifted" in capsys.readouterr().out
    with session_scope() as db:
        assert login_throttle.check(db, "anna", "10.9.9.9") is None
        assert [e.action for e in db.query(AuditEvent).all()].count("auth.unlocked") == 1
    assert main(["user", "unlock", "nobody"]) == 2


def test_kiosk_key_list_and_revoke(coach_db, capsys):
    assert main(["kiosk-key", "create", "--label", "T-room 1"]) == 0
    created = capsys.readouterr().out.strip()
    assert main(["kiosk-key", "list"]) == 0
    listing = capsys.readouterr().out
    assert "T-room 1" in listing and "active" in listing and created not in listing
    assert main(["kiosk-key", "revoke", "1"]) == 0
    with session_scope() as db:
        assert not accounts.verify_kiosk_key(db, created)
    assert main(["kiosk-key", "revoke", "--env"]) == 0
    capsys.readouterr()
    with session_scope() as db:
        row = accounts.find_kiosk_key(db, ENV_KEY)
        assert row is not None and row.revoked_at is not None
    assert main(["kiosk-key", "list"]) == 0
    assert capsys.readouterr().out.count("revoked") == 2
