"""Replicas started at the same moment create the conversations' tables once, without failing (PostgreSQL)."""

import threading

from rasa.core.tracker_store import SQLTrackerStore
from sqlalchemy import create_engine, inspect, text

from bot.serving.conversations import create_tables, metadata
from tests.bot.serving.conftest import postgres_database

STARTS = 6
ROUNDS = 5


def test_replicas_starting_together_create_the_tables_once_and_none_fails():
    url = postgres_database("hamroh_schema_race_test")
    failures = []
    for _ in range(ROUNDS):
        setup = create_engine(url, future=True)
        with setup.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        setup.dispose()
        ready = threading.Barrier(STARTS)

        def start():
            engine = create_engine(url, future=True)  # a process of its own would have its own connections
            try:
                ready.wait()
                create_tables(engine, SQLTrackerStore.Base.metadata)
            except Exception as error:  # noqa: BLE001 - what a replica would die of
                failures.append(repr(error)[:200])
            finally:
                engine.dispose()

        starts = [threading.Thread(target=start) for _ in range(STARTS)]
        for thread in starts:
            thread.start()
        for thread in starts:
            thread.join(60)
    assert failures == []
    check = create_engine(url, future=True)
    tables = set(inspect(check).get_table_names())
    check.dispose()
    assert set(metadata.tables) | {"events"} <= tables
