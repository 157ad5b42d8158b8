"""Delivers scripted Telegram chats to a webhook as Telegram does, and reads what each chat received.

Telegram sends one chat's updates one after another and sends an update again,
later, until it gets a 200; chats go side by side (up to 40 connections by
default). The script of a chat may press a button of the bot's last reply, as a
person does, so its callback data come from whichever replica answered. A
replica answers 200 once the update's turn is saved with its replies queued, and
the sender sends them a moment later; a person reads them before writing again
(the outbox holds nothing more for the chat), so the messages a chat received
between two of its updates are the replies to the first.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Set, Tuple

import aiohttp

from tests.e2e.fake_telegram import FakeTelegram
from tests.e2e.telegram_updates import (
    SECRET_HEADER, TELEGRAM_SECRET, button_update, buttons_of, message_update, outbox, text_of,
)

CONNECTIONS = 40
"""Telegram's default max_connections for a webhook."""
BACKOFF = (0.25, 4.0)
"""First and longest pause before an update is sent again (doubling), in seconds."""
GIVE_UP_SECONDS = 120.0
"""An update still refused after this long fails the run (Telegram keeps trying for about a day); so do replies
still queued this long after their update's 200."""
LOOK_SECONDS = 0.05
"""How often the driver looks at which chats still have replies queued (one query for every chat)."""

# language, script, Telegram language_code, language button, registration question, country button,
# unpaid-wages question, thanks. The two buttons are pressed on the bot's previous reply.
SCRIPTS = [
    ("ru", None, "ru", "Русский", "сколько дней на регистрацию", "Кыргызстан",
     "мне не платят зарплату", "спасибо"),
    ("uz", "latn", "uz", "Oʻzbekcha", "registratsiyaga necha kun beriladi", "Oʻzbekiston",
     "ish haqimni bermayapti", "rahmat"),
    ("uz", "cyrl", "uz", "Ўзбекча", "регистрация муддати неча кун", "Ўзбекистон",
     "иш ҳақимни бермаяпти", "раҳмат"),
    ("tg", None, "tg", "Тоҷикӣ", "барои регистратсия чанд рӯз дорам", "Тоҷикистон",
     "маошамро намедиҳанд", "ташаккур"),
    ("ky", None, "ky", "Кыргызча", "регистрацияга канча кун берилет", "Кыргызстан",
     "айлык бербей жатышат", "чоң рахмат"),
]
STEPS = 6


@dataclass
class Chat:
    """One person's chat: its id, its script and what the bot sent it."""

    chat_id: int
    script: Tuple[Any, ...]
    attempts: List[int] = field(default_factory=list)  # deliveries each update needed
    received: List[int] = field(default_factory=list)  # messages the chat had once each update's replies were sent

    def update(self, step: int, replies: List[Dict[str, Any]]) -> Dict[str, Any]:
        """The update a person sends at a step, after seeing the replies so far."""
        _, _, code, language_button, question, country, wages, thanks = self.script
        if step in (1, 3):
            label = language_button if step == 1 else country
            data = dict(b for m in reversed(replies) for row in buttons_of(m) for b in row).get(label)
            if data is None:
                raise AssertionError(f"chat {self.chat_id}: no button {label!r} in {[text_of(m) for m in replies]}")
            return button_update(self.chat_id, data, code)
        text = {0: "/start", 2: question, 4: wages, 5: thanks}[step]
        return message_update(self.chat_id, code, text)


Message = Tuple[str, List[str]]


def transcript(fake: FakeTelegram, chat: Chat) -> List[Message]:
    """What a chat saw, in order: each message's text and its button labels."""
    return [(text_of(m), [label for row in buttons_of(m) for label, _ in row]) for m in fake.sent_to(chat.chat_id)]


def replies(fake: FakeTelegram, chat: Chat) -> List[List[Message]]:
    """The replies to each update of a chat, in order (anything sent after the last update's replies comes last)."""
    seen = transcript(fake, chat)
    bounds = [0, *chat.received]
    return [seen[a:b] for a, b in zip(bounds, bounds[1:])] + ([seen[bounds[-1]:]] if len(seen) > bounds[-1] else [])


