"""Starts the real action server and Rasa server (REST and Telegram channels) on free loopback ports.

Telegram talks to a fake Bot API server (tests/e2e/fake_telegram.py) on 127.0.0.1.
"""

import os
import secrets
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from bot.content.db import session_scope
from bot.content.loader import load_content
from bot.content.migrate import upgrade
from bot.settings import SEED_CONTENT
from tools.stack import BIN, assistant, free_port
from tests.e2e.fake_telegram import FakeTelegram
from tests.e2e.telegram_updates import TELEGRAM_SECRET, TELEGRAM_TOKEN

ROOT = Path(__file__).resolve().parents[2]
MODEL = Path(os.environ.get("HAMROH_MODEL", ROOT / "models" / "hamroh.tar.gz"))


class Servers(str):
    """The Rasa server's base URL, also carrying the database the action server reads."""

    def __new__(cls, url, database, telegram=None, env=None, token=None):
        obj = super().__new__(cls, url)
        obj.database = database
        # The conversations (and the Telegram outbox) in the state folder, as `make run` keeps them.
        obj.conversations_url = f"sqlite:///{Path(env['HAMROH_STATE_DIR']) / 'conversations.db'}" if env else None
        obj.token = token  # the Rasa HTTP API's token
        obj.telegram = telegram  # the fake Bot API server
        obj.env = env  # what the servers were started with (the poller needs the same)
        obj.telegram_webhook = f"{url}/webhooks/telegram/webhook"
        return obj

    def tracker(self, conversation):
        """The conversation's tracker from the Rasa HTTP API, with the token."""
        import requests

        response = requests.get(f"{self}/conversations/{conversation}/tracker", params={"token": self.token},
                                timeout=30)
        response.raise_for_status()
        return response.json()


@pytest.fixture(scope="session")
def fake_telegram():
    """A fake Bot API server on a free loopback port."""
    fake = FakeTelegram(TELEGRAM_TOKEN)
    fake.start()
    yield fake
    fake.stop()


def seeded_database(work):
    """A migrated SQLite content database with the seed content, in a work folder."""
    database = f"sqlite:///{work / 'hamroh.db'}"
    upgrade(database)
    with session_scope(database) as session:
        load_content(session, SEED_CONTENT)
    return database


def server_env(work, catalogs, database, **settings):
    """The servers' environment: this one, its own content database and state folder, no outside stores."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("HAMROH_TRACKER_URL", "HAMROH_LOCK_URL", "TELEGRAM_TOKEN", "TELEGRAM_BOT_USERNAME")}
    return {**env, "RASA_TELEMETRY_ENABLED": "false", "HAMROH_LOCALES_DIR": str(catalogs), "DATABASE_URL": database,
            "HAMROH_STATE_DIR": str(work / "state"), **settings}


@pytest.fixture(scope="session")
def servers(tmp_path_factory, compiled_catalogs, fake_telegram):
    """Yields the base URL of a running assistant (REST, and Telegram against the fake Bot API)."""
    if not MODEL.exists():
        pytest.fail(f"No trained model at {MODEL}: run `make train` (make test does it).")
    work = tmp_path_factory.mktemp("servers")
    database = seeded_database(work)
    # The webhook URL names the Rasa port before it is known: reserve it first.
    rasa_port = free_port()
    # No TELEGRAM_BOT_USERNAME: learnt once with getMe at startup, which the tests count.
    env = server_env(work, compiled_catalogs, database, TELEGRAM_TOKEN=TELEGRAM_TOKEN, TELEGRAM_SECRET=TELEGRAM_SECRET,
                     TELEGRAM_API_URL=fake_telegram.url,
                     TELEGRAM_WEBHOOK_URL=f"http://127.0.0.1:{rasa_port}/webhooks/telegram/webhook")
    # The same command `make run` uses: the file names the variables, never their values.
    subprocess.run([str(BIN / "hamroh"), "telegram-credentials", "--out", str(work / "credentials.yml")],
                   cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    token = secrets.token_urlsafe(24)
    with assistant(MODEL, work, env, work / "credentials.yml", rasa_port=rasa_port, api_token=token) as running:
        servers = Servers(running.url, database, fake_telegram, env, token)
        servers.running = running  # processes and logs
        yield servers


@pytest.fixture(scope="session")
def cluster(tmp_path_factory, compiled_catalogs, fake_telegram):
    """A local cluster (tools/cluster.py): 2 Rasa replicas and 2 action servers behind nginx, Redis, PostgreSQL."""
    from tools.cluster import Cluster

    if not MODEL.exists():
        pytest.fail(f"No trained model at {MODEL}: run `make train` (make test does it).")
    env = {**os.environ, "HAMROH_LOCALES_DIR": str(compiled_catalogs), "TELEGRAM_TOKEN": TELEGRAM_TOKEN,
           "TELEGRAM_SECRET": TELEGRAM_SECRET, "TELEGRAM_API_URL": fake_telegram.url}
    env.pop("TELEGRAM_BOT_USERNAME", None)
    # Not under pytest's private temporary folder: PostgreSQL runs as its own user and must reach its files.
    folder = Path(tempfile.mkdtemp(prefix="hamroh-cluster-"))
    folder.chmod(0o755)
    cluster = Cluster(folder, replicas=2, action_servers=2, model=MODEL, env=env)
    cluster.base_env["TELEGRAM_WEBHOOK_URL"] = cluster.webhook_url  # known once the ports are chosen
    try:
        yield cluster.start()
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)
