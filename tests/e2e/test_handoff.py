"""Talking to a person through the Telegram webhook, the real servers and the fake Bot API.

A Tajik speaker asks for a human and consents; a consultant claims the
conversation and replies; the person reads the reply in the same chat; the bot
stays silent meanwhile and answers again after /bot. The operators' group flow
runs through the same webhook.
"""

import threading
import time

import pytest
from werkzeug.serving import make_server

from bot import messages
from bot.content.db import session_scope
from bot.content.models import AdminUser, Organisation
from bot.handoff.desk import Desk
from bot.i18n import translate
from bot.settings import get_settings
from tests.admin.browser.conftest import browser, sign_in  # noqa: F401 - the fixture
from tests.admin.conftest import PASSWORD
from tests.admin.web import make_app
from tests.e2e.telegram_updates import button_update, buttons_of, message_update, new_chat, say, text_of

ALWAYS = "mon-sun 00:00-24:00"
GROUP = -100123456
CONSULTANT_TELEGRAM_ID = 5550001


@pytest.fixture(scope="module")
def desk(servers):
    """Civic Assistance answers Tajik speakers live, with an operators' group and a consultant in it."""
    with session_scope(servers.database) as session:
        organisation = session.query(Organisation).filter_by(key="civic_assistance").one()
        organisation.desk_hours, organisation.languages = ALWAYS, ["ru", "tg"]
        organisation.operators_chat_id = str(GROUP)
        if not session.query(AdminUser).filter_by(username="farida").first():
            from bot.admin.accounts import hash_password

            session.add(AdminUser(username="farida", password_hash=hash_password(PASSWORD),
                                  role="consultant", organisation_id=organisation.id, languages=["tg", "ru"],
                                  telegram_user_id=str(CONSULTANT_TELEGRAM_ID)))
        organisation_id = organisation.id
    yield Desk(servers.conversations_url), organisation_id
    with session_scope(servers.database) as session:
        organisation = session.query(Organisation).filter_by(key="civic_assistance").one()
        organisation.desk_hours = organisation.operators_chat_id = None


@pytest.fixture
def workspace(servers, desk, monkeypatch):
    """The NGO workspace on the servers' content and conversations databases, on a free local port."""
    monkeypatch.setenv("HAMROH_TRACKER_URL", servers.conversations_url)
    get_settings.cache_clear()
    server = make_server("127.0.0.1", 0, make_app(servers.database, proxy_hops=1), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)
    get_settings.cache_clear()


def press(servers, chat, replies, label):
    data = dict(b for m in reversed(replies) for row in buttons_of(m) for b in row).get(label)
    assert data, f"no button {label!r} in {[text_of(m) for m in replies]}"
    return say(servers, button_update(chat, data, "tg"))


def quiet(servers, chat, update):
    """Delivers an update that must get no reply at all."""
    before = len(servers.telegram.sent_to(chat))
    say(servers, update)
    time.sleep(0.5)  # a reply would be queued with the update's 200; give the sender time to send it anyway
    assert servers.telegram.sent_to(chat)[before:] == []


