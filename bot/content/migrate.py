"""`hamroh db upgrade`: runs the committed Alembic migrations."""

from __future__ import annotations

from typing import Optional

from alembic import command
from alembic.config import Config

from bot.resources import shipped
from bot.settings import get_settings

MIGRATIONS = shipped("bot.content", "migrations")


def alembic_config(url: Optional[str] = None) -> Config:
    """Returns an Alembic config for a database URL (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url or get_settings().database_url)
    return config


def upgrade(url: Optional[str] = None, revision: str = "head") -> None:
    """Creates or upgrades the database to the latest schema."""
    command.upgrade(alembic_config(url), revision)
