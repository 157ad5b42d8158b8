"""Translations of every fixed text the bot shows, from gettext catalogs in locales/."""

from __future__ import annotations

import logging
import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

from babel.support import NullTranslations, Translations

from bot import LANGUAGES
from bot.translit import latn_to_cyrl

logger = logging.getLogger(__name__)

DOMAIN = "messages"
SOURCE_LANGUAGE = "ru"
"""Message ids are written in Russian, the language every NGO maintainer reads."""


def N_(message: str) -> str:
    """Marks a string for extraction without translating it yet."""
    return message


def locales_dir() -> Path:
    """Returns the folder with the gettext catalogs (HAMROH_LOCALES_DIR overrides)."""
    default = Path(__file__).resolve().parents[2] / "locales"
    return Path(os.environ.get("HAMROH_LOCALES_DIR", default))


@lru_cache(maxsize=None)
def translations(language: str) -> NullTranslations:
    """Returns the compiled catalog of a language (cached; missing catalog → source text)."""
    catalog = Translations.load(str(locales_dir()), [language], DOMAIN)
    if language != SOURCE_LANGUAGE and not isinstance(catalog, Translations):
        logger.error("No compiled catalog for %s in %s: run `make i18n-compile`.", language, locales_dir())
    return catalog


def translate(message: str, language: str, script: Optional[str] = None, **values: Any) -> str:
    """Returns a message in a language (and, for Uzbek, a script), with values filled in."""
    language = language if language in LANGUAGES else SOURCE_LANGUAGE
    text = translations(language).gettext(message)
    if text == message and language != SOURCE_LANGUAGE:
        logger.warning("Missing %s translation, answering in Russian: %r", language, message[:60])
    if values:
        text = text.format(**values)
    if language == "uz" and script == "cyrl":
        text = latn_to_cyrl(text)
    return text
