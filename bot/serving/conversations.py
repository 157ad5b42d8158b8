"""The conversations database: Rasa's events, Hamroh's Telegram state beside them, forgetting and retention.

One database (an SQLite file under the state folder, or PostgreSQL by
HAMROH_TRACKER_URL) holds everything a replica must share with the others:
the conversations, the button payloads, which Telegram updates were handled,
the Telegram replies waiting for the sender (`hamroh telegram-send`), and the
conversations handed to NGO consultants (bot/handoff/).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Optional

from sqlalchemy import (
    BigInteger, Column, Float, Integer, MetaData, String, Table, Text, column, delete, func, inspect, select, table,
    text,
)
from sqlalchemy.engine import Connection, Engine, make_url

from bot.content.db import get_engine
from bot.settings import get_settings

metadata = MetaData()

button_payloads = Table(
    "button_payloads", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
    # The chat a reply keyboard was shown in (forgotten with the conversation); None for a long payload's key,
    # which is a hash of the payload and belongs to no one.
    Column("chat_id", String(255), index=True),
    Column("updated_at", Float, nullable=False),
)

telegram_updates = Table(
    "telegram_updates", metadata,
    Column("update_id", BigInteger, primary_key=True, autoincrement=False),
    Column("state", String(8), nullable=False),  # "claimed" while a replica handles it, then "done"
    # A claim not done by then belongs to a replica that died: a redelivery may take it over.
    Column("expires_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False, index=True),
)

telegram_outbox = Table(
    "telegram_outbox", metadata,
    # In commit order per chat: a chat's turns are saved one after another (the conversation lock).
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("chat_id", String(255), nullable=False),
    Column("message", Text, nullable=False),  # Rasa's response (text, buttons, ...) as JSON
    Column("created_at", Float, nullable=False, index=True),
    sqlite_autoincrement=True,  # ids never reused once a sent row is deleted
)

handoffs = Table(
    "handoffs", metadata,
    # A conversation handed to a person: waiting for a consultant, active with one, or closed.
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("chat_id", String(255), nullable=False, index=True),
    Column("status", String(8), nullable=False, index=True),  # bot.handoff.desk.Status
    Column("language", String(8), nullable=False),
    Column("script", String(8)),
    Column("city", String(32)),
    Column("country", String(32)),
    Column("topic", String(64)),
    Column("organisations", Text, nullable=False),  # JSON list: the organisations whose consultants may claim it
    Column("organisation_id", Integer),  # the organisation of the consultant handling it
    Column("consultant", String(80)),  # that consultant's workspace username
    Column("queued", Integer, nullable=False, default=0),  # 1: left for later (outside hours, or nobody free)
    # 1: while it waits in the queue the person talks to the bot (/bot, or nobody was free); a claim ends that.
    Column("bot_meanwhile", Integer, nullable=False, default=0),
    Column("created_at", Float, nullable=False),
    Column("claimed_at", Float),
    Column("first_reply_at", Float),
    Column("last_activity_at", Float, nullable=False),
    Column("closed_at", Float),
    Column("close_reason", String(16)),
    sqlite_autoincrement=True,
)

handoff_messages = Table(
    "handoff_messages", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("handoff_id", BigInteger, nullable=False, index=True),
    Column("author", String(12), nullable=False),  # bot.handoff.desk.Author
    Column("sender", String(80)),  # the consultant's username
    Column("kind", String(16), nullable=False),  # "text", or what the person sent instead ("photo", "voice", ...)
    Column("text", Text, nullable=False),
    Column("at", Float, nullable=False),
    sqlite_autoincrement=True,
)

events = table("events", column("sender_id"), column("timestamp"))
"""Rasa's own table (rasa.core.tracker_store.SQLTrackerStore.SQLEvent), named without importing Rasa."""

FORGET_ACTION = "action_forget"
"""The action of the `forget` intent (actions/privacy.py): a saved turn that ran it deletes the conversation."""
UPDATE_MEMORY_SECONDS = 2 * 24 * 3600
"""Telegram gives up redelivering an update after 24 hours; ids are kept twice that long."""
SCHEMA_LOCK = 0x68616D726F68  # "hamroh"
"""PostgreSQL advisory lock key held while tables are created: replicas start at the same moment."""


