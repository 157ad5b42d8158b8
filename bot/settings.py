"""One settings object, read from the environment (see the README's configuration table)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parents[1]
TELEGRAM_API = "https://api.telegram.org"


def _optional(name: str) -> Optional[str]:
    """An unset and an empty variable mean the same: not configured."""
    value = os.environ.get(name, "").strip()
    return value or None


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
    state_dir: Path = ROOT / "var"
    admin_secret: Optional[str] = None
    admin_secure_cookies: bool = True
    rasa_url: str = "http://127.0.0.1:5005"


@lru_cache(maxsize=None)
def get_settings() -> Settings:
    """Returns the settings from the environment (cached; tests clear the cache)."""
    default_db = f"sqlite:///{ROOT / 'var' / 'hamroh.db'}"
    return Settings(
        database_url=os.environ.get("DATABASE_URL", default_db),
        content_dir=Path(os.environ.get("HAMROH_CONTENT_DIR", ROOT / "content")),
        telegram_token=_optional("TELEGRAM_TOKEN"),
        telegram_secret=_optional("TELEGRAM_SECRET"),
        telegram_webhook_url=_optional("TELEGRAM_WEBHOOK_URL"),
        telegram_api_url=_optional("TELEGRAM_API_URL") or TELEGRAM_API,
        telegram_bot_username=_optional("TELEGRAM_BOT_USERNAME"),
        state_dir=Path(_optional("HAMROH_STATE_DIR") or ROOT / "var"),
        admin_secret=_optional("HAMROH_ADMIN_SECRET"),
        # Browsers keep Secure cookies on http://localhost; switch off only for a plain-HTTP LAN address.
        admin_secure_cookies=(_optional("HAMROH_ADMIN_SECURE_COOKIES") or "1") != "0",
        rasa_url=_optional("RASA_URL") or f"http://127.0.0.1:{os.environ.get('RASA_PORT', '5005')}",
    )
