"""Staff accounts (password hashing, login) and kiosk keys."""

from __future__ import annotations

import hashlib
import logging

import pytest
from sqlalchemy import select

from bot import accounts, audit
from bot.accounts import AccountError, UnknownUser
from bot.db.models import AuditEvent, KioskKey, User

PASSWORD = "correct horse battery"


@pytest.fixture
def anna(db):
    return accounts.create_user(db, "Anna", "counsellor", PASSWORD)


def test_create_user_stores_a_hash_not_the_password(db, anna):
    assert anna.username == "anna" and anna.role == "counsellor" and not anna.disabled
    assert anna.password_hash != PASSWORD and PASSWORD not in anna.password_hash
    assert anna.password_hash.startswith("$argon2id$")
    assert PASSWORD not in repr(anna)


def test_authenticate(db, anna):
    assert anna.last_login_at is None
    assert accounts.authenticate(db, "anna", PASSWORD) is anna
    assert anna.last_login_at is not None and anna.last_login_at.tzinfo is not None
    assert accounts.authenticate(db, " ANNA ", PASSWORD) is anna
    assert accounts.authenticate(db, "anna", "wrong password") is None
    assert accounts.authenticate(db, "nobody", PASSWORD) is None
    assert accounts.authenticate(db, "anna", None) is None


def test_disabled_user_cannot_log_in_until_enabled(db, anna):
    accounts.disable_user(db, "anna")
    assert accounts.authenticate(db, "anna", PASSWORD) is None
    accounts.enable_user(db, "anna")
    assert accounts.authenticate(db, "anna", PASSWORD) is anna


def test_reset_password(db, anna):
    accounts.reset_password(db, "anna", "a brand new secret")
    assert accounts.authenticate(db, "anna", PASSWORD) is None
    assert accounts.authenticate(db, "anna", "a brand new secret") is anna


@pytest.mark.parametrize(
    "username, role, password, complaint",
    [
        ("anna", "counsellor", PASSWORD, "already exists"),
        ("bob", "boss", PASSWORD, "role"),
        ("bob", "admin", "short", "at least"),
        ("bob", "admin", "x" * 1025, "1024 bytes"),
        ("", "admin", PASSWORD, "username"),
        ("bad name!", "admin", PASSWORD, "username"),
    ],
    ids=["duplicate", "role", "short-password", "long-password", "empty-name", "bad-name"],
)
def test_create_user_rejects_bad_input(db, anna, username, role, password, complaint):
    with pytest.raises(AccountError, match=complaint):
        accounts.create_user(db, username, role, password)
    assert db.execute(select(User)).scalars().all() == [anna]


# --- hashes: argon2 now, bcrypt from earlier versions ------------------------------

# Made by the earlier code (passlib's CryptContext(schemes=["bcrypt"]), its default 12 rounds)
# for the password "old bcrypt password".
OLD_BCRYPT_PASSWORD = "old bcrypt password"
OLD_BCRYPT_HASH = "$2b$12$E0zKAjuc6tLHvVaNH5yfwOO0N6.tfGOaImmUz9tDxcciczZQlSRI6"


def _legacy_user(db, name="bert"):
    user = User(username=name, role="counsellor", password_hash=OLD_BCRYPT_HASH, disabled=False)
    db.add(user)
    db.flush()
    return user


def test_an_old_bcrypt_hash_still_signs_in_and_becomes_argon2(db):
    bert = _legacy_user(db)
    assert accounts.authenticate(db, "bert", "wrong password") is None
    assert bert.password_hash == OLD_BCRYPT_HASH, "a failed sign-in changes nothing"
    assert accounts.authenticate(db, "bert", OLD_BCRYPT_PASSWORD) is bert
    assert bert.password_hash.startswith("$argon2id$") and bert.password_hash != OLD_BCRYPT_HASH
    assert not accounts.needs_rehash(bert.password_hash)
    # The new hash is what is checked from now on: same password in, wrong ones out.
    assert accounts.authenticate(db, "bert", OLD_BCRYPT_PASSWORD) is bert
    assert accounts.authenticate(db, "bert", "wrong password") is None
    assert accounts.authenticate(db, "bert", OLD_BCRYPT_PASSWORD + "x") is None


def test_a_bcrypt_hash_does_not_match_a_longer_password_through_truncation():
    import bcrypt

    seventy_two = "p" * 72
    old = bcrypt.hashpw(seventy_two.encode(), bcrypt.gensalt(4)).decode()
    assert accounts.verify_password(seventy_two, old)
    assert not accounts.verify_password(seventy_two + "extra", old)  # bcrypt itself would say yes


@pytest.mark.parametrize(
    "password_hash", ["", "plain text", "$2b$12$broken", "$argon2id$v=19$m=8,t=1,p=1$broken"]
)
def test_a_malformed_hash_never_matches(password_hash):
    assert not accounts.verify_password(PASSWORD, password_hash)
    assert accounts.needs_rehash(password_hash)


def test_argon2_takes_passwords_longer_than_bcrypt_did(db):
    long_password = "lang wachtwoord " * 10  # 160 bytes: bcrypt refused these
    accounts.create_user(db, "carla", "counsellor", long_password)
    assert accounts.authenticate(db, "carla", long_password) is not None
    assert accounts.authenticate(db, "carla", long_password[:72]) is None


