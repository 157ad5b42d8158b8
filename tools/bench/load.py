"""Load benchmark: webhook-in to sendMessage-out through the real stack, against a `rasa init` bot.

Everything runs on 127.0.0.1: the fake Bot API of the end-to-end tests stands
where Telegram would be. Both assistants run side by side and are measured in
turns, so each ratio compares two runs minutes apart on the same machine.
Run from the repository root (`make bench-load`).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import multiprocessing
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, Iterator, List, Optional, Sequence, Tuple

import aiohttp
import requests
from sqlalchemy.exc import OperationalError

from tools.bench.nlu import machine
from tools.bench.stats import percentiles, spread, summarise
from bot.content.db import session_scope
from bot.content.loader import load_content
from bot.content.migrate import upgrade
from bot.content.models import Organisation
from bot.handoff.desk import Desk, Person
from bot.settings import get_settings
from tools.stack import BIN, assistant, free_port, processes, wait_until_up
from tools import CHECKOUT

CONCURRENCY = (1, 10, 50)
REPLICAS = (1, 2)
REPLICA_CONCURRENCY = (10, 50)
"""One chat sends one message at a time: a second replica can only matter with several chats at once."""
CLUSTER_ACTION_SERVERS = 2
"""Action servers of both clusters compared, so that only the number of Rasa replicas differs."""
THINK_SECONDS = (1.0, 4.0)
"""Pause before each next message of a chat, drawn uniformly: reading the answer and typing.

People on phones take longer (tens of seconds), so this load is heavier than real.
"""
MODES = {"paced": THINK_SECONDS, "flat_out": None}
"""Paced chats give the latency people see; flat-out chats (no pause) find the throughput ceiling."""
# Realistic mixed-language conversations: what a person sends, in order.
CONVERSATIONS = [
    ("ru", ["/start", "сколько дней дается на регистрацию", "я из Таджикистана", "спасибо"]),
    ("uz", ["/start", "patent qancha turadi oyiga", "ish haqimni bermayapti", "rahmat"]),
    ("tg", ["/start", "патент чӣ тавр гирам", "маошамро намедиҳанд", "ташаккур"]),
    ("ky", ["/start", "каттоодон кантип өтөм", "паспортумду алып коюшту", "чоң рахмат"]),
]
BASELINE_MESSAGES = ["hello", "I am sad", "yes", "bye"]
MESSAGES_PER_CHAT = 4
QUIET_SECONDS = 1.0
"""At warm-up, a message's replies are counted once none came for this long (later runs wait for that count)."""

Send = Callable[[int, int], Awaitable[None]]


async def drive(send: Send, conversations: int, concurrency: int,
                think: Optional[Tuple[float, float]] = None, seed: int = 0) -> Dict[str, Any]:
    """Runs `conversations` chats, `concurrency` at a time; each sends its messages in order.

    A chat holds its place while its person thinks: `concurrency` is the number
    of conversations going on at once, not of requests in flight.
    """
    latencies: List[float] = []
    gate = asyncio.Semaphore(concurrency)
    rng = random.Random(seed)

    async def chat(index: int) -> None:
        async with gate:
            for position in range(MESSAGES_PER_CHAT):
                if think:
                    # People do not all press /start in the same millisecond: the first pause staggers chats.
                    await asyncio.sleep(rng.uniform(0 if position == 0 else think[0], think[1]))
                start = time.perf_counter()
                await send(index, position)
                latencies.append((time.perf_counter() - start) * 1000)

    start = time.perf_counter()
    await asyncio.gather(*(chat(i) for i in range(conversations)))
    seconds = time.perf_counter() - start
    return {**percentiles(latencies), "messages_per_second": round(len(latencies) / seconds, 1)}


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
            todo += [int(c) for c in children]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return round(total / 1024, 1)