def create_tables(engine: Engine, *others: MetaData) -> None:
    """Creates Hamroh's tables (and others, e.g. Rasa's) unless they exist, one process at a time.

    Two PostgreSQL sessions creating the same table at once both pass the
    existence check and one fails on a duplicate key in pg_type; the advisory
    lock makes the second wait and then find the tables there.
    """
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})
        for tables in (metadata, *others):
            tables.create_all(connection, checkfirst=True)


def conversations_engine(url: Optional[str] = None, *others: MetaData) -> Engine:
    """Returns the engine of the conversations database, its tables created (call it once per store)."""
    url = url or get_settings().conversations_url
    database = make_url(url).database
    if make_url(url).get_backend_name() == "sqlite" and database and database != ":memory:":
        # Conversations are personal even masked: the file is its owner's alone (SQLite would use the umask).
        Path(database).parent.mkdir(parents=True, exist_ok=True)
        Path(database).touch(mode=0o600, exist_ok=True)
    engine = get_engine(url)
    create_tables(engine, *others)
    return engine


def _insert(connection: Connection, target: Table) -> Any:
    """An INSERT that can say what to do on a duplicate key (SQLite and PostgreSQL both can)."""
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(target)


def insert_new(connection: Connection, target: Table, values: Dict[str, Any]) -> bool:
    """Inserts a row unless its key exists; True when this call inserted it (atomic across processes)."""
    return connection.execute(_insert(connection, target).values(**values).on_conflict_do_nothing()).rowcount == 1


def upsert(connection: Connection, target: Table, values: Dict[str, Any]) -> None:
    """Inserts a row or replaces the one with its key."""
    keys = [c.name for c in target.primary_key.columns]
    statement = _insert(connection, target).values(**values)
    connection.execute(statement.on_conflict_do_update(
        index_elements=keys, set_={k: v for k, v in values.items() if k not in keys}))


def forget_conversation(connection: Connection, sender_id: str) -> None:
    """Deletes every stored event of a conversation and the reply keyboards shown in it."""
    connection.execute(delete(events).where(events.c.sender_id == sender_id))
    connection.execute(delete(button_payloads).where(button_payloads.c.chat_id == sender_id))
    handed = select(handoffs.c.id).where(handoffs.c.chat_id == sender_id)
    connection.execute(delete(handoff_messages).where(handoff_messages.c.handoff_id.in_(handed)))
    connection.execute(delete(handoffs).where(handoffs.c.chat_id == sender_id))


@dataclass(frozen=True)
class Purged:
    """What a retention run deleted."""

    conversations: int
    events: int


def purge(older_than_days: float, url: Optional[str] = None, now: Optional[float] = None) -> Purged:
    """Deletes conversations whose last event is older than the given days, with their keyboards."""
    now = time.time() if now is None else now
    cutoff = now - older_than_days * 86400
    engine = conversations_engine(url)
    with engine.begin() as connection:
        conversations, removed = 0, 0
        if inspect(connection).has_table("events"):  # Rasa creates it when it first starts
            stale = (select(events.c.sender_id).group_by(events.c.sender_id)
                     .having(func.max(events.c.timestamp) < cutoff))
            conversations = len(connection.execute(stale).all())
            # Keyboards first: the subquery finds the stale conversations by their events.
            connection.execute(delete(button_payloads).where(button_payloads.c.chat_id.in_(stale)))
            removed = connection.execute(delete(events).where(events.c.sender_id.in_(stale))).rowcount
        connection.execute(delete(button_payloads).where(button_payloads.c.chat_id.isnot(None),
                                                         button_payloads.c.updated_at < cutoff))
        connection.execute(delete(telegram_updates).where(telegram_updates.c.updated_at < now - UPDATE_MEMORY_SECONDS))
        # Handoffs closed before the cutoff, with what was said in them.
        old = select(handoffs.c.id).where(handoffs.c.closed_at.isnot(None), handoffs.c.closed_at < cutoff)
        connection.execute(delete(handoff_messages).where(handoff_messages.c.handoff_id.in_(old)))
        connection.execute(delete(handoffs).where(handoffs.c.closed_at.isnot(None), handoffs.c.closed_at < cutoff))
        # Replies no sender took within the retention (none was running): too late to be worth sending.
        connection.execute(delete(telegram_outbox).where(telegram_outbox.c.created_at < cutoff))
    return Purged(conversations, removed)
