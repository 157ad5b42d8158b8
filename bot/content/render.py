"""Turns stored answers and organisations into short, localised text for a phone screen."""

from __future__ import annotations

from datetime import date
from typing import List, Optional, Tuple

import regex
from babel.dates import format_date
from babel.numbers import format_decimal

from bot import messages
from bot.content.queries import OrganisationView, ServedAnswer
from bot.i18n import translate
from bot.registry import SOURCE_LANGUAGE
from bot.translit import cyrl_to_latn, latn_to_cyrl

SCREEN_LIMIT = 700
"""Characters shown before a "more" button: about one phone screen."""

_TOKEN = regex.compile(r"\[(rub|date):([^\]]+)\]")


def babel_locale(language: str, script: Optional[str] = None) -> str:
    """Returns the CLDR locale of a reply language (Uzbek has two scripts)."""
    if language == "uz":
        return "uz_Cyrl" if script == "cyrl" else "uz_Latn"
    return language if language in ("ru", "tg", "ky") else "ru"


def money(amount: float, language: str, script: Optional[str] = None) -> str:
    """Formats roubles the way the language writes numbers: "10 000 ₽"."""
    return f"{format_decimal(amount, locale=babel_locale(language, script))}\u00a0₽"


# CLDR's long formats read oddly inside a sentence in some languages ("1-yanvar, 2026 dan");
# these are how people write a date in running text.
_DATE_PATTERNS = {"uz": "y-'yil' d-MMMM", "tg": "d MMMM'и' y", "ky": "y-'ж'. d-MMMM"}


def long_date(day: date, language: str, script: Optional[str] = None) -> str:
    """Formats a date in words: "5 февраля 2025 г.", "2025-yil 5-fevral", "5 феврали 2025"."""
    pattern = _DATE_PATTERNS.get(language, "long")
    text = format_date(day, format=pattern, locale=babel_locale(language, "latn" if language == "uz" else script))
    if language == "tg":
        text = text.lower()  # Tajik writes month names in lower case
    return latn_to_cyrl(text) if language == "uz" and script == "cyrl" else text


def _expand(kind: str, value: str, language: str, script: Optional[str]) -> str:
    try:
        if kind == "rub":
            return money(float(value.replace(" ", "").replace(",", ".")), language, script)
        return long_date(date.fromisoformat(value.strip()), language, script)
    except ValueError:
        return value  # a maintainer's typo shows as written rather than breaking the answer


# Uzbek case endings written apart from a token ("[date:…] dan") belong to the date: "1-yanvardan".
_UZBEK_SUFFIX = regex.compile(r"^ (dan|gacha|da|ga|ning|ni|kuni)\b")


def localise(text: str, language: str, script: Optional[str] = None) -> str:
    """Expands [rub:N] and [date:YYYY-MM-DD], and writes Uzbek in the person's script."""
    parts, last = [], 0
    for match in _TOKEN.finditer(text):
        parts.append(_script(text[last : match.start()], language, script))
        expanded = _expand(match.group(1), match.group(2), language, script)
        last = match.end()
        following = text[last:]
        if expanded.endswith(".") and following.startswith("."):
            last += 1  # "… 2022 г." ends the sentence itself: no "г.."
        elif language == "uz" and match.group(1) == "date":
            suffix = _UZBEK_SUFFIX.match(following)
            if suffix:
                expanded += _script(suffix.group(1), language, script)
                last += suffix.end()
        parts.append(expanded)
    parts.append(_script(text[last:], language, script))
    return "".join(parts)


def _script(text: str, language: str, script: Optional[str]) -> str:
    return latn_to_cyrl(text) if language == "uz" and script == "cyrl" else text


def split_for_screen(text: str, limit: int = SCREEN_LIMIT) -> Tuple[str, str]:
    """Splits a text at a line break before `limit` characters: (first screen, the rest)."""
    if len(text) <= limit:
        return text, ""
    cut = text.rfind("\n", 0, limit)
    if cut < limit // 3:
        cut = text.rfind(" ", 0, limit)
    if cut <= 0:
        cut = limit
    return text[:cut].rstrip(), text[cut:].lstrip()


