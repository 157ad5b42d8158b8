"""Migrations 0002 and 0003 on SQLite and PostgreSQL: history stays published; each downgrades cleanly."""

import os

import pytest
from sqlalchemy import inspect, text

from bot.content.db import get_engine
from bot.content.migrate import upgrade
from tests.db import POSTGRES_URL, reset_schema


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'm.db'}"
    if not POSTGRES_URL:
        if os.environ.get("HAMROH_REQUIRE_POSTGRES"):
            pytest.fail("HAMROH_REQUIRE_POSTGRES is set but HAMROH_TEST_POSTGRES_URL is not")
        pytest.skip("no PostgreSQL server")
    reset_schema(POSTGRES_URL)
    return POSTGRES_URL


def test_upgrade_keeps_seed_history_published_and_downgrades(empty_url):
    from alembic import command

    from bot.content.migrate import alembic_config

    upgrade(empty_url, "0001")
    with get_engine(empty_url).begin() as connection:
        connection.execute(text(
            "INSERT INTO organisations (id, key, name, kind, nationwide, free, languages, countries, contacts, status) "
            "VALUES (1, 'k', 'n', 'ngo', false, true, '[]', '[]', '{}', 'active')"))
        connection.execute(text(
            "INSERT INTO organisation_revisions (organisation_id, number, data, author, created_at) "
            "VALUES (1, 1, '{}', 'seed', CURRENT_TIMESTAMP)"))
        connection.execute(text("INSERT INTO answers (id, topic, language, scope) VALUES (1, 'healthcare', 'uz', 'any')"))
    upgrade(empty_url)
    with get_engine(empty_url).connect() as connection:
        assert connection.execute(text("SELECT status FROM organisation_revisions")).scalar_one() == "published"
        assert not connection.execute(text("SELECT needs_update FROM answers")).scalar_one()
    tables = inspect(get_engine(empty_url)).get_table_names()
    assert {"admin_users", "audit_events"} <= set(tables)
    command.downgrade(alembic_config(empty_url), "0001")
    get_engine(empty_url).dispose()
    inspector = inspect(get_engine(empty_url))
    assert "admin_users" not in inspector.get_table_names()
    assert "status" not in {c["name"] for c in inspector.get_columns("organisation_revisions")}
    upgrade(empty_url)
    get_engine(empty_url).dispose()


def test_0003_adds_the_sign_in_failures_and_downgrades(empty_url):
    from alembic import command

    from bot.content.migrate import alembic_config

    upgrade(empty_url, "0002")
    assert "login_failures" not in inspect(get_engine(empty_url)).get_table_names()
    upgrade(empty_url)
    with get_engine(empty_url).begin() as connection:
        connection.execute(text("INSERT INTO login_failures (address_key, user_key, at) "
                                "VALUES ('a', 'u', CURRENT_TIMESTAMP)"))
        assert connection.execute(text("SELECT count(*) FROM login_failures WHERE user_key = 'u'")).scalar_one() == 1
    get_engine(empty_url).dispose()
    inspector = inspect(get_engine(empty_url))
    assert {i["name"] for i in inspector.get_indexes("login_failures")} == {
        "ix_login_failures_address", "ix_login_failures_user"}
    command.downgrade(alembic_config(empty_url), "0002")
    get_engine(empty_url).dispose()
    assert "login_failures" not in inspect(get_engine(empty_url)).get_table_names()
    assert "admin_users" in inspect(get_engine(empty_url)).get_table_names()  # 0002 is untouched
    upgrade(empty_url)
    get_engine(empty_url).dispose()
    assert "login_failures" in inspect(get_engine(empty_url)).get_table_names()


def test_0005_gives_waiting_drafts_their_base_and_downgrades(empty_url):
    from alembic import command

    from bot.content.migrate import alembic_config

    upgrade(empty_url, "0004")
    with get_engine(empty_url).begin() as connection:
        connection.execute(text("INSERT INTO answers (id, topic, language, scope, needs_update) "
                                "VALUES (1, 'healthcare', 'ru', 'any', false)"))
        for number, status in ((1, "published"), (2, "published"), (3, "draft"), (4, "rejected")):
            connection.execute(text(
                "INSERT INTO answer_revisions (answer_id, number, status, body, sources, reviewed_by, reviewed_on, "
                f"author, created_at) VALUES (1, {number}, '{status}', 't', '[]', 'r', '2026-01-01', 'a', "
                "CURRENT_TIMESTAMP)"))
        connection.execute(text(
            "INSERT INTO organisations (id, key, name, kind, nationwide, free, languages, countries, contacts, "
            "status) VALUES (1, 'k', 'n', 'ngo', false, true, '[]', '[]', '{}', 'active')"))
        for number, status in ((1, "published"), (2, "draft")):
            connection.execute(text(
                "INSERT INTO organisation_revisions (organisation_id, number, data, author, created_at, status) "
                f"VALUES (1, {number}, '{{}}', 'a', CURRENT_TIMESTAMP, '{status}')"))
        connection.execute(text("INSERT INTO admin_users (username, password_hash, role, active, created_at) "
                                "VALUES ('u', 'h', 'editor', true, CURRENT_TIMESTAMP)"))
    upgrade(empty_url)
    with get_engine(empty_url).begin() as connection:
        bases = dict(connection.execute(text("SELECT number, base_number FROM answer_revisions")).all())
        assert bases == {1: None, 2: None, 3: 2, 4: None}  # only the waiting draft: on the newest served
        assert connection.execute(text("SELECT base_number FROM organisation_revisions WHERE number = 2")
                                  ).scalar_one() == 1
        assert connection.execute(text("SELECT session_version FROM admin_users")).scalar_one() == 0
        connection.execute(text("UPDATE answer_revisions SET status = 'withdrawn' WHERE number = 3"))
    get_engine(empty_url).dispose()
    command.downgrade(alembic_config(empty_url), "0004")
    get_engine(empty_url).dispose()
    inspector = inspect(get_engine(empty_url))
    assert "base_number" not in {c["name"] for c in inspector.get_columns("answer_revisions")}
    assert "session_version" not in {c["name"] for c in inspector.get_columns("admin_users")}
    with get_engine(empty_url).connect() as connection:
        assert connection.execute(text("SELECT status FROM answer_revisions WHERE number = 3")).scalar_one() \
            == "rejected"
    upgrade(empty_url)
    get_engine(empty_url).dispose()
