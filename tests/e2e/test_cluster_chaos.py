"""Chaos in the local cluster: a replica killed, Redis and PostgreSQL restarted, all under load.

Two Rasa replicas behind nginx and one Telegram sender, fifty chats of six updates
each (texts and button presses in every language), delivered as Telegram delivers
them: in order per chat, again until a 200, each after the person has read the
replies to the last. Each update's replies, as the fake Bot API received them, are
compared with what the same script gets from the cluster left alone: none lost,
none doubled, none in another chat, in order; and no manual step between the faults.
"""

import itertools
import threading
import time
from collections import Counter

import pytest

from bot import messages
from bot.i18n import translate
from tests.e2e.telegram_driver import SCRIPTS, STEPS, Chat, Delivery, replies

CHATS = 50
UPDATES = CHATS * STEPS
AFTERWARDS = 10
"""Chats sent once a fault is over, to show the cluster needs nobody to put it right."""
_chat_ids = itertools.count(7 * 10**9)


def new_chats(count):
    return [Chat(next(_chat_ids), SCRIPTS[i % len(SCRIPTS)]) for i in range(count)]


def at(fractions_and_faults):
    """A progress callback that starts each fault in a thread once that share of the updates got a 200."""
    pending = sorted(fractions_and_faults, key=lambda pair: pair[0])
    threads = []

    def progress(delivered):
        while pending and delivered >= pending[0][0] * UPDATES:
            _, fault = pending.pop(0)
            thread = threading.Thread(target=fault, daemon=True)
            thread.start()
            threads.append(thread)
    return progress, threads


def run(cluster, fake, faults=(), count=CHATS):
    """Delivers fresh chats, with faults along the way; returns the chats and the delivery."""
    progress, threads = at(list(faults))
    chats = new_chats(count)
    delivery = Delivery(cluster.webhook_url, fake, cluster.conversations_url, progress)
    delivery.run(chats)
    for thread in threads:
        thread.join(300)
    return chats, delivery


def apology(chat):
    """The start of the designed answer while the knowledge base is unreachable, in the chat's language."""
    language, script = chat.script[0], chat.script[1] or "latn"
    return translate(messages.DATABASE_DOWN, language, script).split(".")[0]


def offline_answer(mine, want, chat):
    """Whether an update's replies are the designed answer of an unreachable knowledge base (bot/answering.py).

    The answer's body is replaced by the apology, and what followed it is either
    the same (the organisations come from the offline copy) or missing (the
    outage hit an action after the apology); a reply with no body (the question
    of the person's citizenship) comes whole after the apology.
    """
    position = next((i for i, message in enumerate(mine) if message[0].startswith(apology(chat))), None)
    if position is None or mine[:position] != want[:position]:
        return False
    after = mine[position + 1:]
    return after in (want[position + 1:], want[position:]) or position == len(mine) - 1


def wrong_replies(fake, chats, expected, database_outage=False):
    """Chats whose replies differ from the faultless run: update number, replies got, replies expected.

    With `database_outage`, an update's answer may be the designed answer of an unreachable knowledge base
    (it came while PostgreSQL was restarting).
    """
    wrong = {}
    for chat in chats:
        got, want = replies(fake, chat), expected[chat.script]
        for step in range(max(len(got), len(want))):
            mine = got[step] if step < len(got) else None
            if mine == (want[step] if step < len(want) else None):
                continue
            if database_outage and mine and step < len(want) and offline_answer(mine, want[step], chat):
                continue
            wrong[chat.chat_id] = (chat.script[:2], step, [m[0][:60] for m in mine or []],
                                   [m[0][:60] for m in want[step]] if step < len(want) else None)
            break
    return wrong


@pytest.fixture(scope="module")
def expected(cluster, fake_telegram):
    """Each script's replies, update by update, from the cluster left alone (and proof that nginx spreads them)."""
    chats, delivery = run(cluster, fake_telegram)
    assert not delivery.failures
    by_script = {}
    for chat in chats:
        by_script.setdefault(chat.script, []).append(replies(fake_telegram, chat))
    for script, runs in by_script.items():
        # Same script, same replies: what the faults are compared with is itself deterministic.
        assert all(r == runs[0] for r in runs), script[:2]
        assert len(runs[0]) == STEPS and all(runs[0]), script[:2]  # every update answered
    served = Counter(r["upstream"] for r in cluster.nginx.requests_served())
    for index in range(2):
        assert served[f"127.0.0.1:{cluster.layout.rasa_ports[index]}"] > UPDATES // 4
        assert served[f"127.0.0.1:{cluster.layout.action_ports[index]}"] > UPDATES // 4
    return {script: runs[0] for script, runs in by_script.items()}


@pytest.fixture(scope="module")
def killed(cluster, fake_telegram, expected):
    """Fifty chats with one replica killed a third of the way in and started again; then ten more chats."""
    restarted = {}

    def kill_and_bring_back():
        cluster.kill_replica(0)
        time.sleep(2)  # the survivor carries the load alone for a while
        restarted["seconds"] = cluster.restart_replica(0)

    chats, delivery = run(cluster, fake_telegram, [(1 / 3, kill_and_bring_back)])
    before = len(cluster.nginx.requests_served())
    after, after_delivery = run(cluster, fake_telegram, count=AFTERWARDS)
    return {"chats": chats, "delivery": delivery, "restarted": restarted, "after": after,
            "after_delivery": after_delivery, "served_after": cluster.nginx.requests_served()[before:]}


def test_a_replica_killed_mid_load_is_redelivered_around_and_comes_back(cluster, fake_telegram, expected, killed):
    assert "seconds" in killed["restarted"]
    # The kill caught updates in flight: nginx answered them 502 and they were delivered again.
    assert killed["delivery"].failures, "the kill hit no update in flight"
    # Back in the pool: nginx sends the restarted replica updates again, and they are answered as before.
    replica = f"127.0.0.1:{cluster.layout.rasa_ports[0]}"
    assert any(r["upstream"] == replica for r in killed["served_after"])
    assert not wrong_replies(fake_telegram, killed["after"], expected)
    assert not killed["after_delivery"].failures


def test_a_replica_killed_mid_load_loses_and_doubles_nothing(fake_telegram, expected, killed):
    # Replicas only save replies (the sender sends them): a killed one has sent nothing of a turn it did not
    # save, and a redelivered update whose turn it saved is recognised as done.
    wrong = wrong_replies(fake_telegram, killed["chats"], expected)
    redelivered = sum(attempts > 1 for chat in killed["chats"] for attempts in chat.attempts)
    print(f"kill -9: {redelivered} updates delivered again ({killed['delivery'].failures}), replica back in "
          f"{killed['restarted'].get('seconds')} s; chats with replies lost, doubled or out of order: {len(wrong)}")
    assert not wrong, f"{len(wrong)} chats (script, update, got, expected): {wrong}"


def test_redis_and_postgresql_restarted_mid_load_recover_by_themselves(cluster, fake_telegram, expected):
    chats, delivery = run(cluster, fake_telegram, [(1 / 3, cluster.redis.restart),
                                                   (2 / 3, cluster.postgres.restart)])
    wrong = wrong_replies(fake_telegram, chats, expected, database_outage=True)
    assert not wrong, f"{len(wrong)} chats (script, update, got, expected): {wrong}"
    # And afterwards, with nobody having touched anything, every update is answered first time, as before.
    after, delivery = run(cluster, fake_telegram, count=AFTERWARDS)
    assert not wrong_replies(fake_telegram, after, expected)
    assert not delivery.failures
