"""Which updates reach Rasa: commands, texts, button presses; media answered; groups only when addressed."""

import pytest

from bot.channels.updates import BUTTON, IGNORED, MEDIA, MEDIA_KIND, TEXT, BotIdentity, read_update

BOT = BotIdentity.from_token("123456:ABC-def", "hamroh_bot")
PERSON = {"id": 777, "is_bot": False, "first_name": "Ali", "language_code": "uz"}


def message(text=None, chat_type="private", chat_id=777, **extra):
    body = {"message_id": 5, "date": 0, "chat": {"id": chat_id, "type": chat_type}, "from": PERSON, **extra}
    if text is not None:
        body["text"] = text
    return {"update_id": 100, "message": body}


def test_the_bot_id_comes_from_the_token():
    assert BotIdentity.from_token("123456:ABC-def").id == 123456


def test_a_private_text_goes_to_rasa_with_language_code_chat_type_and_message_id():
    incoming = read_update(message("salom"), BOT)
    assert (incoming.kind, incoming.chat_id, incoming.text) == (TEXT, 777, "salom")
    assert incoming.metadata == {"language_code": "uz", "chat_type": "private", "message_id": 5, "update_id": 100}


@pytest.mark.parametrize("text, payload", [
    ("/start", "/greet"), ("/start deep-link-ref", "/greet"), ("/help", "/help_menu"),
    ("/language", "/choose_language"), ("/forget", "/forget"), ("/START", "/greet"),
    ("/help@hamroh_bot", "/help_menu"), ("/help@Hamroh_Bot", "/help_menu"),
    ("/unknown", "/help_menu"), ('/inform{"country":"other"}', "/help_menu"), ("/", "/help_menu"),
])
def test_commands_map_to_intents_and_typed_payloads_are_not_trusted(text, payload):
    assert read_update(message(text), BOT).text == payload


def test_a_command_for_another_bot_is_ignored():
    assert read_update(message("/start@other_bot"), BOT).kind == IGNORED


def test_a_button_press_carries_its_data_and_must_be_answered():
    update = {"update_id": 9, "callback_query": {
        "id": "cb1", "from": PERSON, "data": "/help_menu", "chat_instance": "x",
        "message": {"message_id": 3, "date": 0, "chat": {"id": 777, "type": "private"}}}}
    incoming = read_update(update, BOT)
    assert (incoming.kind, incoming.chat_id, incoming.text, incoming.callback_id) == (BUTTON, 777, "/help_menu", "cb1")
    assert incoming.metadata["language_code"] == "uz" and incoming.metadata["message_id"] == 3


def test_an_inline_mode_button_without_a_chat_is_answered_but_ignored():
    update = {"update_id": 9, "callback_query": {"id": "cb2", "from": PERSON, "inline_message_id": "i",
                                                 "data": "/help_menu", "chat_instance": "x"}}
    incoming = read_update(update, BOT)
    assert incoming.kind == IGNORED and incoming.callback_id == "cb2"


@pytest.mark.parametrize("kind", MEDIA)
def test_media_from_a_person_gets_the_text_only_reply(kind):
    assert read_update(message(**{kind: {"x": 1}}), BOT).kind == MEDIA_KIND


@pytest.mark.parametrize("update", [
    {"update_id": 1, "edited_message": message("x")["message"]},
    {"update_id": 1, "channel_post": {"message_id": 1, "date": 0, "chat": {"id": -100, "type": "channel"}}},
    {"update_id": 1, "my_chat_member": {"chat": {"id": 777, "type": "private"}}},
    {"update_id": 1, "inline_query": {"id": "q", "from": PERSON, "query": "", "offset": ""}},
    {"update_id": 1, "poll_answer": {"poll_id": "p", "user": PERSON, "option_ids": []}},
    {"update_id": 1},
    {"update_id": 1, "message": "not an object"},
    {"update_id": 1, "message": {"message_id": 1}},
    message(new_chat_members=[PERSON]),
    message("hi", **{"from": {"id": 5, "is_bot": True, "first_name": "OtherBot"}}),
])
def test_updates_the_bot_does_not_act_on_are_ignored_not_errors(update):
    assert read_update(update, BOT).kind == IGNORED


GROUP = -100123


@pytest.mark.parametrize("update, expected", [
    (message("когда платить патент", "supergroup", GROUP), None),
    (message("@hamroh_bot когда платить патент", "supergroup", GROUP), "когда платить патент"),
    (message("когда платить патент @HAMROH_BOT?", "group", GROUP), "когда платить патент ?"),
    (message("/help", "group", GROUP), "/help_menu"),
    (message("/help@other_bot", "group", GROUP), None),
    (message("а если опоздал?", "supergroup", GROUP, reply_to_message={
        "message_id": 4, "date": 0, "chat": {"id": GROUP, "type": "supergroup"},
        "from": {"id": 123456, "is_bot": True, "first_name": "Hamroh"}}), "а если опоздал?"),
    (message("а если опоздал?", "supergroup", GROUP, reply_to_message={
        "message_id": 4, "date": 0, "chat": {"id": GROUP, "type": "supergroup"}, "from": PERSON}), None),
    (message("Ali, спроси бота", "group", GROUP, entities=[
        {"type": "text_mention", "offset": 0, "length": 3, "user": {"id": 123456, "is_bot": True}}]),
     "Ali, спроси бота"),
    (message(photo=[{"file_id": "x"}], chat_type="group", chat_id=GROUP), None),
])
def test_group_chats_are_answered_only_when_the_bot_is_addressed(update, expected):
    incoming = read_update(update, BOT)
    if expected is None:
        assert incoming.kind == IGNORED
    else:
        assert incoming.kind == TEXT and incoming.text == expected and incoming.chat_id == GROUP
        assert incoming.metadata["chat_type"] in ("group", "supergroup")


def test_without_a_known_username_a_group_still_answers_commands_and_replies():
    anonymous = BotIdentity.from_token("123456:ABC-def")
    assert read_update(message("/start", "group", GROUP), anonymous).text == "/greet"
    assert read_update(message("@hamroh_bot salom", "group", GROUP), anonymous).kind == IGNORED
