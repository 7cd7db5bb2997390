"""Alembic migrations match the models, on SQLite and PostgreSQL; engine basics."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from bot.db import migrate
from bot.db.engine import get_engine, session_scope
from bot.db.models import Base, Plan

APP_TABLES = set(Base.metadata.tables)


def _diff(url: str) -> list:
    with get_engine(url).connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)


def _tables(url: str) -> set:
    return set(inspect(get_engine(url)).get_table_names())


def _current_revision(url: str):
    with get_engine(url).connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _assert_migrations_match_models(url: str) -> None:
    migrate.upgrade(url)
    assert APP_TABLES <= _tables(url)
    assert _diff(url) == []
    head = ScriptDirectory.from_config(migrate.alembic_config(url)).get_current_head()
    assert _current_revision(url) == head

    migrate.downgrade(url, "base")
    assert _tables(url) & APP_TABLES == set()
    assert _current_revision(url) is None

    migrate.upgrade(url)
    assert _diff(url) == []


def test_single_head():
    assert len(migrate.heads()) == 1


def test_sqlite_upgrade_matches_models_and_round_trips(tmp_path):
    _assert_migrations_match_models(f"sqlite:///{tmp_path / 'migrated.db'}")


def test_postgresql_upgrade_matches_models_and_round_trips(pg_empty_url):
    _assert_migrations_match_models(pg_empty_url)


def test_tables_we_do_not_model_are_left_alone(tmp_path):
    """Rasa's tracker table in the same database is not ours to diff or drop."""
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    with get_engine(url).begin() as conn:
        conn.execute(text("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT)"))
    migrate.upgrade(url)
    with get_engine(url).connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": migrate.include_object}
        )
        assert compare_metadata(context, Base.metadata) == []
    migrate.downgrade(url, "base")
    assert "events" in _tables(url)


# --- engine --------------------------------------------------------------------------


def test_sqlite_engine_is_tuned_for_several_writers(sqlite_url):
    with get_engine(sqlite_url).connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
    assert get_engine(sqlite_url) is get_engine(sqlite_url)


def test_sqlite_file_folder_is_created(tmp_path):
    url = f"sqlite:///{tmp_path / 'nested' / 'deeper' / 'coach.db'}"
    migrate.upgrade(url)
    assert (tmp_path / "nested" / "deeper" / "coach.db").is_file()


def test_session_scope_commits_or_rolls_back(sqlite_url):
    stamp = datetime(2025, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    with session_scope(sqlite_url) as db:
        db.add(Plan(id="p1", data={"a": 1}, created_at=stamp, updated_at=stamp))
    with pytest.raises(RuntimeError):
        with session_scope(sqlite_url) as db:
            db.add(Plan(id="p2", data={}, created_at=stamp, updated_at=stamp))
            db.flush()
            raise RuntimeError("boom")
    with session_scope(sqlite_url) as db:
        assert [p.id for p in db.query(Plan).all()] == ["p1"]
        assert db.get(Plan, "p1").created_at == stamp, "aware UTC in, aware UTC out"


def test_naive_datetimes_are_refused(sqlite_url):
    with pytest.raises(Exception, match="naive datetime"):
        with session_scope(sqlite_url) as db:
            db.add(Plan(id="p3", data={}, created_at=datetime(2025, 1, 1), updated_at=datetime(2025, 1, 1)))
