"""LocalStack.prepare_database: the one public way tests, benchmarks and `coach scenarios`
give a local stack its database before it starts (no children are started here)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import cli.local_stack as local_stack
from bot import accounts
from bot.db.engine import make_sessionmaker
from bot.db.models import KioskKey, User
from cli.local_stack import LocalStack

KIOSK_KEY = "unit-kiosk-key-0123456789abcdef"


@pytest.fixture
def stack(monkeypatch, tmp_path):
    monkeypatch.setattr(local_stack, "_handed_out", set())
    monkeypatch.setattr(local_stack, "_port_lock_files", {})
    monkeypatch.setattr(local_stack, "PORT_LOCK_DIR", tmp_path / "port-locks")
    running = LocalStack(
        model=Path("unused.tar.gz"), workdir=tmp_path / "stack", env_overrides={"COACH_KIOSK_KEY": KIOSK_KEY}
    )
    yield running
    running.stop()


def test_prepare_database_migrates_and_registers_the_key_and_the_accounts(stack):
    before = dict(os.environ)
    stack.prepare_database(
        kiosk_key=KIOSK_KEY,
        kiosk_label="unit",
        users=[("unit-begeleider", "counsellor", "unit-password-123")],
    )
    assert dict(os.environ) == before, "the caller's environment is restored"
    assert stack.database_url == f"sqlite:///{stack.workdir / 'coach.db'}"
    with make_sessionmaker(stack.database_url)() as db:
        assert accounts.verify_kiosk_key(db, KIOSK_KEY)
        assert [k.label for k in db.query(KioskKey).all()] == ["unit"]
        user = accounts.get_user(db, "unit-begeleider")
        assert user is not None and user.role == "counsellor"
        assert accounts.authenticate(db, "unit-begeleider", "unit-password-123") is not None


def test_prepare_database_twice_keeps_what_a_reused_workdir_has(stack):
    users = [("unit-trainer", "trainer", "unit-password-123")]
    stack.prepare_database(users=users)
    stack.prepare_database(kiosk_key=KIOSK_KEY, users=users)
    with make_sessionmaker(stack.database_url)() as db:
        assert db.query(User).filter(User.username == "unit-trainer").count() == 1
        assert accounts.verify_kiosk_key(db, KIOSK_KEY)
