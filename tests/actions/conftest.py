"""Fixtures for action tests: the real domain, fresh trackers, a plan in SQLite."""

from __future__ import annotations

from pathlib import Path

from typing import Any, Dict

import pytest
from rasa_sdk.executor import CollectingDispatcher

from bot.db.engine import session_scope

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def domain() -> Dict[str, Any]:
    from rasa.shared.core.domain import Domain

    return Domain.load(str(REPO_ROOT / "domain.yml")).as_dict()


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture
def plan_session(sqlite_url, monkeypatch) -> str:
    """A session (and its empty plan) in a throwaway SQLite DB the actions write to."""
    from bot.sessions import create_session
    from bot.settings import get_settings

    monkeypatch.setenv("COACH_DATABASE_URL", sqlite_url)
    get_settings.cache_clear()
    with session_scope(sqlite_url) as db:
        return create_session(db).id
