"""Conversations in SQL: they survive a new store (a restart), are stored masked, and /forget deletes them."""

import asyncio
import json
import time

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import text

from actions.privacy import ActionForget
from bot.content.db import get_engine
from bot.serving.conversations import button_payloads, purge
from bot.serving.conversations import FORGET_ACTION
from bot.serving.tracker_store import PrivateSQLTrackerStore
from tools import CHECKOUT

DOMAIN = Domain.load(str(CHECKOUT / "domain.yml"))
PERSONAL = ("+7 916 123-45-67", "AA1234567", "ali.valiev@example.com")
TYPED = "мой телефон +7 916 123-45-67, паспорт AA1234567, почта ali.valiev@example.com, я в Казани"


def user(text_, intent, entities=(), metadata=None):
    entities = [dict(e) for e in entities]
    return UserUttered(text_, {"name": intent, "confidence": 0.9}, entities,
                       parse_data={"text": text_, "intent": {"name": intent, "confidence": 0.9},
                                   "entities": entities, "language": {"code": "ru", "confidence": 0.9}},
                       metadata=metadata or {})


def conversation(sender="chat-1"):
    """A conversation in the middle of a question: topic pending, city, citizenship and language known."""
    tracker = DialogueStateTracker.from_events(sender, [
        ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen"),
        user(TYPED, "inform", [{"entity": "city", "value": "kazan", "start": 66, "end": 72},
                               {"entity": "phone", "value": "+7 916 123-45-67", "start": 12, "end": 28}],
             {"language_code": "tg", "note": "write to ali.valiev@example.com"}),
        ActionExecuted("action_inform"), SlotSet("city", "kazan"), SlotSet("language", "tg"),
        SlotSet("country", "tajikistan"), SlotSet("pending_topic", "registration"), SlotSet("awaiting", "city"),
        BotUttered("Шаҳратон кадом аст?"), ActionExecuted("action_listen"),
    ], slots=DOMAIN.slots)
    return tracker


def raw_rows(url, sender=None):
    query = "SELECT type_name, data FROM events" + (" WHERE sender_id = :s" if sender else "") + " ORDER BY id"
    with get_engine(url).connect() as connection:
        return connection.execute(text(query), {"s": sender}).all()


def test_a_conversation_survives_a_new_store_with_its_slots(conversations_url):
    asyncio.run(PrivateSQLTrackerStore(DOMAIN).save(conversation()))
    restarted = PrivateSQLTrackerStore(DOMAIN)  # a new process: nothing in memory
    tracker = asyncio.run(restarted.retrieve("chat-1"))
    assert tracker is not None
    assert {k: tracker.get_slot(k) for k in ("city", "language", "country", "pending_topic", "awaiting")} == {
        "city": "kazan", "language": "tg", "country": "tajikistan", "pending_topic": "registration",
        "awaiting": "city"}
    assert asyncio.run(restarted.retrieve("someone-else")) is None


def test_the_endpoint_url_wins_over_the_setting(tmp_path, conversations_url):
    other = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    PrivateSQLTrackerStore(DOMAIN)  # the configured database, with its empty table
    asyncio.run(PrivateSQLTrackerStore(DOMAIN, host=other).save(conversation()))
    assert raw_rows(other) and not raw_rows(conversations_url)


def test_stored_events_are_masked_but_the_tracker_in_memory_is_not(conversations_url):
    tracker = conversation()
    asyncio.run(PrivateSQLTrackerStore(DOMAIN).save(tracker))
    stored = " ".join(data for _, data in raw_rows(conversations_url))
    for personal in PERSONAL + ("916", "1234567", "example.com"):
        assert personal not in stored
    user_row = json.loads(next(data for kind, data in raw_rows(conversations_url) if kind == "user"))
    assert user_row["text"] == user_row["parse_data"]["text"] == (
        "мой телефон [телефон], паспорт [номер], почта [email], я в Казани")
    assert [e["value"] for e in user_row["parse_data"]["entities"]] == ["kazan", "[телефон]"]
    assert user_row["metadata"]["note"] == "write to [email]" and user_row["metadata"]["language_code"] == "tg"
    # What the NLU and this turn's actions see is what was typed.
    assert tracker.latest_message.text == TYPED
    assert tracker.latest_message.parse_data["entities"][1]["value"] == "+7 916 123-45-67"


def test_a_second_save_adds_only_the_new_events(conversations_url):
    store = PrivateSQLTrackerStore(DOMAIN)
    asyncio.run(store.save(conversation()))
    before = len(raw_rows(conversations_url))
    tracker = asyncio.run(store.retrieve("chat-1"))  # as Rasa does at each message
    tracker.update(user("спасибо", "thank"))
    asyncio.run(store.save(tracker))
    assert len(raw_rows(conversations_url)) == before + 1


