"""Starts the real action server and Rasa server (REST and Telegram channels) on free loopback ports.

Telegram talks to a fake Bot API server (tests/e2e/fake_telegram.py) on 127.0.0.1.
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from bot.content.db import session_scope
from bot.content.loader import load_content
from bot.content.migrate import upgrade
from tests.e2e.fake_telegram import FakeTelegram
from tests.e2e.telegram_updates import TELEGRAM_SECRET, TELEGRAM_TOKEN

ROOT = Path(__file__).resolve().parents[2]
MODEL = Path(os.environ.get("HAMROH_MODEL", ROOT / "models" / "hamroh.tar.gz"))
BIN = Path(sys.executable).parent


class Servers(str):
    """The Rasa server's base URL, also carrying the database the action server reads."""

    def __new__(cls, url, database, telegram=None, env=None):
        obj = super().__new__(cls, url)
        obj.database = database
        obj.telegram = telegram  # the fake Bot API server
        obj.env = env  # what the servers were started with (the poller needs the same)
        obj.telegram_webhook = f"{url}/webhooks/telegram/webhook"
        return obj


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, process, seconds=180):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[:3]} exited with {process.returncode}")
        try:
            if requests.get(url, timeout=2).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise TimeoutError(url)


@pytest.fixture(scope="session")
def fake_telegram():
    """A fake Bot API server on a free loopback port."""
    fake = FakeTelegram(TELEGRAM_TOKEN)
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def servers(tmp_path_factory, compiled_catalogs, fake_telegram):
    """Yields the base URL of a running assistant (REST, and Telegram against the fake Bot API)."""
    if not MODEL.exists():
        pytest.fail(f"No trained model at {MODEL}: run `make train` (make test does it).")
    work = tmp_path_factory.mktemp("servers")
    actions_port, rasa_port = free_port(), free_port()
    (work / "endpoints.yml").write_text(f'action_endpoint:\n  url: "http://127.0.0.1:{actions_port}/webhook"\n')
    database = f"sqlite:///{work / 'hamroh.db'}"
    upgrade(database)
    with session_scope(database) as session:
        load_content(session, ROOT / "content")
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "HAMROH_LOCALES_DIR": str(compiled_catalogs),
           "DATABASE_URL": database, "TELEGRAM_TOKEN": TELEGRAM_TOKEN, "TELEGRAM_SECRET": TELEGRAM_SECRET,
           "TELEGRAM_API_URL": fake_telegram.url, "HAMROH_STATE_DIR": str(work / "state"),
           "TELEGRAM_WEBHOOK_URL": f"http://127.0.0.1:{rasa_port}/webhooks/telegram/webhook"}
    env.pop("TELEGRAM_BOT_USERNAME", None)  # learnt once with getMe at startup, which the tests count
    # The same command `make run` uses: the file names the variables, never their values.
    subprocess.run([str(BIN / "hamroh"), "telegram-credentials", "--out", str(work / "credentials.yml")],
                   cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    logs = [open(work / "actions.log", "wb"), open(work / "rasa.log", "wb")]
    actions = subprocess.Popen([str(BIN / "rasa"), "run", "actions", "--actions", "actions",
                                "--port", str(actions_port)], cwd=ROOT, env=env, stdout=logs[0],
                               stderr=subprocess.STDOUT)
    rasa = subprocess.Popen([str(BIN / "rasa"), "run", "--model", str(MODEL), "--endpoints",
                             str(work / "endpoints.yml"), "--credentials", str(work / "credentials.yml"),
                             "--port", str(rasa_port), "--interface", "127.0.0.1", "--enable-api"],
                            cwd=ROOT, env=env, stdout=logs[1], stderr=subprocess.STDOUT)
    try:
        wait_for(f"http://127.0.0.1:{actions_port}/health", actions)
        wait_for(f"http://127.0.0.1:{rasa_port}/status", rasa)
        yield Servers(f"http://127.0.0.1:{rasa_port}", database, fake_telegram, env)
    finally:
        for process in (rasa, actions):
            process.terminate()
        for process in (rasa, actions):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        for log in logs:
            log.close()
