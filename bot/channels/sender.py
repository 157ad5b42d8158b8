"""`hamroh telegram-send`: the one process that sends Telegram replies, from the outbox, in order per chat.

Rasa replicas queue each turn's replies in the transaction that saves the turn
(bot/serving/outbox.py). The sender looks at the queue every 50 ms, sends each
chat's replies one after another (chats side by side) with the connector's
formatting, and deletes a reply once Telegram has it, so that a restart resumes
where it stopped. What it sent but could not delete yet (the database
restarting) it remembers, and never sends twice. One sender runs at a time: it
holds a lock in the conversations database (a PostgreSQL advisory lock, or a file
lock beside the SQLite file) and a second one waits for it.
"""

from __future__ import annotations

import asyncio
import fcntl
import logging
import signal
from collections import deque
from pathlib import Path
from typing import IO, Callable, Deque, Dict, List, Optional, Set

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.channels.callback_data import PayloadStore
from bot.channels.config import TelegramConfig
from bot.channels.output import HamrohTelegramOutput
from bot.serving.outbox import Outbox, Reply

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.05
"""How often the queue is looked at: a reply waits for the sender 25 ms on average."""
BATCH = 500
"""Replies read at once; a longer queue is read as the first ones go out."""
SENDING_AT_ONCE = 20
"""Chats written to at the same moment (Telegram allows about 30 messages a second to different chats)."""
LOCK_CHECK_SECONDS = 1.0
"""How often the sender makes sure it still holds the lock (a PostgreSQL restart drops it)."""
DATABASE_RETRY_SECONDS = 1.0
STOP_GRACE_SECONDS = 10.0
"""On SIGTERM, messages being sent may finish for this long; the rest stay queued for the next start."""
SENDER_LOCK = 0x68616D726F6873  # "hamrohs"
HOUSEKEEPING_SECONDS = 30.0
"""How often handoffs whose consultant fell silent or whose desk closed go back to the bot (bot/handoff)."""


class SingleSender:
    """Makes sure one sender runs: a PostgreSQL advisory lock, or a file lock beside the SQLite database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._connection: Optional[Connection] = None
        self._file: Optional[IO[bytes]] = None

    def acquire(self) -> bool:
        """Takes the lock unless another sender holds it; True when this one holds it now."""
        url = make_url(str(self.engine.url))
        if url.get_backend_name() == "postgresql":
            connection = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            if connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": SENDER_LOCK}).scalar():
                self._connection = connection
                return True
            connection.close()
            return False
        lock = Path(f"{url.database or 'memory'}.sender-lock")
        handle = lock.open("ab")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._file = handle
        return True

    def held(self) -> bool:
        """Whether the lock is still this sender's (a PostgreSQL lock ends with its connection)."""
        if self._connection is None:
            return self._file is not None
        try:
            self._connection.execute(text("SELECT 1"))
            return True
        except SQLAlchemyError:
            self.release()
            return False

    def release(self) -> None:
        """Lets another sender take over."""
        if self._connection is not None:
            try:
                self._connection.close()  # the session ends, and its advisory lock with it
            except SQLAlchemyError:
                pass
            self._connection = None
        if self._file is not None:
            self._file.close()
            self._file = None