EDITORIAL_TEAM = "Редакция Хамрох"
"""How the seed and the workspace name the team that reviews answers (shown translated)."""


def _source_title(source: dict, language: str, script: Optional[str]) -> str:
    # A law is cited as it is written (in Latin letters for Latin-script Uzbek); other titles
    # are Russian prose, so other languages get the site the source is on.
    title = source.get("legal_basis")
    if not title and source.get("url") and language != SOURCE_LANGUAGE:
        title = regex.sub(r"^https?://(www\.)?", "", source["url"]).split("/")[0]
    if not title:
        title = source.get("title") or "—"
        title = f"{title} ({source['url']})" if source.get("url") else title
    return cyrl_to_latn(title) if language == "uz" and script != "cyrl" else title


def footer(answer: ServedAnswer, language: str, script: Optional[str] = None) -> str:
    """Returns "checked by ORG on DATE. Source: …" in the reply language."""
    source = answer.sources[0] if answer.sources else {}
    reviewer = answer.reviewed_by
    if reviewer == EDITORIAL_TEAM:
        reviewer = translate(messages.EDITORIAL_TEAM, language, script)
    return translate(messages.ANSWER_FOOTER, language, script, reviewer=reviewer,
                     # The template ends the date's sentence itself: "3 декабря 2026 г." must not become "г..".
                     date=long_date(answer.reviewed_on, language, script).rstrip("."),
                     source=_source_title(source, language, script))


_CONTACT_LABELS = {"phone": messages.CONTACT_PHONE, "site": messages.CONTACT_SITE, "email": messages.CONTACT_EMAIL,
                   "address": messages.CONTACT_ADDRESS}


def organisation_text(organisation: OrganisationView, language: str, script: Optional[str] = None) -> str:
    """Returns one organisation as a few short lines: name, cost, how to reach it, vetting date."""
    name, note, hours, in_russian = organisation.in_language(language)
    tags = [translate(messages.ORG_FREE if organisation.free else messages.ORG_LOW_COST, language, script)]
    if organisation.nationwide and not organisation.local:
        tags.append(translate(messages.ORG_NATIONWIDE, language, script))
    if organisation.vetted_on:
        tags.append(translate(messages.ORG_VETTED, language, script,
                              date=long_date(organisation.vetted_on, language, script)))
    lines = [f"• {_script(name, language, script)} — {', '.join(tags)}"]
    contacts = []
    for kind, value in organisation.contacts.items():
        if value:
            label = _CONTACT_LABELS.get(kind)
            contacts.append(f"{translate(label, language, script)}: {value}" if label else str(value))
    if hours:
        contacts.append(_script(hours, language, script))
    if contacts:
        lines.append("  " + "; ".join(contacts))
    if note:
        lines.append("  " + _script(note, language, script))
    if in_russian:
        lines.append("  " + translate(messages.IN_RUSSIAN, language, script))
    return "\n".join(lines)


def routing_text(organisations: List[OrganisationView], found_local: bool, city_known: bool, language: str,
                 script: Optional[str] = None) -> str:
    """Returns the organisations under honest headers (free, low-cost), or "" when there are none."""
    free = [o for o in organisations if o.free]
    low_cost = [o for o in organisations if not o.free]
    blocks = []
    if free:
        if found_local and any(o.local for o in free):
            header = messages.HELP_HEADER
        elif city_known:
            header = messages.NATIONWIDE_HEADER
        else:
            header = messages.REMOTE_HEADER
        blocks.append(translate(header, language, script) + "\n"
                      + "\n".join(organisation_text(o, language, script) for o in free))
    if low_cost:
        blocks.append(translate(messages.LOW_COST_HEADER, language, script) + "\n"
                      + "\n".join(organisation_text(o, language, script) for o in low_cost))
    return "\n\n".join(blocks)
