"""The connector without a network: secret check, keyboards, sending, button payloads, media replies."""

import asyncio
import json
from types import SimpleNamespace

import pytest
from aiogram.utils.exceptions import BotBlocked, RetryAfter

from bot import LANGUAGES, messages
from bot.channels.callback_data import CALLBACK_LIMIT
from bot.channels.output import HamrohTelegramOutput
from bot.channels.telegram import HamrohTelegramInput, TelegramReplies, command_list, secret_matches
from bot.serving.outbox import Outbox
from bot.channels.updates import BUTTON, MEDIA_KIND, TEXT, Incoming
from bot.i18n import translate
from bot.registry import MENU_TOPICS, TOPIC_LABELS

TOKEN = "123456:ABC-def"
SECRET = "a-long-enough_secret-123"


@pytest.fixture
def output():
    sent = []
    out = HamrohTelegramOutput(TOKEN, "http://127.0.0.1:9")

    async def send_message(chat_id, text, **kwargs):
        sent.append({"chat_id": chat_id, "text": text, **kwargs})

    out.send_message = send_message
    out.sent = sent
    return out


def channel(tmp_path):
    # A closed loopback port: a call the test forgot to fake fails here instead of reaching Telegram.
    return HamrohTelegramInput.from_credentials({"access_token": TOKEN, "secret_token": SECRET,
                                                 "api_url": "http://127.0.0.1:9", "state_dir": str(tmp_path)})


@pytest.mark.parametrize("given, ok", [(SECRET, True), (SECRET + "x", False), (SECRET[:-1], False), ("", False),
                                       (None, False), ("секрет", False), (SECRET.upper(), False)])
def test_the_secret_must_match_exactly(given, ok):
    assert secret_matches(given, SECRET) is ok


@pytest.mark.parametrize("language", (None,) + LANGUAGES)
def test_commands_are_described_in_each_language(language):
    commands = command_list(language)
    assert [c.command for c in commands] == ["start", "help", "language", "forget", "bot"]
    assert commands[3].description == translate(messages.COMMAND_FORGET, language or "ru")
    assert all(3 <= len(c.description) <= 256 for c in commands)


def test_creating_the_channel_and_its_blueprint_needs_no_event_loop_and_no_network(tmp_path):
    # Rasa builds blueprints before its loop runs; the stock connector's asyncio.run here broke the first update.
    telegram = channel(tmp_path)
    telegram.blueprint(lambda message: None)
    assert telegram.bot is telegram.bot and telegram.bot._session is None
    assert not list(tmp_path.iterdir())  # no database opened yet


def test_rasa_gets_an_output_that_sends_nothing_under_the_telegram_name(tmp_path):
    # Its replies are queued with the saved turn and sent by `hamroh telegram-send`; the API's port 9 is closed,
    # so a send from here would raise.
    replies = channel(tmp_path).get_output_channel()
    assert isinstance(replies, TelegramReplies) and replies.name() == "telegram"  # Rasa's responses by channel
    asyncio.run(replies.send_response("5", {"text": "салом", "buttons": [{"title": "Ҳа", "payload": "/affirm"}]}))


def test_language_buttons_are_two_per_row_and_topics_one_per_row(output):
    languages = [{"title": t, "payload": f'/choose_language{{"language": "{c}"}}'} for t, c, _ in
                 messages.LANGUAGE_BUTTONS] + [{"title": "Меню", "payload": "/help_menu"}]
    markup = output.keyboard("1", languages, "inline")
    assert [len(row) for row in markup.inline_keyboard] == [2, 2, 2]
    for language in LANGUAGES:
        topics = [{"title": translate(TOPIC_LABELS[t], language), "payload": f"/{t}"} for t in MENU_TOPICS]
        markup = output.keyboard("1", topics, "inline")
        for row in markup.inline_keyboard:
            assert len(row) == 1 or all(len(b.text) <= 16 for b in row)
        assert [b.callback_data for row in markup.inline_keyboard for b in row] == [f"/{t}" for t in MENU_TOPICS]


def test_callback_data_fits_even_for_a_long_cyrillic_payload_and_maps_back(output):
    payload = "/inform" + json.dumps({"city": "Нижний Новгород", "district": "Автозаводский район"}, ensure_ascii=False)
    markup = output.keyboard("1", [{"title": "Нижний", "payload": payload}], "inline")
    data = markup.inline_keyboard[0][0].callback_data
    assert len(data.encode()) <= CALLBACK_LIMIT
    assert HamrohTelegramInput.payload(Incoming(BUTTON, 1, data, "cb"), output.store) == payload


def test_reply_keyboards_keep_their_payloads(output):
    buttons = [{"title": "Ҳа", "payload": "/affirm"}, {"title": "Не", "payload": "/deny"}]
    markup = output.keyboard("77", buttons, "reply")
    assert [[b.text for b in row] for row in markup.keyboard] == [["Ҳа", "Не"]]
    assert markup.one_time_keyboard and markup.resize_keyboard
    assert HamrohTelegramInput.payload(Incoming(TEXT, 77, "Ҳа"), output.store) == "/affirm"
    assert HamrohTelegramInput.payload(Incoming(TEXT, 77, "ҳа, ташаккур"), output.store) == "ҳа, ташаккур"


@pytest.mark.parametrize("data, payload", [("#unknownkey00000", "/help_menu"), ('/inform{"broken', "/help_menu"),
                                           ("/help_menu", "/help_menu"), ("да", "да")])
