"""`hamroh telegram-send`: each chat's replies in order, each once, formatted as the connector formats them."""

import asyncio
import time

import pytest
from aiogram.utils.exceptions import BotBlocked, NetworkError, RestartingTelegram, RetryAfter
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from bot.channels import output as output_module
from bot.channels.callback_data import CALLBACK_LIMIT, PayloadStore
from bot.channels.formatting import split_message
from bot.channels.output import HamrohTelegramOutput
from bot.channels.sender import Sender, SingleSender
from bot.channels.telegram import HamrohTelegramInput
from bot.channels.updates import BUTTON, TEXT, Incoming
from bot.serving.conversations import conversations_engine
from bot.serving.outbox import Outbox, queue
from tests.bot.channels.test_telegram import TOKEN
from tests.bot.serving.conftest import conversations_url  # noqa: F401 - the fixture: the conversations database


def put(url, chat, *messages):
    """Queues replies to a chat as a saved turn does."""
    with conversations_engine(url).begin() as connection:
        queue(connection, chat, [m if isinstance(m, dict) else {"text": m} for m in messages])


class Telegram:
    """Stands in for the Bot API's sendMessage: records what each chat got, fails as told."""

    def __init__(self, failures=None):
        self.sent = []
        self.failures = failures or {}  # text -> exceptions to raise, one per try

    async def send_message(self, chat_id, text_, **kwargs):
        await asyncio.sleep(0)
        waiting = self.failures.get(text_)
        if waiting:
            raise waiting.pop(0)
        self.sent.append({"chat_id": chat_id, "text": text_, **kwargs})

    def texts(self, chat):
        return [m["text"] for m in self.sent if m["chat_id"] == str(chat)]


def sender(url, telegram):
    output = HamrohTelegramOutput(TOKEN, "http://127.0.0.1:9", PayloadStore(url))
    output.send_message = telegram.send_message
    return Sender(output, Outbox(url), poll_seconds=0.01)


def run_until(sender_, done, seconds=20.0, single=False):
    """Runs a sender until a condition holds (then stops it); returns what it sent."""
    async def main():
        task = asyncio.create_task(sender_.run(single=single))
        deadline = time.monotonic() + seconds
        while not done() and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        sender_.stop()
        return await task
    return asyncio.run(main())


def test_each_chats_replies_go_out_in_order_once_to_that_chat_and_a_restart_sends_nothing_again(conversations_url):
    put(conversations_url, "100", "a1", "a2")
    put(conversations_url, "200", "b1")
    put(conversations_url, "100", "a3")  # the chat's next turn
    telegram = Telegram()
    assert run_until(sender(conversations_url, telegram), lambda: len(telegram.sent) == 4) == 4
    assert telegram.texts(100) == ["a1", "a2", "a3"] and telegram.texts(200) == ["b1"]
    assert Outbox(conversations_url).waiting_chats() == set()

    # A later turn, then a restarted sender: only the new reply goes out.
    put(conversations_url, "200", "b2")
    again = Telegram()
    run_until(sender(conversations_url, again), lambda: again.sent, seconds=1)
    time.sleep(0.1)
    assert [(m["chat_id"], m["text"]) for m in again.sent] == [("200", "b2")]


def test_a_chat_in_flood_wait_holds_up_only_itself(conversations_url):
    put(conversations_url, "100", "a1", "a2")
    put(conversations_url, "200", "b1", "b2")
    telegram = Telegram({"a1": [RetryAfter(1)]})
    started = time.monotonic()
    run_until(sender(conversations_url, telegram), lambda: len(telegram.sent) == 4)
    assert time.monotonic() - started >= 1  # Telegram's wait was kept
    assert [m["text"] for m in telegram.sent] == ["b1", "b2", "a1", "a2"]


def test_network_trouble_is_tried_again_for_that_message_only_and_refusals_are_dropped(conversations_url,
                                                                                        monkeypatch):
    monkeypatch.setattr(output_module, "RETRY_SECONDS", (0.05, 0.1))
    long_answer = "\n\n".join(["абзац " * 300] * 3)
    parts = split_message(long_answer)
    assert len(parts) == 2
    put(conversations_url, "100", long_answer, "after")
    put(conversations_url, "300", "blocked", "also blocked")
    blocked = BotBlocked("Forbidden: bot was blocked by the user")
    telegram = Telegram({parts[1]: [NetworkError("aiohttp client throws an error: ClientOSError"),
                                    RestartingTelegram()],
                         "blocked": [blocked], "also blocked": [blocked]})
    run_until(sender(conversations_url, telegram),
              lambda: "after" in telegram.texts(100) and not Outbox(conversations_url).waiting_chats())
    assert telegram.texts(100) == [*parts, "after"]  # the first part once, the second after two failures
    assert telegram.texts(300) == []  # refused for good: dropped, not tried for ever


