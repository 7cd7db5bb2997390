"""The production topology for real: two Rasa servers on PostgreSQL and Redis.

One stack for the whole folder (starting two Rasa servers costs a minute or
two). Each run gets a fresh PostgreSQL database (dropped afterwards) and its own
Redis key prefix, so nothing of other tests or of a running `coach run` is read
or changed. Tests skip with the reason when PostgreSQL or Redis is not there.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Iterator

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:  # bench/ is a folder of scripts, not an installed package
    sys.path.insert(0, str(REPO_ROOT))

from bench.load_stack import (
    fresh_database,
    fresh_redis_prefix,
    postgres_problem,  # noqa: E402
    production_env,
    redis_problem,
    start_stack,
)
from cli.local_stack import LocalStack  # noqa: E402

KIOSK_KEY = "production-test-kiosk-key-0123456789"


@pytest.fixture(scope="session")
def production_stores() -> Iterator[dict]:
    """A fresh PostgreSQL database and a Redis key prefix of their own."""
    for problem in (postgres_problem(), redis_problem()):
        if problem:
            pytest.skip(problem)
    with fresh_database(prefix="coach_prod_test") as database_url, fresh_redis_prefix() as lock_url:
        yield {"database_url": database_url, "lock_store_url": lock_url}


@pytest.fixture(scope="session")
def production_stack(production_stores, tmp_path_factory) -> Iterator[LocalStack]:
    """API, action server and two Rasa servers sharing the tracker store and the lock store."""
    from cli.training import train

    model = train(quiet=True)
    stack = start_stack(
        model,
        tmp_path_factory.mktemp("production_stack"),
        rasa_servers=2,
        database_url=production_stores["database_url"],
        kiosk_key=KIOSK_KEY,
        extra_env=production_env(production_stores["database_url"], production_stores["lock_store_url"]),
    )
    try:
        yield stack
    finally:
        stack.stop()