def test_expired_or_forged_button_data_opens_the_menu(output, data, payload):
    assert HamrohTelegramInput.payload(Incoming(BUTTON, 1, data, "cb"), output.store) == payload


def test_url_buttons_stay_links(output):
    markup = output.keyboard("1", [{"title": "Сайт", "url": "https://example.org"}], "vertical")
    assert markup.inline_keyboard[0][0].url == "https://example.org"


def test_texts_are_escaped_split_and_the_keyboard_goes_under_the_last_part(output):
    text = "<b>Штраф</b> 2000 & 5000 *руб*\n\n" + ("абзац " * 300 + "\n\n") * 3
    asyncio.run(output.send_text_with_buttons("42", text, [{"title": "Меню", "payload": "/help_menu"}]))
    assert len(output.sent) == 2
    assert output.sent[0]["text"].startswith("&lt;b&gt;Штраф&lt;/b&gt; 2000 &amp; 5000 *руб*")
    assert all(m["parse_mode"] == "HTML" and m["chat_id"] == "42" for m in output.sent)
    assert output.sent[0]["reply_markup"] is None and output.sent[1]["reply_markup"] is not None


def test_flood_control_is_waited_out_and_a_blocked_bot_is_only_logged(output):
    calls = []

    async def flaky(chat_id, text, **kwargs):
        calls.append(text)
        if len(calls) < 3:
            raise RetryAfter(0)
        if text == "blocked":
            raise BotBlocked("Forbidden: bot was blocked by the user")

    output.send_message = flaky
    asyncio.run(output.send_text_message("1", "hello"))
    asyncio.run(output.send_text_message("1", "blocked"))
    assert calls == ["hello", "hello", "hello", "blocked"]


class FakeTrackerStore:
    def __init__(self, slots):
        self.slots = slots

    async def retrieve(self, sender_id):
        return SimpleNamespace(current_slot_values=lambda: self.slots) if self.slots is not None else None


def fake_request(slots=None):
    agent = SimpleNamespace(tracker_store=FakeTrackerStore(slots))
    return SimpleNamespace(app=SimpleNamespace(ctx=SimpleNamespace(agent=agent)), ctx=SimpleNamespace(), json=None)


def photo(update_id=1, language_code="tg"):
    return {"update_id": update_id, "message": {
        "message_id": 1, "date": 0, "chat": {"id": 5, "type": "private"}, "photo": [{"file_id": "f"}],
        "from": {"id": 5, "is_bot": False, "first_name": "A", "language_code": language_code}}}


@pytest.mark.parametrize("slots, language_code, expected", [
    (None, "tg", ("tg", None)),
    ({"language": "uz", "script": "cyrl", "language_chosen": True}, "ru", ("uz", "cyrl")),
    ({"language": "ky"}, "ru", ("ky", None)),
    (None, "en", ("ru", None)),
])
def test_media_gets_the_text_only_reply_in_the_persons_language(tmp_path, slots, language_code, expected):
    telegram = channel(tmp_path)
    handled = []

    async def on_new_message(message):
        handled.append(message)

    assert asyncio.run(telegram.handle(photo(language_code=language_code), on_new_message, fake_request(slots))) == 200
    assert not handled
    # Queued for the sender with the update marked handled, like a Rasa turn's replies.
    outbox = Outbox(telegram.config.store_url)
    assert [(r.chat_id, r.message) for r in outbox.load(outbox.waiting_ids(10))] == [
        ("5", {"text": translate(messages.MEDIA_NOT_UNDERSTOOD, *expected)})]
    assert telegram.ledger.is_done(1)


def test_a_text_reaches_rasa_with_its_metadata_once_and_failures_stay_inside(tmp_path):
    telegram = channel(tmp_path)
    handled = []

    async def on_new_message(message):
        handled.append(message)
        raise RuntimeError("Rasa is on fire")

    update = {"update_id": 7, "message": {"message_id": 3, "date": 0, "text": "salom",
                                          "chat": {"id": 9, "type": "private"},
                                          "from": {"id": 9, "is_bot": False, "first_name": "A", "language_code": "uz"}}}
    request = fake_request()
    assert asyncio.run(telegram.handle(update, on_new_message, request)) == 200
    assert asyncio.run(telegram.handle(update, on_new_message, fake_request())) == 200  # redelivered: not again
    assert len(handled) == 1
    message = handled[0]
    assert (message.text, message.sender_id, message.input_channel) == ("salom", "9", "telegram")
    assert message.metadata == {"language_code": "uz", "chat_type": "private", "message_id": 3, "update_id": 7}
    assert isinstance(message.output_channel, TelegramReplies)
    assert telegram.get_metadata(request) == message.metadata


def test_every_button_press_is_answered_even_when_ignored(tmp_path):
    telegram = channel(tmp_path)
    answered = []

    async def answer(callback_id):
        answered.append(callback_id)

    telegram.bot.answer_button = answer
    update = {"update_id": 8, "callback_query": {"id": "cb9", "from": {"id": 1, "is_bot": False, "first_name": "A"},
                                                 "chat_instance": "c", "inline_message_id": "x", "data": "/greet"}}
    assert asyncio.run(telegram.handle(update, None, fake_request())) == 200
    assert answered == ["cb9"] and Outbox(telegram.config.store_url).waiting_chats() == set()
