"""Whole Telegram conversations through the real Rasa and action servers and a fake Bot API."""

import pytest

from bot import LANGUAGES, messages
from bot.i18n import translate
from bot.registry import COUNTRIES
from tests.e2e.telegram_updates import (
    TELEGRAM_SECRET, button_update, buttons_of, message_update, new_chat, say, text_of,
)

# language, script, Telegram language_code, language button, registration question, country, its deadline
CONVERSATIONS = [
    ("ru", None, "ru", "Русский", "сколько дней на регистрацию", "kyrgyzstan", "30"),
    ("uz", "latn", "uz", "Oʻzbekcha", "registratsiyaga necha kun beriladi", "uzbekistan", "15"),
    ("uz", "cyrl", "uz", "Ўзбекча", "регистрация муддати неча кун", "uzbekistan", "15"),
    ("tg", None, "tg", "Тоҷикӣ", "барои регистратсия чанд рӯз дорам", "tajikistan", "15"),
    ("ky", None, "ky", "Кыргызча", "регистрацияга канча кун берилет", "kyrgyzstan", "30"),
]


def footer_prefix(language, script):
    """The words an answer's "checked by" line starts with, in a language."""
    return translate(messages.ANSWER_FOOTER, language, script).split("{")[0].strip()


def test_startup_sets_the_webhook_with_its_secret_and_the_commands_in_every_language(servers):
    fake = servers.telegram
    fake.wait_for(lambda: len(fake.calls_of("setMyCommands")) >= 5)
    webhook = fake.calls_of("setWebhook")
    assert len(webhook) == 1 and webhook[0]["url"] == servers.telegram_webhook
    assert webhook[0]["secret_token"] == TELEGRAM_SECRET
    assert webhook[0]["allowed_updates"] == ["message", "callback_query"]
    commands = {call.get("language_code"): call["commands"] for call in fake.calls_of("setMyCommands")}
    assert set(commands) == {None, *LANGUAGES}
    for language in LANGUAGES:
        assert [c["command"] for c in commands[language]] == ["start", "help", "language", "forget", "bot"]
        assert commands[language][0]["description"] == translate(messages.COMMAND_START, language)
    assert commands[None] == commands["ru"]


@pytest.mark.parametrize("language, script, code, button, question, country, days", CONVERSATIONS,
                         ids=[f"{c[0]}-{c[1] or ''}" for c in CONVERSATIONS])
def test_start_language_button_registration_question_citizenship_button_answer(
        servers, language, script, code, button, question, country, days):
    chat, fake = new_chat(), servers.telegram

    # /start: the greeting in Telegram's language, the language buttons two per row.
    greeting = say(servers, message_update(chat, code, "/start"))
    assert [text_of(m) for m in greeting] == [translate(messages.GREETING, code, "latn")]
    rows = buttons_of(greeting[0])
    assert [len(r) for r in rows] == [2, 2, 2]
    data = dict(b for row in rows for b in row)[button]

    # The language button: a callback query, answered, mapped to choose_language.
    pressed = button_update(chat, data, code)
    chosen = say(servers, pressed)
    assert fake.calls_of("answerCallbackQuery", callback_query_id=pressed["callback_query"]["id"])
    assert [text_of(m) for m in chosen] == [translate(messages.LANGUAGE_SET, language, script)]

    # The registration question: the answer depends on citizenship, so the bot asks with buttons.
    asked = say(servers, message_update(chat, code, question))
    assert text_of(asked[0]) == translate(messages.ASK_CITIZENSHIP, language, script)
    countries = dict(b for row in buttons_of(asked[0]) for b in row)
    assert set(countries) == {translate(t, language, script) for t in COUNTRIES.values()}
    citizenship = countries[translate(COUNTRIES[country], language, script)]
    assert len(citizenship.encode()) <= 64

    # The citizenship button: the answer for that citizenship, in the chosen language.
    pressed = button_update(chat, citizenship, code)
    answer = say(servers, pressed)
    assert fake.calls_of("answerCallbackQuery", callback_query_id=pressed["callback_query"]["id"])
    body = next(text_of(m) for m in answer if footer_prefix(language, script) in text_of(m))
    assert days in body
    assert translate(messages.MISSING_TRANSLATION, language, script) not in body

    for sent in fake.sent_to(chat):
        assert sent["parse_mode"] == "HTML" and sent["chat_id"] == str(chat)


