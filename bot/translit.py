"""Uzbek Latin ⇄ Cyrillic transliteration (official 1995 alphabets)."""

from __future__ import annotations

import regex

APOSTROPHES = "ʻʼ‘’`´′'"
"""Characters people type for the Uzbek tutuq belgisi and for o‘ / g‘."""

_CYRL_TO_LATN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ғ": "gʻ", "д": "d", "е": "e", "ё": "yo",
    "ж": "j", "з": "z", "и": "i", "й": "y", "к": "k", "қ": "q", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ў": "oʻ",
    "ф": "f", "х": "x", "ҳ": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "ʼ",
    "ы": "i", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}

# Longest Latin sequences first so that "sh" wins over "s" + "h".
_LATN_TO_CYRL = [
    ("yoʻ", "йў"), ("oʻ", "ў"), ("gʻ", "ғ"), ("sh", "ш"), ("ch", "ч"), ("yo", "ё"), ("yu", "ю"),
    ("ya", "я"), ("ye", "е"), ("ʼ", "ъ"),  # "ts" stays тс: Irkutsk, patentsiz
    ("a", "а"), ("b", "б"), ("d", "д"), ("e", "е"), ("f", "ф"), ("g", "г"), ("h", "ҳ"),
    ("i", "и"), ("j", "ж"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"),
    ("p", "п"), ("q", "қ"), ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("v", "в"),
    ("x", "х"), ("y", "й"), ("z", "з"),
]
_LATN_PATTERN = regex.compile(
    "|".join(regex.escape(latin) for latin, _ in _LATN_TO_CYRL), regex.IGNORECASE
)
_LATN_MAP = dict(_LATN_TO_CYRL)
_VOWELS_LATN = set("aeiou")
_WORD_START = regex.compile(r"(?<![\p{L}ʻʼ])e", regex.IGNORECASE)


def unify_uzbek_apostrophes(text: str) -> str:
    """Write every apostrophe variant after o/g as ʻ and elsewhere as ʼ."""
    text = regex.sub(rf"([oOgG])[{APOSTROPHES}]", r"\1ʻ", text)
    return regex.sub(rf"(?<=\p{{L}})(?<![oOgG])[{APOSTROPHES}](?=\p{{L}})", "ʼ", text)


def _match_case(source: str, target: str) -> str:
    if source.isupper() and len(source) > 1:
        return target.upper()
    if source[:1].isupper():
        return target[:1].upper() + target[1:]
    return target


def cyrl_to_latn(text: str) -> str:
    """Transliterate Uzbek Cyrillic text to Uzbek Latin."""
    out = []
    for i, char in enumerate(text):
        lower = char.lower()
        latin = _CYRL_TO_LATN.get(lower)
        if latin is None:
            out.append(char)
            continue
        if lower == "е" and (i == 0 or not text[i - 1].isalpha()):
            latin = "ye"  # word-initial е is pronounced and written "ye"
        out.append(_match_case(char, latin) if char != lower else latin)
    return "".join(out)


# Addresses, domains ("consulate.mfa.uz", "24.kg"), e-mails, handles, codes and the names of apps
# people must find in a store (RuID) must survive
# transliteration untouched: a reader types them into a browser as written.
_KEEP_LATIN = regex.compile(
    r"(https?://\S+|www\.\S+|\S+@\S+|@\w+|/\w+|\bRuID\b"
    r"|(?<![\p{L}\d.-])(?:[\p{Latin}\d-]+\.)+\p{Latin}{2,}(?:/[^\s,;)]*)?(?![\p{L}\d-]))"
)


def latn_to_cyrl(text: str) -> str:
    """Transliterate Uzbek Latin text to Uzbek Cyrillic, leaving links and commands alone."""
    parts = _KEEP_LATIN.split(text)
    return "".join(p if i % 2 else _latn_to_cyrl(p) for i, p in enumerate(parts))


def _latn_to_cyrl(text: str) -> str:
    text = unify_uzbek_apostrophes(text)
    # A word-initial "e" is Cyrillic "э"; elsewhere plain "e" is "е".
    text = _WORD_START.sub(lambda m: "\x00" if m.group() == "e" else "\x01", text)

    def replace(match: regex.Match) -> str:
        latin = match.group()
        return _match_case(latin, _LATN_MAP[latin.lower()])

    text = _LATN_PATTERN.sub(replace, text)
    return text.replace("\x00", "э").replace("\x01", "Э")
