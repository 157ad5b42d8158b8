"""Button payloads that fit Telegram: callback_data within 64 bytes, reply-keyboard labels mapped back."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
import sqlite3
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Dict, Mapping, Optional, Union

logger = logging.getLogger(__name__)

CALLBACK_LIMIT = 64
"""Bot API limit of callback_data, in bytes (a Cyrillic letter takes two)."""
KEY_PREFIX = "#"
"""Rasa payloads start with "/", so a stored key can never be mistaken for one."""
KEY_LENGTH = 16
"""Characters of base64url SHA-256: 96 bits, no collision among any realistic number of buttons."""
CAPACITY = 20_000
"""Entries kept in memory; older ones are still found in the state file when there is one."""
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
    """Long callback payloads and reply-keyboard labels, kept in memory and optionally in SQLite.

    The SQLite file lets buttons sent before a restart keep working after it.
    """

    def __init__(self, path: Optional[Union[str, Path]] = None, capacity: int = CAPACITY) -> None:
        self.path = Path(path) if path else None
        self.capacity = capacity
        self._memory: "OrderedDict[str, str]" = OrderedDict()
        self._lock = threading.Lock()
        self._db: Optional[sqlite3.Connection] = None

    def _connection(self) -> Optional[sqlite3.Connection]:
        # Opened on first use, not in __init__, so creating the channel touches no disk.
        if self.path is None:
            return None
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None)
            self._db.execute("CREATE TABLE IF NOT EXISTS payloads (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        return self._db

    def _put(self, key: str, value: str) -> None:
        with self._lock:
            self._memory[key] = value
            self._memory.move_to_end(key)
            while len(self._memory) > self.capacity:
                self._memory.popitem(last=False)
            try:
                db = self._connection()
                if db is not None:
                    db.execute("INSERT OR REPLACE INTO payloads (key, value) VALUES (?, ?)", (key, value))
            except sqlite3.Error:
                logger.exception("Could not persist a button payload; it works until the next restart")

    def _get(self, key: str) -> Optional[str]:
        with self._lock:
            if key in self._memory:
                self._memory.move_to_end(key)
                return self._memory[key]
            try:
                db = self._connection()
                row = db.execute("SELECT value FROM payloads WHERE key = ?", (key,)).fetchone() if db else None
            except sqlite3.Error:
                logger.exception("Could not read a button payload")
                row = None
        return row[0] if row else None

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
        self._put(f"keyboard:{chat_id}", json.dumps(dict(buttons), ensure_ascii=False))

    def keyboard_payload(self, chat_id: Union[int, str], text: str) -> Optional[str]:
        """Returns the payload of a reply-keyboard label the person pressed, if it is one."""
        stored = self._get(f"keyboard:{chat_id}")
        if not stored:
            return None
        buttons: Dict[str, str] = json.loads(stored)
        return buttons.get(text)

    def close(self) -> None:
        """Closes the state file."""
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None
