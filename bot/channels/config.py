"""Telegram settings from Rasa credentials and the environment, checked before anything starts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Optional

from bot.settings import Settings, get_settings

TOKEN = re.compile(r"^\d+:[A-Za-z0-9_-]+$")
SECRET = re.compile(r"^[A-Za-z0-9_-]{16,256}$")
"""Telegram allows 1-256 of these characters; fewer than 16 would be guessable."""
WEBHOOK_PATH = "/webhooks/telegram/webhook"
"""Where Rasa serves the connector (Rasa's prefix, then the channel's name)."""
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ALLOWED_UPDATES = ["message", "callback_query"]
"""The only update types the bot acts on; Telegram need not send the others at all."""
OFFSET_FILE = "telegram-offset.json"


class TelegramConfigError(ValueError):
    """A Telegram setting is missing or unsafe; the message says which and how to fix it."""


@dataclass(frozen=True)
class TelegramConfig:
    """Everything the connector and the poller need to talk to the Bot API."""

    token: str
    secret: str
    webhook_url: Optional[str]  # None: long polling (`hamroh telegram-poll`) feeds the webhook
    api_url: str
    bot_username: Optional[str]
    state_dir: Path
    store_url: str = ""  # the conversations database: button payloads and handled updates, shared by replicas

    @property
    def bot_id(self) -> int:
        """The bot's numeric id, the part of the token before the colon."""
        return int(self.token.split(":", 1)[0])


def check_secret(secret: Optional[str]) -> str:
    """Returns a usable webhook secret or raises, refusing placeholders."""
    if not secret:
        raise TelegramConfigError(
            "TELEGRAM_SECRET is not set. Generate one with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`.")
    if "change" in secret.lower() or not SECRET.match(secret):
        raise TelegramConfigError(
            "TELEGRAM_SECRET must be 16-256 characters of A-Z a-z 0-9 _ - and not a placeholder.")
    return secret


def load_config(credentials: Optional[Mapping[str, Any]] = None,
                settings: Optional[Settings] = None) -> TelegramConfig:
    """Reads the credentials section, filling gaps from the environment; raises on a bad value."""
    credentials = credentials or {}
    settings = settings or get_settings()

    def pick(key: str, fallback: Optional[str]) -> Optional[str]:
        value = credentials.get(key)
        return str(value).strip() if value not in (None, "") else fallback

    state_dir = Path(pick("state_dir", None) or settings.state_dir)
    token = pick("access_token", settings.telegram_token)
    if not token or not TOKEN.match(token):
        raise TelegramConfigError("TELEGRAM_TOKEN is missing or not a BotFather token (digits:letters).")
    return TelegramConfig(
        token=token,
        secret=check_secret(pick("secret_token", settings.telegram_secret)),
        webhook_url=pick("webhook_url", settings.telegram_webhook_url),
        api_url=(pick("api_url", settings.telegram_api_url) or settings.telegram_api_url).rstrip("/"),
        bot_username=(pick("bot_username", pick("verify", settings.telegram_bot_username)) or "").lstrip("@")
        or None,
        state_dir=state_dir,
        store_url=settings.tracker_url or f"sqlite:///{state_dir / 'conversations.db'}",
    )
