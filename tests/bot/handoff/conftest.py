"""A conversations database (SQLite and PostgreSQL) and desks on the seed content (tests/conftest.py's
content_url), for the handoff tests."""

from bot.content.db import session_scope
from bot.content.models import Organisation
from tests.bot.serving.conftest import conversations_url  # noqa: F401 - the fixture, on both databases

DESK_HOURS = "mon-sun 00:00-24:00"
"""Always open, so a test does not depend on the hour it runs at (hours have their own tests)."""


def open_desk(url, key, hours=DESK_HOURS, languages=None, operators_chat_id=None):
    """Gives a seed organisation a live desk; returns its id."""
    with session_scope(url) as session:
        organisation = session.query(Organisation).filter_by(key=key).one()
        organisation.desk_hours = hours
        if languages is not None:
            organisation.languages = languages
        organisation.operators_chat_id = operators_chat_id
        return organisation.id
