"""The tests empty only databases of their own: never one whose name is not a test database's."""

import pytest
from sqlalchemy import text

import tests.db
from bot.content.db import get_engine
from tests.db import NotATestDatabase, POSTGRES_URL, fresh_database, reset_schema

# Port 9 (discard) on loopback: were the guard missing, the error would be a refused connection instead.
NOWHERE = "postgresql://hamroh@127.0.0.1:9/{}"


@pytest.mark.parametrize("name", ["hamroh", "production", "hamroh_testing", "test", "latest"])
def test_a_database_not_named_like_a_test_one_is_refused_before_connecting(name):
    with pytest.raises(NotATestDatabase, match=name):
        reset_schema(NOWHERE.format(name))


def test_the_content_tests_refuse_a_postgres_url_naming_another_database(monkeypatch, tmp_path):
    monkeypatch.setattr(tests.db, "POSTGRES_URL", NOWHERE.format("hamroh"))
    with pytest.raises(NotATestDatabase):
        fresh_database("postgresql", tmp_path)


@pytest.mark.skipif(not POSTGRES_URL, reason="no PostgreSQL server (.ci/run starts one)")
def test_on_the_real_server_a_foreign_database_keeps_its_tables():
    from sqlalchemy.engine import make_url

    name = "hamroh_guard_victim"
    server = get_engine(POSTGRES_URL)
    with server.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    try:
        with get_engine(url).begin() as connection:
            connection.execute(text("CREATE TABLE answers (id integer)"))
        with pytest.raises(NotATestDatabase):
            reset_schema(url)
        with get_engine(url).connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM answers")).scalar() == 0  # still there
    finally:
        get_engine(url).dispose()
        with server.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
