"""Load benchmark: webhook-in to sendMessage-out through the real stack, against a `rasa init` bot.

Everything runs on 127.0.0.1: the fake Bot API of the end-to-end tests stands
where Telegram would be. Run from the repository root (`make bench-load`).
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import aiohttp
import requests

from bot.bench.nlu import _parse_all, machine
from bot.content.db import session_scope
from bot.content.loader import load_content
from bot.content.migrate import upgrade
from bot.settings import ROOT

BIN = Path(sys.executable).parent
CONCURRENCY = (1, 10, 50)
# Realistic mixed-language conversations: what a person sends, in order.
CONVERSATIONS = [
    ("ru", ["/start", "сколько дней дается на регистрацию", "я из Таджикистана", "спасибо"]),
    ("uz", ["/start", "patent qancha turadi oyiga", "ish haqimni bermayapti", "rahmat"]),
    ("tg", ["/start", "патент чӣ тавр гирам", "маошамро намедиҳанд", "ташаккур"]),
    ("ky", ["/start", "каттоодон кантип өтөм", "паспортумду алып коюшту", "чоң рахмат"]),
]
BASELINE_MESSAGES = ["hello", "I am sad", "yes", "bye"]


def free_port() -> int:
    """Returns a free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 300) -> float:
    """Waits for a server to answer; returns the seconds it took."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[:3]} exited with {process.returncode}")
        try:
            if requests.get(url, timeout=2).status_code < 500:
                return time.monotonic() - start
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise TimeoutError(url)


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


@contextmanager
def running(commands: List[List[str]], env: Dict[str, str], health: List[str], work: Path) -> Iterator[Dict]:
    """Starts server processes, waits for their health URLs, stops them afterwards."""
    started = time.monotonic()
    processes = [subprocess.Popen(c, cwd=ROOT, env=env, stdout=open(work / f"{i}.log", "wb"),
                                  stderr=subprocess.STDOUT) for i, c in enumerate(commands)]
    try:
        for url, process in zip(health, processes):
            wait_until_up(url, process)
        yield {"processes": processes, "startup_seconds": round(time.monotonic() - started, 1)}
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def percentiles(samples: List[float]) -> Dict[str, float]:
    """p50/p95/p99 of latencies in ms."""
    ordered = sorted(samples)
    pick = lambda q: round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)  # noqa: E731
    return {"p50_ms": pick(0.5), "p95_ms": pick(0.95), "p99_ms": pick(0.99), "n": len(ordered)}


async def drive(send, conversations: int, concurrency: int) -> Dict[str, Any]:
    """Runs `conversations` chats, `concurrency` at a time; each sends its messages in order."""
    latencies: List[float] = []
    gate = asyncio.Semaphore(concurrency)

    async def chat(index: int) -> None:
        async with gate:
            for position in range(4):
                start = time.perf_counter()
                await send(index, position)
                latencies.append((time.perf_counter() - start) * 1000)

    start = time.perf_counter()
    await asyncio.gather(*(chat(i) for i in range(conversations)))
    seconds = time.perf_counter() - start
    return {**percentiles(latencies), "messages_per_second": round(len(latencies) / seconds, 1)}


def _serve_fake_telegram(token: str, urls) -> None:
    """Runs the fake Bot API in its own process, so it never competes with the load generator."""
    sys.path.insert(0, str(ROOT))
    from tests.e2e.fake_telegram import FakeTelegram

    fake = FakeTelegram(token)
    urls.put(fake.start())
    threading.Event().wait()


def telegram_load(model: str, work: Path, rounds: int) -> Dict[str, Any]:
    """Measures Hamroh through the Telegram webhook against the fake Bot API."""
    sys.path.insert(0, str(ROOT))
    from tests.e2e.telegram_updates import SECRET_HEADER, TELEGRAM_SECRET, TELEGRAM_TOKEN, message_update

    context = multiprocessing.get_context("spawn")
    urls = context.Queue()
    fake_process = context.Process(target=_serve_fake_telegram, args=(TELEGRAM_TOKEN, urls), daemon=True)
    fake_process.start()
    fake_url = urls.get(timeout=60)
    actions_port, rasa_port = free_port(), free_port()
    database = f"sqlite:///{work / 'hamroh.db'}"
    upgrade(database)
    with session_scope(database) as session:
        load_content(session, ROOT / "content")
    (work / "endpoints.yml").write_text(f'action_endpoint:\n  url: "http://127.0.0.1:{actions_port}/webhook"\n')
    webhook = f"http://127.0.0.1:{rasa_port}/webhooks/telegram/webhook"
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "DATABASE_URL": database,
           "TELEGRAM_TOKEN": TELEGRAM_TOKEN, "TELEGRAM_SECRET": TELEGRAM_SECRET, "TELEGRAM_API_URL": fake_url,
           "TELEGRAM_WEBHOOK_URL": webhook, "HAMROH_STATE_DIR": str(work / "state")}
    subprocess.run([str(BIN / "hamroh"), "telegram-credentials", "--out", str(work / "credentials.yml")],
                   cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    commands = [[str(BIN / "rasa"), "run", "actions", "--actions", "actions", "--port", str(actions_port)],
                [str(BIN / "rasa"), "run", "--model", model, "--endpoints", str(work / "endpoints.yml"),
                 "--credentials", str(work / "credentials.yml"), "--port", str(rasa_port),
                 "--interface", "127.0.0.1"]]
    health = [f"http://127.0.0.1:{actions_port}/health", f"http://127.0.0.1:{rasa_port}/"]
    result: Dict[str, Any] = {}
    try:
        with running(commands, env, health, work) as stack:
            actions, rasa = stack["processes"]
            chat_base = 3 * 10**9

            async def run(concurrency: int) -> Dict[str, Any]:
                async with aiohttp.ClientSession() as http:
                    async def send(index: int, position: int) -> None:
                        language, texts = CONVERSATIONS[index % len(CONVERSATIONS)]
                        chat = chat_base + concurrency * 100_000 + index
                        update = message_update(chat, language, texts[position])
                        async with http.post(webhook, data=json.dumps(update), headers={
                                "Content-Type": "application/json", SECRET_HEADER: TELEGRAM_SECRET}) as response:
                            assert response.status == 200, await response.text()
                    return await drive(send, max(concurrency, 4) * rounds, concurrency)

            result["cold_start_seconds"] = stack["startup_seconds"]
            first = time.perf_counter()
            update = message_update(chat_base - 1, "ru", "сколько стоит патент")
            response = requests.post(webhook, json=update, headers={SECRET_HEADER: TELEGRAM_SECRET}, timeout=120)
            assert response.status_code == 200, response.text
            result["first_answer_ms"] = round((time.perf_counter() - first) * 1000, 1)
            warm = asyncio.run(run(1))
            result["memory_after_warmup_mb"] = {"rasa": rss_mb(rasa.pid), "actions": rss_mb(actions.pid)}
            result["by_concurrency"] = {}
            for concurrency in CONCURRENCY:
                result["by_concurrency"][str(concurrency)] = asyncio.run(run(concurrency))
            result["memory_after_load_mb"] = {"rasa": rss_mb(rasa.pid), "actions": rss_mb(actions.pid)}
            result["warmup"] = warm
    finally:
        fake_process.terminate()
    return result


def baseline_load(work: Path, rounds: int) -> Dict[str, Any]:
    """Measures a fresh `rasa init` bot on the REST channel at the same concurrencies."""
    project = work / "rasa-init"
    project.mkdir(exist_ok=True)
    if not list((project / "models").glob("*.tar.gz")):
        subprocess.run([str(BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(project)], cwd=work,
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"})
    port = free_port()
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}
    commands = [[str(BIN / "rasa"), "run", "--port", str(port), "--interface", "127.0.0.1",
                 "--credentials", str(project / "credentials.yml")]]
    url = f"http://127.0.0.1:{port}/webhooks/rest/webhook"
    result: Dict[str, Any] = {}
    with running([c + ["--model", str(project / "models")] for c in commands], {**env}, [
            f"http://127.0.0.1:{port}/"], work) as stack:
        result["cold_start_seconds"] = stack["startup_seconds"]
        rasa = stack["processes"][0]

        async def run(concurrency: int) -> Dict[str, Any]:
            async with aiohttp.ClientSession() as http:
                async def send(index: int, position: int) -> None:
                    body = {"sender": f"c{concurrency}-{index}", "message": BASELINE_MESSAGES[position]}
                    async with http.post(url, json=body) as response:
                        assert response.status == 200
                        await response.read()
                return await drive(send, max(concurrency, 4) * rounds, concurrency)

        asyncio.run(run(1))
        result["by_concurrency"] = {str(c): asyncio.run(run(c)) for c in CONCURRENCY}
        result["memory_after_load_mb"] = rss_mb(rasa.pid)
    return result


def parse_floor(model: str) -> Dict[str, Any]:
    """The bare NLU parse time of the model: the floor under any channel."""
    texts = [t for _, ts in CONVERSATIONS for t in ts if not t.startswith("/")] * 10
    asyncio.run(_parse_all(model, texts[:2]))
    start = time.perf_counter()
    asyncio.run(_parse_all(model, texts))
    return {"mean_ms_including_load": round((time.perf_counter() - start) * 1000 / len(texts), 2), "n": len(texts)}


def main(model: str, out: str, rounds: int = 2) -> int:
    """Runs both stacks one after the other on this machine; writes JSON and prints a summary."""
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "hamroh").mkdir()
        (work / "baseline").mkdir()
        report = {"machine": machine(), "hamroh_telegram": telegram_load(model, work / "hamroh", rounds),
                  "rasa_init_rest": baseline_load(work / "baseline", rounds), "parse_floor": parse_floor(model)}
    report["ratios_p95"] = {
        c: round(report["hamroh_telegram"]["by_concurrency"][c]["p95_ms"]
                 / max(0.1, report["rasa_init_rest"]["by_concurrency"][c]["p95_ms"]), 2)
        for c in report["hamroh_telegram"]["by_concurrency"]}
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(json.dumps(report, indent=1))
    for name in ("hamroh_telegram", "rasa_init_rest"):
        for c, s in report[name]["by_concurrency"].items():
            print(f"{name:16s} {c:>3s} chats: p50 {s['p50_ms']} ms, p95 {s['p95_ms']} ms, p99 {s['p99_ms']} ms, "
                  f"{s['messages_per_second']} msg/s")
    print(f"p95 ratio Hamroh/baseline: {report['ratios_p95']}")
    h = report["hamroh_telegram"]
    print(f"Memory after load: {h['memory_after_load_mb']} MB; cold start {h['cold_start_seconds']} s")
    return 0
