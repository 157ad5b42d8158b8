"""Button payloads that fit Telegram: callback_data within 64 bytes, reply-keyboard labels mapped back."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import Dict, Mapping, Optional, Union

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.serving.conversations import button_payloads, conversations_engine, upsert

logger = logging.getLogger(__name__)

CALLBACK_LIMIT = 64
"""Bot API limit of callback_data, in bytes (a Cyrillic letter takes two)."""
KEY_PREFIX = "#"
"""Rasa payloads start with "/", so a stored key can never be mistaken for one."""
KEY_LENGTH = 16
"""Characters of base64url SHA-256: 96 bits, no collision among any realistic number of buttons."""
CAPACITY = 20_000
"""Entries kept in memory; older ones are still found in the database when there is one."""
PAYLOAD = re.compile(r"^/(\w+)(\{.*\})?$", re.DOTALL)


def _fits(payload: str) -> bool:
    return len(payload.encode("utf-8")) <= CALLBACK_LIMIT


def _compact(payload: str) -> str:
    """Rewrites `/intent{"a": "b"}` without spaces or \\u escapes, the shortest equivalent payload."""
    match = PAYLOAD.match(payload)
    if not match or not match.group(2):
        return payload
    try:
        entities = json.loads(match.group(2))
    except ValueError:
        return payload
    return "/" + match.group(1) + json.dumps(entities, ensure_ascii=False, separators=(",", ":"))


def short_key(payload: str) -> str:
    """Returns the stable short key of a payload: the same payload always gets the same key."""
    digest = hashlib.sha256(payload.encode("utf-8")).digest()
    return KEY_PREFIX + base64.urlsafe_b64encode(digest).decode("ascii")[:KEY_LENGTH]


class PayloadStore:
    """Long callback payloads and reply-keyboard labels, in the conversations database (or memory only).

    In the database, buttons sent before a restart keep working after it, and
    a button sent by one replica works when another receives the press.
    """

    def __init__(self, url: Optional[Union[str, Path]] = None, capacity: int = CAPACITY) -> None:
        # A path (as in earlier versions) means an SQLite file; None, memory only.
        self.url = f"sqlite:///{url}" if url is not None and "://" not in str(url) else url
        self.capacity = capacity
        self._memory: "OrderedDict[str, str]" = OrderedDict()
        self._lock = threading.Lock()
        self._engine: Optional[Engine] = None

    def _database(self) -> Optional[Engine]:
        # Opened on first use, not in __init__, so creating the channel touches no database.
        if self.url is not None and self._engine is None:
            self._engine = conversations_engine(str(self.url))
        return self._engine

    def _remember(self, key: str, value: str) -> None:
        with self._lock:
            self._memory[key] = value
            self._memory.move_to_end(key)
            while len(self._memory) > self.capacity:
                self._memory.popitem(last=False)

    def _put(self, key: str, value: str, chat_id: Optional[str] = None) -> None:
        # A key is a hash of its payload, so a remembered one never changes; a chat's keyboard does,
        # and another replica may have shown a newer one: keyboards are read from the database only.
        if chat_id is None or self.url is None:
            self._remember(key, value)
        try:
            engine = self._database()
            if engine is not None:
                with engine.begin() as connection:
                    upsert(connection, button_payloads,
                           {"key": key, "value": value, "chat_id": chat_id, "updated_at": time.time()})
        except SQLAlchemyError:
            logger.exception("Could not store a button payload; it works on this replica until it restarts")
            self._remember(key, value)

    def _get(self, key: str) -> Optional[str]:
        with self._lock:
            if key in self._memory:
                self._memory.move_to_end(key)
                return self._memory[key]
        try:
            engine = self._database()
            if engine is None:
                return None
            with engine.connect() as connection:
                return connection.execute(
                    select(button_payloads.c.value).where(button_payloads.c.key == key)).scalar()
        except SQLAlchemyError:
            logger.exception("Could not read a button payload")
            return None

    def encode(self, payload: str) -> str:
        """Returns callback_data for a payload: itself when it fits, else a stored short key."""
        if _fits(payload):
            return payload
        compact = _compact(payload)
        if _fits(compact):
            return compact
        key = short_key(payload)
        self._put(key, payload)
        return key

    def decode(self, data: str) -> Optional[str]:
        """Returns the payload of callback_data; None for a key this store never issued."""
        if data.startswith(KEY_PREFIX):
            return self._get(data)
        return data

    def remember_keyboard(self, chat_id: Union[int, str], buttons: Mapping[str, str]) -> None:
        """Remembers the payload behind each label of a reply keyboard shown in a chat."""
        self._put(f"keyboard:{chat_id}", json.dumps(dict(buttons), ensure_ascii=False), chat_id=str(chat_id))

    def keyboard_payload(self, chat_id: Union[int, str], text: str) -> Optional[str]:
        """Returns the payload of a reply-keyboard label the person pressed, if it is one."""
        stored = self._get(f"keyboard:{chat_id}")
        if not stored:
            return None
        buttons: Dict[str, str] = json.loads(stored)
        return buttons.get(text)

    def close(self) -> None:
        """Lets go of the database (the engine's pool is shared with the tracker store, so it stays open)."""
        self._engine = None