def test_a_hash_with_old_argon2_parameters_is_renewed_on_sign_in(db, monkeypatch):
    from argon2 import PasswordHasher

    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=16, parallelism=1))
    dora = accounts.create_user(db, "dora", "counsellor", PASSWORD)
    weaker = dora.password_hash
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=2, memory_cost=16, parallelism=1))
    assert accounts.authenticate(db, "dora", PASSWORD) is dora
    assert dora.password_hash != weaker and ",t=2," in dora.password_hash


def test_a_production_argon2_hash_fits_the_migrated_column(pg_empty_url, monkeypatch):
    """PostgreSQL enforces VARCHAR lengths (SQLite does not): the schema the migrations
    make must take an argon2 hash of the real parameters, and of stronger ones."""
    from argon2 import PasswordHasher

    from bot.db import migrate
    from bot.db.engine import session_scope

    migrate.upgrade(pg_empty_url)
    # "long": twice the salt and digest of the default, cheap to compute; a costlier
    # m/t/p adds only a few digits (m=1048576,t=10,p=16: 4 more characters).
    hashers = {
        "prod": PasswordHasher(),  # what the servers use (the tests' is cheap)
        "long": PasswordHasher(time_cost=1, memory_cost=128, parallelism=16, hash_len=64, salt_len=32),
    }
    made = {}
    for name, hasher in hashers.items():
        monkeypatch.setattr(accounts, "_hasher", hasher)
        with session_scope(pg_empty_url) as db:
            made[name] = accounts.create_user(db, f"user-{name}", "counsellor", PASSWORD).password_hash
    column = User.__table__.c.password_hash.type.length
    assert len(made["prod"]) < 120 and len(made["long"]) + 10 < column
    with session_scope(pg_empty_url) as db:
        stored = {u.username: u.password_hash for u in db.execute(select(User)).scalars()}
        assert stored == {f"user-{name}": value for name, value in made.items()}
        monkeypatch.setattr(accounts, "_hasher", hashers["prod"])
        assert accounts.authenticate(db, "user-prod", PASSWORD) is not None


def test_operations_on_unknown_users(db):
    with pytest.raises(UnknownUser):
        accounts.disable_user(db, "ghost")
    with pytest.raises(UnknownUser):
        accounts.reset_password(db, "ghost", PASSWORD)


def test_audit_trail_never_holds_passwords(db, anna, caplog):
    with caplog.at_level(logging.DEBUG):
        accounts.reset_password(db, "anna", "another long secret")
        accounts.disable_user(db, "anna")
    events = db.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars().all()
    assert [e.action for e in events] == ["user.created", "user.password_reset", "user.disabled"]
    dumped = repr([(e.action, e.detail) for e in events]) + caplog.text
    assert PASSWORD not in dumped and "another long secret" not in dumped


# --- kiosk keys -------------------------------------------------------------------


def test_kiosk_key_is_shown_once_and_stored_hashed(db):
    key = accounts.create_kiosk_key(db, "T-room Ter Apel")
    assert len(key) >= 43
    row = db.execute(select(KioskKey)).scalar_one()
    assert row.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in repr(row) and key not in str(row.label)
    assert accounts.verify_kiosk_key(db, key)
    assert not accounts.verify_kiosk_key(db, key + "x")
    assert not accounts.verify_kiosk_key(db, "")
    assert not accounts.verify_kiosk_key(db, None)
    assert accounts.create_kiosk_key(db, "tweede") != key
    event = db.execute(select(AuditEvent).where(AuditEvent.action == "kiosk_key.created")).scalars().first()
    assert key not in repr(event.detail)


def test_revoked_key_is_refused(db):
    key = accounts.create_kiosk_key(db, "oud")
    row = db.execute(select(KioskKey)).scalar_one()
    accounts.revoke_kiosk_key(db, row.id)
    assert not accounts.verify_kiosk_key(db, key)
    accounts.ensure_kiosk_key(db, key, "opnieuw")
    assert not accounts.verify_kiosk_key(db, key), "ensure does not undo a revocation"


def test_ensure_kiosk_key_is_idempotent(db):
    first = accounts.ensure_kiosk_key(db, "key-from-env-9f3b7c1d2e8a4f60", "COACH_KIOSK_KEY")
    second = accounts.ensure_kiosk_key(db, "key-from-env-9f3b7c1d2e8a4f60", "COACH_KIOSK_KEY")
    assert first.id == second.id
    assert len(db.execute(select(KioskKey)).scalars().all()) == 1
    assert accounts.verify_kiosk_key(db, "key-from-env-9f3b7c1d2e8a4f60")


@pytest.mark.parametrize("label", ["", "   ", "x" * 101])
def test_kiosk_key_needs_a_sensible_label(db, label):
    with pytest.raises(AccountError):
        accounts.create_kiosk_key(db, label)


# --- audit --------------------------------------------------------------------------


def test_audit_record_accepts_users_ids_and_system_actors(db, anna):
    audit.record(db, user=anna, action="a", object_type="session", object_id="s1")
    audit.record(db, user=anna.id, action="b", object_type="session", object_id=7, detail={"k": 1})
    audit.record(db, user="bot", action="c", object_type="session", object_id=None)
    audit.record(db, user=None, action="d", object_type="session", object_id="s1")
    db.flush()
    rows = (
        db.execute(select(AuditEvent).where(AuditEvent.action.in_(list("abcd"))).order_by(AuditEvent.id))
        .scalars()
        .all()
    )
    assert [(r.user_id, r.username, r.object_id) for r in rows] == [
        (anna.id, "anna", "s1"),
        (anna.id, "anna", "7"),
        (None, "bot", None),
        (None, None, "s1"),
    ]
    assert rows[1].detail == {"k": 1} and rows[0].created_at.tzinfo is not None