def test_forget_deletes_the_conversation_from_the_database(conversations_url):
    assert ActionForget().name() == FORGET_ACTION
    store = PrivateSQLTrackerStore(DOMAIN)
    asyncio.run(store.save(conversation("chat-1")))
    asyncio.run(store.save(conversation("chat-2")))
    with get_engine(conversations_url).begin() as connection:
        connection.execute(button_payloads.insert(), [
            {"key": "keyboard:chat-1", "value": "{}", "chat_id": "chat-1", "updated_at": time.time()},
            {"key": "keyboard:chat-2", "value": "{}", "chat_id": "chat-2", "updated_at": time.time()}])

    tracker = asyncio.run(store.retrieve("chat-1"))
    tracker.update(user("удали мои данные", "forget"))
    tracker.update(ActionExecuted(FORGET_ACTION))
    for slot in ("city", "country", "language", "pending_topic", "awaiting"):
        tracker.update(SlotSet(slot, None))
    tracker.update(BotUttered("Я всё забыл."))
    tracker.update(ActionExecuted("action_listen"))
    asyncio.run(store.save(tracker))
    asyncio.run(store.save(tracker))  # saved again in the same turn: nothing comes back

    rows = raw_rows(conversations_url, "chat-1")
    assert [kind for kind, _ in rows] == ["slot"] * 5 + ["bot", "action"]
    assert "Казан" not in " ".join(data for _, data in rows) and "[телефон]" not in " ".join(d for _, d in rows)
    with get_engine(conversations_url).connect() as connection:
        keyboards = connection.execute(text("SELECT chat_id FROM button_payloads")).scalars().all()
    assert keyboards == ["chat-2"]
    assert len(raw_rows(conversations_url, "chat-2")) == len(conversation("chat-2").events)

    # The next turn starts from the forgotten state and is stored as usual.
    after = asyncio.run(PrivateSQLTrackerStore(DOMAIN).retrieve("chat-1"))
    assert after.get_slot("city") is None and after.get_slot("country") is None
    after.update(user("салом", "greet"))
    asyncio.run(store.save(after))
    assert [kind for kind, _ in raw_rows(conversations_url, "chat-1")][-1] == "user"


def test_purge_deletes_conversations_idle_longer_than_the_retention(conversations_url):
    store = PrivateSQLTrackerStore(DOMAIN)
    old, recent = conversation("old"), conversation("recent")
    now = time.time()
    asyncio.run(store.save(old))
    asyncio.run(store.save(recent))
    with get_engine(conversations_url).begin() as connection:
        connection.execute(text("UPDATE events SET timestamp = :t WHERE sender_id = 'old'"), {"t": now - 40 * 86400})
        connection.execute(button_payloads.insert(), [
            {"key": "keyboard:old", "value": "{}", "chat_id": "old", "updated_at": now},
            {"key": "keyboard:recent", "value": "{}", "chat_id": "recent", "updated_at": now}])
    purged = purge(30)
    assert (purged.conversations, purged.events) == (1, len(old.events))
    assert not raw_rows(conversations_url, "old") and raw_rows(conversations_url, "recent")
    assert purge(30).conversations == 0
    assert asyncio.run(store.retrieve("recent")).get_slot("city") == "kazan"


@pytest.mark.parametrize("days", [0])
def test_purge_of_zero_days_deletes_everything_older_than_now(conversations_url, days):
    asyncio.run(PrivateSQLTrackerStore(DOMAIN).save(conversation()))
    assert purge(days, now=time.time() + 1).conversations == 1
    assert not raw_rows(conversations_url)


def test_a_database_restart_is_waited_out_instead_of_starting_an_empty_conversation(conversations_url, monkeypatch):
    import sqlalchemy.exc

    store = PrivateSQLTrackerStore(DOMAIN)
    asyncio.run(store.save(conversation()))
    working, failures = store.sessionmaker, []

    def restarting():
        if len(failures) < 2:
            failures.append(1)
            raise sqlalchemy.exc.OperationalError("SELECT", {}, ConnectionRefusedError("restarting"))
        return working()

    monkeypatch.setattr(store, "sessionmaker", restarting)
    tracker = asyncio.run(store.retrieve("chat-1"))
    assert len(failures) == 2 and tracker.get_slot("pending_topic") == "registration"


def test_the_purge_command_takes_its_default_from_the_retention_setting(conversations_url, monkeypatch, capsys):
    from bot.cli import main
    from bot.settings import get_settings

    store = PrivateSQLTrackerStore(DOMAIN)
    asyncio.run(store.save(conversation("eleven-days")))
    with get_engine(conversations_url).begin() as connection:
        connection.execute(text("UPDATE events SET timestamp = :t"), {"t": time.time() - 11 * 86400})
    monkeypatch.setenv("HAMROH_RETENTION_DAYS", "12")
    get_settings.cache_clear()
    assert main(["privacy", "purge"]) == 0 and raw_rows(conversations_url)
    monkeypatch.setenv("HAMROH_RETENTION_DAYS", "10")
    get_settings.cache_clear()
    assert main(["privacy", "purge"]) == 0 and not raw_rows(conversations_url)
    assert "Deleted 1 conversations idle for more than 10 days" in capsys.readouterr().out


def test_the_sqlite_file_is_readable_by_its_owner_only(tmp_path):
    import stat

    url = f"sqlite:///{tmp_path / 'private' / 'conversations.db'}"
    asyncio.run(PrivateSQLTrackerStore(DOMAIN, url=url).save(conversation()))
    assert stat.S_IMODE((tmp_path / "private" / "conversations.db").stat().st_mode) == 0o600
