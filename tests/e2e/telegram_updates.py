"""Builders of Telegram updates as the Bot API sends them, delivery to the Rasa webhook, and the replies.

Replies leave through the sender (`hamroh telegram-send`) after the webhook's 200:
a reply queued with its saved turn is in the fake Bot API once the outbox holds
nothing more for its chat.
"""

import functools
import html
import itertools
import json
import random
import time

import requests

from bot.serving.outbox import Outbox

TELEGRAM_TOKEN = "123456789:TEST-token_for-the-fake-bot-api"
TELEGRAM_SECRET = "e2e-secret_0123456789abcdef"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_update_ids = itertools.count(random.randint(10_000, 90_000) * 1000)
_message_ids = itertools.count(1)


def new_chat():
    """A chat id no other test uses."""
    return random.randint(10**9, 2 * 10**9)


def person(chat_id, language_code):
    return {"id": chat_id, "is_bot": False, "first_name": "Test", "language_code": language_code}


def message_update(chat_id, language_code="ru", text=None, chat_type="private", sender_id=None, **content):
    """An update with a new message (text, or media given as keyword arguments)."""
    body = {"message_id": next(_message_ids), "date": 1700000000,
            "chat": {"id": chat_id, "type": chat_type}, "from": person(sender_id or chat_id, language_code),
            **content}
    if text is not None:
        body["text"] = text
        if text.startswith("/"):
            body["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {"update_id": next(_update_ids), "message": body}


def button_update(chat_id, data, language_code="ru"):
    """An update for a press on an inline button under one of the bot's messages."""
    return {"update_id": next(_update_ids), "callback_query": {
        "id": f"cb{next(_message_ids)}", "from": person(chat_id, language_code), "chat_instance": "ci",
        "data": data, "message": {"message_id": next(_message_ids), "date": 1700000000,
                                  "chat": {"id": chat_id, "type": "private"},
                                  "from": {"id": 123456789, "is_bot": True, "first_name": "Hamroh"}}}}


def deliver(servers, update, secret=TELEGRAM_SECRET, raw=None):
    """Posts an update to the Rasa webhook as Telegram does; returns the HTTP response."""
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[SECRET_HEADER] = secret
    body = raw if raw is not None else json.dumps(update, ensure_ascii=False).encode("utf-8")
    return requests.post(servers.telegram_webhook, data=body, headers=headers, timeout=120)


@functools.lru_cache(maxsize=None)
def outbox(url):
    """The outbox of a conversations database (one per URL: each opens the database once)."""
    return Outbox(url)


def wait_sent(url, chat_id=None, seconds=60.0):
    """Waits until the sender has sent every reply queued (to one chat, or to all) in a conversations database."""
    deadline = time.monotonic() + seconds
    while str(chat_id) in outbox(url).waiting_chats() if chat_id is not None else outbox(url).waiting_chats():
        if time.monotonic() > deadline:
            raise TimeoutError(f"replies to {chat_id or 'the chats'} still queued after {seconds:.0f} s")
        time.sleep(0.02)


def say(servers, update):
    """Delivers an update and returns the messages the bot sent to its chat because of it."""
    chat_id = (update.get("message") or update.get("callback_query", {}).get("message") or {})["chat"]["id"]
    before = len(servers.telegram.sent_to(chat_id))
    response = deliver(servers, update)
    assert response.status_code == 200, response.text
    wait_sent(servers.conversations_url, chat_id)
    return servers.telegram.sent_to(chat_id)[before:]


def text_of(sent):
    """The text a person sees (the connector sends HTML-escaped text)."""
    return html.unescape(sent["text"])


def buttons_of(sent):
    """The inline keyboard of a sent message as rows of (label, callback_data)."""
    rows = (sent.get("reply_markup") or {}).get("inline_keyboard") or []
    return [[(b["text"], b.get("callback_data")) for b in row] for row in rows]
