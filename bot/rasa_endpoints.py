"""Render Rasa's endpoints.yml from the project settings.

Rasa reads its tracker store, lock store and action server from one YAML file;
generating it from settings keeps one source of configuration (the COACH_*
environment) for the API, the action server and every Rasa server.
"""

from __future__ import annotations

from typing import Any, Dict, Optional
from urllib.parse import parse_qsl, unquote, urlsplit

import yaml

# Rasa's SQLTrackerStore names the dialect the SQLAlchemy way.
_SQL_DIALECTS = {
    "postgresql": "postgresql",
    "postgres": "postgresql",
    "postgresql+psycopg2": "postgresql",
    "sqlite": "sqlite",
}


class EndpointConfigError(ValueError):
    """A store URL that Rasa cannot use."""


def tracker_store_config(url: Optional[str]) -> Optional[Dict[str, Any]]:
    """Return the `tracker_store` block for a database URL (None = in-memory)."""
    if not url:
        return None
    parts = urlsplit(url)
    dialect = _SQL_DIALECTS.get(parts.scheme)
    if dialect is None:
        raise EndpointConfigError(
            f"Unsupported tracker store URL scheme {parts.scheme!r}; "
            "use postgresql://user:password@host:port/db or sqlite:///path"
        )
    if dialect == "sqlite":
        # sqlite:///relative.db or sqlite:////absolute.db -> Rasa wants the path as `db`.
        return {"type": "SQL", "dialect": "sqlite", "db": parts.path[1:]}
    config: Dict[str, Any] = {
        "type": "SQL",
        "dialect": dialect,
        "url": parts.hostname or "127.0.0.1",
        "port": parts.port or 5432,
        "db": parts.path.lstrip("/") or "rasa",
    }
    if parts.username:
        config["username"] = unquote(parts.username)
    if parts.password:
        config["password"] = unquote(parts.password)
    # Driver options (sslmode, options=-csearch_path=...) travel as Rasa's `query`.
    query = dict(parse_qsl(parts.query))
    if query:
        config["query"] = query
    return config


def lock_store_config(url: Optional[str], key_prefix: str = "coach") -> Optional[Dict[str, Any]]:
    """Return the `lock_store` block for a redis:// URL (None = in-memory).

    ``redis://[user:password@]host:port/db[?key_prefix=name]``; the prefix in the
    URL wins over ``key_prefix``.
    """
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss"):
        raise EndpointConfigError(
            f"Unsupported lock store URL scheme {parts.scheme!r}; use redis://host:port/db"
        )
    key_prefix = dict(parse_qsl(parts.query)).get("key_prefix", key_prefix)
    if not key_prefix.isalnum():
        # Rasa would silently fall back to its default prefix and share keys.
        raise EndpointConfigError(f"lock store key_prefix {key_prefix!r} must be letters and digits only")
    try:
        db = int(parts.path.lstrip("/") or 0)
    except ValueError:
        raise EndpointConfigError(f"lock store database {parts.path!r} is not a number") from None
    config: Dict[str, Any] = {
        "type": "redis",
        "url": parts.hostname or "127.0.0.1",
        "port": parts.port or 6379,
        "db": db,
        # A prefix keeps our lock keys apart from anything else in the same Redis.
        "key_prefix": key_prefix,
    }
    if parts.username:
        config["username"] = unquote(parts.username)
    if parts.password:
        config["password"] = unquote(parts.password)
    if parts.scheme == "rediss":
        config["use_ssl"] = True
    return config


def render_endpoints(
    *,
    action_server_url: str,
    tracker_store_url: Optional[str] = None,
    lock_store_url: Optional[str] = None,
    internal_token: Optional[str] = None,
) -> str:
    """The endpoints.yml text for one Rasa server.

    With ``internal_token``, Rasa sends it to the action server in the header
    X-Coach-Internal-Token (rasa_plugins/action_server.py refuses calls without it).
    """
    action: Dict[str, Any] = {"url": action_server_url}
    if internal_token:
        action["headers"] = {"X-Coach-Internal-Token": internal_token}
    endpoints: Dict[str, Any] = {"action_endpoint": action}
    tracker = tracker_store_config(tracker_store_url)
    if tracker:
        endpoints["tracker_store"] = tracker
    lock = lock_store_config(lock_store_url)
    if lock:
        endpoints["lock_store"] = lock
    header = "# Generated from COACH_* settings by `coach run`; edit the settings, not this file.\n"
    return header + yaml.safe_dump(endpoints, sort_keys=False, allow_unicode=True)
