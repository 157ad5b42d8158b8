"""Workspace fixtures: a seeded database on SQLite and PostgreSQL, with one account of each role."""

import pytest

from bot.admin.accounts import create_user
from bot.content.db import session_scope
from bot.settings import get_settings
from tests.bot.content.conftest import db_url, seeded  # noqa: F401 - shared fixtures

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def conversations_file(tmp_path, monkeypatch):
    """The live desk's conversations database: a file of the test's own, never the checkout's var/ (the dashboard
    reads it for admins)."""
    monkeypatch.setenv("HAMROH_TRACKER_URL", f"sqlite:///{tmp_path / 'conversations.db'}")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def users(seeded):  # noqa: F811
    """Creates editor `edna`, reviewers `rita` and `rob`, admin `ada`; returns the database URL."""
    with session_scope(seeded) as session:
        for name, role in (("edna", "editor"), ("rita", "reviewer"), ("rob", "reviewer"), ("ada", "admin")):
            create_user(session, name, PASSWORD, role)
    return seeded