class PeakMemory:
    """Samples the resident memory of processes in the background; keeps the highest seen."""

    def __init__(self, pids: Dict[str, int], every: float = 0.25) -> None:
        self.pids, self.every = pids, every
        self.peak_mb = {name: 0.0 for name in pids}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            for name, pid in self.pids.items():
                self.peak_mb[name] = max(self.peak_mb[name], rss_mb(pid))
            self._stop.wait(self.every)

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join()


def _serve_fake_telegram(token: str, urls) -> None:
    """Runs the fake Bot API in its own process, so it never competes with the load generator."""
    sys.path.insert(0, str(CHECKOUT))
    from tests.e2e.fake_telegram import FakeTelegram

    fake = FakeTelegram(token)
    urls.put(fake.start())
    threading.Event().wait()


@contextmanager
def fake_telegram() -> Iterator[str]:
    """The fake Bot API of the end-to-end tests in a process of its own; yields its URL."""
    from tests.e2e.telegram_updates import TELEGRAM_TOKEN

    context = multiprocessing.get_context("spawn")
    urls = context.Queue()
    fake = context.Process(target=_serve_fake_telegram, args=(TELEGRAM_TOKEN, urls), daemon=True)
    fake.start()
    try:
        yield urls.get(timeout=60)
    finally:
        fake.terminate()


class HamrohTarget:
    """Hamroh as deployed: action server + Rasa server + Telegram sender, updates into the Telegram webhook.

    The webhook answers once the turn is saved; its replies reach the fake Bot
    API through the sender a moment later. A message counts as answered when
    the last of its replies has arrived.
    """

    name = "hamroh_telegram"

    def __init__(self, model: str, work: Path) -> None:
        self.model, self.work = model, work
        self.chat_base = 3 * 10**9
        self.replies: Dict[Tuple[int, int], int] = {}  # (conversation, position) -> replies, counted at warm-up
        self.sender_ms: List[float] = []  # from the webhook's 200 to the last reply at the Bot API
        sys.path.insert(0, str(CHECKOUT))
        from tests.e2e.telegram_updates import SECRET_HEADER, TELEGRAM_SECRET, TELEGRAM_TOKEN, message_update

        self.secret_header, self.secret, self.message_update = SECRET_HEADER, TELEGRAM_SECRET, message_update
        self.token = TELEGRAM_TOKEN

    @contextmanager
    def running(self) -> Iterator["HamrohTarget"]:
        """Starts the fake Bot API, a seeded database and both servers."""
        with fake_telegram() as fake_url:
            self.fake_url = fake_url
            database = f"sqlite:///{self.work / 'hamroh.db'}"
            upgrade(database)
            with session_scope(database) as session:
                load_content(session, get_settings().content_dir)
            rasa_port = free_port()
            self.webhook = f"http://127.0.0.1:{rasa_port}/webhooks/telegram/webhook"
            env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "DATABASE_URL": database,
                   "TELEGRAM_TOKEN": self.token, "TELEGRAM_SECRET": self.secret,
                   "TELEGRAM_API_URL": fake_url, "TELEGRAM_WEBHOOK_URL": self.webhook,
                   "HAMROH_STATE_DIR": str(self.work / "state")}
            subprocess.run([str(BIN / "hamroh"), "telegram-credentials", "--out", str(self.work / "credentials.yml")],
                           cwd=CHECKOUT, env=env, check=True, stdout=subprocess.DEVNULL)
            with assistant(Path(self.model), self.work, env, self.work / "credentials.yml",
                           rasa_port=rasa_port) as stack:
                self.stack = stack
                yield self

    def pids(self) -> Dict[str, int]:
        """The processes whose memory is reported."""
        return {"rasa": self.stack.rasa.pid, "actions": self.stack.actions.pid,
                "telegram_send": self.stack.sender.pid}

    def first_answer(self) -> None:
        """One question, answered: the end of a cold start."""
        chat = self.chat_base - 1
        update = self.message_update(chat, "ru", "сколько стоит патент")
        response = requests.post(self.webhook, json=update, headers={self.secret_header: self.secret}, timeout=120)
        response.raise_for_status()
        requests.get(f"{self.fake_url}/fake/sent", params={"chat_id": chat, "count": 1}, timeout=120)

    async def _sent_at(self, http: aiohttp.ClientSession, chat: int, count: int, seconds: float = 60) -> List[float]:
        """When each message to a chat reached the fake Bot API, once it has `count` (or `seconds` passed)."""
        async with http.get(f"{self.fake_url}/fake/sent",
                            params={"chat_id": chat, "count": count, "timeout": seconds}) as response:
            return (await response.json())["sent_at"]

    def sender(self, http: aiohttp.ClientSession, run_id: int) -> Send:
        """Sends message `position` of conversation `index` of one run and waits for its replies."""
        received: Dict[int, int] = {}

        async def send(index: int, position: int) -> None:
            language, texts = CONVERSATIONS[index % len(CONVERSATIONS)]
            chat = self.chat_base + run_id * 100_000 + index
            update = self.message_update(chat, language, texts[position])
            async with http.post(self.webhook, data=json.dumps(update), headers={
                    "Content-Type": "application/json", self.secret_header: self.secret}) as response:
                assert response.status == 200, await response.text()
                saved = time.time()
            before, key = received.get(chat, 0), (index % len(CONVERSATIONS), position)
            if key in self.replies:
                sent = await self._sent_at(http, chat, before + self.replies[key])
            else:  # warm-up: wait until the replies stop coming, and count them
                sent = await self._sent_at(http, chat, before + 1)
                while len(later := await self._sent_at(http, chat, len(sent) + 1, QUIET_SECONDS)) > len(sent):
                    sent = later
                self.replies[key] = len(sent) - before
            received[chat] = len(sent)
            self.sender_ms.append(max(0.0, (sent[-1] - saved) * 1000))
        return send


