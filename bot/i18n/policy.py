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
"""One-word messages ("ok", "patent", "Москва") never flip a language already in use."""
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


def reply_language_for(
    slots: Mapping[str, Any],
    *,
    text: str = "",
    detection: Optional[Mapping[str, Any]] = None,
    metadata: Optional[Mapping[str, Any]] = None,
) -> ReplyLanguage:
    """Applies the policy to a conversation's slots: the one place that reads the language slots."""
    return reply_language(
        text=text, detection=detection,
        chosen=slots.get("language") if slots.get("language_chosen") else None,
        previous=slots.get("language"), previous_script=slots.get("script"),
        metadata=metadata)


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
    detected = detection.get("code") if detection is not None else None
    confident = (
        detection is not None
        and not _is_payload(text)
        and float(detection.get("confidence") or 0) >= MIN_CONFIDENCE
        and detected in LANGUAGES
    )
    established = previous in LANGUAGES
    if chosen in LANGUAGES:
        language = chosen
    elif confident and (words >= MIN_WORDS or not established):
        language = detected  # a first "salom" sets the language; a later one-word message never flips it
    elif established:
        language = previous
    else:
        language = _telegram_language(metadata or {}) or DEFAULT_LANGUAGE

    script = previous_script if previous_script in ("latn", "cyrl") else None
    written = None if _is_payload(text) else detect_script(text)
    if language == "uz" and written and (confident and detected == "uz" or script is None):
        script = written  # Uzbek answers follow the alphabet the person writes Uzbek in (not a city's name)
    if language == "uz" and script is None:
        script = "latn"
    return ReplyLanguage(language, script if language == "uz" else None)
