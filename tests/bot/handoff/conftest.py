"""A conversations database (SQLite and PostgreSQL) and a content database with desks, for the handoff tests."""

import pytest

from bot.content.db import session_scope
from bot.content.loader import load_content
from bot.content.models import Organisation
from bot.settings import SEED_CONTENT, get_settings
from tests.bot.serving.conftest import conversations_url  # noqa: F401 - the fixture, on both databases
from tests.db import fresh_database, use_database

DESK_HOURS = "mon-sun 00:00-24:00"
"""Always open, so a test does not depend on the hour it runs at (hours have their own tests)."""


@pytest.fixture
def content_url(tmp_path, monkeypatch):
    """The seed knowledge base on SQLite, as the bot reads it."""
    url = fresh_database("sqlite", tmp_path)
    use_database(monkeypatch, url)
    with session_scope(url) as session:
        load_content(session, SEED_CONTENT)
    yield url
    get_settings.cache_clear()


def open_desk(url, key, hours=DESK_HOURS, languages=None, operators_chat_id=None):
    """Gives a seed organisation a live desk; returns its id."""
    with session_scope(url) as session:
        organisation = session.query(Organisation).filter_by(key=key).one()
        organisation.desk_hours = hours
        if languages is not None:
            organisation.languages = languages
        organisation.operators_chat_id = operators_chat_id
        return organisation.id