HANDOFF_SHARE = 0.2
"""Share of chats talking to a consultant in the mixed load (every fifth)."""
HANDOFF_CONCURRENCY = (10, 50)


class HandoffMixTarget(HamrohTarget):
    """Hamroh with a live desk: a share of the chats talk to a consultant while the rest talk to the bot.

    A handoff chat's message is timed from the webhook to the consultant's
    answer at the Bot API: the person's words recorded for the desk, then a
    consultant (this benchmark, at once) replying through the outbox.
    """

    name = "hamroh_handoff_mix"

    def __init__(self, model: str, work: Path, share: float = HANDOFF_SHARE) -> None:
        super().__init__(model, work)
        self.every = max(1, round(1 / share))
        self.bot_ms: List[float] = []
        self.handoff_ms: List[float] = []
        self.lock_waits = 0  # consultant replies retried after SQLite's 5 s lock timeout

    @contextmanager
    def running(self) -> Iterator["HandoffMixTarget"]:
        with super().running() as target:
            with session_scope(f"sqlite:///{self.work / 'hamroh.db'}") as session:
                desk = session.query(Organisation).filter_by(key="civic_assistance").one()
                desk.desk_hours, desk.languages = "mon-sun 00:00-24:00", ["ru", "uz", "tg", "ky"]
                self.organisation_id = desk.id
            self.desk = Desk(f"sqlite:///{self.work / 'state' / 'conversations.db'}")
            yield target

    def sender(self, http: aiohttp.ClientSession, run_id: int) -> Send:
        bot_send = super().sender(http, run_id)
        received: Dict[int, int] = {}

        async def send(index: int, position: int) -> None:
            if index % self.every:
                start = time.perf_counter()
                await bot_send(index, position)
                self.bot_ms.append((time.perf_counter() - start) * 1000)
                return
            language, texts = CONVERSATIONS[index % len(CONVERSATIONS)]
            chat = self.chat_base + run_id * 100_000 + index
            if position == 0:  # the person consented earlier: the consultant has the conversation
                handoff = await asyncio.to_thread(self.desk.open, Person(str(chat), language), [self.organisation_id], [])
                await asyncio.to_thread(self.desk.claim, handoff, "consultant", self.organisation_id)
            start = time.perf_counter()
            update = self.message_update(chat, language, texts[position] if position else "мне нужен человек")
            async with http.post(self.webhook, data=json.dumps(update), headers={
                    "Content-Type": "application/json", self.secret_header: self.secret}) as response:
                assert response.status == 200, await response.text()
            handoff = await asyncio.to_thread(self.desk.current, str(chat))
            while True:  # a consultant whose click met SQLite's write lock clicks again
                try:
                    await asyncio.to_thread(self.desk.reply, handoff.id, "consultant", "NGO", "ответ консультанта")
                    break
                except OperationalError:
                    self.lock_waits += 1
            received[chat] = received.get(chat, 0) + 1
            await self._sent_at(http, chat, received[chat])
            self.handoff_ms.append((time.perf_counter() - start) * 1000)
        return send


