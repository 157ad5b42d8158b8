"""Two connector instances (two replicas) sharing the conversations database agree on updates and buttons.

Rasa is stood in for by a handler that saves its turn through the real tracker
store, as Rasa's processor does at the end of a turn.
"""

import asyncio
import json
import time

import pytest
from rasa.core.lock_store import LockError
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.channels.delivery import Claim
from bot.channels.output import HamrohTelegramOutput
from bot.channels.telegram import HamrohTelegramInput
from bot.channels.updates import BUTTON, TEXT, Incoming
from bot.serving.outbox import Outbox
from bot.serving.tracker_store import PrivateSQLTrackerStore
from tests.bot.channels.test_telegram import SECRET, TOKEN, fake_request
from tests.bot.serving.conftest import conversations_url  # noqa: F401 - the fixture: the shared database
from tests.bot.serving.test_tracker_store import DOMAIN


def replica(tmp_path, name):
    """A connector as one replica builds it: its own state folder, the shared database from the settings."""
    return HamrohTelegramInput.from_credentials({
        "access_token": TOKEN, "secret_token": SECRET, "api_url": "http://127.0.0.1:9",
        "state_dir": str(tmp_path / name)})


def output(channel):
    """The sender's output on the channel's database: it builds keyboards and remembers their payloads."""
    return HamrohTelegramOutput(TOKEN, "http://127.0.0.1:9", channel.store)


def queued(url):
    outbox = Outbox(url)
    return [(r.chat_id, r.message["text"]) for r in outbox.load(outbox.waiting_ids(100))]


def text_update(update_id, text="salom", chat=9):
    return {"update_id": update_id, "message": {"message_id": update_id, "date": 0, "text": text,
                                                "chat": {"id": chat, "type": "private"},
                                                "from": {"id": chat, "is_bot": False, "first_name": "A"}}}


class Killed(BaseException):
    """`kill -9` of the replica: nothing of it runs any more (no `except Exception` catches this)."""


class Rasa:
    """Stands in for Rasa's handler: records the messages it was given, saves the turn, can fail as a store would."""

    def __init__(self, failure=None, saved=True, killed_after_saving=False):
        self.messages, self.failure, self.saved, self.killed = [], failure, saved, killed_after_saving

    async def __call__(self, message):
        self.messages.append(message.text)
        if self.failure:
            raise self.failure
        store = PrivateSQLTrackerStore(DOMAIN)
        tracker = await store.retrieve(message.sender_id) or DialogueStateTracker(message.sender_id, DOMAIN.slots)
        tracker.update(UserUttered(message.text, {"name": "greet", "confidence": 1.0},
                                   input_channel=message.input_channel, metadata=message.metadata))
        tracker.update(ActionExecuted("utter_greet"))
        await message.output_channel.send_response(message.sender_id, {"text": f"re: {message.text}"})
        tracker.update(BotUttered(f"re: {message.text}"))
        if self.saved:  # else Rasa's FailSafeTrackerStore kept the turn in memory: the database failed
            await store.save(tracker)
        if self.killed:
            raise Killed()


def test_an_update_handled_by_one_replica_is_not_handled_again_by_the_other(conversations_url, tmp_path):
    a, b = replica(tmp_path, "a"), replica(tmp_path, "b")
    rasa_a, rasa_b = Rasa(), Rasa()
    assert asyncio.run(a.handle(text_update(101), rasa_a, fake_request())) == 200
    assert asyncio.run(b.handle(text_update(101), rasa_b, fake_request())) == 200  # Telegram delivered it again
    assert asyncio.run(b.handle(text_update(102), rasa_b, fake_request())) == 200
    assert (rasa_a.messages, rasa_b.messages) == (["salom"], ["salom"])
    assert b.ledger.claim(101) is Claim.DONE
    assert queued(conversations_url) == [("9", "re: salom"), ("9", "re: salom")]  # 101 once, then 102


def test_an_update_a_killed_replica_had_claimed_is_handled_once_its_claim_lapses(conversations_url, tmp_path):
    a, b = replica(tmp_path, "a"), replica(tmp_path, "b")
    a.ledger.lease_seconds = 0.5
    assert a.ledger.claim(201) is Claim.NEW  # then the replica dies before it answers
    rasa_b = Rasa()
    assert asyncio.run(b.handle(text_update(201), rasa_b, fake_request())) == 503  # still its claim: come back
    assert rasa_b.messages == []
    time.sleep(0.6)
    assert asyncio.run(b.handle(text_update(201), rasa_b, fake_request())) == 200
    assert rasa_b.messages == ["salom"]
    assert queued(conversations_url) == [("9", "re: salom")]


