"""Test databases: a fresh SQLite file, and the real PostgreSQL server when CI provides one."""

import os
import re

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.content.db import get_engine
from bot.content.migrate import upgrade
from bot.settings import get_settings

POSTGRES_URL = os.environ.get("HAMROH_TEST_POSTGRES_URL")
TEST_DATABASE = re.compile(r"(^test_|_test$)")
"""The names of the databases tests may empty: scripts/test-postgres makes hamroh_test, the tests *_test."""


class NotATestDatabase(RuntimeError):
    """Tests were about to empty a database that is not one of theirs."""


def reset_schema(url):
    """Drops and recreates the public schema of a PostgreSQL test database; refuses any other database."""
    name = make_url(url).database or ""
    if not TEST_DATABASE.search(name):
        raise NotATestDatabase(f"refusing to empty database {name!r}: the tests only empty databases named "
                               f"test_* or *_test (HAMROH_TEST_POSTGRES_URL must name one)")
    with get_engine(url).begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    get_engine(url).dispose()


def database_urls():
    """The databases the content tests run on."""
    urls = [pytest.param("sqlite", id="sqlite")]
    urls.append(pytest.param("postgresql", id="postgresql"))
    return urls


def fresh_database(kind, tmp_path):
    """Returns the URL of an empty, migrated database of a kind."""
    if kind == "sqlite":
        url = f"sqlite:///{tmp_path / 'hamroh.db'}"
    else:
        if not POSTGRES_URL:
            if os.environ.get("HAMROH_REQUIRE_POSTGRES"):
                pytest.fail("HAMROH_REQUIRE_POSTGRES is set but HAMROH_TEST_POSTGRES_URL is not")
            pytest.skip("no PostgreSQL server (.ci/run starts one: scripts/test-postgres)")
        url = POSTGRES_URL
        reset_schema(url)
    upgrade(url)
    return url


def use_database(monkeypatch, url):
    """Points the bot's settings at a database for one test."""
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
