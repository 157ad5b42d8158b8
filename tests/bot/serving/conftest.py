"""Conversation databases on SQLite and on the real PostgreSQL server, and a Redis server when CI starts one."""

import os

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.content.db import get_engine
from bot.settings import get_settings
from tests.db import POSTGRES_URL, reset_schema

REDIS_URL = os.environ.get("HAMROH_TEST_REDIS_URL")


def postgres_database(name):
    """Returns the URL of an empty database `name` on the test PostgreSQL server (created when missing)."""
    if not POSTGRES_URL:
        if os.environ.get("HAMROH_REQUIRE_POSTGRES"):
            pytest.fail("HAMROH_REQUIRE_POSTGRES is set but HAMROH_TEST_POSTGRES_URL is not")
        pytest.skip("no PostgreSQL server (.ci/run starts one: scripts/test-postgres)")
    server = get_engine(POSTGRES_URL)
    with server.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if not connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first():
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    reset_schema(url)
    return url


def conversations_database(kind, tmp_path):
    """Returns the URL of an empty conversations database of a kind."""
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'conversations.db'}"
    return postgres_database("hamroh_conversations_test")


@pytest.fixture(params=["sqlite", "postgresql"])
def conversations_url(request, tmp_path, monkeypatch):
    """An empty conversations database, also the configured one (HAMROH_TRACKER_URL) for the test."""
    url = conversations_database(request.param, tmp_path)
    monkeypatch.setenv("HAMROH_TRACKER_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


@pytest.fixture
def redis_url():
    """The test Redis server (scripts/test-redis), emptied."""
    if not REDIS_URL:
        if os.environ.get("HAMROH_REQUIRE_REDIS"):
            pytest.fail("HAMROH_REQUIRE_REDIS is set but HAMROH_TEST_REDIS_URL is not")
        pytest.skip("no Redis server (.ci/run starts one: scripts/test-redis)")
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    return REDIS_URL