def wait_for_last(telegram, chat, ending, seconds=30):
    """Waits until the chat's last message ends with a text (sent through the outbox a moment later)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        sent = telegram.sent_to(chat)
        if sent and text_of(sent[-1]).endswith(ending):
            return text_of(sent[-1])
        time.sleep(0.05)
    raise AssertionError(f"chat {chat}: no message ending {ending!r}: {[text_of(m) for m in telegram.sent_to(chat)]}")


def tg(message, **values):
    return translate(message, "tg", None, **values)


def start_handoff(servers, desk, chat):
    offer = say(servers, message_update(chat, "tg", "бо одами зинда гап задан мехоҳам, ҳуқуқшинос даркор"))
    texts = " ".join(text_of(m) for m in offer)
    assert "Мушовир паёмҳои шуморо" in texts, texts  # what will be passed on, in Tajik, before anything is
    assert desk.current(str(chat)) is None  # nothing shared before consent
    started = press(servers, chat, offer, tg(messages.HANDOFF_CONSENT_BUTTON))
    assert text_of(started[-1]) == tg(messages.HANDOFF_STARTED)
    handoff = desk.current(str(chat))
    assert handoff is not None and handoff.language == "tg"
    return handoff


def test_a_tajik_speaker_talks_to_a_consultant_in_the_same_chat_and_back_to_the_bot(servers, desk, workspace,
                                                                                      browser):  # noqa: F811
    desk, _ = desk
    chat = new_chat()
    handoff = start_handoff(servers, desk, chat)
    quiet(servers, chat, message_update(chat, "tg", "корфармо паспортамро гирифт"))
    quiet(servers, chat, message_update(chat, "tg", photo=[{"file_id": "f", "file_unique_id": "u"}]))
    said = [(m.kind, m.text) for m in desk.messages(handoff.id) if m.author == "person"]
    assert ("text", "корфармо паспортамро гирифт") in said and ("photo", "[photo]") in said

    # The consultant, in a real browser on a phone-sized screen: the queue, the claim, the reply.
    page = sign_in(browser, workspace, "farida", width=390)
    page.goto(f"{workspace}/handoffs/")
    page.locator(f"#waiting-{handoff.id} button.claim").click()
    page.wait_for_selector("#reply-text")
    assert "корфармо паспортамро гирифт" in page.inner_text("#messages")  # the person's words, once claimed
    wait_for_last(servers.telegram, chat, tg(messages.HANDOFF_CLAIMED))  # the person knows a person has it
    page.fill("#reply-text", "Салом! <b>Паспорт</b> — ҳуҷҷати шумо.")
    page.click("#send")
    page.wait_for_selector(".alert-success")
    reply = wait_for_last(servers.telegram, chat, "Салом! <b>Паспорт</b> — ҳуҷҷати шумо.")
    heading = reply.split("\n")[0]  # marked as a person of the organisation, named in Tajik
    assert heading.startswith("👤 Мушовир (") and "Мусоидати шаҳрвандӣ" in heading and "одами зинда" in heading
    assert reply.endswith("Салом! <b>Паспорт</b> — ҳуҷҷати шумо.")  # escaped: shown as typed, not as HTML

    back = say(servers, message_update(chat, "tg", "/bot"))
    assert [text_of(m) for m in back] == [tg(messages.HANDOFF_ENDED_BY_PERSON)]
    answer = say(servers, message_update(chat, "tg", "барои регистратсия чанд рӯз дорам"))
    assert answer and desk.current(str(chat)) is None


def test_the_same_flow_through_the_operators_group(servers, desk):
    desk, _ = desk
    chat = new_chat()
    handoff = start_handoff(servers, desk, chat)
    post = [m for m in servers.telegram.sent_to(GROUP) if text_of(m).startswith(f"#{handoff.id}\n")]
    assert post and "корфармо" not in text_of(post[-1])  # no words of the person before a claim
    claim = dict(b for row in buttons_of(post[-1]) for b in row)["Взять"]
    group_button = button_update(GROUP, claim, "ru")
    group_button["callback_query"]["from"]["id"] = CONSULTANT_TELEGRAM_ID
    group_button["callback_query"]["message"]["chat"] = {"id": GROUP, "type": "supergroup"}
    claimed = say(servers, group_button)
    assert desk.get(handoff.id).consultant == "farida" and text_of(claimed[-1]).startswith(f"#{handoff.id}\n")

    answer = message_update(GROUP, "ru", "Паспортро ба шумо бояд баргардонанд.", chat_type="supergroup",
                            sender_id=CONSULTANT_TELEGRAM_ID,
                            reply_to_message={"message_id": 9, "text": text_of(claimed[-1]),
                                              "from": {"id": 123456789, "is_bot": True, "first_name": "Hamroh"}})
    say(servers, answer)
    wait_for_last(servers.telegram, chat, "Паспортро ба шумо бояд баргардонанд.")

    quiet(servers, chat, message_update(chat, "tg", "ташаккур, фаҳмидам"))
    assert wait_for_last(servers.telegram, GROUP, "ташаккур, фаҳмидам") == f"#{handoff.id}\nташаккур, фаҳмидам"
    say(servers, message_update(chat, "tg", "/bot"))


def test_without_consent_nothing_is_shared_and_the_contacts_come(servers, desk):
    desk, _ = desk
    chat = new_chat()
    offer = say(servers, message_update(chat, "tg", "бо одам гап задан мехоҳам"))
    contacts = press(servers, chat, offer, tg(messages.HANDOFF_DECLINE_BUTTON))
    assert contacts and desk.current(str(chat)) is None


def test_a_handoff_survives_a_restart_of_every_server(tmp_path_factory, compiled_catalogs, fake_telegram):
    import subprocess

    from tests.e2e.conftest import MODEL, Servers, seeded_database, server_env
    from tests.e2e.telegram_updates import TELEGRAM_SECRET, TELEGRAM_TOKEN
    from tests.e2e.conftest import ROOT
    from tools.stack import BIN, assistant, free_port

    work = tmp_path_factory.mktemp("handoff-restart")
    database = seeded_database(work)
    with session_scope(database) as session:
        organisation = session.query(Organisation).filter_by(key="civic_assistance").one()
        organisation.desk_hours, organisation.languages = ALWAYS, ["ru", "tg"]
        organisation_id = organisation.id
    rasa_port = free_port()
    env = server_env(work, compiled_catalogs, database, TELEGRAM_TOKEN=TELEGRAM_TOKEN, TELEGRAM_SECRET=TELEGRAM_SECRET,
                     TELEGRAM_API_URL=fake_telegram.url, TELEGRAM_BOT_USERNAME="hamroh_test_bot")
    subprocess.run([str(BIN / "hamroh"), "telegram-credentials", "--out", str(work / "credentials.yml")],
                   cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    chat = new_chat()
    with assistant(MODEL, work, env, work / "credentials.yml", rasa_port=rasa_port) as running:
        stack = Servers(running.url, database, fake_telegram, env)
        desk = Desk(stack.conversations_url)
        handoff = start_handoff(stack, desk, chat)
    with assistant(MODEL, work, env, work / "credentials.yml", rasa_port=rasa_port) as running:
        stack = Servers(running.url, database, fake_telegram, env)
        quiet(stack, chat, message_update(chat, "tg", "ҳоло ҳам интизорам"))  # still with the consultant
        assert desk.claim(handoff.id, "farida", organisation_id)
        wait_for_last(fake_telegram, chat, tg(messages.HANDOFF_CLAIMED))
        assert desk.reply(handoff.id, "farida", "Мусоидати шаҳрвандӣ", "Ман ҳастам.")
        wait_for_last(fake_telegram, chat, "Ман ҳастам.")
        assert [text_of(m) for m in say(stack, message_update(chat, "tg", "/bot"))] == [
            tg(messages.HANDOFF_ENDED_BY_PERSON)]
