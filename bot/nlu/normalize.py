"""Text normalisation shared by the NLU components: cleaning and script folding."""

from __future__ import annotations

import unicodedata

import regex

from bot.translit import APOSTROPHES

# Zero-width, BOM, soft hyphen and bidi marks: invisible, but they split words.
_INVISIBLE = regex.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad]")
_CONTROL = regex.compile(r"[\p{Cc}\p{Co}\p{Cs}]")
_SPACES = regex.compile(r"\s+")
_APOSTROPHE = regex.compile(f"[{APOSTROPHES}]")

# One Latin spelling for Russian, Uzbek, Tajik and Kyrgyz Cyrillic, chosen so that
# what people type without the special letters (к for қ, х for ҳ, у for ү…) and
# Uzbek/Russian written in Latin letters land on the same form.
_CYRILLIC_FOLD = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "ґ": "g", "д": "d", "е": "e",
    "є": "e", "ё": "yo", "ж": "j", "з": "z", "и": "i", "і": "i", "ӣ": "i", "й": "y",
    "к": "k", "қ": "k", "л": "l", "м": "m", "н": "n", "ң": "n", "о": "o", "ө": "o",
    "ў": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ү": "u", "ӯ": "u",
    "ф": "f", "х": "h", "ҳ": "h", "ц": "ts", "ч": "ch", "ҷ": "ch", "ш": "sh", "щ": "sh",
    "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "yu", "я": "ya", "ә": "a",
}
_LATIN_FOLD = {
    "ğ": "g", "ö": "o", "ü": "u", "ı": "i", "ş": "sh", "ç": "ch", "ñ": "n", "ä": "a",
    "x": "h", "q": "k", "w": "v",
}
_LATIN_DIGRAPHS = [
    (regex.compile(r"zh"), "j"),
    (regex.compile(r"kh"), "h"),
    (regex.compile(r"c(?!h)"), "ts"),
    (regex.compile(r"(?<=\p{L})4|4(?=\p{L})"), "ch"),  # "4to", "ho4u" in Russian translit
    (regex.compile(r"^ye"), "e"),  # Uzbek "yer"/"ер", Russian "yest"/"есть"
    (regex.compile(r"(\p{L})\1+"), r"\1"),  # doubled letters are the commonest typo
]


def clean(text: str) -> str:
    """Return NFC text without invisible or control characters, one space between words."""
    text = unicodedata.normalize("NFC", text or "")
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def fold(word: str) -> str:
    """Fold a word to the script-neutral Latin form the classifier and gazetteer compare."""
    word = clean(word).lower()
    word = _APOSTROPHE.sub("", word)
    word = "".join(_CYRILLIC_FOLD.get(c, _LATIN_FOLD.get(c, c)) for c in word)
    for pattern, replacement in _LATIN_DIGRAPHS:
        word = pattern.sub(replacement, word)
    return word


def fold_text(text: str) -> str:
    """Fold every word of a text (for lexicons and debugging)."""
    return " ".join(fold(w) for w in regex.findall(WORD_PATTERN, clean(text)))


WORD_PATTERN = regex.compile(
    rf"[\p{{L}}\p{{M}}\p{{N}}\u200b-\u200f\u2060\ufeff\u00ad]+"
    rf"(?:[{APOSTROPHES}][\p{{L}}\p{{M}}\p{{N}}\u200b-\u200f\u2060\ufeff\u00ad]+)*"
)
"""A word: letters, marks and digits, possibly joined by apostrophes (o'zbek, g'alaba)."""
