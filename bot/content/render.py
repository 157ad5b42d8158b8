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
from bot.translit import latn_to_cyrl

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


def long_date(day: date, language: str, script: Optional[str] = None) -> str:
    """Formats a date in words: "5 февраля 2025 г."."""
    return format_date(day, format="long", locale=babel_locale(language, script))


def _expand(kind: str, value: str, language: str, script: Optional[str]) -> str:
    try:
        if kind == "rub":
            return money(float(value.replace(" ", "").replace(",", ".")), language, script)
        return long_date(date.fromisoformat(value.strip()), language, script)
    except ValueError:
        return value  # a maintainer's typo shows as written rather than breaking the answer


def localise(text: str, language: str, script: Optional[str] = None) -> str:
    """Expands [rub:N] and [date:YYYY-MM-DD], and writes Uzbek in the person's script."""
    parts, last = [], 0
    for match in _TOKEN.finditer(text):
        parts.append(_script(text[last : match.start()], language, script))
        parts.append(_expand(match.group(1), match.group(2), language, script))
        last = match.end()
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


def footer(answer: ServedAnswer, language: str, script: Optional[str] = None) -> str:
    """Returns "checked by ORG on DATE. Source: …" in the reply language."""
    source = answer.sources[0] if answer.sources else {}
    title = source.get("legal_basis") or source.get("title") or "—"
    if source.get("url"):
        title = f"{title} ({source['url']})"
    return translate(messages.ANSWER_FOOTER, language, script, reviewer=answer.reviewed_by,
                     date=long_date(answer.reviewed_on, language, script), source=title)


def organisation_text(organisation: OrganisationView, language: str, script: Optional[str] = None) -> str:
    """Returns one organisation as a few short lines: name, how to reach it, vetting date."""
    tags = []
    if organisation.free:
        tags.append(translate(messages.ORG_FREE, language, script))
    if organisation.nationwide:
        tags.append(translate(messages.ORG_NATIONWIDE, language, script))
    if organisation.vetted_on:
        tags.append(translate(messages.ORG_VETTED, language, script,
                              date=long_date(organisation.vetted_on, language, script)))
    lines = [f"• {organisation.name} — {', '.join(tags)}"]
    contacts = [str(v) for v in organisation.contacts.values() if v]
    if organisation.hours:
        contacts.append(organisation.hours)
    if contacts:
        lines.append("  " + "; ".join(contacts))
    if organisation.note:
        lines.append("  " + organisation.note)
    return "\n".join(lines)


def routing_text(organisations: List[OrganisationView], found_local: bool, language: str,
                 script: Optional[str] = None) -> str:
    """Returns the list of organisations with its header, or the "none known yet" text."""
    if not organisations:
        return translate(messages.NO_ORGANISATION, language, script)
    header = messages.HELP_HEADER if found_local else messages.NATIONWIDE_HEADER
    body = "\n".join(organisation_text(o, language, script) for o in organisations)
    return translate(header, language, script) + "\n" + body
