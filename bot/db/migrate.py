"""Run the app database's Alembic migrations from Python (``coach db upgrade``)."""

from __future__ import annotations

from typing import Optional

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from bot.db.engine import resolve_url
from bot.settings import repo_root


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Autogenerate filter: tables we do not model (Rasa's tracker store sharing
    the database) are not ours to create, diff or drop."""
    if type_ == "table" and reflected and compare_to is None:
        return False
    return True


def alembic_config(url: Optional[str] = None) -> Config:
    config = Config(str(repo_root() / "alembic.ini"))
    config.set_main_option("script_location", str(repo_root() / "migrations"))
    # Passed as an attribute, not the ini option: URLs may hold '%' (configparser).
    config.attributes["url"] = resolve_url(url)
    config.attributes["configure_logging"] = False
    return config


def upgrade(url: Optional[str] = None, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: Optional[str] = None, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)


def heads() -> list:
    return list(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())