def handoff_mix(model: str, work: Path, repeats: int, rounds: int) -> Dict[str, Any]:
    """Paced chats of which a share talk to a consultant: the bot's latency beside the consultants' relay."""
    target = HandoffMixTarget(model, work)
    runs: Dict[str, List[Dict[str, Any]]] = {str(c): [] for c in HANDOFF_CONCURRENCY}
    run_ids = itertools.count(1)
    with target.running():
        measure_once(target, next(run_ids), 1, None, 4)  # warm-up
        for repeat in range(repeats):
            for chats in HANDOFF_CONCURRENCY:
                target.bot_ms.clear()
                target.handoff_ms.clear()
                overall = measure_once(target, next(run_ids), chats, THINK_SECONDS, rounds)
                result = {"all": overall, "bot": percentiles(target.bot_ms),
                          "handoff": percentiles(target.handoff_ms) if target.handoff_ms else None}
                runs[str(chats)].append(result)
                print(f"  run {repeat + 1}/{repeats} handoff mix {chats:>2d} chats: bot p95 {result['bot']['p95_ms']} ms,"
                      f" handoff p95 {(result['handoff'] or {}).get('p95_ms')} ms", flush=True)
    medians = {chats: {kind: spread([r[kind]["p95_ms"] for r in results if r[kind]]) for kind in ("bot", "handoff")}
               for chats, results in runs.items()}
    return {"settings": {"share": HANDOFF_SHARE, "concurrency": HANDOFF_CONCURRENCY, "think_seconds": THINK_SECONDS},
            "runs": runs, "p95_ms": medians, "consultant_retries": target.lock_waits}


class ClusterTarget(HamrohTarget):
    """The local cluster of `make cluster` (tools/cluster.py): N Rasa replicas behind nginx, PostgreSQL, Redis."""

    def __init__(self, model: str, work: Path, replicas: int) -> None:
        super().__init__(model, work)
        self.replicas = replicas
        self.name = f"cluster_{replicas}_replica" + ("s" if replicas > 1 else "")
        self.chat_base = (4 + replicas) * 10**9

    @contextmanager
    def running(self) -> Iterator["ClusterTarget"]:
        """Starts the fake Bot API and the whole cluster."""
        from tools.cluster import Cluster

        # PostgreSQL runs as its own user: its folder must be reachable, unlike a private temporary one.
        folder = Path(tempfile.mkdtemp(prefix="hamroh-bench-cluster-"))
        folder.chmod(0o755)
        try:
            with fake_telegram() as fake_url:
                self.fake_url = fake_url
                env = {**os.environ, "TELEGRAM_TOKEN": self.token, "TELEGRAM_SECRET": self.secret,
                       "TELEGRAM_API_URL": fake_url}
                self.cluster = Cluster(folder, self.replicas, CLUSTER_ACTION_SERVERS, Path(self.model), env=env)
                self.webhook = self.cluster.webhook_url
                self.cluster.base_env["TELEGRAM_WEBHOOK_URL"] = self.webhook
                try:
                    self.cluster.start()
                    yield self
                finally:
                    self.cluster.stop()
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def pids(self) -> Dict[str, int]:
        """The processes whose memory is reported: each replica and action server, and the sender."""
        return {s.name: s.pid for s in self.cluster.replicas + self.cluster.action_servers + [self.cluster.sender]}


