"""Shared fixtures: a clean settings environment and throwaway databases.

Kept small on purpose; each test area adds its own conftest for the rest.
"""

from __future__ import annotations

import getpass
import os
import sys
import uuid
from pathlib import Path
from typing import Iterator, Optional

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.db.engine import dispose_engines, make_sessionmaker
from bot.db.models import Base
from bot.settings import get_settings

PG_HOST = os.environ.get("COACH_TEST_PG_HOST", "127.0.0.1:5432")
PG_DATABASE = os.environ.get("COACH_TEST_PG_DATABASE", "test")

# --- no network beyond this machine (issue 15): tests/netguard/coach_netguard_plugin.py ---
NETGUARD_DIR = Path(__file__).resolve().with_name("netguard")
if str(NETGUARD_DIR) not in sys.path:
    sys.path.insert(0, str(NETGUARD_DIR))
import coach_netguard  # noqa: E402  (from tests/netguard, put on the path just above)

pytest_plugins = ["coach_netguard_plugin"]


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashing():
    """argon2's production cost (64 MiB, 3 passes, ~0.2 s a hash here) made every API test
    spend seconds on creating users and signing in. Tests in this process hash with
    the minimum cost; the servers that tests start as subprocesses keep the real one."""
    from argon2 import PasswordHasher

    from bot import accounts

    saved = accounts._hasher
    accounts._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    yield
    accounts._hasher = saved


@pytest.fixture(autouse=True)
def _fresh_settings_cache() -> Iterator[None]:
    """Settings read in one test never leak into the next."""
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def clean_env(monkeypatch) -> pytest.MonkeyPatch:
    """No COACH_* variables from the developer's shell; returns monkeypatch."""
    for name in list(os.environ):
        if name.startswith("COACH_") and name != coach_netguard.ENV_VAR:
            monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    return monkeypatch


@pytest.fixture
def sqlite_url(tmp_path) -> Iterator[str]:
    """A fresh SQLite file with the app schema (from the models)."""
    url = f"sqlite:///{tmp_path / 'app.db'}"
    engine = create_engine(url, future=True)
    Base.metadata.create_all(engine)
    engine.dispose()
    yield url
    dispose_engines()


@pytest.fixture
def db(sqlite_url):
    """An ORM session on ``sqlite_url``; the test decides when to commit."""
    session = make_sessionmaker(sqlite_url)()
    try:
        yield session
    finally:
        session.rollback()
        session.close()


def _pg_server_url() -> Optional[str]:
    """A URL to the local PostgreSQL as ``postgres`` or the current user, or None."""
    for user in ("postgres", getpass.getuser()):
        url = f"postgresql+psycopg2://{user}@{PG_HOST}/{PG_DATABASE}"
        engine = create_engine(url, future=True, connect_args={"connect_timeout": 3})
        try:
            with engine.connect() as conn:
                conn.execute(text("select 1"))
            return url
        except Exception:
            continue
        finally:
            engine.dispose()
    return None


@pytest.fixture
def pg_empty_url() -> Iterator[str]:
    """An empty PostgreSQL schema of its own (search_path), dropped afterwards."""
    server = _pg_server_url()
    if server is None:
        pytest.skip(f"PostgreSQL is not reachable at {PG_HOST}/{PG_DATABASE}")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, future=True)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = (
        make_url(server)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )
    try:
        yield url
    finally:
        dispose_engines()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def pg_url(pg_empty_url) -> str:
    """Like ``pg_empty_url`` but with the app schema created from the models."""
    engine = create_engine(pg_empty_url, future=True)
    Base.metadata.create_all(engine)
    engine.dispose()
    return pg_empty_url


def pytest_collection_modifyitems(config, items):
    """Browser tests run last: Playwright's sync API runs an asyncio loop in the
    main thread while a browser is open, and no test after it may need its own."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
