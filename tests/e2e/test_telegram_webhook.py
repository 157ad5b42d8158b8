"""The webhook refuses forged updates, rejects malformed ones, and survives every Bot API 5.3 update type."""

import json

import pytest
import requests

from bot import messages
from bot.i18n import translate
from tests.e2e.telegram_updates import (
    TELEGRAM_SECRET, deliver, message_update, new_chat, person, text_of, wait_sent,
)


def user_events(servers, chat):
    events = servers.tracker(chat)["events"]
    return [e for e in events if e["event"] == "user"]


@pytest.mark.parametrize("secret", [None, "", "wrong-secret-0123456789", TELEGRAM_SECRET[:-1],
                                    TELEGRAM_SECRET + "x", TELEGRAM_SECRET.upper()],
                         ids=["missing", "empty", "wrong", "prefix", "longer", "case"])
def test_a_forged_or_missing_secret_gets_403_and_nothing_is_processed(servers, secret):
    chat = new_chat()
    response = deliver(servers, message_update(chat, "ru", "/start"), secret=secret)
    assert response.status_code == 403
    wait_sent(servers.conversations_url)
    assert servers.telegram.sent_to(chat) == []
    assert user_events(servers, chat) == []


@pytest.mark.parametrize("body", [b"{not json", b"", b"\xff\xfe", b"[1, 2]", b'"update"', b"null"],
                         ids=["broken", "empty", "not-utf8", "array", "string", "null"])
def test_malformed_json_gets_400(servers, body):
    assert deliver(servers, None, raw=body).status_code == 400


def test_the_secret_is_checked_before_the_body_is_read(servers):
    assert deliver(servers, None, secret="wrong-secret-0123456789", raw=b"{not json").status_code == 403


def test_other_http_methods_are_refused_without_a_server_error(servers):
    assert requests.get(servers.telegram_webhook, timeout=30).status_code == 405


