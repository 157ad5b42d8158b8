"""`make run` with a Telegram token: Rasa, the poller or the webhook, and the sender answer a person, as documented."""

import os
import signal
import subprocess

import pytest
import requests

from bot import messages
from bot.i18n import translate
from tools.stack import free_port, wait_until_up
from tests.e2e.conftest import ROOT
from tests.e2e.fake_telegram import FakeTelegram
from tests.e2e.telegram_updates import (
    SECRET_HEADER, TELEGRAM_SECRET, TELEGRAM_TOKEN, message_update, new_chat, text_of,
)


@pytest.fixture
def fake_telegram():
    """A fake Bot API of this test's own: `make run` calls setWebhook and getMe, which the shared one counts."""
    fake = FakeTelegram(TELEGRAM_TOKEN)
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def make_run(tmp_path, compiled_catalogs, fake_telegram):
    """Starts `make run` on free ports with its own state and content; stops its whole process group afterwards."""
    started = []

    def start(**telegram):
        rasa_port = free_port()
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("TELEGRAM_", "MAKE", "MFLAGS")) and key not in ("HAMROH_TRACKER_URL",
                                                                                       "HAMROH_LOCK_URL")}
        env.update(HAMROH_LOCALES_DIR=str(compiled_catalogs), HAMROH_STATE_DIR=str(tmp_path / "state"),
                   DATABASE_URL=f"sqlite:///{tmp_path / 'hamroh.db'}", TELEGRAM_TOKEN=TELEGRAM_TOKEN,
                   TELEGRAM_API_URL=fake_telegram.url,
                   **{key: value.format(rasa_port=rasa_port) for key, value in telegram.items()})
        log = open(tmp_path / "make-run.log", "ab")
        process = subprocess.Popen(["make", "--no-print-directory", "run", f"RASA_PORT={rasa_port}",
                                    f"ACTIONS_PORT={free_port()}", f"ADMIN_PORT={free_port()}"],
                                   cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        started.append(process)
        wait_until_up(f"http://127.0.0.1:{rasa_port}/", process, log=tmp_path / "make-run.log")
        return f"http://127.0.0.1:{rasa_port}"

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def test_make_run_long_polls_and_its_sender_answers(make_run, fake_telegram):
    make_run()
    chat = new_chat()
    fake_telegram.enqueue(message_update(chat, "tg", "/help"))
    fake_telegram.wait_for(lambda: fake_telegram.sent_to(chat), seconds=120)
    assert [text_of(m) for m in fake_telegram.sent_to(chat)] == [translate(messages.HELP_MENU, "tg")]


def test_make_run_serves_the_webhook_and_its_sender_answers(make_run, fake_telegram):
    url = make_run(TELEGRAM_SECRET=TELEGRAM_SECRET,
                   TELEGRAM_WEBHOOK_URL="http://127.0.0.1:{rasa_port}/webhooks/telegram/webhook")
    fake_telegram.wait_for(lambda: (fake_telegram.webhook or {}).get("url", "").startswith(url), seconds=60)
    chat = new_chat()
    answer = requests.post(f"{url}/webhooks/telegram/webhook", json=message_update(chat, "ky", "/start"),
                           headers={SECRET_HEADER: TELEGRAM_SECRET}, timeout=120)
    assert answer.status_code == 200
    fake_telegram.wait_for(lambda: fake_telegram.sent_to(chat), seconds=60)
    assert [text_of(m) for m in fake_telegram.sent_to(chat)] == [translate(messages.GREETING, "ky")]
    # And the REST channel of the same run is unaffected: it answers in the HTTP response, nothing is queued.
    rest = requests.post(f"{url}/webhooks/rest/webhook", json={"sender": "rest-1", "message": "/help_menu"}, timeout=60)
    assert [m["text"] for m in rest.json()] == [translate(messages.HELP_MENU, "ru")]
    assert fake_telegram.sent_to("rest-1") == []
