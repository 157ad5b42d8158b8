"""One settings object, read from the environment (see the README's configuration table)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Settings:
    """Every setting of Hamroh; defaults work on a developer's machine."""

    database_url: str
    content_dir: Path
    stale_answer_days: int = 180
    stale_organisation_days: int = 365


@lru_cache(maxsize=None)
def get_settings() -> Settings:
    """Returns the settings from the environment (cached; tests clear the cache)."""
    default_db = f"sqlite:///{ROOT / 'var' / 'hamroh.db'}"
    return Settings(
        database_url=os.environ.get("DATABASE_URL", default_db),
        content_dir=Path(os.environ.get("HAMROH_CONTENT_DIR", ROOT / "content")),
    )
