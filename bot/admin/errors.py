"""Errors the workspace shows to the person who caused them, translated into that person's language."""

from __future__ import annotations

from typing import Any

from bot.i18n import SOURCE_LANGUAGE, translate


class Reason:
    """A gettext message (bot/admin/reasons.py) with its values, translated only when shown."""

    def __init__(self, message: str, **values: Any) -> None:
        self.message, self.values = message, values

    def text(self, language: str) -> str:
        """Returns the message in a language; values that are reasons themselves are translated too."""
        values = {k: v.text(language) if isinstance(v, Reason) else v for k, v in self.values.items()}
        return translate(self.message, language, **values)

    def __str__(self) -> str:
        return self.text(SOURCE_LANGUAGE)

    def __repr__(self) -> str:
        return f"Reason({self.message!r}, {self.values!r})"


class WorkflowError(ValueError):
    """An action the rules forbid (e.g. approving one's own draft); `reason` says why, in any language."""

    def __init__(self, message: str, **values: Any) -> None:
        self.reason = Reason(message, **values)
        super().__init__(str(self.reason))

    def text(self, language: str) -> str:
        """Returns why, in a language."""
        return self.reason.text(language)
