"""Long polling: fetches getUpdates and posts each update to the Rasa connector's webhook, in order.

The offset is saved after every update, so a restart resumes where it stopped
without replaying what was already answered.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional

import aiohttp
from aiogram import Bot
from aiogram.bot.api import TelegramAPIServer
from aiogram.utils.exceptions import TelegramAPIError, Unauthorized

from bot.channels.config import ALLOWED_UPDATES, OFFSET_FILE, SECRET_HEADER, WEBHOOK_PATH, TelegramConfig
from bot.compat import aiogram as aiogram_compat

logger = logging.getLogger(__name__)

SERVER_ERROR_RETRIES = 3
"""A 5xx this many times in a row means the update itself is poison: skip it, keep the others flowing."""
MAX_BACKOFF = 30.0
RASA_BACKOFF = 5.0
"""Rasa runs beside the poller: while it starts, retrying often costs nothing and answers sooner."""
FORWARD_TIMEOUT = 120.0
"""Seconds Rasa may take to answer one update (NLU, actions and all replies)."""


class PollingStopped(Exception):
    """The poller cannot go on (wrong token or secret); the message says why."""


def read_offset(path: Path) -> Optional[int]:
    """Returns the saved offset (the next update id to fetch), None before the first run."""
    try:
        return int(json.loads(path.read_text(encoding="utf-8"))["offset"])
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError):
        logger.error("Unreadable offset file %s; starting from Telegram's pending updates", path)
        return None


def write_offset(path: Path, offset: int) -> None:
    """Saves the offset atomically: a crash leaves the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(path.suffix + ".tmp")
    with temporary.open("w", encoding="utf-8") as handle:
        json.dump({"offset": offset}, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


@dataclass
class Poller:
    """Moves updates from the Bot API to the webhook of a running Rasa server."""

    config: TelegramConfig
    rasa_url: str
    offset_file: Path
    timeout: int = 25  # seconds Telegram holds getUpdates open when there is nothing new

    def __post_init__(self) -> None:
        self.offset = read_offset(self.offset_file)
        self._stop = asyncio.Event()
        self.handled = 0

    def stop(self) -> None:
        """Asks the poller to stop after the update in hand."""
        self._stop.set()

    async def run(self, once: bool = False) -> int:
        """Polls until stopped (or one batch with `once`); returns the number of updates handled."""
        bot = Bot(self.config.token, server=TelegramAPIServer.from_base(self.config.api_url),
                  timeout=self.timeout + 15)
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=FORWARD_TIMEOUT)) as rasa:
            try:
                backoff, webhook_removed = 1.0, False
                while not self._stop.is_set():
                    try:
                        if not webhook_removed:
                            # getUpdates is refused while a webhook is set: polling and webhook exclude each other.
                            webhook_removed = await bot.delete_webhook()
                        updates = await self._fetch(bot)
                        backoff = 1.0
                    except Unauthorized as error:
                        raise PollingStopped(f"Telegram refused the token: {error}") from error
                    except TelegramAPIError as error:
                        logger.warning("getUpdates failed (%s); retrying in %.0f s", error, backoff)
                        await self._sleep(backoff)
                        backoff = min(backoff * 2, MAX_BACKOFF)
                        continue
                    for update in updates:
                        if self._stop.is_set():
                            break
                        await self._forward(rasa, update)
                    if once:
                        break
            finally:
                await aiogram_compat.close_session(bot)  # in the loop that opened it
        return self.handled

    async def _sleep(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self._stop.wait(), timeout=seconds)
        except asyncio.TimeoutError:
            pass

    async def _fetch(self, bot: Bot) -> List[Dict[str, Any]]:
        """Long-polls for new updates; a stop request cancels the wait (nothing is lost: no offset moved)."""
        payload: Dict[str, Any] = {"timeout": self.timeout, "allowed_updates": json.dumps(ALLOWED_UPDATES)}
        if self.offset is not None:
            payload["offset"] = self.offset
        fetch = asyncio.ensure_future(bot.request("getUpdates", payload))
        stopped = asyncio.ensure_future(self._stop.wait())
        done, _ = await asyncio.wait({fetch, stopped}, return_when=asyncio.FIRST_COMPLETED)
        if fetch not in done:
            fetch.cancel()
            return []
        stopped.cancel()
        updates = [u for u in (fetch.result() or []) if isinstance(u, dict) and isinstance(u.get("update_id"), int)]
        # Telegram sends them in order; sorting guards against a proxy that does not.
        return sorted((u for u in updates if self.offset is None or u["update_id"] >= self.offset),
                      key=lambda u: u["update_id"])

    async def _forward(self, rasa: aiohttp.ClientSession, update: Dict[str, Any]) -> None:
        """Posts one update to Rasa until it is accepted (or proven poison), then saves the offset."""
        url = self.rasa_url.rstrip("/") + WEBHOOK_PATH
        headers = {SECRET_HEADER: self.config.secret}
        backoff, server_errors = 1.0, 0
        while True:
            try:
                async with rasa.post(url, json=update, headers=headers) as answer:
                    status = answer.status
            except (aiohttp.ClientError, asyncio.TimeoutError) as error:
                if self._stop.is_set():
                    return  # offset not saved: the update is fetched again after the restart
                # Rasa is starting or restarting: wait for it, never drop the person's message.
                logger.warning("Rasa at %s unreachable (%s); retrying in %.0f s", url, error, backoff)
                await self._sleep(backoff)
                backoff = min(backoff * 2, RASA_BACKOFF)
                continue
            if status == 403:
                raise PollingStopped("Rasa rejected the secret: TELEGRAM_SECRET differs between Rasa and the poller")
            if status >= 500:
                server_errors += 1
                if server_errors < SERVER_ERROR_RETRIES:
                    await self._sleep(backoff)
                    backoff = min(backoff * 2, MAX_BACKOFF)
                    continue
                logger.error("Update %s failed %d times in Rasa; skipped", update["update_id"], server_errors)
            elif status >= 400:
                logger.error("Rasa refused update %s with %d; skipped", update["update_id"], status)
            break
        self.offset = update["update_id"] + 1
        write_offset(self.offset_file, self.offset)
        self.handled += 1


def run_poller(config: TelegramConfig, rasa_url: str, offset_file: Optional[Path] = None,
               timeout: int = 25, once: bool = False) -> int:
    """Runs the poller until SIGINT/SIGTERM; returns the process exit status."""
    poller = Poller(config, rasa_url, offset_file or config.state_dir / OFFSET_FILE, timeout)

    async def main() -> int:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, poller.stop)
        return await poller.run(once=once)

    try:
        handled = asyncio.run(main())
    except PollingStopped as error:
        logger.error("Telegram polling stopped: %s", error)
        return 2
    logger.info("Telegram polling stopped after %d updates; next offset %s", handled, poller.offset)
    return 0
