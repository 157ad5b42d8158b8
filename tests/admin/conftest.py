"""Workspace fixtures: a seeded database on SQLite and PostgreSQL, with one account of each role."""

import pytest

from bot.admin.accounts import create_user
from bot.content.db import session_scope
from tests.bot.content.conftest import db_url, seeded  # noqa: F401 - shared fixtures

PASSWORD = "correct horse battery"


@pytest.fixture
def users(seeded):  # noqa: F811
    """Creates editor `edna`, reviewers `rita` and `rob`, admin `ada`; returns the database URL."""
    with session_scope(seeded) as session:
        for name, role in (("edna", "editor"), ("rita", "reviewer"), ("rob", "reviewer"), ("ada", "admin")):
            create_user(session, name, PASSWORD, role)
    return seeded