def test_what_was_sent_while_the_database_could_not_record_it_is_not_sent_again(conversations_url, monkeypatch):
    put(conversations_url, "100", "a1", "a2")
    telegram = Telegram()
    sender_ = sender(conversations_url, telegram)
    remove, failures = sender_.outbox.remove, []

    def restarting(ids):
        if len(failures) < 3:
            failures.append(ids)
            raise OperationalError("DELETE", {}, ConnectionRefusedError("the database is restarting"))
        remove(ids)

    monkeypatch.setattr("bot.channels.sender.DATABASE_RETRY_SECONDS", 0.05)
    monkeypatch.setattr(sender_.outbox, "remove", restarting)
    run_until(sender_, lambda: len(failures) == 3 and not Outbox(conversations_url).waiting_chats())
    assert telegram.texts(100) == ["a1", "a2"]


def test_replies_keep_their_formatting_and_buttons_through_the_outbox(conversations_url):
    payload = '/inform{"city": "Нижний Новгород", "district": "Автозаводский район"}'
    put(conversations_url, "100",
        {"text": "Штраф <b>2000</b> & больше", "buttons": [{"title": "Нижний", "payload": payload}]},
        {"text": "Да или нет?", "buttons": [{"title": "Ҳа", "payload": "/affirm"}], "button_type": "reply"})
    telegram = Telegram()
    run_until(sender(conversations_url, telegram), lambda: len(telegram.sent) == 2)
    first, second = telegram.sent
    assert first["text"] == "Штраф &lt;b&gt;2000&lt;/b&gt; &amp; больше" and first["parse_mode"] == "HTML"
    data = first["reply_markup"].inline_keyboard[0][0].callback_data
    assert len(data.encode()) <= CALLBACK_LIMIT
    # A replica (another process) maps the press and the reply-keyboard label back through the database.
    store = PayloadStore(conversations_url)
    assert HamrohTelegramInput.payload(Incoming(BUTTON, 100, data, "cb"), store) == payload
    assert [b.text for row in second["reply_markup"].keyboard for b in row] == ["Ҳа"]
    assert HamrohTelegramInput.payload(Incoming(TEXT, 100, "Ҳа"), store) == "/affirm"


def test_one_sender_at_a_time(conversations_url):
    engine = conversations_engine(conversations_url)
    first, second = SingleSender(engine), SingleSender(engine)
    assert first.acquire() and first.held()
    assert not second.acquire()
    put(conversations_url, "100", "a1")
    telegram = Telegram()
    # A second sender process waits for the lock and sends nothing meanwhile.
    run_until(sender(conversations_url, telegram), lambda: False, seconds=0.5, single=True)
    assert telegram.sent == []
    first.release()
    run_until(sender(conversations_url, telegram), lambda: telegram.sent, single=True)
    assert telegram.texts(100) == ["a1"]


def test_a_sender_that_lost_its_postgresql_lock_takes_it_again_and_doubles_nothing(conversations_url, monkeypatch):
    if not conversations_url.startswith("postgresql"):
        pytest.skip("an SQLite file lock cannot be lost")
    monkeypatch.setattr("bot.channels.sender.LOCK_CHECK_SECONDS", 0.05)
    put(conversations_url, "100", "a1")
    telegram = Telegram()
    sender_ = sender(conversations_url, telegram)
    engine = conversations_engine(conversations_url)

    def restart_then_more():
        # The database drops the lock's session, as a restart does; then new replies come.
        if telegram.sent and not getattr(restart_then_more, "done", False):
            with engine.connect() as connection:
                connection.execute(text(
                    "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' "
                    "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"))
            restart_then_more.done = True
            put(conversations_url, "100", "a2")
        return len(telegram.sent) >= 2

    run_until(sender_, restart_then_more, single=True)
    time.sleep(0.2)
    assert telegram.texts(100) == ["a1", "a2"]
