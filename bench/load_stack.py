"""The two topologies the load benchmark and the production tests start.

* embedded: one Rasa server with in-memory tracker and lock stores, SQLite app data;
* production: N Rasa servers sharing a PostgreSQL tracker store (the same
  database as the app data) and a Redis lock store.

Each run gets a database of its own (created here, dropped afterwards) and a
Redis key prefix of its own, so nothing of another run or another engineer's
tests is read or deleted.
"""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, Iterator, Optional

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from cli.local_stack import LocalStack

# Where the local services are; the tests and the bench only ever add databases.
PG_SERVER_URL = os.environ.get("COACH_LOAD_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("COACH_LOAD_REDIS_URL", "redis://127.0.0.1:6379/0")


def postgres_problem(server_url: str = PG_SERVER_URL) -> Optional[str]:
    """Why PostgreSQL cannot be used (None when it can)."""
    engine = create_engine(server_url, future=True, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        return None
    except Exception as exc:  # any failure: the reason is what the caller shows
        return (
            f"PostgreSQL is not reachable at {make_url(server_url).render_as_string()}: {type(exc).__name__}"
        )
    finally:
        engine.dispose()


def redis_problem(url: str = REDIS_URL) -> Optional[str]:
    """Why Redis cannot be used (None when it can)."""
    import redis

    try:
        client = redis.Redis.from_url(url.split("?")[0], socket_timeout=3)
        client.ping()
        client.close()
        return None
    except Exception as exc:
        return f"Redis is not reachable at {url}: {type(exc).__name__}"


@contextmanager
def fresh_database(server_url: str = PG_SERVER_URL, prefix: str = "coach_load") -> Iterator[str]:
    """A new, empty PostgreSQL database for one run; dropped (connections and all) afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server_url, future=True, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server_url).set(drivername="postgresql", database=name)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        from bot.db.engine import dispose_engines

        dispose_engines()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def fresh_redis_prefix(url: str = REDIS_URL, prefix: str = "coachload") -> Iterator[str]:
    """The lock store URL with a key prefix of its own; its keys are deleted afterwards."""
    import redis

    key_prefix = f"{prefix}{uuid.uuid4().hex[:8]}"
    try:
        yield f"{url}?key_prefix={key_prefix}"
    finally:
        client = redis.Redis.from_url(url)
        for key in client.scan_iter(match=f"{key_prefix}:*"):
            client.delete(key)
        client.close()


def prepare_app_database(database_url: str, kiosk_key: str) -> None:
    """Migrate the app database and accept the run's kiosk key (what `coach run` does)."""
    from bot import accounts
    from bot.db.engine import session_scope
    from bot.db.migrate import upgrade

    upgrade(database_url)
    with session_scope(database_url) as db:
        accounts.ensure_kiosk_key(db, kiosk_key, label="load run")


def production_env(database_url: str, lock_store_url: str) -> Dict[str, str]:
    return {
        "COACH_DATABASE_URL": database_url,
        "COACH_TRACKER_STORE_URL": database_url,
        "COACH_LOCK_STORE_URL": lock_store_url,
    }


def start_stack(
    model: Path,
    workdir: Path,
    *,
    rasa_servers: int,
    database_url: str,
    kiosk_key: str,
    extra_env: Optional[Dict[str, str]] = None,
    timeout_s: float = 600.0,
) -> LocalStack:
    """Migrate, then start Rasa server(s), actions and API; the caller stops the stack."""
    prepare_app_database(database_url, kiosk_key)
    env = {"COACH_DATABASE_URL": database_url, "COACH_KIOSK_KEY": kiosk_key, **(extra_env or {})}
    stack = LocalStack(model=model, workdir=workdir, env_overrides=env, rasa_servers=rasa_servers)
    return stack.start(timeout_s=timeout_s)