class Sender:
    """Moves replies from the outbox to Telegram: in order per chat, each once."""

    def __init__(self, output: HamrohTelegramOutput, outbox: Outbox, poll_seconds: float = POLL_SECONDS,
                 housekeeping: Optional[Callable[[], object]] = None) -> None:
        self.output, self.outbox, self.poll_seconds = output, outbox, poll_seconds
        # Run in a thread every HOUSEKEEPING_SECONDS by the one sender: work no replica should do N times.
        self.housekeeping = housekeeping
        self.queues: Dict[str, Deque[Reply]] = {}
        self.workers: Dict[str, asyncio.Task] = {}
        self.known: Set[int] = set()  # queued here, being sent, or sent and not yet deleted
        self.sent: List[int] = []  # sent (or refused by Telegram for good), to delete
        self.delivered = 0
        self._stopping = asyncio.Event()
        self._draining = False  # workers end after the message in hand (stopping, or the lock was lost)
        self._gate = asyncio.Semaphore(SENDING_AT_ONCE)

    def stop(self) -> None:
        """Asks the sender to stop after the messages in hand."""
        self._stopping.set()

    async def run(self, single: bool = True) -> int:
        """Sends until stopped (holding the one-sender lock unless `single` is off); returns the replies sent."""
        lock: Optional[SingleSender] = None
        try:
            while not self._stopping.is_set():
                if single:
                    lock = await self._hold()
                    if lock is None:
                        continue
                await self._rounds(lock)
        finally:
            await self._finish()
            if lock is not None:
                lock.release()
            await self.output.close_session()
        return self.delivered

    async def _hold(self) -> Optional[SingleSender]:
        """Takes the one-sender lock, or waits a moment (another sender has it, or the database is down)."""
        try:
            lock = SingleSender(await asyncio.to_thread(lambda: self.outbox.engine))
            if await asyncio.to_thread(lock.acquire):
                logger.info("Telegram sender started: sending the replies queued in the conversations database")
                return lock
            logger.warning("Another Telegram sender is running; waiting for it to stop")
        except SQLAlchemyError as error:
            logger.warning("Conversations database unavailable (%s); retrying", type(error).__name__)
        await self._sleep(DATABASE_RETRY_SECONDS)
        return None

    async def _rounds(self, lock: Optional[SingleSender]) -> None:
        """Reads and sends until stopped, or until the lock is lost (then forgets what it had not sent)."""
        checked = kept = asyncio.get_running_loop().time()
        while not self._stopping.is_set():
            try:
                if self.housekeeping is not None and asyncio.get_running_loop().time() - kept >= HOUSEKEEPING_SECONDS:
                    kept = asyncio.get_running_loop().time()
                    await asyncio.to_thread(self.housekeeping)
                await self.round()
            except SQLAlchemyError as error:
                logger.warning("Conversations database unavailable (%s); retrying", type(error).__name__)
                await self._sleep(DATABASE_RETRY_SECONDS)
            except Exception:  # noqa: BLE001 - the sender must outlive anything one look at the queue meets
                logger.exception("Reading the Telegram outbox failed; retrying")
                await self._sleep(DATABASE_RETRY_SECONDS)
            now = asyncio.get_running_loop().time()
            if lock is not None and now - checked >= LOCK_CHECK_SECONDS:
                checked = now
                if not await asyncio.to_thread(lock.held):
                    logger.error("The Telegram sender lost its lock (database restarted?); taking it again")
                    await self._drop_queued()
                    return
            await self._sleep(self.poll_seconds)

    async def round(self) -> None:
        """One look at the outbox: deletes what was sent, queues what is new, starts each new chat's sending."""
        if self.sent:
            done = list(self.sent)
            await asyncio.to_thread(self.outbox.remove, done)
            del self.sent[:len(done)]
            # Only now: a row read before its deletion must not look new.
            self.known.difference_update(done)
        waiting = await asyncio.to_thread(self.outbox.waiting_ids, BATCH)
        new = [reply_id for reply_id in waiting if reply_id not in self.known]
        for reply in await asyncio.to_thread(self.outbox.load, new):
            # A chat's replies are committed one turn after another, so ids give their order within the chat.
            self.known.add(reply.id)
            self.queues.setdefault(reply.chat_id, deque()).append(reply)
            if reply.chat_id not in self.workers:
                self.workers[reply.chat_id] = asyncio.create_task(self._chat(reply.chat_id))

    async def _chat(self, chat_id: str) -> None:
        """Sends one chat's queued replies in order."""
        queue = self.queues[chat_id]
        try:
            while queue and not self._draining:
                reply = queue[0]
                async with self._gate:
                    try:
                        await self.output.send_response(chat_id, dict(reply.message))
                    except Exception:  # noqa: BLE001 - one malformed reply must not hold up the chat for ever
                        logger.exception("Could not send reply %s to chat %s; dropped", reply.id, chat_id)
                queue.popleft()
                self.sent.append(reply.id)
                self.delivered += 1
        finally:
            del self.workers[chat_id]
            if not queue:
                del self.queues[chat_id]

    async def _drop_queued(self) -> None:
        """Forgets what is queued but not sent: another sender may have sent it meanwhile."""
        await self._wait_for_workers()
        for queue in self.queues.values():
            self.known.difference_update(reply.id for reply in queue)
        self.queues.clear()

    async def _wait_for_workers(self) -> None:
        """Lets each chat's message in hand go out (for STOP_GRACE_SECONDS at most); starts nothing new."""
        self._draining = True
        workers = list(self.workers.values())
        if workers:
            _, late = await asyncio.wait(workers, timeout=STOP_GRACE_SECONDS)
            for worker in late:
                worker.cancel()  # its message stays queued and is sent after the next start
            await asyncio.gather(*late, return_exceptions=True)
        self._draining = False

    async def _finish(self) -> None:
        """Lets the messages in hand go out, then deletes what was sent."""
        self._stopping.set()
        await self._wait_for_workers()
        if self.sent:
            try:
                await asyncio.to_thread(self.outbox.remove, list(self.sent))
            except SQLAlchemyError:
                logger.error("Could not mark %d sent replies in the database; they will be sent again",
                             len(self.sent))

    async def _sleep(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)
        except asyncio.TimeoutError:
            pass


def run_sender(config: TelegramConfig, poll_seconds: Optional[float] = None) -> int:
    """Runs the sender until SIGINT/SIGTERM; returns the process exit status."""
    async def main() -> int:
        from bot.handoff.housekeeping import give_back_lapsed

        output = HamrohTelegramOutput(config.token, config.api_url, PayloadStore(config.store_url))
        sender = Sender(output, Outbox(config.store_url), poll_seconds or POLL_SECONDS,
                        housekeeping=lambda: give_back_lapsed(config.store_url))
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, sender.stop)
        return await sender.run()

    sent = asyncio.run(main())
    logger.info("Telegram sender stopped after %d replies", sent)
    return 0
