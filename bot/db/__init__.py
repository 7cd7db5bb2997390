"""App database: engine, sessions, models and migrations."""

from bot.db.engine import dispose_engines, get_engine, make_sessionmaker, session_scope

__all__ = ["dispose_engines", "get_engine", "make_sessionmaker", "session_scope"]
