"""Telegram text and keyboard shaping: length limit, HTML escaping, phone-sized button rows."""

from __future__ import annotations

import html
import re
from typing import List, Sequence, TypeVar

MESSAGE_LIMIT = 4096
"""Bot API limit of one message, counted after entity parsing in UTF-16 code units."""
SHORT_LABEL = 16
"""Two labels this long still fit side by side on a 360-pixel-wide phone screen."""
PARSE_MODE = "HTML"
"""HTML needs only < > & escaped; MarkdownV2 would need 18 characters escaped in NGO texts."""

T = TypeVar("T")


def utf16_length(text: str) -> int:
    """Returns the length Telegram counts: UTF-16 code units (an emoji counts twice)."""
    return len(text.encode("utf-16-le")) // 2


def escape(text: str) -> str:
    """Escapes a plain text for HTML parse mode, so NGO content with < & * _ shows as written."""
    return html.escape(text, quote=False)


def _hard_cut(text: str, limit: int) -> List[str]:
    """Cuts a text without spaces into pieces of at most `limit` UTF-16 units, never inside a character."""
    pieces, current, size = [], [], 0
    for character in text:
        width = utf16_length(character)
        if size + width > limit:
            pieces.append("".join(current))
            current, size = [], 0
        current.append(character)
        size += width
    if current:
        pieces.append("".join(current))
    return pieces


def _pack(parts: Sequence[str], separator: str, limit: int, finer: Sequence[str]) -> List[str]:
    """Greedily joins parts into chunks within the limit; splits an oversized part at the next finer boundary."""
    chunks: List[str] = []
    current = ""
    for part in parts:
        if utf16_length(part) > limit:
            if current:
                chunks.append(current)
                current = ""
            chunks.extend(_split(part, limit, finer))
            continue
        candidate = current + separator + part if current else part
        if utf16_length(candidate) <= limit:
            current = candidate
        else:
            chunks.append(current)
            current = part
    if current:
        chunks.append(current)
    return chunks


def _split(text: str, limit: int, boundaries: Sequence[str]) -> List[str]:
    if not boundaries:
        return _hard_cut(text, limit)
    pattern, rest = boundaries[0], boundaries[1:]
    separator = {"\n\n": "\n\n", "\n": "\n", " ": " "}[pattern]
    parts = [p for p in re.split(r"\n\s*\n" if pattern == "\n\n" else re.escape(pattern), text) if p.strip()]
    return _pack([p.strip("\n") for p in parts], separator, limit, rest)


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> List[str]:
    """Splits a text into messages within Telegram's limit: on paragraphs, then lines, then words.

    A text that fits stays one message (Rasa's connector sent every paragraph
    separately, which scattered one answer over many bubbles).
    """
    text = (text or "").strip()
    if not text:
        return []
    if utf16_length(text) <= limit:
        return [text]
    return _split(text, limit, ("\n\n", "\n", " "))


def rows(items: Sequence[T], labels: Sequence[str], short: int = SHORT_LABEL) -> List[List[T]]:
    """Lays buttons out for a phone: two per row when both labels are short, else one per row."""
    laid_out: List[List[T]] = []
    i = 0
    while i < len(items):
        if i + 1 < len(items) and len(labels[i]) <= short and len(labels[i + 1]) <= short:
            laid_out.append([items[i], items[i + 1]])
            i += 2
        else:
            laid_out.append([items[i]])
            i += 1
    return laid_out
