"""Translations of every fixed text the bot shows, from gettext catalogs in locales/."""

from __future__ import annotations

import logging
import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

from babel.support import NullTranslations, Translations

from bot.resources import shipped
from bot.registry import LANGUAGES, SOURCE_LANGUAGE
from bot.translit import latn_to_cyrl

logger = logging.getLogger(__name__)

DOMAIN = "messages"


def N_(message: str) -> str:
    """Marks a string for extraction without translating it yet."""
    return message


def locales_dir() -> Path:
    """Returns the folder with the gettext catalogs (HAMROH_LOCALES_DIR overrides)."""
    return Path(os.environ.get("HAMROH_LOCALES_DIR") or shipped("bot", "locales"))


class _Missing(NullTranslations):
    """The last fallback of a catalog: logs a message it lacks, then returns the Russian source."""

    def __init__(self, language: str) -> None:
        super().__init__()
        self.language = language

    def gettext(self, message: str) -> str:
        logger.warning("Missing %s translation, answering in Russian: %r", self.language, message[:60])
        return message


@lru_cache(maxsize=None)
def translations(language: str) -> NullTranslations:
    """Returns the compiled catalog of a language (cached; missing catalog → source text)."""
    catalog = Translations.load(str(locales_dir()), [language], DOMAIN)
    if language == SOURCE_LANGUAGE:
        return catalog
    if not isinstance(catalog, Translations):
        logger.error("No compiled catalog for %s in %s: run `make i18n-compile`.", language, locales_dir())
    # A translation may equal its source ("сайт"); only a message the catalog lacks is missing.
    catalog.add_fallback(_Missing(language))
    return catalog


def translate(message: str, language: str, script: Optional[str] = None, **values: Any) -> str:
    """Returns a message in a language (and, for Uzbek, a script), with values filled in."""
    language = language if language in LANGUAGES else SOURCE_LANGUAGE
    text = translations(language).gettext(message)
    if values:
        text = text.format(**values)
    if language == "uz" and script == "cyrl":
        text = latn_to_cyrl(text)
    return text
