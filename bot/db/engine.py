"""Engines and sessions for the app database.

Nothing connects at import time; engines are built on first use and cached per
URL. SQLite is tuned for several processes (API and action server) writing
one file: WAL, a busy timeout and foreign keys on.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Dict, Iterator, Optional

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool, StaticPool

from bot.settings import get_settings

SQLITE_BUSY_TIMEOUT_MS = 15_000


def resolve_url(url: Optional[str] = None) -> str:
    return url or get_settings().database_url


def _is_memory_sqlite(url: str) -> bool:
    database = make_url(url).database
    return database in (None, "", ":memory:")


def _ensure_sqlite_folder(url: str) -> None:
    database = make_url(url).database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def _tune_sqlite(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


_engines: Dict[str, Engine] = {}
_makers: Dict[str, sessionmaker] = {}
_lock = threading.Lock()


def _build_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        kwargs: Dict[str, Any] = {
            "connect_args": {
                "check_same_thread": False,
                "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000,
            }
        }
        if _is_memory_sqlite(url):
            # One shared connection, else every thread sees its own empty DB.
            kwargs["poolclass"] = StaticPool
        else:
            _ensure_sqlite_folder(url)
            # SQLAlchemy 1.4 gives file SQLite a NullPool: every session would
            # reconnect and checkpoint the WAL on close (about 20 ms a turn).
            kwargs["poolclass"] = QueuePool
            kwargs["pool_pre_ping"] = True
        # hide_parameters: a failed statement's log line and error never carry its
        # values (client text, plan JSON, hashes).
        engine = create_engine(url, future=True, hide_parameters=True, **kwargs)
        event.listen(engine, "connect", _tune_sqlite)
        return engine
    return create_engine(url, future=True, pool_pre_ping=True, hide_parameters=True)


def get_engine(url: Optional[str] = None) -> Engine:
    """The engine for ``url`` (default: settings.database_url), cached per URL."""
    url = resolve_url(url)
    with _lock:
        if url not in _engines:
            _engines[url] = _build_engine(url)
        return _engines[url]


def make_sessionmaker(url: Optional[str] = None) -> sessionmaker:
    url = resolve_url(url)
    engine = get_engine(url)
    with _lock:
        if url not in _makers:
            # expire_on_commit=False: callers (API, actions) read objects after commit.
            _makers[url] = sessionmaker(bind=engine, future=True, expire_on_commit=False)
        return _makers[url]


@contextmanager
def session_scope(url: Optional[str] = None) -> Iterator[Session]:
    """A unit of work: commit on success, roll back on error, always close."""
    db = make_sessionmaker(url)()
    try:
        yield db
        db.commit()
    except BaseException:
        db.rollback()
        raise
    finally:
        db.close()


def dispose_engines() -> None:
    """Close and forget every cached engine (tests, after fork, shutdown)."""
    with _lock:
        engines = list(_engines.values())
        _engines.clear()
        _makers.clear()
    for engine in engines:
        engine.dispose()
