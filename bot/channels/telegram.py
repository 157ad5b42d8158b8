"""Rasa custom connector for Telegram, fixing the defects of Rasa 3.6's own (see the README).

Credentials key: `bot.channels.telegram.HamrohTelegramInput`. The webhook is
`/webhooks/telegram/webhook`; `hamroh telegram-poll` feeds it in long-polling mode.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
from collections import OrderedDict
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from aiogram import Bot
from aiogram.bot.api import TelegramAPIServer
from aiogram.types import (
    BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup,
)
from aiogram.utils.exceptions import RetryAfter, TelegramAPIError
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.telegram import TelegramInput, TelegramOutput
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import LANGUAGES, messages
from bot.channels.callback_data import PAYLOAD, PayloadStore
from bot.channels.config import (
    ALLOWED_UPDATES, SECRET_HEADER, STATE_FILE, TelegramConfig, TelegramConfigError, load_config,
)
from bot.channels.formatting import PARSE_MODE, escape, rows, split_message
from bot.channels.updates import (
    BUTTON, COMMAND_DESCRIPTIONS, IGNORED, MEDIA_KIND, UNKNOWN_COMMAND, BotIdentity, Incoming, read_update,
)
from bot.i18n import SOURCE_LANGUAGE, translate
from bot.i18n.policy import ReplyLanguage, reply_language

logger = logging.getLogger(__name__)

MAX_FLOOD_WAIT = 30
"""Seconds worth waiting once when Telegram's flood control says so; longer, the message is dropped."""
SEEN_UPDATES = 10_000
"""Recent update ids remembered so a redelivered update is not answered twice."""
EMPTY_TEXT = "⬇️"
"""Telegram rejects a keyboard without text; this stands in when a response has only buttons."""

Handler = Callable[[UserMessage], Awaitable[Any]]


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
        """Sends one message; a refusal is logged, never raised (Telegram would redeliver the update)."""
        for attempt in (1, 2):
            try:
                await self.send_message(chat_id, escape(text), parse_mode=PARSE_MODE, reply_markup=markup,
                                        # Previews of source links cost data and push the answer off screen.
                                        disable_web_page_preview=True)
                return
            except RetryAfter as error:
                if attempt == 2 or error.timeout > MAX_FLOOD_WAIT:
                    logger.error("Telegram flood control: dropped a message to chat %s", chat_id)
                    return
                await asyncio.sleep(error.timeout)
            except TelegramAPIError as error:
                logger.warning("Telegram refused a message to chat %s: %s", chat_id, error)
                return

    async def answer_button(self, callback_query_id: Text) -> None:
        """Stops the button's spinner; a query too old to answer is not an error worth more than a log line."""
        try:
            await self.answer_callback_query(callback_query_id)
        except TelegramAPIError as error:
            logger.info("Could not answer callback query %s: %s", callback_query_id, error)

    async def close_session(self) -> None:
        """Closes aiogram's HTTP session in the loop that opened it."""
        session = self._session  # not self.session: that property would open a new one
        if session is not None and not session.closed:
            await session.close()


def secret_matches(given: Optional[str], expected: str) -> bool:
    """Compares the webhook secret in constant time (hashing first also hides its length)."""
    given_digest = hashlib.sha256((given or "").encode("utf-8", "replace")).digest()
    expected_digest = hashlib.sha256(expected.encode("utf-8")).digest()
    return hmac.compare_digest(given_digest, expected_digest) and bool(given)


def command_list(language: Optional[str]) -> List[BotCommand]:
    """Returns the bot's commands with descriptions in a language (None: the default list, Russian)."""
    language = language or SOURCE_LANGUAGE
    return [BotCommand(name, translate(description, language)) for name, description in COMMAND_DESCRIPTIONS.items()]