def every_update_type(chat):
    """One update of each type of Bot API 5.3, and the message kinds a person or a group can produce."""
    user = person(chat, "tg")
    private = {"id": chat, "type": "private"}
    group = {"id": -chat, "type": "supergroup", "title": "Мигранты"}
    channel = {"id": -chat - 1, "type": "channel", "title": "Новости"}
    base = {"message_id": 1, "date": 1700000000}
    member = {"chat": group, "from": user, "date": 1700000000,
              "old_chat_member": {"user": user, "status": "left"},
              "new_chat_member": {"user": user, "status": "member"}}
    poll = {"id": "p1", "question": "?", "options": [{"text": "a", "voter_count": 0}], "total_voter_count": 0,
            "is_closed": False, "is_anonymous": True, "type": "regular", "allows_multiple_answers": False}
    file = {"file_id": "f", "file_unique_id": "u"}
    updates = {
        "message": {"message": {**base, "chat": private, "from": user, "text": "салом"}},
        "edited_message": {"edited_message": {**base, "chat": private, "from": user, "text": "салом!",
                                              "edit_date": 1700000100}},
        "channel_post": {"channel_post": {**base, "chat": channel, "text": "пост"}},
        "edited_channel_post": {"edited_channel_post": {**base, "chat": channel, "text": "пост!",
                                                        "edit_date": 1700000100}},
        "inline_query": {"inline_query": {"id": "iq", "from": user, "query": "патент", "offset": ""}},
        "chosen_inline_result": {"chosen_inline_result": {"result_id": "r", "from": user, "query": "патент"}},
        "callback_query_game": {"callback_query": {"id": "cbg", "from": user, "chat_instance": "c",
                                                   "game_short_name": "game",
                                                   "message": {**base, "chat": private}}},
        "callback_query_inline": {"callback_query": {"id": "cbi", "from": user, "chat_instance": "c",
                                                     "inline_message_id": "im", "data": "/greet"}},
        "shipping_query": {"shipping_query": {"id": "sq", "from": user, "invoice_payload": "x",
                                              "shipping_address": {"country_code": "RU", "state": "", "city": "M",
                                                                   "street_line1": "", "street_line2": "",
                                                                   "post_code": ""}}},
        "pre_checkout_query": {"pre_checkout_query": {"id": "pq", "from": user, "currency": "RUB",
                                                      "total_amount": 100, "invoice_payload": "x"}},
        "poll": {"poll": poll},
        "poll_answer": {"poll_answer": {"poll_id": "p1", "user": user, "option_ids": [0]}},
        "my_chat_member": {"my_chat_member": {**member, "chat": private}},
        "chat_member": {"chat_member": member},
        "unknown_future_type": {"message_reaction": {"chat": private}},
        "empty": {},
        "group_new_members": {"message": {**base, "chat": group, "from": user, "new_chat_members": [user]}},
        "group_left_member": {"message": {**base, "chat": group, "from": user, "left_chat_member": user}},
        "group_title": {"message": {**base, "chat": group, "from": user, "new_chat_title": "Новое"}},
        "group_pinned": {"message": {**base, "chat": group, "from": user,
                                     "pinned_message": {**base, "chat": group, "text": "x"}}},
        "group_migrated": {"message": {**base, "chat": group, "from": user, "migrate_to_chat_id": -100}},
        "group_voice_chat": {"message": {**base, "chat": group, "from": user, "voice_chat_started": {}}},
        "private_contact": {"message": {**base, "chat": private, "from": user,
                                        "contact": {"phone_number": "+79990000000", "first_name": "A"}}},
        "private_venue": {"message": {**base, "chat": private, "from": user, "venue": {
            "location": {"latitude": 1, "longitude": 1}, "title": "t", "address": "a"}}},
        "private_dice": {"message": {**base, "chat": private, "from": user, "dice": {"emoji": "🎲", "value": 3}}},
        "private_poll": {"message": {**base, "chat": private, "from": user, "poll": poll}},
        "private_video": {"message": {**base, "chat": private, "from": user,
                                      "video": {**file, "width": 1, "height": 1, "duration": 1}}},
        "private_video_note": {"message": {**base, "chat": private, "from": user,
                                           "video_note": {**file, "length": 1, "duration": 1}}},
        "private_audio": {"message": {**base, "chat": private, "from": user, "audio": {**file, "duration": 1}}},
        "private_animation": {"message": {**base, "chat": private, "from": user,
                                          "animation": {**file, "width": 1, "height": 1, "duration": 1}}},
        "private_photo_caption": {"message": {**base, "chat": private, "from": user, "caption": "мой паспорт",
                                              "photo": [{**file, "width": 1, "height": 1}]}},
        "private_without_sender": {"message": {**base, "chat": private, "text": "салом"}},
        "message_is_a_string": {"message": "салом"},
        "chat_id_is_a_string": {"message": {**base, "chat": {"id": "абв", "type": "private"}, "from": user,
                                            "text": "салом"}},
    }
    return updates


def test_every_update_type_gets_200_and_only_people_get_replies(servers):
    chat = new_chat()
    statuses = {}
    for i, (name, update) in enumerate(every_update_type(chat).items()):
        statuses[name] = deliver(servers, {"update_id": 9_000_000_000 + chat % 1_000_000 * 100 + i, **update})
    assert {name: r.status_code for name, r in statuses.items() if r.status_code != 200} == {}
    wait_sent(servers.conversations_url)
    media = translate(messages.MEDIA_NOT_UNDERSTOOD, "tg")
    replies = [text_of(m) for m in servers.telegram.sent_to(chat)]
    # Nine media messages get the text-only reply; the two texts get Rasa's answers.
    assert replies.count(media) == 9 and len(replies) == 11
    assert servers.telegram.sent_to(-chat) == [] and servers.telegram.sent_to(-chat - 1) == []
    answered = {c["callback_query_id"] for c in servers.telegram.calls_of("answerCallbackQuery")}
    assert {"cbg", "cbi"} <= answered


def test_a_redelivered_update_is_answered_once(servers):
    chat = new_chat()
    update = message_update(chat, "ru", "/help")
    assert deliver(servers, update).status_code == 200
    assert deliver(servers, update).status_code == 200
    wait_sent(servers.conversations_url, chat)
    assert len(servers.telegram.sent_to(chat)) == 1
    assert len(user_events(servers, chat)) == 1


def test_a_huge_update_is_handled(servers):
    chat = new_chat()
    update = message_update(chat, "ru", "регистрация " * 850)
    assert deliver(servers, update).status_code == 200
    wait_sent(servers.conversations_url, chat)
    assert servers.telegram.sent_to(chat)
    assert json.dumps(update)  # the fake Bot API accepted every reply: escaped, within limits
