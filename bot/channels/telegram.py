"""Rasa custom connector for Telegram, fixing the defects of Rasa 3.6's own (see the README).

Credentials key: `bot.channels.telegram.HamrohTelegramInput`. The webhook is
`/webhooks/telegram/webhook`; `hamroh telegram-poll` feeds it in long-polling mode.
Replies are not sent from here: a turn's replies are queued with the saved turn
and `hamroh telegram-send` sends them (bot/serving/outbox.py, bot/channels/sender.py).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from aiogram.types import BotCommand
from aiogram.utils.exceptions import TelegramAPIError
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.telegram import TelegramInput
from rasa.core.lock_store import LockError
from rasa.shared.exceptions import RasaException
from redis.exceptions import RedisError
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError

from bot import LANGUAGES, messages
from bot.channels.callback_data import PAYLOAD, PayloadStore
from bot.channels.config import ALLOWED_UPDATES, SECRET_HEADER, TelegramConfig, TelegramConfigError, load_config
from bot.channels.delivery import Claim, UpdateLedger
from bot.channels.output import HamrohTelegramOutput
from bot.channels.updates import (
    BUTTON, COMMAND_DESCRIPTIONS, IGNORED, MEDIA_KIND, UNKNOWN_COMMAND, BotIdentity, Incoming, read_update,
)
from bot.handoff.desk import Desk
from bot.handoff.relay import HandoffRelay
from bot.i18n import SOURCE_LANGUAGE, translate
from bot.i18n.policy import ReplyLanguage, reply_language_for

logger = logging.getLogger(__name__)

RETRYABLE = (LockError, RedisError, OperationalError, InterfaceError)
"""Failures of the lock store or a database that is down or restarting: worth Telegram's retry."""


def _quietly(step: Callable[[int], None], update_id: int) -> None:
    """Records an update's outcome; a database down now only means Telegram may deliver it once more."""
    try:
        step(update_id)
    except SQLAlchemyError:
        logger.warning("Could not record the outcome of Telegram update %s", update_id)

RETRY_LATER = 503
"""Telegram delivers an update again after any status but 200: for failures that a later try can fix."""

Handler = Callable[[UserMessage], Awaitable[Any]]


@dataclass
class Handled:
    """What became of an update: a Rasa turn (its save records it) or replies made here (the ledger records them)."""

    turn: bool
    chat_id: Optional[int] = None
    replies: List[Dict[Text, Any]] = field(default_factory=list)


class TelegramReplies(OutputChannel):
    """The output Rasa's turns of Telegram conversations write to: it sends nothing.

    The tracker store queues the turn's bot messages when it saves the turn,
    and `hamroh telegram-send` sends them; a replica killed mid-turn has
    therefore sent nothing, and the turn redone from the redelivered update is
    the only one the person sees.
    """

    @classmethod
    def name(cls) -> Text:
        return "telegram"  # Rasa picks the channel's response variations by this name

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        """Leaves the message in the turn's events, from which the saved turn queues it."""


def secret_matches(given: Optional[str], expected: str) -> bool:
    """Compares the webhook secret in constant time (hashing first also hides its length)."""
    given_digest = hashlib.sha256((given or "").encode("utf-8", "replace")).digest()
    expected_digest = hashlib.sha256(expected.encode("utf-8")).digest()
    return hmac.compare_digest(given_digest, expected_digest) and bool(given)


