"""A migrated database with the seed content, on SQLite and on PostgreSQL."""

import pytest

from bot.content.db import session_scope
from bot.content.loader import load_content
from bot.settings import SEED_CONTENT, get_settings
from tests.db import database_urls, fresh_database, use_database


@pytest.fixture(params=database_urls())
def db_url(request, tmp_path, monkeypatch):
    url = fresh_database(request.param, tmp_path)
    use_database(monkeypatch, url)
    yield url
    get_settings.cache_clear()


@pytest.fixture
def seeded(db_url):
    with session_scope(db_url) as session:
        load_content(session, SEED_CONTENT)
    return db_url
