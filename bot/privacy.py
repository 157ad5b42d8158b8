"""Masks personal data before anything is stored: phone and document numbers, e-mails, Telegram handles, street
addresses, and a name a person introduces ("меня зовут …", "mening ismim …", "номи ман …", "менин атым …").

Each mask replaces only the personal part: the words around it stay, so NGO staff still read the question
("мой код [номер]", "меня зовут [имя], мне 25 лет").
"""

from __future__ import annotations

import phonenumbers
import regex

PHONE = "[телефон]"
NUMBER = "[номер]"
EMAIL = "[email]"
HANDLE = "[ник]"
ADDRESS = "[адрес]"
NAME = "[имя]"

_EMAIL = regex.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
# @name, t.me/name, telegram.me/name (Telegram usernames: letters, digits and underscores).
_HANDLE = regex.compile(r"(?:(?<![\w@.])@|\b(?:https?://)?(?:t|telegram)\.me/)[A-Za-z][A-Za-z0-9_]{2,31}\b")
# Passport and patent numbers with their series: capital letters then digits ("AA1234567", "FA 123 45 67",
# "ID0123456"). Capitals only: a lower-case word before a number ("код 123456", "на 1234567") is a word, and stays.
_LETTERED_DOCUMENT = regex.compile(r"(?<![\p{L}\d])\p{Lu}{1,3}[ №-]?\d(?:[ -]?\d){5,}(?![\p{L}\d])")
_DIGITS = regex.compile(r"(?<![\p{L}\d])\d(?:[ -]?\d){5,}(?![\p{L}\d])")

# --- Street addresses: a street word, its name and a house number (a street without a number names no one).
_APOSTROPHES = "'’ʻ`‘"
_WORD = rf"[\p{{L}}\d][\p{{L}}\d{_APOSTROPHES}-]*"
_STOP = (r"(?:я|мы|живу|живём|живем|работаю|на|в|по|men|biz|yashayman|ishlayman|ман|мо|зиндагӣ|мен|биз|"
         r"жашайм|иштейм|turaman|туражман)")
# Street words written before the name ("ул. Ленина 5", "кӯчаи Рӯдакӣ 12") …
_BEFORE = (r"(?:ул|улица|улице|улицу|пр-т|просп|проспект|проспекте|пер|переулок|переулке|б-р|бульвар|бульваре|ш|шоссе|"
           r"пл|площадь|площади|проезд|проезде|наб|набережная|набережной|мкр|микрорайон|микрорайоне|аллея|тупик|"
           r"кӯчаи|кучаи|хиёбони|гузари|маҳаллаи|mavzesi|көчө|кочо)")
# … and after it ("Ленинский проспект 10", "Navoiy ko'chasi 12", "Киев көчөсү 5", "Чүй проспектиси 12").
_AFTER = (rf"(?:проспект|проспекте|шоссе|переулок|переулке|бульвар|бульваре|проезд|проезде|набережная|набережной|"
          rf"ko[{_APOSTROPHES}]?chasi|ko[{_APOSTROPHES}]?cha|mahallasi|massivi|kvartali|tumani|кўчаси|кучаси|"
          r"маҳалласи|махалласи|көчөсү|кочосу|проспектиси|микрорайону|кварталы|ш\.|ул\.)")
_NUMBER = r"\d+\p{L}?(?:[/-]\d+\p{L}?)?(?:-?(?:uy|үй|уй|й))?"
_HOUSE = rf"(?:(?:д|дом|doma|uy|үй|уй|хонаи|house)\.?\s*)?{_NUMBER}"
_PARTS = (r"(?:[,\s]+(?:корп|корпус|к|стр|строение|кв|квартира|kv|xonadon|хонадон|хонаи|батир|под|подъезд|эт|этаж)"
          r"\.?\s*\d+\p{L}?)*")
_ADDRESS = regex.compile(
    rf"(?:\b(?i:{_BEFORE})\.?\s+(?:{_WORD}\s+){{0,2}}?{_WORD}"  # street word, then 1–3 words of its name
    # 1–2 words of name (two only when both are capitalised), then the street word
    rf"|(?:(?!(?i:{_STOP})\b)\p{{Lu}}{_WORD}\s+)?(?!(?i:{_STOP})\b){_WORD}\s+(?i:{_AFTER}))"
    rf"[,\s]+(?i:{_HOUSE}{_PARTS})(?![\p{{L}}\d])",
    regex.VERSION1)
# A house and flat without the street ("д. 5, кв. 12", "дом 5 кв 12").
_HOUSE_FLAT = regex.compile(r"\b(?:д|дом)\.?\s*\d+\p{L}?(?:[/-]\d+)?[,\s]+(?:кв|квартира)\.?\s*\d+\b",
                            regex.IGNORECASE)

# --- A name after "my name is" in each language: up to three words of letters, until punctuation or a word that
# is not a name ("меня зовут Иван, мне 25 лет", "номи ман Фаррух Раҳимов аст").
_INTRODUCTIONS = (r"меня\s+зовут|мо[её]\s+имя|моя\s+фамилия|mening\s+ismim|ismim|mening\s+otim|менинг\s+исмим|"
                  r"исмим|номи\s+ман|номам|менин\s+атым|менин\s+ысымым|атым|ысымым")
_NOT_A_NAME = (r"(?:и|а|но|я|мне|меня|мой|моя|у|из|в|на|с|живу|работаю|лет|год|это|есть|как|что|не|"
               r"va|men|menga|man|bu|yoshim|ham|edi|bo[{a}]ladi|nima|kim|"
               r"аст|ва|ман|ба|аз|ҳастам|астам|мебошад|чист|кист|чӣ|"
               r"жана|мен|деп|болот|элем|менин|эмне|ким)").replace("{a}", _APOSTROPHES)
_NAME_WORD = rf"(?!{_NOT_A_NAME}\b)\p{{L}}[\p{{L}}{_APOSTROPHES}-]*"
_NAME = regex.compile(rf"\b((?:{_INTRODUCTIONS})[\s:—-]+)({_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}})",
                      regex.IGNORECASE | regex.VERSION1)


def mask(text: str) -> str:
    """Returns the text with phone and document numbers, e-mails, Telegram handles, street addresses and an
    introduced name replaced."""
    text = text or ""
    text = _EMAIL.sub(EMAIL, text)
    text = _HANDLE.sub(HANDLE, text)
    text = _NAME.sub(lambda match: match.group(1) + NAME, text)
    text = _ADDRESS.sub(ADDRESS, text)
    text = _HOUSE_FLAT.sub(ADDRESS, text)
    text = _LETTERED_DOCUMENT.sub(NUMBER, text)
    # Replace from the end so earlier offsets stay valid.
    for match in reversed(list(phonenumbers.PhoneNumberMatcher(text, "RU", leniency=phonenumbers.Leniency.POSSIBLE))):
        text = text[: match.start] + PHONE + text[match.end :]
    return _DIGITS.sub(NUMBER, text)
