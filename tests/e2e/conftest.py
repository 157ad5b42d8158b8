"""Starts the real action server and Rasa server (REST and Telegram channels) on free loopback ports.

Telegram talks to a fake Bot API server (tests/e2e/fake_telegram.py) on 127.0.0.1.
"""

import os
import subprocess
from pathlib import Path

import pytest

from bot.content.db import session_scope
from bot.content.loader import load_content
from bot.content.migrate import upgrade
from bot.stack import BIN, assistant, free_port
from tests.e2e.fake_telegram import FakeTelegram
from tests.e2e.telegram_updates import TELEGRAM_SECRET, TELEGRAM_TOKEN

ROOT = Path(__file__).resolve().parents[2]
MODEL = Path(os.environ.get("HAMROH_MODEL", ROOT / "models" / "hamroh.tar.gz"))


class Servers(str):
    """The Rasa server's base URL, also carrying the database the action server reads."""

    def __new__(cls, url, database, telegram=None, env=None):
        obj = super().__new__(cls, url)
        obj.database = database
        obj.telegram = telegram  # the fake Bot API server
        obj.env = env  # what the servers were started with (the poller needs the same)
        obj.telegram_webhook = f"{url}/webhooks/telegram/webhook"
        return obj


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
    database = f"sqlite:///{work / 'hamroh.db'}"
    upgrade(database)
    with session_scope(database) as session:
        load_content(session, ROOT / "content")
    # The webhook URL names the Rasa port before it is known: reserve it first.
    rasa_port = free_port()
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "HAMROH_LOCALES_DIR": str(compiled_catalogs),
           "DATABASE_URL": database, "TELEGRAM_TOKEN": TELEGRAM_TOKEN, "TELEGRAM_SECRET": TELEGRAM_SECRET,
           "TELEGRAM_API_URL": fake_telegram.url, "HAMROH_STATE_DIR": str(work / "state"),
           "TELEGRAM_WEBHOOK_URL": f"http://127.0.0.1:{rasa_port}/webhooks/telegram/webhook"}
    env.pop("TELEGRAM_BOT_USERNAME", None)  # learnt once with getMe at startup, which the tests count
    # The same command `make run` uses: the file names the variables, never their values.
    subprocess.run([str(BIN / "hamroh"), "telegram-credentials", "--out", str(work / "credentials.yml")],
                   cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    with assistant(MODEL, work, env, work / "credentials.yml", ["--enable-api"], rasa_port=rasa_port) as running:
        yield Servers(running.url, database, fake_telegram, env)
