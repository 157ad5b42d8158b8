"""The Redis ticket lock: two OS processes never hold one conversation at once; tickets expire, in order."""

import asyncio
import time

import pytest
import redis
from rasa.core.lock_store import LockError

from bot.serving.lock_hammer import count_overlaps, hammer
from bot.serving.lock_store import RedisTicketLockStore


def test_two_processes_hammering_one_conversation_never_overlap(redis_url):
    result = hammer("ticket", redis_url, processes=2, rounds=150)
    assert (result.turns, result.overlaps, result.lock_errors, result.stuck) == (300, 0, 0, 0)


def test_the_overlap_count_sees_an_overlap():
    # The hammer's judge: two turns of different processes inside at once.
    assert count_overlaps(["1 0 in 0", "2 0 in 0", "1 0 out", "2 0 out"]) == 1
    assert count_overlaps(["1 0 in 0", "1 0 out", "2 0 in 0", "2 0 out"]) == 0


def test_tickets_are_served_in_the_order_they_were_issued(redis_url):
    store = RedisTicketLockStore(url=redis_url)
    order = []

    async def turn(name, delay):
        await asyncio.sleep(delay)
        async with store.lock("chat"):
            order.append(name)
            await asyncio.sleep(0.05)

    async def main():
        await asyncio.gather(*(turn(name, i * 0.01) for i, name in enumerate("abcde")))

    asyncio.run(main())
    assert order == list("abcde")


def test_a_ticket_left_by_a_killed_replica_expires(redis_url):
    store = RedisTicketLockStore(url=redis_url)

    async def main():
        await store.issue("chat", "dead-replica", lock_lifetime=1)  # issued, never released
        start = time.monotonic()
        async with store.lock("chat"):
            return time.monotonic() - start

    waited = asyncio.run(main())
    assert 0.8 < waited < 3


def test_a_retried_issue_keeps_one_place_in_the_queue(redis_url):
    store = RedisTicketLockStore(url=redis_url)

    async def main():
        first = await store.issue("chat", "t1")
        again = await store.issue("chat", "t1")  # the same request after a dropped connection
        second = await store.issue("chat", "t2")
        await store.release("chat", "t1")
        await store.release("chat", "t2")
        return first, again, second

    assert asyncio.run(main()) == (1, 1, 2)
    assert redis.Redis.from_url(redis_url).keys("hamroh:lock:*") == []  # nothing left behind


def test_an_unreachable_redis_is_a_lock_error():
    store = RedisTicketLockStore(url="redis://127.0.0.1:9/0")

    async def main():
        async with store.lock("chat"):
            pass

    with pytest.raises(LockError):
        asyncio.run(main())


def test_without_a_url_it_refuses_to_start(monkeypatch):
    from bot.settings import get_settings

    monkeypatch.delenv("HAMROH_LOCK_URL", raising=False)
    get_settings.cache_clear()
    with pytest.raises(ValueError, match="HAMROH_LOCK_URL"):
        RedisTicketLockStore()
    get_settings.cache_clear()