class HamrohTelegramInput(TelegramInput):
    """Receives Telegram updates: checks the secret, keeps language_code, answers every button."""

    @classmethod
    def name(cls) -> Text:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        """Builds the channel from its credentials section, gaps filled from the environment."""
        try:
            return cls(load_config(credentials))
        except TelegramConfigError as error:
            raise RasaException(f"Telegram channel: {error}") from error

    def __init__(self, config: TelegramConfig) -> None:
        super().__init__(config.token, config.bot_username, config.webhook_url, debug_mode=False)
        self.config = config
        self.identity = BotIdentity(config.bot_id, config.bot_username)
        self._output: Optional[HamrohTelegramOutput] = None
        self._seen: "OrderedDict[int, None]" = OrderedDict()

    def get_output_channel(self) -> HamrohTelegramOutput:
        """Returns the one output of this channel, created without any network call.

        Rasa's connector called setWebhook here through asyncio.run, which bound
        aiogram's session to a loop closed right after: "Event loop is closed"
        on the first update. Startup calls now run in the server's own loop.
        """
        if self._output is None:
            store = PayloadStore(self.config.state_dir / STATE_FILE)
            self._output = HamrohTelegramOutput(self.config.token, self.config.api_url, store)
        return self._output

    def get_metadata(self, request: Request) -> Optional[Dict[Text, Any]]:
        """Returns language_code, chat type, message id and update id of the update being handled."""
        incoming = getattr(request.ctx, "telegram_incoming", None)
        if incoming is None:
            incoming = read_update(request.json or {}, self.identity)
        return dict(incoming.metadata)

    def blueprint(self, on_new_message: Handler) -> Blueprint:
        """Serves the webhook; registers the webhook and commands once the server is running."""
        webhook = Blueprint("hamroh_telegram", __name__)
        output = self.get_output_channel()

        @webhook.listener("after_server_start")
        async def start(app: Any, loop: Any) -> None:
            await self.startup(output)

        @webhook.listener("after_server_stop")
        async def stop(app: Any, loop: Any) -> None:
            await output.close_session()
            output.store.close()

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            # The secret is checked before the body is even parsed: a forged update costs nothing.
            if not secret_matches(request.headers.get(SECRET_HEADER), self.config.secret):
                logger.warning("Telegram webhook: rejected a request without the right secret token")
                return response.text("forbidden", status=403)
            try:
                update = json.loads(request.body or b"")
            except (ValueError, UnicodeDecodeError):
                return response.text("malformed update", status=400)
            if not isinstance(update, dict):
                return response.text("malformed update", status=400)
            await self.handle(update, on_new_message, request)
            # Always 200 once authenticated: any other status makes Telegram redeliver the update.
            return response.text("ok")

        return webhook

    async def startup(self, output: HamrohTelegramOutput) -> None:
        """Sets the webhook with its secret, the commands in every language, and learns the bot's name."""
        if self.config.webhook_url:
            try:
                # aiogram 2.15 predates Bot API 6.0's secret_token, so the raw method is called.
                await output.request("setWebhook", {
                    "url": self.config.webhook_url,
                    "secret_token": self.config.secret,
                    "allowed_updates": json.dumps(ALLOWED_UPDATES),
                })
                logger.info("Telegram webhook set to %s", self.config.webhook_url)
            except TelegramAPIError as error:
                logger.error("Could not set the Telegram webhook to %s: %s", self.config.webhook_url, error)
        for language in (None,) + LANGUAGES:
            try:
                await output.set_my_commands(command_list(language), language_code=language)
            except TelegramAPIError as error:
                logger.error("Could not register the Telegram commands for %s: %s", language or "default", error)
        if not self.identity.username:
            try:
                # Once per start, not per update: only group mentions need the name.
                me = await output.get_me()
                self.identity = BotIdentity(self.identity.id, me.username)
            except TelegramAPIError as error:
                logger.warning("Could not learn the bot's username; group mentions are not recognised: %s", error)

    def _first_time(self, update_id: Any) -> bool:
        """Remembers update ids: Telegram or the poller may deliver one again after a timeout."""
        if not isinstance(update_id, int):
            return True
        if update_id in self._seen:
            return False
        self._seen[update_id] = None
        while len(self._seen) > SEEN_UPDATES:
            self._seen.popitem(last=False)
        return True

    async def handle(self, update: Dict[Text, Any], on_new_message: Handler, request: Request) -> None:
        """Acts on one authenticated update; every failure is logged, none reaches Telegram as a 500."""
        if not self._first_time(update.get("update_id")):
            logger.info("Telegram update %s already handled", update.get("update_id"))
            return
        incoming = read_update(update, self.identity)
        request.ctx.telegram_incoming = incoming
        output = self.get_output_channel()
        if incoming.callback_id:
            await output.answer_button(incoming.callback_id)
        try:
            if incoming.kind == IGNORED:
                logger.debug("Telegram update %s ignored: %s", update.get("update_id"), incoming.reason)
            elif incoming.kind == MEDIA_KIND:
                language = await self.language_of(request, incoming)
                await output.send_text_message(str(incoming.chat_id), translate(
                    messages.MEDIA_NOT_UNDERSTOOD, language.language, language.script))
            else:
                await on_new_message(UserMessage(
                    self.payload(incoming, output), output, str(incoming.chat_id),
                    input_channel=self.name(), metadata=self.get_metadata(request)))
        except Exception:  # noqa: BLE001 - a redelivered update would fail again; log it instead
            logger.exception("Telegram update %s failed", update.get("update_id"))

    @staticmethod
    def payload(incoming: Incoming, output: HamrohTelegramOutput) -> Text:
        """Returns the text for Rasa: a button's payload, a reply-keyboard label's payload, or the text."""
        if incoming.kind == BUTTON:
            payload = output.store.decode(incoming.text or "")
            if payload is None or (payload.startswith("/") and not PAYLOAD.match(payload)):
                return UNKNOWN_COMMAND  # a button from before the state was lost, or forged data
            return payload
        return output.store.keyboard_payload(incoming.chat_id, incoming.text or "") or incoming.text or ""

    async def language_of(self, request: Request, incoming: Incoming) -> ReplyLanguage:
        """The reply language for a message Rasa never sees: the policy over the remembered slots."""
        slots: Dict[Text, Any] = {}
        try:
            tracker = await request.app.ctx.agent.tracker_store.retrieve(str(incoming.chat_id))
            if tracker is not None:
                slots = tracker.current_slot_values()
        except Exception:  # noqa: BLE001 - the language_code alone is a good enough guess
            logger.warning("Could not read the conversation of chat %s", incoming.chat_id, exc_info=True)
        return reply_language(
            text="", detection=None,
            chosen=slots.get("language") if slots.get("language_chosen") else None,
            previous=slots.get("language"), previous_script=slots.get("script"),
            metadata=incoming.metadata)