def test_a_replica_killed_after_saving_leaves_a_done_update_and_its_replies(conversations_url, tmp_path):
    a, b = replica(tmp_path, "a"), replica(tmp_path, "b")
    a.ledger.lease_seconds = 0.1
    with pytest.raises(Killed):
        asyncio.run(a.handle(text_update(211), Rasa(killed_after_saving=True), fake_request()))
    time.sleep(0.2)  # its claim would have lapsed; Telegram delivers the update again
    rasa_b = Rasa()
    assert asyncio.run(b.handle(text_update(211), rasa_b, fake_request())) == 200
    assert rasa_b.messages == [] and queued(conversations_url) == [("9", "re: salom")]


def test_a_turn_whose_save_failed_is_asked_for_again_then_answered_once(conversations_url, tmp_path):
    a, b = replica(tmp_path, "a"), replica(tmp_path, "b")
    assert asyncio.run(a.handle(text_update(221), Rasa(saved=False), fake_request())) == 503
    assert queued(conversations_url) == [] and a.ledger.claim(221) is Claim.NEW  # the claim was given back
    a.ledger.release(221)
    assert asyncio.run(b.handle(text_update(221), Rasa(), fake_request())) == 200
    assert queued(conversations_url) == [("9", "re: salom")]


@pytest.mark.parametrize("failure", [LockError("redis restarting"), ConnectionRefusedError("postgres down")])
def test_a_store_failure_asks_for_a_redelivery_which_is_then_handled(conversations_url, tmp_path, failure):
    import redis
    import sqlalchemy.exc

    failures = {LockError: failure, ConnectionRefusedError: sqlalchemy.exc.OperationalError("SELECT", {}, failure)}
    a, b = replica(tmp_path, "a"), replica(tmp_path, "b")
    assert asyncio.run(a.handle(text_update(301), Rasa(failures[type(failure)]), fake_request())) == 503
    assert asyncio.run(a.handle(text_update(302), Rasa(redis.ConnectionError("gone")), fake_request())) == 503
    rasa_b = Rasa()
    assert asyncio.run(b.handle(text_update(301), rasa_b, fake_request())) == 200
    assert asyncio.run(b.handle(text_update(302), rasa_b, fake_request())) == 200
    assert rasa_b.messages == ["salom", "salom"]
    assert queued(conversations_url) == [("9", "re: salom"), ("9", "re: salom")]


def test_any_other_failure_is_not_redelivered(conversations_url, tmp_path):
    a = replica(tmp_path, "a")
    assert asyncio.run(a.handle(text_update(401), Rasa(RuntimeError("a bug")), fake_request())) == 200
    assert a.ledger.claim(401) is Claim.DONE


def test_an_unreachable_database_asks_for_a_redelivery(tmp_path, monkeypatch):
    monkeypatch.setenv("HAMROH_TRACKER_URL", "postgresql://nobody@127.0.0.1:9/none")
    from bot.settings import get_settings

    get_settings.cache_clear()
    try:
        rasa = Rasa()
        assert asyncio.run(replica(tmp_path, "a").handle(text_update(501), rasa, fake_request())) == 503
        assert rasa.messages == []
    finally:
        get_settings.cache_clear()


def test_a_button_sent_by_one_replica_works_when_the_other_receives_the_press(conversations_url, tmp_path):
    a, b = replica(tmp_path, "a"), replica(tmp_path, "b")
    payload = "/inform" + json.dumps({"city": "Нижний Новгород", "district": "Автозаводский район"},
                                     ensure_ascii=False)
    data = output(a).keyboard("9", [{"title": "Нижний", "payload": payload}],
                              "inline").inline_keyboard[0][0].callback_data
    assert HamrohTelegramInput.payload(Incoming(BUTTON, 9, data, "cb"), b.store) == payload


def test_a_reply_keyboard_is_the_latest_one_whichever_replica_showed_it(conversations_url, tmp_path):
    a, b = replica(tmp_path, "a"), replica(tmp_path, "b")
    output(a).keyboard("9", [{"title": "Ҳа", "payload": "/affirm"}], "reply")
    assert HamrohTelegramInput.payload(Incoming(TEXT, 9, "Ҳа"), b.store) == "/affirm"
    output(b).keyboard("9", [{"title": "Ҳа", "payload": "/deny"}], "reply")
    assert HamrohTelegramInput.payload(Incoming(TEXT, 9, "Ҳа"), a.store) == "/deny"
