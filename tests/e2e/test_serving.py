"""The served assistant: a locked Rasa API, a loopback action server, private stored conversations, no stalls."""

import json
import sqlite3
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from bot import messages
from bot.i18n import translate

API = [
    ("GET", "/conversations/{id}/tracker", None),
    ("POST", "/conversations/{id}/tracker/events", {"event": "slot", "name": "city", "value": "moscow"}),
    ("PUT", "/conversations/{id}/tracker/events", []),
    ("POST", "/conversations/{id}/trigger_intent", {"name": "greet"}),
    ("POST", "/conversations/{id}/messages", {"text": "hi", "sender": "user"}),
    ("GET", "/conversations/{id}/story", None),
    ("POST", "/conversations/{id}/predict", None),
    ("POST", "/conversations/{id}/execute", {"name": "action_listen"}),
    ("POST", "/model/parse", {"text": "салом"}),
    ("PUT", "/model", {"model_file": "/tmp/any.tar.gz"}),
    ("DELETE", "/model", None),
    ("POST", "/model/train", {}),
    ("GET", "/status", None),
    ("GET", "/domain", None),
]
PERSONAL = ("AA1234567", "+7 916 123-45-67", "ali.valiev@example.com")


def say(servers, sender, text):
    response = requests.post(f"{servers}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                             timeout=60)
    assert response.status_code == 200, response.text
    return [reply.get("text") for reply in response.json()]


def new_sender():
    return f"serving-{uuid.uuid4().hex[:8]}"


def stored_rows(servers, sender):
    """The conversation's rows as the database holds them (the SQLite file in the state folder)."""
    path = Path(servers.env["HAMROH_STATE_DIR"]) / "conversations.db"
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT type_name, data FROM events WHERE sender_id = ? ORDER BY id",
                                  (sender,)).fetchall()


@pytest.mark.parametrize("method, path, body", API, ids=[f"{m} {p}" for m, p, _ in API])
def test_the_rasa_api_refuses_requests_without_the_token(servers, method, path, body):
    sender = new_sender()
    url = f"{servers}{path.format(id=sender)}"
    for params in ({}, {"token": "wrong" + servers.token}, {"token": ""}):
        response = requests.request(method, url, json=body, params=params, timeout=30)
        assert response.status_code in (401, 403), (params, response.status_code, response.text[:200])
    # Nothing was changed by the refused requests.
    assert servers.tracker(sender)["slots"].get("city") is None


def test_with_the_token_the_api_answers(servers):
    sender = new_sender()
    say(servers, sender, "ман дар Қазон зиндагӣ мекунам")
    assert servers.tracker(sender)["slots"]["city"] == "kazan"
    parsed = requests.post(f"{servers}/model/parse", params={"token": servers.token}, json={"text": "салом"},
                           timeout=30)
    assert parsed.status_code == 200 and parsed.json()["intent"]["name"]


def test_the_token_is_on_no_command_line_and_in_no_log(servers):
    requests.get(f"{servers}/status", params={"token": servers.token}, timeout=30).raise_for_status()
    for process in servers.running.processes:
        command_line = Path(f"/proc/{process.pid}/cmdline").read_bytes().decode(errors="replace")
        assert servers.token not in command_line
    for log in servers.running.logs:
        assert servers.token not in log.read_text(errors="replace")


def listening_addresses(port):
    """Local addresses of the TCP sockets listening on a port (from /proc/net/tcp and tcp6)."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.append(address)
    return found


def test_the_action_server_listens_on_loopback_only(servers):
    addresses = listening_addresses(servers.running.actions_port)
    assert addresses == ["0100007F"]  # 127.0.0.1, and not 0.0.0.0 (00000000) or [::]


def test_stored_events_hold_no_phone_document_number_or_email(servers):
    sender = new_sender()
    replies = say(servers, sender, f"мой паспорт {PERSONAL[0]}, телефон {PERSONAL[1]}, почта {PERSONAL[2]}. "
                                   "Где сделать регистрацию?")
    assert replies  # answered as usual
    rows = stored_rows(servers, sender)
    stored = " ".join(data for _, data in rows)
    assert any(kind == "user" for kind, _ in rows)
    for personal in PERSONAL + ("1234567", "916", "example.com"):
        assert personal not in stored
    user = json.loads(next(data for kind, data in rows if kind == "user"))
    assert "[номер]" in user["text"] and "[телефон]" in user["text"] and "[email]" in user["text"]
    # The API reads what the database holds: masked too.
    assert PERSONAL[0] not in json.dumps(servers.tracker(sender), ensure_ascii=False)


def test_forget_deletes_the_conversation_from_the_database(servers):
    sender = new_sender()
    say(servers, sender, "ман дар Қазон зиндагӣ мекунам")
    say(servers, sender, f"паспорт {PERSONAL[0]} регистратсия чанд руз")
    assert [kind for kind, _ in stored_rows(servers, sender)].count("user") == 2
    assert say(servers, sender, "/forget")[0] == translate(messages.FORGET_DONE, "tg")
    rows = stored_rows(servers, sender)
    assert {kind for kind, _ in rows} <= {"slot", "bot", "action"}  # nothing the person said, nothing before
    assert "kazan" not in " ".join(data for _, data in rows) and "Қазон" not in " ".join(d for _, d in rows)
    assert servers.tracker(sender)["slots"]["city"] is None
    # The conversation goes on afresh.
    assert say(servers, sender, "спасибо большое")[0] == translate(messages.THANKS, "ru")


def test_a_stalled_database_holds_up_only_the_conversation_that_needs_it(servers):
    # An exclusive lock on the content database: a question's answer waits for it (up to SQLite's 5 s).
    path = servers.database[len("sqlite:///"):]
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    released = threading.Event()

    def release_after(seconds):
        time.sleep(seconds)
        blocker.rollback()
        released.set()

    stalled_sender, other_senders = new_sender(), [new_sender() for _ in range(3)]
    try:
        with ThreadPoolExecutor(max_workers=5) as pool:
            pool.submit(release_after, 5)
            started = time.monotonic()
            stalled = pool.submit(say, servers, stalled_sender, "регистрация чанд руз")
            time.sleep(1)  # the question is now waiting on the database
            others = [say(servers, sender, "спасибо большое") for sender in other_senders]
            others_done = time.monotonic() - started
            assert not stalled.done() and not released.is_set(), "the other conversations waited for the stall"
            assert all(reply[0] == translate(messages.THANKS, "ru") for reply in others)
            assert stalled.result(timeout=60)  # answered (or apologised) once the database is back
            stalled_done = time.monotonic() - started
    finally:
        blocker.close()
    assert stalled_done > 4.5 > others_done  # it really was stalled, and the others were not