def check_outbox(app: Any) -> None:
    """Refuses to serve Telegram unless the tracker store queues the replies: they would go nowhere."""
    from bot.serving.tracker_store import PrivateSQLTrackerStore

    store = getattr(getattr(app.ctx, "agent", None), "tracker_store", None)
    store = getattr(store, "_tracker_store", store)  # Rasa wraps it in FailSafeTrackerStore
    if not isinstance(store, PrivateSQLTrackerStore):
        raise RasaException("Telegram replies are sent from the outbox that bot.serving.tracker_store."
                            "PrivateSQLTrackerStore fills: name it as tracker_store in endpoints.yml.")


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
        self.ledger = UpdateLedger(config.store_url)
        self.store = PayloadStore(config.store_url)
        # While a person talks to a consultant, their chat's updates go around Rasa (bot/handoff/relay.py).
        self.handoffs = HandoffRelay(Desk(config.store_url), self.store)
        self._bot: Optional[HamrohTelegramOutput] = None

    @property
    def bot(self) -> HamrohTelegramOutput:
        """The Bot API client for what is not a reply (webhook, commands, getMe, button answers); no network yet."""
        if self._bot is None:
            self._bot = HamrohTelegramOutput(self.config.token, self.config.api_url, self.store)
        return self._bot

    def get_output_channel(self) -> OutputChannel:
        """Returns where Rasa's turns put their replies: nowhere but the turn itself (the outbox is the saved turn).

        Rasa's connector also called setWebhook here through asyncio.run, which
        bound aiogram's session to a loop closed right after ("Event loop is
        closed" on the first update); startup calls now run in the server's loop.
        """
        return TelegramReplies()

    def get_metadata(self, request: Request) -> Optional[Dict[Text, Any]]:
        """Returns language_code, chat type, message id and update id of the update being handled."""
        incoming = getattr(request.ctx, "telegram_incoming", None)
        if incoming is None:
            incoming = read_update(request.json or {}, self.identity)
        return dict(incoming.metadata)

    def blueprint(self, on_new_message: Handler) -> Blueprint:
        """Serves the webhook; registers the webhook and commands once the server is running."""
        webhook = Blueprint("hamroh_telegram", __name__)

        @webhook.listener("after_server_start")
        async def start(app: Any, loop: Any) -> None:
            check_outbox(app)
            await self.startup(self.bot)

        @webhook.listener("after_server_stop")
        async def stop(app: Any, loop: Any) -> None:
            await self.bot.close_session()
            self.store.close()

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
            # 200 once authenticated, unless a later try can succeed where this one could not:
            # any other status makes Telegram deliver the update again.
            status = await self.handle(update, on_new_message, request)
            return response.text("ok" if status == 200 else "try again later", status=status)

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

    async def handle(self, update: Dict[Text, Any], on_new_message: Handler, request: Request) -> int:
        """Acts on one authenticated update once across replicas; returns the HTTP status for Telegram.

        200 only once the update's outcome is saved: its turn with the replies
        queued, or the replies made here, or nothing to do. Otherwise 503, and the
        redelivery redoes only what was never saved.
        """
        update_id = update.get("update_id")
        if not isinstance(update_id, int):
            update_id = None
        else:
            try:
                claim = await asyncio.to_thread(self.ledger.claim, update_id)
            except SQLAlchemyError:
                logger.exception("Telegram update %s: the conversations database is unreachable", update_id)
                return RETRY_LATER
            if claim is Claim.DONE:
                logger.info("Telegram update %s already handled", update_id)
                return 200
            if claim is Claim.BUSY:
                logger.info("Telegram update %s is being handled by another replica", update_id)
                return RETRY_LATER
        try:
            handled = await self._act(update, on_new_message, request)
            if not handled.turn:
                await asyncio.to_thread(self.ledger.finish, update_id, handled.chat_id, handled.replies)
            elif update_id is not None and not await asyncio.to_thread(self.ledger.is_done, update_id):
                # Rasa ran the turn but its save did not reach the database (Rasa's FailSafeTrackerStore kept it
                # in memory), or no model was loaded yet: nothing was queued, so the update must come again.
                logger.warning("Telegram update %s: its turn was not saved; Telegram will deliver it again",
                               update_id)
                await asyncio.to_thread(_quietly, self.ledger.release, update_id)
                return RETRY_LATER
        except RETRYABLE:
            logger.exception("Telegram update %s: a store is unreachable; Telegram will deliver it again", update_id)
            if update_id is not None:
                await asyncio.to_thread(_quietly, self.ledger.release, update_id)
            return RETRY_LATER
        return 200

    async def _act(self, update: Dict[Text, Any], on_new_message: Handler, request: Request) -> Handled:
        """Answers one update; failures other than an unreachable store are logged, never raised."""
        incoming = read_update(update, self.identity)
        request.ctx.telegram_incoming = incoming
        if incoming.callback_id:
            # Not a reply: it only stops the button's spinner, must come within seconds, and a second answer
            # after a redelivery is refused by Telegram without anyone seeing anything.
            await self.bot.answer_button(incoming.callback_id)
        try:
            relayed = await asyncio.to_thread(self.handoffs.route, incoming)
            if relayed is not None:
                return Handled(False, relayed.chat_id, relayed.replies)
            if incoming.kind == IGNORED:
                logger.debug("Telegram update %s ignored: %s", update.get("update_id"), incoming.reason)
            elif incoming.kind == MEDIA_KIND:
                language = await self.language_of(request, incoming)
                return Handled(False, incoming.chat_id, [{"text": translate(
                    messages.MEDIA_NOT_UNDERSTOOD, language.language, language.script)}])
            else:
                payload = await asyncio.to_thread(self.payload, incoming, self.store)
                await on_new_message(UserMessage(
                    payload, self.get_output_channel(), str(incoming.chat_id),
                    input_channel=self.name(), metadata=self.get_metadata(request)))
                return Handled(True)
        except RETRYABLE:
            raise
        except Exception:  # noqa: BLE001 - a redelivered update would fail again; log it instead
            logger.exception("Telegram update %s failed", update.get("update_id"))
        return Handled(False)

    @staticmethod
    def payload(incoming: Incoming, store: PayloadStore) -> Text:
        """Returns the text for Rasa: a button's payload, a reply-keyboard label's payload, or the text."""
        if incoming.kind == BUTTON:
            payload = store.decode(incoming.text or "")
            if payload is None or (payload.startswith("/") and not PAYLOAD.match(payload)):
                return UNKNOWN_COMMAND  # a button from before the state was lost, or forged data
            return payload
        return store.keyboard_payload(incoming.chat_id, incoming.text or "") or incoming.text or ""

    async def language_of(self, request: Request, incoming: Incoming) -> ReplyLanguage:
        """The reply language for a message Rasa never sees: the policy over the remembered slots."""
        slots: Dict[Text, Any] = {}
        try:
            tracker = await request.app.ctx.agent.tracker_store.retrieve(str(incoming.chat_id))
            if tracker is not None:
                slots = tracker.current_slot_values()
        except Exception:  # noqa: BLE001 - the language_code alone is a good enough guess
            logger.warning("Could not read the conversation of chat %s", incoming.chat_id, exc_info=True)
        return reply_language_for(slots, metadata=incoming.metadata)
