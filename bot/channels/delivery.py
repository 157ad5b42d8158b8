"""Which Telegram updates were handled, agreed by every replica through the conversations database.

Telegram delivers an update again when it got no 200 (a timeout, a replica
killed mid-update). An update is claimed before it is handled and marked done
in the transaction that saves its turn (with the turn's replies queued for the
sender: bot/serving/outbox.py); a redelivery of a done update is skipped, one
claimed by a live replica is told to come back later, and one whose claim
outlived its lease (the replica died before saving) is handled again. A turn
saved twice (a slow replica whose lease lapsed) is kept once: the second save
finds the update done and writes nothing.
"""

from __future__ import annotations

import itertools
import time
from enum import Enum
from typing import Any, Dict, Iterable, Optional

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Connection, Engine

from bot.serving.conversations import UPDATE_MEMORY_SECONDS, conversations_engine, insert_new, telegram_updates
from bot.serving.outbox import queue

CLAIM_SECONDS = 30.0
"""How long a claim keeps a redelivery away; a turn takes well under a second, a dead replica never ends it."""
PRUNE_EVERY = 1000
"""Claims between two deletions of update ids older than Telegram would redeliver."""


class Claim(Enum):
    """What to do with an update."""

    NEW = "new"  # handle it
    DONE = "done"  # already handled: answer 200 and nothing else
    BUSY = "busy"  # another replica is handling it: ask Telegram to come back later


def settle(connection: Connection, update_id: int) -> bool:
    """Marks an update done inside the caller's transaction; False when it already was (its turn is saved)."""
    now = time.time()
    row = telegram_updates.c
    # On PostgreSQL a second transaction settling the same update waits for the first, then matches nothing.
    if connection.execute(update(telegram_updates).where(row.update_id == update_id, row.state != "done")
                          .values(state="done", updated_at=now)).rowcount == 1:
        return True
    return insert_new(connection, telegram_updates,
                      {"update_id": update_id, "state": "done", "expires_at": now, "updated_at": now})


class UpdateLedger:
    """Claims, finishes and releases update ids in the conversations database."""

    def __init__(self, url: Optional[str], lease_seconds: float = CLAIM_SECONDS) -> None:
        self.url = url
        self.lease_seconds = lease_seconds
        self._engine: Optional[Engine] = None
        self._claims = itertools.count(1)

    def _database(self) -> Engine:
        # On first use: building the channel touches no database.
        if self._engine is None:
            self._engine = conversations_engine(self.url)
        return self._engine

    def claim(self, update_id: int) -> Claim:
        """Claims an update for this replica, unless it is done or claimed by a live one."""
        now = time.time()
        claimed = {"state": "claimed", "expires_at": now + self.lease_seconds, "updated_at": now}
        with self._database().begin() as connection:
            if next(self._claims) % PRUNE_EVERY == 0:
                connection.execute(delete(telegram_updates).where(
                    telegram_updates.c.updated_at < now - UPDATE_MEMORY_SECONDS))
            if insert_new(connection, telegram_updates, {"update_id": update_id, **claimed}):
                return Claim.NEW
            row = telegram_updates.c
            taken_over = connection.execute(update(telegram_updates).where(
                row.update_id == update_id, row.state == "claimed", row.expires_at < now).values(**claimed))
            if taken_over.rowcount == 1:
                return Claim.NEW
            state = connection.execute(select(row.state).where(row.update_id == update_id)).scalar()
        return Claim.DONE if state == "done" else Claim.BUSY

    def finish(self, update_id: Optional[int], chat_id: Optional[Any] = None,
               replies: Iterable[Dict[str, Any]] = ()) -> None:
        """Marks an update handled (None: one without an id), queueing replies made without Rasa with it."""
        replies = list(replies)
        if update_id is None and not replies:
            return
        with self._database().begin() as connection:
            if (update_id is None or settle(connection, update_id)) and chat_id is not None:
                queue(connection, str(chat_id), replies)

    def is_done(self, update_id: int) -> bool:
        """Whether the update's turn is saved (or it needed none): Telegram may stop delivering it."""
        with self._database().connect() as connection:
            return connection.execute(select(telegram_updates.c.state).where(
                telegram_updates.c.update_id == update_id)).scalar() == "done"

    def release(self, update_id: int) -> None:
        """Gives a claimed update back, so its redelivery is handled (after a failure worth retrying)."""
        with self._database().begin() as connection:
            connection.execute(delete(telegram_updates).where(telegram_updates.c.update_id == update_id,
                                                              telegram_updates.c.state == "claimed"))
