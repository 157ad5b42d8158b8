"""The Telegram outbox: replies of saved turns, waiting for the one sender (`hamroh telegram-send`).

A replica never sends a Telegram reply itself. The tracker store queues a turn's
replies in the transaction that saves the turn, so a reply exists exactly when
its turn was saved: a replica killed mid-turn has sent nothing, and the
redelivered update is answered once, by whichever replica saves it. One sender
reads the queue, sends each chat's replies in order and deletes what it sent.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Optional, Sequence, Set

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Connection, Engine

from bot.serving.conversations import conversations_engine, telegram_outbox

OUTBOX_CHANNEL = "telegram"
"""The input channel whose conversations' replies leave through the outbox (HamrohTelegramInput's name)."""


@dataclass(frozen=True)
class Reply:
    """One queued reply: Rasa's response to a chat, as its output channel's `send_response` takes it."""

    id: int
    chat_id: str
    message: Dict[str, Any]


def queue(connection: Connection, chat_id: str, messages: Iterable[Dict[str, Any]]) -> int:
    """Queues replies to a chat inside the caller's transaction, in the order given; returns how many."""
    now, count = time.time(), 0
    for message in messages:
        # One statement per reply: ids then follow the order of the replies, whatever the driver batches.
        connection.execute(insert(telegram_outbox).values(
            chat_id=str(chat_id), message=json.dumps(message, ensure_ascii=False), created_at=now))
        count += 1
    return count


class Outbox:
    """The sender's (and the tests') view of the queue in the conversations database."""

    def __init__(self, url: Optional[str] = None) -> None:
        self.url = url
        self._engine: Optional[Engine] = None

    @property
    def engine(self) -> Engine:
        """The conversations database, opened on first use."""
        if self._engine is None:
            self._engine = conversations_engine(self.url)
        return self._engine

    def waiting_ids(self, limit: int) -> List[int]:
        """The ids of the oldest replies still queued, oldest first."""
        with self.engine.connect() as connection:
            return list(connection.execute(
                select(telegram_outbox.c.id).order_by(telegram_outbox.c.id).limit(limit)).scalars())

    def load(self, ids: Sequence[int]) -> List[Reply]:
        """The replies with these ids, oldest first (a deleted one is simply missing)."""
        if not ids:
            return []
        row = telegram_outbox.c
        with self.engine.connect() as connection:
            rows = connection.execute(select(row.id, row.chat_id, row.message)
                                      .where(row.id.in_(list(ids))).order_by(row.id)).all()
        return [Reply(r.id, r.chat_id, json.loads(r.message)) for r in rows]

    def remove(self, ids: Iterable[int]) -> None:
        """Deletes sent (or refused) replies: a restart of the sender does not send them again."""
        ids = list(ids)
        if ids:
            with self.engine.begin() as connection:
                connection.execute(delete(telegram_outbox).where(telegram_outbox.c.id.in_(ids)))

    def waiting_chats(self) -> Set[str]:
        """The chats that have replies queued."""
        with self.engine.connect() as connection:
            return set(connection.execute(select(telegram_outbox.c.chat_id).distinct()).scalars())
