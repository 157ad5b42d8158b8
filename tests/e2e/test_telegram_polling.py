"""`hamroh telegram-poll` against the fake Bot API: each update consumed once, offsets saved, restarts resume."""

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bot import messages
from bot.i18n import translate
from tests.e2e.telegram_updates import message_update, new_chat, text_of, wait_sent

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def poller(servers, tmp_path):
    """Runs the poller as `make run` does; returns a function starting one, and the offset file."""
    offset_file = tmp_path / "telegram-offset.json"
    running = []

    def start(*extra, secret=None):
        env = {**servers.env, "HAMROH_STATE_DIR": str(tmp_path)}
        if secret:
            env["TELEGRAM_SECRET"] = secret
        process = subprocess.Popen([str(BIN / "hamroh"), "telegram-poll", "--rasa-url", str(servers),
                                    "--timeout", "1", *extra], cwd=ROOT, env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        running.append(process)
        return process

    start.offset_file = offset_file
    yield start
    for process in running:
        if process.poll() is None:
            process.kill()
            process.wait(10)


def saved_offset(path):
    return json.loads(path.read_text())["offset"]


def replies(servers, chat):
    wait_sent(servers.conversations_url, chat)
    return [text_of(m) for m in servers.telegram.sent_to(chat)]


def test_updates_are_consumed_once_and_a_restart_resumes_from_the_saved_offset(servers, poller):
    fake = servers.telegram
    first, second = new_chat(), new_chat()
    batch = [message_update(first, "tg", "/help"), message_update(second, "ky", "/start"),
             message_update(first, "tg", "/language")]
    fake.enqueue(*batch)

    # One batch, then exit: the Bot API has not been told yet that these updates were handled.
    done = poller("--once")
    assert done.wait(120) == 0, done.stdout.read().decode()
    assert fake.webhook is None  # polling removed the webhook, as getUpdates requires
    assert replies(servers, first) == [translate(messages.HELP_MENU, "tg"), translate(messages.CHOOSE_LANGUAGE, "tg")]
    assert replies(servers, second) == [translate(messages.GREETING, "ky")]
    assert saved_offset(poller.offset_file) == batch[-1]["update_id"] + 1

    # A restart asks from the saved offset: nothing is replayed, the new update is answered.
    later = message_update(second, "ky", "/help")
    fake.enqueue(later)
    done = poller("--once")
    assert done.wait(120) == 0, done.stdout.read().decode()
    assert fake.calls_of("getUpdates")[-1]["offset"] == str(batch[-1]["update_id"] + 1)
    assert replies(servers, first) == [translate(messages.HELP_MENU, "tg"), translate(messages.CHOOSE_LANGUAGE, "tg")]
    assert replies(servers, second) == [translate(messages.GREETING, "ky"), translate(messages.HELP_MENU, "ky")]
    assert saved_offset(poller.offset_file) == later["update_id"] + 1


def test_a_running_poller_stops_cleanly_and_resumes_after_a_restart(servers, poller):
    fake = servers.telegram
    chat = new_chat()
    running = poller()
    fake.enqueue(message_update(chat, "uz", "/help"), message_update(chat, "uz", "/language"))
    fake.wait_for(lambda: len(fake.sent_to(chat)) == 2)
    running.send_signal(signal.SIGTERM)
    assert running.wait(30) == 0, running.stdout.read().decode()
    stopped_at = saved_offset(poller.offset_file)

    last = message_update(chat, "uz", "/start")
    fake.enqueue(last)
    running = poller()
    fake.wait_for(lambda: len(fake.sent_to(chat)) == 3)
    running.send_signal(signal.SIGINT)
    assert running.wait(30) == 0
    assert replies(servers, chat) == [translate(messages.HELP_MENU, "uz"), translate(messages.CHOOSE_LANGUAGE, "uz"),
                                      translate(messages.GREETING, "uz")]
    assert stopped_at == last["update_id"] and saved_offset(poller.offset_file) == last["update_id"] + 1


def test_a_wrong_secret_stops_the_poller_without_consuming_the_update(servers, poller):
    fake = servers.telegram
    chat = new_chat()
    update = message_update(chat, "ru", "/help")
    fake.enqueue(update)
    done = poller("--once", secret="a-different-secret-0123456789")
    assert done.wait(120) == 2
    assert "TELEGRAM_SECRET differs" in done.stdout.read().decode()
    assert replies(servers, chat) == [] and not poller.offset_file.exists()

    # With the right secret the same update is then answered, once.
    done = poller("--once")
    assert done.wait(120) == 0
    assert replies(servers, chat) == [translate(messages.HELP_MENU, "ru")]
