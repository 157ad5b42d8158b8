"""Several OS processes take one conversation's lock over and over; counts the turns that overlapped.

    python -m bot.serving.lock_hammer --url redis://127.0.0.1:6379/0 --store ticket   # ours
    python -m bot.serving.lock_hammer --url redis://127.0.0.1:6379/0 --store stock    # Rasa's RedisLockStore

Each turn writes "in" and "out" lines to one shared file (O_APPEND: each line lands whole); a turn
that starts while another process is inside is an overlap — two replicas handling one conversation.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import List

from rasa.core.lock_store import LockError, LockStore

HOLD_SECONDS = 0.001
"""Time inside each turn, like a turn's own work; long enough for another process to slip in if it can."""
LOCK_LIFETIME = 2.0
"""Seconds a ticket lives: a lost or stale ticket blocks the conversation this long (Rasa's default is 60)."""
GIVE_UP_SECONDS = 5 * LOCK_LIFETIME
"""A turn still waiting after this is stuck: no ticket of a live turn lasts that long."""


@dataclass(frozen=True)
class Result:
    """What the processes did together."""

    store: str
    processes: int
    turns: int
    overlaps: int
    lock_errors: int
    stuck: int
    longest_wait_seconds: float
    seconds: float


def make_store(kind: str, url: str) -> LockStore:
    """Returns our ticket lock store or Rasa's stock RedisLockStore on a Redis URL."""
    if kind == "ticket":
        from bot.serving.lock_store import RedisTicketLockStore

        return RedisTicketLockStore(url=url)
    from urllib.parse import urlsplit

    from rasa.core.lock_store import RedisLockStore

    parts = urlsplit(url)
    return RedisLockStore(host=parts.hostname or "localhost", port=parts.port or 6379,
                          db=int(parts.path.strip("/") or 0), password=parts.password)


def _write(log: int, line: str) -> None:
    os.write(log, (line + "\n").encode())


def _turns(kind: str, url: str, conversation: str, rounds: int, log_path: str, start_at: float,
           deadline: float) -> None:
    """One process: waits for the common start, then takes the lock `rounds` times (or until the deadline)."""
    store = make_store(kind, url)
    log = os.open(log_path, os.O_WRONLY | os.O_APPEND)
    name = str(os.getpid())

    async def one(turn: int) -> None:
        asked = time.monotonic()
        # A short poll: Rasa's default of 1 s would only slow the run, not change what overlaps.
        async with store.lock(conversation, lock_lifetime=LOCK_LIFETIME, wait_time_in_seconds=0.005):
            _write(log, f"{name} {turn} in {time.monotonic() - asked:.4f}")
            await asyncio.sleep(HOLD_SECONDS)
            _write(log, f"{name} {turn} out")

    async def run() -> None:
        for turn in range(rounds):
            if time.time() > deadline:
                break
            try:
                await asyncio.wait_for(one(turn), GIVE_UP_SECONDS)
            except LockError:
                _write(log, f"{name} {turn} error")
            except asyncio.TimeoutError:
                _write(log, f"{name} {turn} stuck")

    time.sleep(max(0.0, start_at - time.time()))
    asyncio.run(run())
    os.close(log)


def count_overlaps(lines: List[str]) -> int:
    """Turns that began while another process's turn had not ended."""
    inside, overlaps = set(), 0
    for line in lines:
        who, turn, what = line.split()[:3]
        if what == "in":
            overlaps += bool(inside)
            inside.add((who, turn))
        elif what == "out":
            inside.discard((who, turn))
    return overlaps


def hammer(kind: str, url: str, processes: int = 2, rounds: int = 200, conversation: str = "hammered",
           budget_seconds: float = 60) -> Result:
    """Runs the processes on one conversation (for at most the budget) and returns what happened."""
    with tempfile.TemporaryDirectory() as folder:
        log_path = str(Path(folder) / "turns.log")
        Path(log_path).touch()
        context = multiprocessing.get_context("spawn")  # real, separate interpreters, as replicas are
        start_at = time.time() + 3  # after every interpreter has imported Rasa
        deadline = start_at + budget_seconds
        workers = [context.Process(target=_turns,
                                   args=(kind, url, conversation, rounds, log_path, start_at, deadline))
                   for _ in range(processes)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=budget_seconds + GIVE_UP_SECONDS + 60)
            if worker.exitcode != 0:
                raise RuntimeError(f"a hammering process failed with exit code {worker.exitcode}")
        lines = Path(log_path).read_text().splitlines()
    seconds = time.time() - start_at
    waits = [float(line.split()[3]) for line in lines if line.split()[2] == "in"]
    return Result(kind, processes, len(waits), count_overlaps(lines), sum(line.endswith(" error") for line in lines),
                  sum(line.endswith(" stuck") for line in lines), round(max(waits, default=0.0), 3), round(seconds, 2))


def main() -> None:
    """Prints one run's result as JSON."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True, help="Redis URL, e.g. from scripts/test-redis start")
    parser.add_argument("--store", choices=("ticket", "stock"), default="ticket")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=200, help="turns per process")
    parser.add_argument("--budget", type=float, default=60, help="seconds after which no process starts a turn")
    args = parser.parse_args()
    print(json.dumps(asdict(hammer(args.store, args.url, args.processes, args.rounds, budget_seconds=args.budget))))


if __name__ == "__main__":
    main()
