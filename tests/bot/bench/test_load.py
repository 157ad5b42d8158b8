"""The load generator: chats in order, bounded concurrency, pauses, paired ratios."""

import asyncio
import time

from bot.bench.load import MESSAGES_PER_CHAT, drive, ratios


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
    result = asyncio.run(drive(send, conversations=2, concurrency=2, think=(0.05, 0.05)))
    elapsed = time.perf_counter() - start
    assert elapsed >= 0.05 * (MESSAGES_PER_CHAT - 1)
    assert result["p95_ms"] < 40  # the pause is the person's, not the server's


def test_paced_chats_do_not_all_start_in_the_same_instant():
    first = {}

    async def send(index, position):
        if position == 0:
            first[index] = time.perf_counter()

    asyncio.run(drive(send, conversations=6, concurrency=6, think=(0.01, 0.2)))
    # Six people pressing /start within one millisecond would be a burst no real bot sees.
    assert max(first.values()) - min(first.values()) > 0.05


def test_ratios_pair_runs_made_one_after_the_other():
    runs = {"ours": {"paced": {"10": [{"p95_ms": 100}, {"p95_ms": 300}]}},
            "theirs": {"paced": {"10": [{"p95_ms": 200}, {"p95_ms": 200}]}}}
    result = ratios(runs, "ours", "theirs")["paced"]["10"]
    assert result["runs"] == [0.5, 1.5] and result["median"] == 1.0


def test_peak_memory_sees_a_process_grow_and_keeps_the_highest():
    import subprocess
    import sys

    from bot.bench.load import PeakMemory

    grow = "import time; b = bytearray(80 * 2**20); time.sleep(0.6); del b; time.sleep(0.6)"
    child = subprocess.Popen([sys.executable, "-c", grow])
    with PeakMemory({"child": child.pid}, every=0.05) as peak:
        child.wait()
    assert peak.peak_mb["child"] >= 80