@pytest.mark.parametrize("content", [
    {"photo": [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]},
    {"voice": {"file_id": "v", "file_unique_id": "v", "duration": 3}},
    {"sticker": {"file_id": "s", "file_unique_id": "s", "width": 1, "height": 1, "is_animated": False}},
    {"document": {"file_id": "d", "file_unique_id": "d", "file_name": "passport.pdf"}},
    {"location": {"latitude": 55.75, "longitude": 37.62}},
], ids=["photo", "voice", "sticker", "document", "location"])
@pytest.mark.parametrize("code", LANGUAGES)
def test_media_gets_a_short_reply_in_the_persons_language(servers, content, code):
    sent = say(servers, message_update(new_chat(), code, **content))
    assert [text_of(m) for m in sent] == [translate(messages.MEDIA_NOT_UNDERSTOOD, code, "latn")]


def test_media_after_a_language_choice_is_answered_in_the_chosen_language(servers):
    chat = new_chat()
    say(servers, button_update(chat, '/choose_language{"language": "uz", "script": "cyrl"}', "ru"))
    sent = say(servers, message_update(chat, "ru", voice={"file_id": "v", "file_unique_id": "v", "duration": 1}))
    assert [text_of(m) for m in sent] == [translate(messages.MEDIA_NOT_UNDERSTOOD, "uz", "cyrl")]


@pytest.mark.parametrize("code", LANGUAGES)
def test_help_language_and_forget_commands(servers, code):
    chat = new_chat()
    assert text_of(say(servers, message_update(chat, code, "/help"))[0]) == translate(messages.HELP_MENU, code)
    assert text_of(say(servers, message_update(chat, code, "/language"))[0]) == translate(
        messages.CHOOSE_LANGUAGE, code)
    say(servers, button_update(chat, '/inform{"country": "tajikistan"}', code))
    forgot = say(servers, message_update(chat, code, "/forget"))
    assert [text_of(m) for m in forgot] == [translate(messages.FORGET_DONE, code)]
    slots = servers.tracker(chat)["slots"]
    assert all(slots[s] is None for s in ("country", "city", "language", "script", "language_chosen"))


def test_after_forget_the_language_follows_telegram_again(servers):
    chat = new_chat()
    say(servers, button_update(chat, '/choose_language{"language": "ky"}', "ru"))
    assert text_of(say(servers, message_update(chat, "ru", "/forget"))[0]) == translate(messages.FORGET_DONE, "ky")
    assert text_of(say(servers, message_update(chat, "tg", "/start"))[0]) == translate(messages.GREETING, "tg")


def test_language_code_chat_type_and_message_id_reach_the_tracker(servers):
    chat = new_chat()
    update = message_update(chat, "tg", "ташаккури зиёд")
    say(servers, update)
    events = servers.tracker(chat)["events"]
    user = [e for e in events if e["event"] == "user"][-1]
    assert user["input_channel"] == "telegram"
    assert user["metadata"]["language_code"] == "tg" and user["metadata"]["chat_type"] == "private"
    assert user["metadata"]["message_id"] == update["message"]["message_id"]
    assert user["metadata"]["update_id"] == update["update_id"]


def test_a_group_is_answered_only_when_the_bot_is_addressed(servers):
    group, member = -new_chat(), new_chat()
    fake = servers.telegram

    def in_group(text, **extra):
        return message_update(group, "ru", text, chat_type="supergroup", sender_id=member, **extra)

    assert say(servers, in_group("ребята, кто знает про патент?")) == []
    assert say(servers, in_group("/help@another_bot")) == []
    assert say(servers, in_group("Привет всем", photo=[{"file_id": "p", "file_unique_id": "p",
                                                        "width": 1, "height": 1}])) == []
    menu = say(servers, in_group("/help@hamroh_test_bot"))
    assert [text_of(m) for m in menu] == [translate(messages.HELP_MENU, "ru")]
    thanks = say(servers, in_group(f"@{fake.username} спасибо большое"))
    assert [text_of(m) for m in thanks] == [translate(messages.THANKS, "ru")]
    bot_message = {"message_id": 1, "date": 1700000000, "chat": {"id": group, "type": "supergroup"},
                   "from": {"id": fake.bot_id, "is_bot": True, "first_name": "Hamroh"}}
    replied = say(servers, in_group("спасибо большое", reply_to_message=bot_message))
    assert [text_of(m) for m in replied] == [translate(messages.THANKS, "ru")]
    assert all(m["chat_id"] == str(group) for m in fake.sent_to(group))


def test_get_me_is_called_once_at_startup_never_per_update(servers):
    for _ in range(3):
        say(servers, message_update(new_chat(), "ru", "/help"))
    assert len(servers.telegram.calls_of("getMe")) == 1
