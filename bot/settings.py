"""One settings object, read from the environment (see the README's configuration table)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional

import platformdirs

from bot.resources import shipped

TELEGRAM_API = "https://api.telegram.org"
SEED_CONTENT = shipped("bot.content", "seed")
"""The seed knowledge base shipped with the package (`hamroh content load` reads it by default)."""


def _optional(name: str) -> Optional[str]:
    """An unset and an empty variable mean the same: not configured."""
    value = os.environ.get(name, "").strip()
    return value or None


def default_state_dir() -> Path:
    """var/ of the source checkout Hamroh runs from, else the user's data folder; never the installed package."""
    source = Path(__file__).resolve().parents[1]
    if (source / "pyproject.toml").is_file():  # a clone (editable install): state beside the code, as before
        return source / "var"
    return Path(platformdirs.user_data_dir("hamroh", appauthor=False))


@dataclass(frozen=True)
class Settings:
    """Every setting of Hamroh; defaults work on a developer's machine."""

    database_url: str
    content_dir: Path
    stale_answer_days: int = 180
    stale_organisation_days: int = 365
    telegram_token: Optional[str] = None
    telegram_secret: Optional[str] = None
    telegram_webhook_url: Optional[str] = None
    telegram_api_url: str = TELEGRAM_API
    telegram_bot_username: Optional[str] = None
    state_dir: Path = field(default_factory=default_state_dir)
    admin_secret: Optional[str] = None
    admin_secure_cookies: bool = True
    admin_proxy_hops: int = 0
    rasa_url: str = "http://127.0.0.1:5005"
    tracker_url: Optional[str] = None
    lock_url: Optional[str] = None
    retention_days: int = 30
    rasa_api_token: Optional[str] = None
    actions_host: str = "127.0.0.1"

    @property
    def conversations_url(self) -> str:
        """Where conversations are kept: HAMROH_TRACKER_URL, else an SQLite file in the state folder."""
        return self.tracker_url or f"sqlite:///{self.state_dir / 'conversations.db'}"


@lru_cache(maxsize=None)
def get_settings() -> Settings:
    """Returns the settings from the environment (cached; tests clear the cache)."""
    state_dir = Path(_optional("HAMROH_STATE_DIR") or default_state_dir())
    return Settings(
        database_url=os.environ.get("DATABASE_URL", f"sqlite:///{state_dir / 'hamroh.db'}"),
        content_dir=Path(_optional("HAMROH_CONTENT_DIR") or SEED_CONTENT),
        telegram_token=_optional("TELEGRAM_TOKEN"),
        telegram_secret=_optional("TELEGRAM_SECRET"),
        telegram_webhook_url=_optional("TELEGRAM_WEBHOOK_URL"),
        telegram_api_url=_optional("TELEGRAM_API_URL") or TELEGRAM_API,
        telegram_bot_username=_optional("TELEGRAM_BOT_USERNAME"),
        state_dir=state_dir,
        admin_secret=_optional("HAMROH_ADMIN_SECRET"),
        # Browsers keep Secure cookies on http://localhost; switch off only for a plain-HTTP LAN address.
        admin_secure_cookies=(_optional("HAMROH_ADMIN_SECURE_COOKIES") or "1") != "0",
        # Reverse proxies in front of the workspace whose X-Forwarded-For is trusted for the client address.
        admin_proxy_hops=int(_optional("HAMROH_ADMIN_PROXY_HOPS") or "0"),
        rasa_url=_optional("RASA_URL") or f"http://127.0.0.1:{os.environ.get('RASA_PORT', '5005')}",
        tracker_url=_optional("HAMROH_TRACKER_URL"),
        # Unset: Rasa's in-memory lock store, right for one Rasa process (README, "Locks across processes").
        lock_url=_optional("HAMROH_LOCK_URL"),
        retention_days=int(_optional("HAMROH_RETENTION_DAYS") or 30),
        rasa_api_token=_optional("HAMROH_RASA_TOKEN"),
        # Another machine's Rasa needs 0.0.0.0 (or the private address) here; nothing else does.
        actions_host=_optional("HAMROH_ACTIONS_HOST") or "127.0.0.1",
    )