class BaselineTarget:
    """A fresh `rasa init` bot on the REST channel: what a team would otherwise deploy."""

    name = "rasa_init_rest"

    def __init__(self, work: Path) -> None:
        self.work = work

    def prepare(self) -> None:
        """Creates and trains the `rasa init` project once."""
        self.project = self.work / "rasa-init"
        self.project.mkdir(exist_ok=True)
        if not list((self.project / "models").glob("*.tar.gz")):
            subprocess.run([str(BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(self.project)], cwd=self.work,
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"})

    @contextmanager
    def running(self) -> Iterator["BaselineTarget"]:
        """Starts the Rasa server of the `rasa init` project."""
        self.prepare()
        port = free_port()
        self.url = f"http://127.0.0.1:{port}/webhooks/rest/webhook"
        command = [str(BIN / "rasa"), "run", "--port", str(port), "--interface", "127.0.0.1",
                   "--credentials", str(self.project / "credentials.yml"), "--model", str(self.project / "models")]
        with processes([command], {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}, self.work, ["rasa"]) as (rasa,):
            wait_until_up(f"http://127.0.0.1:{port}/", rasa, log=self.work / "rasa.log")
            self.rasa = rasa
            yield self

    def pids(self) -> Dict[str, int]:
        """The processes whose memory is reported."""
        return {"rasa": self.rasa.pid}

    def first_answer(self) -> None:
        """One message, answered: the end of a cold start."""
        requests.post(self.url, json={"sender": "cold", "message": "hello"}, timeout=120).raise_for_status()

    def sender(self, http: aiohttp.ClientSession, run_id: int) -> Send:
        """Sends message `position` of conversation `index` of one run."""
        async def send(index: int, position: int) -> None:
            body = {"sender": f"r{run_id}-{index}", "message": BASELINE_MESSAGES[position]}
            async with http.post(self.url, json=body) as response:
                assert response.status == 200
                await response.read()
        return send


def measure_once(target, run_id: int, concurrency: int, think: Optional[Tuple[float, float]],
                 rounds: int) -> Dict[str, Any]:
    """One load run against a running target."""
    async def run() -> Dict[str, Any]:
        connector = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(connector=connector) as http:
            # At least two chats' worth of conversations: one chat's p95 of a dozen messages would be its maximum.
            conversations = max(concurrency, 2) * rounds
            return await drive(target.sender(http, run_id), conversations, concurrency, think, seed=run_id)
    return asyncio.run(run())


def cold_start(target, runs: int) -> Dict[str, Any]:
    """Seconds from starting the servers to the first answer, over several starts."""
    seconds = []
    for _ in range(runs):
        start = time.monotonic()
        with target.running():
            target.first_answer()
            seconds.append(time.monotonic() - start)
    return spread(seconds)


def load(targets: List[Any], repeats: int, rounds: int, concurrency: Sequence[int] = CONCURRENCY) -> Dict[str, Any]:
    """Runs every mode and concurrency `repeats` times against each target in turn."""
    runs: Dict[str, Dict[str, Dict[str, List[Dict[str, Any]]]]] = {
        t.name: {mode: {str(c): [] for c in concurrency} for mode in MODES} for t in targets}
    memory: Dict[str, Dict[str, Any]] = {}
    run_ids = itertools.count(1)  # every run talks in chats of its own
    with ExitStack() as stack:
        for target in targets:
            stack.enter_context(target.running())
            measure_once(target, next(run_ids), 1, None, 4)  # warm-up: first replies load lazily
            memory[target.name] = {"after_warmup_mb": {k: rss_mb(p) for k, p in target.pids().items()}}
        peaks = {t.name: stack.enter_context(PeakMemory(t.pids())) for t in targets}
        for repeat in range(repeats):
            for mode, think in MODES.items():
                for chats in concurrency:
                    for target in targets:
                        result = measure_once(target, next(run_ids), chats, think, rounds)
                        runs[target.name][mode][str(chats)].append(result)
                        print(f"  run {repeat + 1}/{repeats} {mode:8s} {chats:>2d} chats {target.name:18s} "
                              f"p95 {result['p95_ms']} ms, {result['messages_per_second']} msg/s", flush=True)
        for target in targets:
            memory[target.name]["after_load_mb"] = {k: rss_mb(p) for k, p in target.pids().items()}
            memory[target.name]["peak_under_load_mb"] = peaks[target.name].peak_mb
    # What the Telegram sender adds: from the webhook's 200 (the turn saved) to the last reply at the Bot API.
    delay = {t.name: percentiles(t.sender_ms) for t in targets if getattr(t, "sender_ms", None)}
    return {"runs": runs, "memory": memory, "sender_after_200": delay}


def ratios(runs: Dict[str, Any], ours: str, theirs: str) -> Dict[str, Dict[str, Any]]:
    """p95 ratio of each pair of runs made one after the other, as median, min and max."""
    return {mode: {c: spread([a["p95_ms"] / max(0.1, b["p95_ms"])
                              for a, b in zip(runs[ours][mode][c], runs[theirs][mode][c])])
                   for c in runs[ours][mode]}
            for mode in runs[ours]}


def parse_floor(model: str, runs: int) -> Dict[str, Any]:
    """The bare NLU parse time of the model, loaded once: the floor under any channel."""
    from rasa.core.agent import Agent
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)  # Rasa logs every parse at debug level otherwise
    agent = Agent.load(model)
    texts = [t for _, ts in CONVERSATIONS for t in ts if not t.startswith("/")]

    async def timed() -> Dict[str, Any]:
        samples = []
        for text in texts * 10:
            start = time.perf_counter()
            await agent.parse_message(text)
            samples.append((time.perf_counter() - start) * 1000)
        return percentiles(samples, digits=2)

    asyncio.run(timed())
    return summarise([asyncio.run(timed()) for _ in range(runs)])


def training(runs: int, work: Path) -> Dict[str, Any]:
    """Seconds to train the whole model from scratch (`rasa train`), over several trainings, and its size."""
    seconds, size = [], 0.0
    for run in range(runs):
        out = work / f"train-{run}"
        start = time.monotonic()
        # An empty cache of its own: Rasa would otherwise restore trained components and time nothing.
        subprocess.run([str(BIN / "rasa"), "train", "--config", "config.yml", "--domain", "domain.yml", "--data",
                        "data", "--out", str(out), "--fixed-model-name", "hamroh"], cwd=CHECKOUT, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env={**os.environ, "RASA_TELEMETRY_ENABLED": "false",
                            "RASA_CACHE_DIRECTORY": str(work / f"cache-{run}")})
        seconds.append(time.monotonic() - start)
        size = (out / "hamroh.tar.gz").stat().st_size / 2**20
    return {"seconds": spread(seconds, 1), "model_mb": round(size, 2)}


def summary(report: Dict[str, Any]) -> Dict[str, Any]:
    """Each target, mode and concurrency as the spread of its figures over the repeats."""
    return {name: {mode: {c: summarise(r) for c, r in by_c.items()} for mode, by_c in modes.items()}
            for name, modes in report["runs"].items()}


def replicas_load(model: str, work: Path, replicas: Sequence[int], repeats: int, rounds: int) -> Dict[str, Any]:
    """The same load on the cluster with 1 and with 2 Rasa replicas, measured in turns."""
    targets = [ClusterTarget(model, work / f"cluster-{n}", n) for n in replicas]
    for target in targets:
        target.work.mkdir()
    print(f"Replicas: {repeats} repeats × {list(MODES)} × {REPLICA_CONCURRENCY} chats × {list(replicas)} "
          f"replicas…", flush=True)
    measured = load(targets, repeats, rounds, REPLICA_CONCURRENCY)
    return {"settings": {"replicas": list(replicas), "action_servers": CLUSTER_ACTION_SERVERS,
                         "concurrency": REPLICA_CONCURRENCY},
            "targets": {t.name: t.replicas for t in targets}, "memory": measured["memory"], "runs": measured["runs"],
            "sender_after_200": measured["sender_after_200"], "summary": summary(measured)}


def main(model: str, out: str, rounds: int = 3, repeats: int = 3, starts: int = 3, trainings: int = 3,
         replicas: Sequence[int] = REPLICAS, mix_only: bool = False) -> int:
    """Runs both assistants side by side on this machine; writes JSON and prints a summary."""
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "mix").mkdir()
        if mix_only:  # only the handoff mix, written beside the full report
            mixed = handoff_mix(model, work / "mix", repeats, rounds)
            Path(out).parent.mkdir(parents=True, exist_ok=True)
            Path(out).write_text(json.dumps({"machine": machine(), "handoff_mix": mixed}, indent=1))
            print(json.dumps(mixed["p95_ms"], indent=1))
            return 0
        (work / "hamroh").mkdir()
        (work / "baseline").mkdir()
        ours, theirs = HamrohTarget(model, work / "hamroh"), BaselineTarget(work / "baseline")
        theirs.prepare()
        print("Cold starts…", flush=True)
        cold = {t.name: cold_start(t, starts) for t in (ours, theirs)}
        print(f"Load: {repeats} repeats × {list(MODES)} × {CONCURRENCY} chats…", flush=True)
        measured = load([ours, theirs], repeats, rounds)
        report = {"machine": machine(),
                  "settings": {"rounds": rounds, "repeats": repeats, "think_seconds": THINK_SECONDS,
                               "messages_per_chat": MESSAGES_PER_CHAT, "concurrency": CONCURRENCY},
                  "cold_start_seconds": cold, "memory": measured["memory"], "runs": measured["runs"],
                  "sender_after_200": measured["sender_after_200"]}
        report["summary"] = summary(report)
        report["ratios_p95"] = ratios(measured["runs"], ours.name, theirs.name)
        print("Parse floor and training…", flush=True)
        report["parse_floor"] = parse_floor(model, repeats)
        report["training"] = training(trainings, work) if trainings else None
        report["replicas"] = replicas_load(model, work, replicas, repeats, rounds) if replicas else None
        print("Handoff mix…", flush=True)
        report["handoff_mix"] = handoff_mix(model, work / "mix", repeats, rounds)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(json.dumps(report, indent=1, ensure_ascii=False))
    plot(report, Path(out).with_suffix(".png"))
    if report["replicas"]:
        plot_replicas(report["replicas"], Path(out).with_name(Path(out).stem + "-replicas.png"))
    print_summary(report)
    return 0


