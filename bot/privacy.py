"""Masks personal data (phone numbers, document numbers, e-mails) before anything is stored."""

from __future__ import annotations

import phonenumbers
import regex

PHONE = "[телефон]"
NUMBER = "[номер]"
EMAIL = "[email]"

_EMAIL = regex.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
# Passport, patent and card numbers: letters with digits ("AA1234567", "FA 123 45 67"), or any
# run of six or more digits, possibly grouped by spaces or dashes.
_LETTERED_DOCUMENT = regex.compile(r"(?<![\p{L}\d])\p{L}{1,3}[ №-]?\d(?:[ -]?\d){5,}(?![\p{L}\d])")
_DIGITS = regex.compile(r"(?<![\p{L}\d])\d(?:[ -]?\d){5,}(?![\p{L}\d])")


def mask(text: str) -> str:
    """Returns the text with phone numbers, document numbers and e-mails replaced."""
    text = text or ""
    text = _EMAIL.sub(EMAIL, text)
    text = _LETTERED_DOCUMENT.sub(NUMBER, text)
    # Replace from the end so earlier offsets stay valid.
    for match in reversed(list(phonenumbers.PhoneNumberMatcher(text, "RU", leniency=phonenumbers.Leniency.POSSIBLE))):
        text = text[: match.start] + PHONE + text[match.end :]
    return _DIGITS.sub(NUMBER, text)
