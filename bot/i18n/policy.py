"""Which language and script to reply in, from what the person chose, wrote and uses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Mapping, Optional

from bot import LANGUAGES
from bot.nlu.detection import detect_script
from bot.nlu.normalize import WORD_PATTERN

MIN_CONFIDENCE = 0.75
"""Below this the language identifier's guess does not change the reply language."""
MIN_WORDS = 2
"""One-word messages ("ok", "patent", "Москва") never flip the language."""
DEFAULT_LANGUAGE = "ru"


@dataclass(frozen=True)
class ReplyLanguage:
    """The language and script of the next reply."""

    language: str
    script: Optional[str] = None  # only meaningful for Uzbek: "latn" or "cyrl"

    def slots(self) -> Dict[str, Any]:
        """Returns the slot values that remember this choice."""
        return {"language": self.language, "script": self.script}


def _telegram_language(metadata: Mapping[str, Any]) -> Optional[str]:
    code = str(metadata.get("language_code") or "").lower().split("-")[0]
    return code if code in LANGUAGES else None


def _is_payload(text: str) -> bool:
    return text.startswith("/")


def reply_language(
    *,
    text: str,
    detection: Optional[Mapping[str, Any]],
    chosen: Optional[str],
    previous: Optional[str],
    previous_script: Optional[str],
    metadata: Optional[Mapping[str, Any]] = None,
) -> ReplyLanguage:
    """Applies the policy: explicit choice, confident detection, language so far, Telegram, Russian."""
    text = (text or "").strip()
    words = len(WORD_PATTERN.findall(text))
    confident = (
        detection is not None
        and not _is_payload(text)
        and words >= MIN_WORDS
        and float(detection.get("confidence") or 0) >= MIN_CONFIDENCE
        and detection.get("code") in LANGUAGES
    )
    if chosen in LANGUAGES:
        language = chosen
    elif confident:
        language = detection["code"]
    elif previous in LANGUAGES:
        language = previous
    else:
        language = _telegram_language(metadata or {}) or DEFAULT_LANGUAGE

    script = previous_script if previous_script in ("latn", "cyrl") else None
    written = None if _is_payload(text) else detect_script(text)
    if language == "uz" and written:
        script = written  # Uzbek answers follow the alphabet the person types in
    if language == "uz" and script is None:
        script = "latn"
    return ReplyLanguage(language, script if language == "uz" else None)
