"""Codes as people read them: topics, scopes, languages, cities, countries by name, answer tokens as the bot says them.

Every name comes from the registry the bot uses (`bot/registry.py`) or from `bot/admin/texts.py`, translated into
the page language; a code never reaches the page.
"""

from __future__ import annotations

from typing import List, Optional, Tuple

import regex
from babel.numbers import format_percent

from bot import messages as M
from bot.admin import texts as T
from bot.admin.i18n import language as page_language
from bot.admin.i18n import tr
from bot.admin import tokens
from bot.content.render import babel_locale
from bot.i18n import translate
from bot.registry import CITIES, COUNTRIES, ORGANISATION_KINDS, TOPIC_LABELS

TOKEN = regex.compile(r"\[(?:rub|date):[^\]]+\]")
"""Money and date tokens of an answer text ([rub:2000], [date:2026-01-28]); each language formats them."""
said = tokens.said  # for the templates: an answer text as the bot says it

COUNTRY_COUNT, CITY_COUNT = len(COUNTRIES), len(CITIES)
"""How many citizenships and cities the coverage and the preview count."""

ENDONYMS = {code: name for name, code, script in M.LANGUAGE_BUTTONS if script != "cyrl"}
"""Each language in its own name (the language links at the top of every page)."""


def _named(names: dict, code: Optional[str], language: Optional[str] = None) -> str:
    if code not in names:
        return code or ""
    return translate(names[code], language) if language else tr(names[code])


def topic_name(code: Optional[str], language: Optional[str] = None) -> str:
    """A topic by its name in the page language (or in `language`)."""
    return _named(TOPIC_LABELS, code, language)


def scope_name(code: Optional[str], language: Optional[str] = None) -> str:
    """An answer's citizenship scope (`any`, `eaeu`, …) by name."""
    return _named(T.SCOPE_NAMES, code, language)


def language_name(code: Optional[str], script: Optional[str] = None, language: Optional[str] = None) -> str:
    """A reply language by name (Uzbek Cyrillic is named as such)."""
    if code == "uz" and script == "cyrl":
        return _named({"uz": T.UZBEK_CYRILLIC}, code, language)
    return _named(T.LANGUAGE_NAMES, code, language)


def city_name(code: Optional[str], language: Optional[str] = None) -> str:
    """A contract city by name."""
    return _named(CITIES, code, language)


def country_name(code: Optional[str], language: Optional[str] = None) -> str:
    """A citizenship by name."""
    return _named(COUNTRIES, code, language)


def kind_name(code: Optional[str], language: Optional[str] = None) -> str:
    """An organisation kind by name."""
    return _named(ORGANISATION_KINDS, code, language)


def answer_name(topic: str, code: str, scope: str, language: Optional[str] = None) -> str:
    """An answer as people name it: "Трудовой договор · таджикский · все граждане"."""
    return " · ".join((topic_name(topic, language), language_name(code, language=language),
                       scope_name(scope, language)))


def answer_key_name(key: str, language: Optional[str] = None) -> str:
    """An answer key "topic/language/scope" (audit log, import reasons) by name; other text as it is."""
    parts = key.split("/")
    if len(parts) == 3 and parts[0] in TOPIC_LABELS and parts[1] in T.LANGUAGE_NAMES and parts[2] in T.SCOPE_NAMES:
        return answer_name(*parts, language=language)
    return key


def choices(names: dict, codes=None) -> List[Tuple[str, str]]:
    """(code, name in the page language) pairs for a select list, in the registry's order."""
    return [(code, tr(names[code])) for code in (codes if codes is not None else names)]


def field_title(key: str, language: str) -> str:
    """A field of an answer or organisation by name in a language: "Часы работы", "Название (таджикский)",
    "Телефон"; the keys are those of the records and of `bot.admin.merge.flatten`."""
    parts = key.split(".")
    if parts[0] == "translations" and len(parts) == 3:
        return f"{field_title(parts[2], language)} ({translate(T.LANGUAGE_NAMES.get(parts[1], parts[1]), language)})"
    if parts[0] == "contacts" and len(parts) == 2:
        label = T.CONTACT_NAMES.get(parts[1])
        return translate(label, language) if label else parts[1]  # a kind someone made up reads as written
    label = T.ANSWER_FIELD_NAMES.get(key) or T.ORG_FIELD_NAMES.get(key)
    return translate(label, language) if label else key


def field_name(key: str) -> str:
    """A field by name in the page language."""
    return field_title(key, page_language())


def percent(share: float) -> str:
    """A share as the page language writes percentages ("41 %", "41%")."""
    return format_percent(share, locale=babel_locale(page_language()))
