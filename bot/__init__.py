"""Hamroh: a multilingual assistant for labour migrants in Russia."""

__version__ = "0.1.0"

from bot.registry import LANGUAGES  # noqa: F401 - the registry defines them; `from bot import LANGUAGES` reads well
