"""Answer texts in the editor as the bot says them: money and dates written out, turned back into tokens on save.

An answer stores money and dates as tokens ([rub:5000], [date:2026-01-28]) so that each language and script
formats them. The editor shows them formatted in the answer's language ("5 000 ₽", "28 января 2026 г.",
"2026-yil 28-yanvar"); on save, every amount in roubles and every date written that way becomes a token again.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Optional

import regex

from bot.content.render import localise, long_date

_MONEY = regex.compile(r"(?<![\d.,])(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:[.,](\d+))?[ \u00a0\u202f]?₽")
_UZBEK_SUFFIXES = ("dan", "gacha", "da", "ga", "ning", "ni", "kuni")
"""Case endings the bot joins to an Uzbek date ("[date:…] dan" says "1-yanvardan"); read back apart."""
_PROBE_DAY, _PROBE_YEAR = 15, 2000


@lru_cache(maxsize=None)
def _date_pattern(language: str) -> regex.Pattern:
    """Dates as `long_date` writes them in a language, one alternative per month (names differ by month)."""
    alternatives = []
    for month in range(1, 13):
        # Any space where the bot writes one (CLDR uses no-break spaces): a date typed by hand is read too.
        pieces = regex.split(r"[\s\u00a0\u202f]+", long_date(date(_PROBE_YEAR, month, _PROBE_DAY), language))
        written = r"[\s\u00a0\u202f]+".join(regex.escape(piece) for piece in pieces)
        written = written.replace(str(_PROBE_YEAR), r"(?P<y>\d{4})", 1).replace(str(_PROBE_DAY), r"(?P<d>\d{1,2})", 1)
        alternatives.append(f"(?P<m{month}>{written})")
    suffix = r"(?P<suffix>" + "|".join(_UZBEK_SUFFIXES) + r")?" if language == "uz" else ""
    return regex.compile(r"(?<![\p{L}\d])(?:" + "|".join(alternatives) + r")" + suffix + r"(?![\p{L}\d])",
                         regex.IGNORECASE | regex.VERSION1)


def said(text: str, language: str, script: Optional[str] = None) -> str:
    """An answer text as the bot says it: tokens formatted in the answer's language (Uzbek in Latin letters
    unless `script` is "cyrl"); tokens are never transliterated."""
    return localise(text or "", language, script)


def _date_token(match: regex.Match, language: str) -> str:
    month = next(m for m in range(1, 13) if match.group(f"m{m}") is not None)
    try:
        day = date(int(match.captures("y")[0]), month, int(match.captures("d")[0]))
    except ValueError:
        return match.group(0)  # "31 февраля" stays as typed
    written = match.group(0)[: len(match.group(0)) - len(match.group("suffix") or "")] if language == "uz" \
        else match.group(0)
    if regex.sub(r"[\s\u00a0\u202f]+", " ", written).lower() != \
            regex.sub(r"[\s\u00a0\u202f]+", " ", long_date(day, language)).lower():
        return match.group(0)
    suffix = match.group("suffix") if language == "uz" else None
    return f"[date:{day.isoformat()}]" + (f" {suffix}" if suffix else "")


def tokens(text: str, language: str) -> str:
    """A text typed in the editor with its amounts in roubles and dates written the bot's way back as tokens."""
    def money(match: regex.Match) -> str:
        whole = regex.sub(r"\D", "", match.group(1))
        return f"[rub:{whole}.{match.group(2)}]" if match.group(2) else f"[rub:{whole}]"

    text = _MONEY.sub(money, text or "")
    return _date_pattern(language).sub(lambda match: _date_token(match, language), text)


def stored(typed: str, language: str, served: Optional[str] = None) -> str:
    """What to store for a text typed in the editor: with tokens; the served text itself when the bot would say
    exactly the same (the tokens as they were written stay)."""
    text = tokens(typed, language)
    if served is not None and said(served, language).strip() == said(text, language).strip():
        return served
    return text