def plot(report: Dict[str, Any], path: Path) -> None:
    """p95 latency by concurrency, per mode: medians with min–max bars."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(1, len(MODES), figsize=(10, 4))
    for ax, mode in zip(axes, MODES):
        for name, label in (("hamroh_telegram", "Hamroh (Telegram webhook)"), ("rasa_init_rest", "rasa init (REST)")):
            by_c = report["summary"][name][mode]
            xs = [int(c) for c in by_c]
            p95 = [by_c[c]["p95_ms"] for c in by_c]
            ax.errorbar(xs, [s["median"] for s in p95], marker="o", capsize=4, label=label,
                        yerr=[[s["median"] - s["min"] for s in p95], [s["max"] - s["median"] for s in p95]])
        if mode == "paced":
            ax.axhline(150, linestyle="--", color="grey", linewidth=1, label="target at 10 chats")
        ax.set_xscale("log")
        ax.set_xticks(xs, [str(x) for x in xs])
        ax.set_xlabel("concurrent chats")
        ax.set_ylabel("p95 latency, ms")
        ax.set_title(mode.replace("_", " "))
        ax.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


def plot_replicas(replicas: Dict[str, Any], path: Path) -> None:
    """Throughput and p95 at 1 and 2 replicas side by side, per mode and number of chats."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(1, 2, figsize=(10, 4))
    groups = [(mode, c) for mode in MODES for c in map(str, replicas["settings"]["concurrency"])]
    width = 0.8 / len(replicas["targets"])
    for offset, (name, count) in enumerate(replicas["targets"].items()):
        for ax, figure_key in zip(axes, ("messages_per_second", "p95_ms")):
            spreads = [replicas["summary"][name][mode][c][figure_key] for mode, c in groups]
            xs = [i + offset * width for i in range(len(groups))]
            ax.bar(xs, [s["median"] for s in spreads], width, label=f"{count} replica" + ("s" if count > 1 else ""),
                   yerr=[[s["median"] - s["min"] for s in spreads], [s["max"] - s["median"] for s in spreads]],
                   capsize=3)
    for ax, title in zip(axes, ("throughput, msg/s", "p95 latency, ms")):
        ax.set_xticks([i + width / 2 for i in range(len(groups))],
                      [f"{mode.replace('_', ' ')}\n{c} chats" for mode, c in groups])
        ax.set_title(title)
        ax.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


