"""What a raw Telegram update asks of the bot: a text, a button press, media, or nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Dict, Mapping, Optional

from bot import messages

COMMANDS = {
    "start": "/greet",
    "help": "/help_menu",
    "language": "/choose_language",
    "forget": "/forget",
    "bot": "/help_menu",  # ends a talk with a consultant (bot/handoff); otherwise the bot is already here
}
"""Telegram commands → Rasa payloads; the order is the one shown in Telegram's menu."""
COMMAND_DESCRIPTIONS = {
    "start": messages.COMMAND_START,
    "help": messages.COMMAND_HELP,
    "language": messages.COMMAND_LANGUAGE,
    "forget": messages.COMMAND_FORGET,
    "bot": messages.COMMAND_BOT,
}
UNKNOWN_COMMAND = "/help_menu"
"""Any other /command shows the menu: typed text must never smuggle in intents or entities."""
MEDIA = ("photo", "voice", "audio", "video", "video_note", "document", "sticker", "animation",
         "location", "venue", "contact", "dice", "poll", "game", "invoice")
"""Message contents the bot cannot read; the person gets a short reply asking for words."""
GROUP_CHATS = ("group", "supergroup")
COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{3,64}))?(?:\s|$)")

TEXT, BUTTON, MEDIA_KIND, IGNORED = "text", "button", "media", "ignored"


@dataclass(frozen=True)
class BotIdentity:
    """Who the bot is, to tell whether a group message is addressed to it."""

    id: int
    username: Optional[str] = None  # without "@"; unknown until configured or fetched once

    @classmethod
    def from_token(cls, token: str, username: Optional[str] = None) -> "BotIdentity":
        """The bot's id is the part of its token before the colon: no getMe needed."""
        return cls(int(token.split(":", 1)[0]), (username or "").lstrip("@") or None)


@dataclass(frozen=True)
class Incoming:
    """One update, reduced to what the connector does with it."""

    kind: str  # TEXT, BUTTON, MEDIA_KIND or IGNORED
    chat_id: Optional[int] = None
    text: Optional[str] = None
    callback_id: Optional[str] = None  # every button press must be answered, even an ignored one
    metadata: Dict[str, Any] = field(default_factory=dict)
    reason: str = ""  # why it is ignored, for the log
    command: Optional[str] = None  # the /command's name ("bot"), for what is decided before Rasa
    media: Optional[str] = None  # what was sent instead of words ("photo", "voice", ...)
    # For operators' groups only (bot/handoff/operators.py): who wrote, and the post they answer.
    user_id: Optional[int] = None
    reply_to: Optional[str] = None


def _metadata(update: Mapping[str, Any], message: Mapping[str, Any], user: Mapping[str, Any]) -> Dict[str, Any]:
    """Keeps what the reply language and the logs need; never names or usernames."""
    chat = message.get("chat") or {}
    return {
        "language_code": user.get("language_code"),
        "chat_type": chat.get("type"),
        "message_id": message.get("message_id"),
        "update_id": update.get("update_id"),
    }


def _mentions(message: Mapping[str, Any], text: str, bot: BotIdentity) -> bool:
    for entity in message.get("entities") or message.get("caption_entities") or []:
        if entity.get("type") == "text_mention" and (entity.get("user") or {}).get("id") == bot.id:
            return True
    return bool(bot.username) and re.search(rf"@{re.escape(bot.username)}\b", text, re.IGNORECASE) is not None


def _replies_to_bot(message: Mapping[str, Any], bot: BotIdentity) -> bool:
    replied = message.get("reply_to_message") or {}
    return (replied.get("from") or {}).get("id") == bot.id


def _command(text: str, bot: BotIdentity) -> Optional[str]:
    """Returns the payload of a command, "" for a command meant for another bot, None for no command."""
    match = COMMAND.match(text)
    if not match:
        return None
    name, addressee = match.group(1).lower(), match.group(2)
    if addressee and (not bot.username or addressee.lower() != bot.username.lower()):
        return ""
    return COMMANDS.get(name, UNKNOWN_COMMAND)


def addressed_to_bot(message: Mapping[str, Any], bot: BotIdentity) -> bool:
    """In groups the bot speaks only when spoken to: a command, a mention, or a reply to it."""
    text = message.get("text") or message.get("caption") or ""
    return bool(_command(text, bot)) or _mentions(message, text, bot) or _replies_to_bot(message, bot)


def _strip_mention(text: str, bot: BotIdentity) -> str:
    if not bot.username:
        return text.strip()
    text = re.sub(rf"@{re.escape(bot.username)}\b", "", text, flags=re.IGNORECASE)
    return re.sub(r" {2,}", " ", text).strip()


def read_update(update: Mapping[str, Any], bot: BotIdentity) -> Incoming:
    """Classifies an update; anything unexpected is IGNORED, never an error."""
    query = update.get("callback_query")
    if isinstance(query, Mapping):
        message = query.get("message") or {}
        chat_id = (message.get("chat") or {}).get("id")
        data = query.get("data")
        metadata = _metadata(update, message, query.get("from") or {})
        if chat_id is None or not isinstance(data, str) or not data:
            # Inline-mode and game buttons carry no chat or no data: answer, do nothing.
            return Incoming(IGNORED, chat_id, callback_id=query.get("id"), metadata=metadata,
                            reason="button without chat or data")
        return Incoming(BUTTON, chat_id, data, query.get("id"), metadata, user_id=(query.get("from") or {}).get("id"))

    message = update.get("message")
    if not isinstance(message, Mapping):
        kinds = [k for k in update if k != "update_id"]
        # Edits are not answered again: the person already has the answer to the first version.
        return Incoming(IGNORED, reason=f"update of type {kinds[0] if kinds else 'unknown'}")
    chat = message.get("chat") or {}
    user = message.get("from") or {}
    metadata = _metadata(update, message, user)
    chat_id = chat.get("id")
    if chat_id is None or user.get("is_bot"):
        return Incoming(IGNORED, chat_id, metadata=metadata, reason="no chat, or written by a bot")
    if chat.get("type") == "channel":
        return Incoming(IGNORED, chat_id, metadata=metadata, reason="channel")
    if chat.get("type") in GROUP_CHATS and not addressed_to_bot(message, bot):
        return Incoming(IGNORED, chat_id, metadata=metadata, reason="group message not addressed to the bot")

    text = message.get("text")
    who = {"user_id": user.get("id"), "reply_to": ((message.get("reply_to_message") or {}).get("text") or None)}
    if isinstance(text, str):
        payload = _command(text.strip(), bot)
        if payload == "":
            return Incoming(IGNORED, chat_id, metadata=metadata, reason="command for another bot")
        if payload:
            name = COMMAND.match(text.strip()).group(1).lower()
            return Incoming(TEXT, chat_id, payload, metadata=metadata, command=name, **who)
        text = _strip_mention(text, bot)
        if text.startswith("/"):
            return Incoming(TEXT, chat_id, UNKNOWN_COMMAND, metadata=metadata, **who)
        if not text:
            return Incoming(IGNORED, chat_id, metadata=metadata, reason="only a mention")
        return Incoming(TEXT, chat_id, text, metadata=metadata, **who)
    media = next((kind for kind in MEDIA if kind in message), None)
    if media:
        return Incoming(MEDIA_KIND, chat_id, metadata=metadata, media=media, **who)
    return Incoming(IGNORED, chat_id, metadata=metadata, reason="service message")
