"""What language identification puts into parse data, and script detection; free of Rasa for the action server."""

from __future__ import annotations

from typing import Optional

import regex

LANGUAGE_KEY = "language"
"""Key of the language result in Rasa's parse data."""
NOT_UNDERSTOOD_KEY = "not_understood"
"""Parse-data key naming why a message was judged to be in none of our languages."""

_CYRILLIC = regex.compile(r"\p{Cyrillic}")
_LATIN = regex.compile(r"\p{Latin}")


def detect_script(text: str) -> Optional[str]:
    """Returns "cyrl" or "latn" by majority of letters, None without letters."""
    cyrillic = len(_CYRILLIC.findall(text))
    latin = len(_LATIN.findall(text))
    if not cyrillic and not latin:
        return None
    return "cyrl" if cyrillic >= latin else "latn"
