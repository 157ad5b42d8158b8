"""How a reply looks in Telegram and how one message is sent: the sender's output (bot/channels/sender.py).

Rasa replicas never send replies (their output only collects, and the saved turn
is the outbox); the replicas use this class only for calls that are not replies:
setWebhook, setMyCommands, getMe and answerCallbackQuery.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, List, Optional, Text

from aiogram import Bot
from aiogram.bot.api import TelegramAPIServer
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup
from aiogram.utils.exceptions import NetworkError, RestartingTelegram, RetryAfter, TelegramAPIError
from rasa.core.channels.telegram import TelegramOutput

from bot.channels.callback_data import PayloadStore
from bot.channels.formatting import PARSE_MODE, escape, rows, split_message
from bot.compat import aiogram as aiogram_compat

logger = logging.getLogger(__name__)

EMPTY_TEXT = "⬇️"
"""Telegram rejects a keyboard without text; this stands in when a response has only buttons."""
RETRY_SECONDS = (1.0, 60.0)
"""First and longest pause (doubling) before a message that met a network failure or a Telegram 5xx is sent again."""


def worth_retrying(error: TelegramAPIError) -> bool:
    """A failure a later try can fix: the network, a Telegram restart or a 5xx (aiogram's plain TelegramAPIError)."""
    return isinstance(error, (NetworkError, RestartingTelegram)) or type(error) is TelegramAPIError


class HamrohTelegramOutput(TelegramOutput):
    """Sends replies: escaped HTML, split at 4,096 characters, keyboards laid out for a phone."""

    @classmethod
    def name(cls) -> Text:
        return "telegram"

    def __init__(self, access_token: Text, api_url: Text, store: Optional[PayloadStore] = None) -> None:
        # Not TelegramOutput.__init__: it cannot point aiogram at another Bot API server.
        Bot.__init__(self, access_token, server=TelegramAPIServer.from_base(api_url))
        self.store = store or PayloadStore()

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        """Sends a text as one message, or several split on paragraphs when it is too long."""
        for chunk in split_message(text):
            await self._send(recipient_id, chunk)

    async def send_text_with_buttons(self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]],
                                     button_type: Optional[Text] = "inline", **kwargs: Any) -> None:
        """Sends a text with its buttons under the last part."""
        markup = self.keyboard(recipient_id, buttons, button_type or "inline")
        chunks = split_message(text) or [EMPTY_TEXT]
        for chunk in chunks[:-1]:
            await self._send(recipient_id, chunk)
        await self._send(recipient_id, chunks[-1], markup)

    def keyboard(self, chat_id: Text, buttons: List[Dict[Text, Any]], button_type: Text) -> Any:
        """Builds an inline keyboard (payloads as callback_data) or a reply keyboard (payloads remembered)."""
        usable = [b for b in buttons if isinstance(b, dict) and b.get("title")]
        labels = [str(b["title"]) for b in usable]
        if button_type == "reply":
            # A reply keyboard sends its label back as text; remember which payload each label stands for.
            self.store.remember_keyboard(chat_id, {str(b["title"]): str(b.get("payload") or b["title"])
                                                   for b in usable})
            return ReplyKeyboardMarkup(keyboard=rows([KeyboardButton(label) for label in labels], labels),
                                       resize_keyboard=True, one_time_keyboard=True)
        inline = [self._inline_button(b) for b in usable]
        laid_out = [[b] for b in inline] if button_type == "vertical" else rows(inline, labels)
        return InlineKeyboardMarkup(inline_keyboard=laid_out)

    def _inline_button(self, button: Dict[Text, Any]) -> InlineKeyboardButton:
        title = str(button["title"])
        if button.get("url"):
            return InlineKeyboardButton(title, url=str(button["url"]))
        return InlineKeyboardButton(title, callback_data=self.store.encode(str(button.get("payload") or title)))

    async def _send(self, chat_id: Text, text: Text, markup: Any = None) -> None:
        """Sends one message, waiting out flood control and network trouble; a refusal is logged, never raised.

        Only this one message is tried again, never the parts of the reply already
        sent. The sender is the only caller, so waiting here holds up this chat alone.
        """
        pause = RETRY_SECONDS[0]
        while True:
            try:
                await self.send_message(chat_id, escape(text), parse_mode=PARSE_MODE, reply_markup=markup,
                                        # Previews of source links cost data and push the answer off screen.
                                        disable_web_page_preview=True)
                return
            except RetryAfter as error:
                logger.warning("Telegram flood control: waiting %s s before writing to chat %s", error.timeout,
                               chat_id)
                await asyncio.sleep(error.timeout)
            except asyncio.TimeoutError:
                logger.warning("Telegram did not answer in time; writing to chat %s again in %.0f s", chat_id, pause)
                await asyncio.sleep(pause)
                pause = min(pause * 2, RETRY_SECONDS[1])
            except TelegramAPIError as error:
                if not worth_retrying(error):
                    logger.warning("Telegram refused a message to chat %s: %s", chat_id, error)
                    return
                logger.warning("Telegram unreachable (%s); writing to chat %s again in %.0f s", error, chat_id, pause)
                await asyncio.sleep(pause)
                pause = min(pause * 2, RETRY_SECONDS[1])

    async def answer_button(self, callback_query_id: Text) -> None:
        """Stops the button's spinner; a query too old to answer is not an error worth more than a log line."""
        try:
            await self.answer_callback_query(callback_query_id)
        except TelegramAPIError as error:
            logger.info("Could not answer callback query %s: %s", callback_query_id, error)

    async def close_session(self) -> None:
        """Closes aiogram's HTTP session in the loop that opened it."""
        await aiogram_compat.close_session(self)