class Delivery:
    """Telegram's side of a webhook: in order per chat, again until 200, with backoff; people read, then write."""

    def __init__(self, webhook: str, fake: FakeTelegram, conversations_url: str,
                 progress: Optional[Callable[[int], None]] = None) -> None:
        self.webhook, self.fake, self.progress = webhook, fake, progress
        self.outbox = outbox(conversations_url)
        self.delivered = 0
        self.failures: Dict[str, int] = {}  # what the refused deliveries got, e.g. "502" or "ClientOSError"
        self._queued: Set[str] = set()  # chats with replies queued, as last seen
        self._looks = 0  # looks at the outbox completed so far
        self._look_failures: Dict[str, int] = {}

    async def _post(self, http: aiohttp.ClientSession, update: Dict[str, Any]) -> str:
        try:
            async with http.post(self.webhook, data=json.dumps(update, ensure_ascii=False).encode(),
                                 headers={"Content-Type": "application/json", SECRET_HEADER: TELEGRAM_SECRET}) as r:
                await r.read()
                return str(r.status)
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            return type(error).__name__

    async def deliver(self, http: aiohttp.ClientSession, update: Dict[str, Any]) -> int:
        """Sends one update until it gets a 200; returns the number of deliveries."""
        pause, deadline = BACKOFF[0], time.monotonic() + GIVE_UP_SECONDS
        for attempt in range(1, 10_000):
            outcome = await self._post(http, update)
            if outcome == "200":
                self.delivered += 1
                if self.progress:
                    self.progress(self.delivered)
                return attempt
            self.failures[outcome] = self.failures.get(outcome, 0) + 1
            if time.monotonic() > deadline:
                raise AssertionError(f"update {update['update_id']} refused for {GIVE_UP_SECONDS:.0f} s: "
                                     f"{self.failures}")
            await asyncio.sleep(pause)
            pause = min(pause * 2, BACKOFF[1])
        raise AssertionError("unreachable")

    async def _look(self) -> None:
        """Keeps `_queued` up to date: one query for all chats, not one per chat (PostgreSQL restarts meanwhile)."""
        while True:
            try:
                self._queued = await asyncio.to_thread(self.outbox.waiting_chats)
                self._looks += 1
            except Exception as error:  # noqa: BLE001 - the database restarting; counted, shown if a chat waits too long
                self._look_failures[type(error).__name__] = self._look_failures.get(type(error).__name__, 0) + 1
            await asyncio.sleep(LOOK_SECONDS)

    async def read(self, chat: Chat) -> None:
        """Waits until the replies to the chat's last update (queued before its 200) are all sent."""
        # A look that began before the 200 may have missed them: wait for one that began after it.
        after, deadline = self._looks + 2, time.monotonic() + GIVE_UP_SECONDS
        while self._looks < after or str(chat.chat_id) in self._queued:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"chat {chat.chat_id}: replies still queued after {GIVE_UP_SECONDS:.0f} s (looks {self._looks}, "
                    f"waited for {after}; {len(self._queued)} chats queued; failed looks {self._look_failures})")
            await asyncio.sleep(LOOK_SECONDS / 2)

    async def _talk(self, http: aiohttp.ClientSession, chat: Chat) -> None:
        for step in range(STEPS):
            update = chat.update(step, self.fake.sent_to(chat.chat_id))
            chat.attempts.append(await self.deliver(http, update))
            await self.read(chat)
            chat.received.append(len(self.fake.sent_to(chat.chat_id)))

    def run(self, chats: List[Chat]) -> None:
        """Runs every chat to its end, side by side."""
        async def main() -> None:
            timeout = aiohttp.ClientTimeout(total=90)
            looking = asyncio.create_task(self._look())
            try:
                async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=CONNECTIONS),
                                                 timeout=timeout) as http:
                    await asyncio.gather(*(self._talk(http, chat) for chat in chats))
            finally:
                looking.cancel()
        asyncio.run(main())
