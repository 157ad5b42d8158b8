"""Hamroh: a multilingual assistant for labour migrants in Russia."""

__version__ = "0.1.0"

LANGUAGES = ("ru", "uz", "tg", "ky")
"""Reply languages, in the order they are offered to a person."""
