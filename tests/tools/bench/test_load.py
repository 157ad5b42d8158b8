"""The load generator: chats in order, bounded concurrency, pauses, paired ratios."""

import asyncio
import time

from tools.bench.load import MESSAGES_PER_CHAT, drive, ratios


def recorder(delay=0.01):
    sent, active = [], {"now": 0, "most": 0}

    async def send(index, position):
        active["now"] += 1
        active["most"] = max(active["most"], active["now"])
        sent.append((index, position))
        await asyncio.sleep(delay)
        active["now"] -= 1
    return send, sent, active


def test_every_chat_sends_its_messages_in_order_and_concurrency_is_bounded():
    send, sent, active = recorder()
    result = asyncio.run(drive(send, conversations=12, concurrency=3))
    assert result["n"] == 12 * MESSAGES_PER_CHAT
    for chat in range(12):
        assert [p for i, p in sent if i == chat] == list(range(MESSAGES_PER_CHAT))
    assert active["most"] == 3
    assert result["p50_ms"] >= 10  # each send took at least its 10 ms


def test_paced_chats_pause_between_messages_but_not_inside_the_timing():
    send, sent, _ = recorder(delay=0)
    start = time.perf_counter()
    result = asyncio.run(drive(send, conversations=2, concurrency=2, think=(0.5, 0.5)))
    elapsed = time.perf_counter() - start
    assert elapsed >= 0.5 * (MESSAGES_PER_CHAT - 1)
    # The pause is the person's, not the server's: counted, every turn would take 500 ms or more.
    # (Half of it leaves room for a busy machine without letting a counted pause pass.)
    assert result["p95_ms"] < 250


def test_paced_chats_do_not_all_start_in_the_same_instant():
    first = {}

    async def send(index, position):
        if position == 0:
            first[index] = time.perf_counter()

    asyncio.run(drive(send, conversations=6, concurrency=6, think=(0.01, 1.0)))
    # Six people pressing /start within one millisecond would be a burst no real bot sees. (Wide margins:
    # only a stall of the whole process for more than half a second could bunch the seeded starts.)
    assert max(first.values()) - min(first.values()) > 0.2


def test_ratios_pair_runs_made_one_after_the_other():
    runs = {"ours": {"paced": {"10": [{"p95_ms": 100}, {"p95_ms": 300}]}},
            "theirs": {"paced": {"10": [{"p95_ms": 200}, {"p95_ms": 200}]}}}
    result = ratios(runs, "ours", "theirs")["paced"]["10"]
    assert result["runs"] == [0.5, 1.5] and result["median"] == 1.0


def test_peak_memory_sees_a_process_grow_and_keeps_the_highest():
    import subprocess
    import sys

    from tools.bench.load import PeakMemory

    grow = "import time; b = bytearray(80 * 2**20); time.sleep(0.6); del b; time.sleep(0.6)"
    child = subprocess.Popen([sys.executable, "-c", grow])
    with PeakMemory({"child": child.pid}, every=0.05) as peak:
        child.wait()
    assert peak.peak_mb["child"] >= 80


def test_targets_are_measured_in_turns_at_the_given_numbers_of_chats(monkeypatch):
    import os
    from contextlib import contextmanager

    from tools.bench import load as bench

    monkeypatch.setattr(bench, "MODES", {"paced": (0.001, 0.002), "flat_out": None})
    order = []

    class Target:
        def __init__(self, name):
            self.name = name

        @contextmanager
        def running(self):
            yield self

        def pids(self):
            return {"me": os.getpid()}

        def sender(self, http, run_id):
            async def send(index, position):
                order.append(self.name)
            return send

    measured = bench.load([Target("one"), Target("two")], repeats=2, rounds=1, concurrency=(2, 3))
    for name in ("one", "two"):
        assert {mode: sorted(by_c) for mode, by_c in measured["runs"][name].items()} == {
            "paced": ["2", "3"], "flat_out": ["2", "3"]}
        assert all(len(runs) == 2 for by_c in measured["runs"][name].values() for runs in by_c.values())
    # Side by side: the two targets take turns run by run (a run's messages are all one target's).
    turns = [name for i, name in enumerate(order) if i == 0 or order[i - 1] != name]
    assert turns[:4] == ["one", "two", "one", "two"]
