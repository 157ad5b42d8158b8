"""Rasa's SQL tracker store, made private: masked events, /forget that deletes, database work off the event loop.

It is also the Telegram outbox's writer: a Telegram turn is saved in one
transaction with its update marked handled and its replies queued for the
sender (bot/serving/outbox.py, bot/channels/delivery.py).

endpoints.yml: `tracker_store: {type: bot.serving.tracker_store.PrivateSQLTrackerStore}`. The database is
HAMROH_TRACKER_URL (a SQLAlchemy URL), else `conversations.db` in the state folder.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any, Callable, List, Optional, Text

import sqlalchemy.exc
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy.orm import sessionmaker

from bot.channels.delivery import settle
from bot.serving.conversations import FORGET_ACTION, conversations_engine, forget_conversation
from bot.serving.masking import masked_event
from bot.serving.outbox import OUTBOX_CHANNEL, queue

logger = logging.getLogger(__name__)

RETRY_SECONDS = 2
"""Wait between attempts while the database is not up yet at start (a cluster starts in any order)."""
OUTAGE_SECONDS = 20.0
"""How long a read or write waits out a database restart before it gives up.

Rasa wraps every tracker store in FailSafeTrackerStore, which answers a failed
read with a new, empty conversation and keeps a failed write in memory only;
riding out a restart here keeps the person's slots and pending question.
"""


def forgotten_up_to(events: List[Event]) -> Optional[int]:
    """Returns the index of the last forget action among the events, None when the person never asked."""
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if isinstance(event, ActionExecuted) and event.action_name == FORGET_ACTION:
            return index
    return None


def telegram_updates_of(events: List[Event]) -> List[int]:
    """The Telegram update ids of the person's messages among the events (the connector puts them in metadata)."""
    return [event.metadata["update_id"] for event in events
            if isinstance(event, UserUttered) and event.input_channel == OUTBOX_CHANNEL
            and isinstance((event.metadata or {}).get("update_id"), int)]


class PrivateSQLTrackerStore(SQLTrackerStore):
    """Keeps conversations in SQL (SQLite or PostgreSQL) so they survive restarts and are shared by replicas.

    The tracker in memory keeps the person's words as typed, so the NLU and the
    actions of a turn see them; what is written to the database is masked.
    """

    def __init__(self, domain: Optional[Domain] = None, host: Optional[Text] = None,
                 event_broker: Optional[EventBroker] = None, url: Optional[Text] = None, **kwargs: Any) -> None:
        # Not SQLTrackerStore.__init__: it builds its URL from parts and makes an engine without pre-ping,
        # which would fail the first message after a PostgreSQL restart.
        url = url or (host if host and "://" in host else None)
        while True:
            try:
                self.engine = conversations_engine(url, self.Base.metadata)
                break
            except sqlalchemy.exc.OperationalError as error:
                logger.warning("Conversations database not reachable yet (%s); retrying", type(error).__name__)
                time.sleep(RETRY_SECONDS)
        self.sessionmaker = sessionmaker(bind=self.engine)
        TrackerStore.__init__(self, domain, event_broker, **kwargs)

    async def _retrieve(self, sender_id: Text, fetch_events_from_all_sessions: bool
                        ) -> Optional[DialogueStateTracker]:
        return await asyncio.to_thread(self._retrying, self._load, sender_id, fetch_events_from_all_sessions)

    @staticmethod
    def _retrying(step: Callable[..., Any], *args: Any) -> Any:
        """Runs a database step, again and again while the database is unreachable, up to OUTAGE_SECONDS."""
        deadline, wait = time.monotonic() + OUTAGE_SECONDS, 0.25
        while True:
            try:
                return step(*args)
            except (sqlalchemy.exc.OperationalError, sqlalchemy.exc.InterfaceError) as error:
                if time.monotonic() + wait > deadline:
                    raise
                logger.warning("Conversations database unavailable (%s); retrying", type(error).__name__)
                time.sleep(wait)
                wait = min(wait * 2, 2.0)

    def _load(self, sender_id: Text, fetch_events_from_all_sessions: bool) -> Optional[DialogueStateTracker]:
        with self.session_scope() as session:
            rows = self._event_query(session, sender_id, fetch_events_from_all_sessions).all()
            events = [json.loads(row.data) for row in rows]
        if not (self.domain and events):
            return None
        return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Stores the tracker's new events, masked; after a forget action, only what came after it."""
        await self.stream_events(tracker)
        await asyncio.to_thread(self._retrying, self._store, tracker)

    def _store(self, tracker: DialogueStateTracker) -> None:
        with self.session_scope() as session:
            events = list(tracker.events)
            turn = list(self._additional_events(session, tracker))  # what this save adds to the stored conversation
            connection = session.connection()
            if not all([settle(connection, update_id) for update_id in telegram_updates_of(turn)]):
                # Another replica saved this update's turn first (this one outlived its claim): keep that one only.
                session.rollback()
                logger.warning("A Telegram update's turn was already saved; this run of it is dropped")
                return
            forgotten = forgotten_up_to(events)
            if forgotten is None:
                new_events = turn
            else:
                # Delete and rewrite in one transaction: whichever save of this tracker comes last,
                # the database holds only the events after the forget action.
                forget_conversation(connection, tracker.sender_id)
                new_events = events[forgotten + 1:]
            for event in new_events:
                data = masked_event(event.as_dict())
                session.add(self.SQLEvent(
                    sender_id=tracker.sender_id,
                    type_name=event.type_name,
                    timestamp=data.get("timestamp"),
                    intent_name=((data.get("parse_data") or {}).get("intent") or {}).get(INTENT_NAME_KEY),
                    action_name=data.get("name"),
                    data=json.dumps(data),
                ))
            if tracker.get_latest_input_channel() == OUTBOX_CHANNEL:
                # The replies Rasa "sent" through the connector's output, which only collects: now they exist.
                queue(connection, tracker.sender_id, [e.message() for e in turn if isinstance(e, BotUttered)])
            session.commit()
        if forgotten is not None:
            logger.info("Conversation forgotten at the person's request")