def print_summary(report: Dict[str, Any]) -> None:
    """One screen: medians [min–max] of the repeats."""
    def f(s: Dict[str, Any]) -> str:
        return f"{s['median']:g} [{s['min']:g}–{s['max']:g}]"

    for mode in MODES:
        print(f"{mode}: p95 ms and msg/s, median [min–max] of {report['settings']['repeats']} runs")
        for c in map(str, CONCURRENCY):
            h, b = report["summary"]["hamroh_telegram"][mode][c], report["summary"]["rasa_init_rest"][mode][c]
            print(f"  {c:>2s} chats  Hamroh p95 {f(h['p95_ms'])}, {f(h['messages_per_second'])} msg/s | "
                  f"rasa init p95 {f(b['p95_ms'])}, {f(b['messages_per_second'])} msg/s | "
                  f"ratio {f(report['ratios_p95'][mode][c])}")
    print(f"Memory: {report['memory']}")
    for section in (report, report.get("replicas") or {}):
        for name, delay in (section.get("sender_after_200") or {}).items():
            print(f"Telegram sender, webhook's 200 to last reply ({name}): p50 {delay['p50_ms']} ms, "
                  f"p95 {delay['p95_ms']} ms, n {delay['n']}")
    print(f"Cold start to first answer (s): " + ", ".join(
        f"{name} {f(s)}" for name, s in report["cold_start_seconds"].items()))
    print(f"Bare parse p50 {f(report['parse_floor']['p50_ms'])} ms")
    if report.get("training"):
        print(f"Training {f(report['training']['seconds'])} s, model {report['training']['model_mb']} MB")
    if report.get("replicas"):
        print("Cluster behind nginx (PostgreSQL, Redis, 2 action servers): p95 ms and msg/s")
        for mode in MODES:
            for c in map(str, report["replicas"]["settings"]["concurrency"]):
                print(f"  {mode:8s} {c:>2s} chats  " + " | ".join(
                    f"{count} replica(s) p95 {f(s[mode][c]['p95_ms'])}, {f(s[mode][c]['messages_per_second'])} msg/s"
                    for name, count in report["replicas"]["targets"].items()
                    for s in [report["replicas"]["summary"][name]]))
