"""A Telegram turn is saved in one transaction with its replies queued and its update marked handled."""

import asyncio
import json

import pytest
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import text

from bot.channels.delivery import Claim, UpdateLedger
from bot.content.db import get_engine
from bot.serving.conversations import FORGET_ACTION
from bot.serving.outbox import Outbox
from bot.serving.tracker_store import PrivateSQLTrackerStore
from tests.bot.serving.test_tracker_store import DOMAIN, raw_rows

BUTTONS = [{"title": "Тоҷикистон", "payload": '/inform{"country": "tajikistan"}'}]


def telegram_turn(store, chat, update_id, text_, *replies, channel="telegram", action="action_answer"):
    """One turn as Rasa runs it: the conversation retrieved, the person's message, an action's events."""
    tracker = asyncio.run(store.retrieve(chat)) or DialogueStateTracker(chat, DOMAIN.slots)
    tracker.update(UserUttered(text_, {"name": "inform", "confidence": 0.9}, input_channel=channel,
                               metadata={"update_id": update_id, "language_code": "tg"}))
    tracker.update(ActionExecuted(action))
    for reply in replies:
        tracker.update(reply)
    tracker.update(ActionExecuted("action_listen"))
    return tracker


def queued(url):
    """(chat, text, buttons) of every queued reply, oldest first."""
    outbox = Outbox(url)
    return [(r.chat_id, r.message.get("text"), r.message.get("buttons"))
            for r in outbox.load(outbox.waiting_ids(100))]


def test_a_telegram_turn_queues_its_replies_in_order_and_marks_its_update_done(conversations_url):
    store = PrivateSQLTrackerStore(DOMAIN)
    ledger = UpdateLedger(conversations_url)
    assert ledger.claim(11) is Claim.NEW
    tracker = telegram_turn(store, "501", 11, "барои регистратсия",
                            BotUttered("Шаҳрвандии шумо?", {"buttons": BUTTONS}), BotUttered("Ташаккур"))
    assert not ledger.is_done(11)
    asyncio.run(store.save(tracker))
    assert queued(conversations_url) == [("501", "Шаҳрвандии шумо?", BUTTONS), ("501", "Ташаккур", None)]
    assert ledger.is_done(11) and ledger.claim(11) is Claim.DONE
    # What the output's send_response takes: the message as Rasa's processor passed it to the channel.
    message = Outbox(conversations_url).load(Outbox(conversations_url).waiting_ids(1))[0].message
    assert message == json.loads(json.dumps(next(e for e in tracker.events if isinstance(e, BotUttered)).message()))

    # The next turn queues only its own replies.
    asyncio.run(store.save(telegram_turn(store, "501", 12, "рахмат", BotUttered("Хоҳиш мекунам"))))
    assert [t for _, t, _ in queued(conversations_url)] == ["Шаҳрвандии шумо?", "Ташаккур", "Хоҳиш мекунам"]


def test_the_same_update_saved_twice_is_kept_once(conversations_url):
    # A replica slower than its claim's lease ran the update's turn while another one redid it.
    store = PrivateSQLTrackerStore(DOMAIN)
    first = telegram_turn(store, "502", 21, "салом", BotUttered("Салом!"))
    second = telegram_turn(store, "502", 21, "салом", BotUttered("Салом!"))
    asyncio.run(store.save(first))
    rows = raw_rows(conversations_url, "502")
    asyncio.run(store.save(second))
    assert raw_rows(conversations_url, "502") == rows  # no event written twice
    assert queued(conversations_url) == [("502", "Салом!", None)]


def test_a_rest_conversation_queues_nothing(conversations_url):
    store = PrivateSQLTrackerStore(DOMAIN)
    asyncio.run(store.save(telegram_turn(store, "rest-1", None, "салом", BotUttered("Салом!"), channel="rest")))
    assert raw_rows(conversations_url, "rest-1") and queued(conversations_url) == []


def test_a_forget_turn_queues_its_confirmation_after_the_deletion(conversations_url):
    store = PrivateSQLTrackerStore(DOMAIN)
    asyncio.run(store.save(telegram_turn(store, "503", 31, "Душанбе", BotUttered("Шаҳр: Душанбе"))))
    asyncio.run(store.save(telegram_turn(store, "503", 32, "/forget", SlotSet("city", None),
                                         BotUttered("Ҳамаашро фаромӯш кардам."), action=FORGET_ACTION)))
    assert [t for _, t, _ in queued(conversations_url)] == ["Шаҳр: Душанбе", "Ҳамаашро фаромӯш кардам."]
    assert "Душанбе" not in json.dumps([data for _, data in raw_rows(conversations_url, "503")], ensure_ascii=False)
    assert UpdateLedger(conversations_url).is_done(32)


def test_a_failed_save_queues_nothing_and_leaves_the_update_to_be_redone(conversations_url, monkeypatch):
    import bot.serving.tracker_store as tracker_store

    store = PrivateSQLTrackerStore(DOMAIN)
    ledger = UpdateLedger(conversations_url)
    ledger.claim(41)

    def broken(connection, chat_id, messages):
        connection.execute(text("SELECT 1"))
        raise RuntimeError("the database went away mid-transaction")

    monkeypatch.setattr(tracker_store, "queue", broken)
    with pytest.raises(RuntimeError):
        asyncio.run(store.save(telegram_turn(store, "504", 41, "салом", BotUttered("Салом!"))))
    assert raw_rows(conversations_url, "504") == [] and queued(conversations_url) == []
    assert not ledger.is_done(41)
    with get_engine(conversations_url).connect() as connection:
        assert connection.execute(text("SELECT state FROM telegram_updates WHERE update_id = 41")).scalar() == "claimed"
