"""Errors the workspace shows to the person who caused them, translated into that person's language."""

from __future__ import annotations

from typing import Any, Iterable, Optional

from bot.i18n import SOURCE_LANGUAGE, translate


class Reason:
    """A gettext message (bot/admin/reasons.py) with its values, translated only when shown."""

    def __init__(self, message: str, **values: Any) -> None:
        self.message, self.values = message, values

    def text(self, language: str) -> str:
        """Returns the message in a language; values that are reasons themselves are translated too."""
        values = {k: v.text(language) if isinstance(v, Reason) else v for k, v in self.values.items()}
        # Formatted here, not by translate(): a value may be called "language" too (an unknown language code).
        text = translate(self.message, language)
        return text.format(**values) if values else text

    def __str__(self) -> str:
        return self.text(SOURCE_LANGUAGE)

    def __repr__(self) -> str:
        return f"Reason({self.message!r}, {self.values!r})"


class FieldList(Reason):
    """Fields of an answer or organisation ("body", "translations.uz.name"), named in a language when shown."""

    def __init__(self, keys: Iterable[str]) -> None:
        super().__init__("")
        self.keys = list(keys)

    def text(self, language: str) -> str:
        from bot.admin.names import field_title

        return ", ".join(field_title(key, language) for key in self.keys)

    def __repr__(self) -> str:
        return f"FieldList({self.keys!r})"


class AnswerName(Reason):
    """An answer key "topic/language/scope", named in a language when shown."""

    def __init__(self, key: str) -> None:
        super().__init__("")
        self.key = key

    def text(self, language: str) -> str:
        from bot.admin.names import answer_key_name

        return answer_key_name(self.key, language)

    def __repr__(self) -> str:
        return f"AnswerName({self.key!r})"


class WorkflowError(ValueError):
    """An action the rules forbid (e.g. approving one's own draft); `reason` says why, in any language, and
    `field_name`, when known, which form field it is about (the page shows the reason beside it)."""

    def __init__(self, message: str, field_name: Optional[str] = None, **values: Any) -> None:
        self.reason = Reason(message, **values)
        self.field_name = field_name
        super().__init__(str(self.reason))

    def text(self, language: str) -> str:
        """Returns why, in a language."""
        return self.reason.text(language)
