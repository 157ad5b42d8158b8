"""One registry of what the assistant talks about: languages, topics, cities, countries, scopes.

Everything else — the domain, the rules, the content files, the catalogs, the workspace's lists —
reads these definitions or is checked against them by `tests/bot/test_registry.py`.
Labels are Russian gettext message ids (translated where they are shown).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Optional, Tuple


def N_(message: str) -> str:
    """Marks a string for extraction (kept here so the registry imports nothing of the project)."""
    return message


# --- Languages -------------------------------------------------------------------------------

LANGUAGES = ("ru", "uz", "tg", "ky")
"""Reply languages, in the order they are offered to a person."""
SOURCE_LANGUAGE = "ru"
"""Message ids and seed answers are written in Russian, the language every NGO maintainer reads."""
SCRIPTS = ("latn", "cyrl")
"""Uzbek is written in both; its answers are stored in Latin and transliterated for Cyrillic."""



# --- Topics ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Topic:
    """A topic a person can ask about: an intent of the contract with an answer in the knowledge base."""

    name: str
    label: str  # button label (gettext id)
    urgent: bool = False  # immediate steps first, then a contact that works in every city
    menu: bool = False  # offered in the help menu
    answered: bool = True  # has answers in content/<name>.yml (talk_to_human only routes)


def _topics(*topics: Topic) -> Dict[str, Topic]:
    return {t.name: t for t in topics}


TOPICS: Dict[str, Topic] = _topics(
    Topic("registration_howto", N_("Регистрация: как сделать"), menu=True),
    Topic("registration_deadline", N_("Сроки регистрации")),
    Topic("registration_renewal", N_("Продление регистрации")),
    Topic("stay_period", N_("Сколько можно быть в России")),
    Topic("patent_howto", N_("Как получить патент"), menu=True),
    Topic("patent_payment", N_("Оплата патента")),
    Topic("eaeu_work", N_("Граждане ЕАЭС: работа без патента"), menu=True),
    Topic("medical_exam_tests", N_("Медосмотр и экзамен")),
    Topic("employment_contract", N_("Трудовой договор")),
    Topic("unpaid_wages", N_("Не платят зарплату"), menu=True),
    Topic("passport_withheld", N_("Забрали паспорт"), urgent=True),
    Topic("police_stop", N_("Остановила полиция"), urgent=True, menu=True),
    Topic("detention_expulsion", N_("Задержание и выдворение"), urgent=True, menu=True),
    Topic("status_check", N_("Проверить запрет въезда")),
    Topic("healthcare", N_("Медицинская помощь")),
    Topic("child_school", N_("Ребёнок в школу или сад")),
    Topic("forced_labour", N_("Не отпускают, угрожают"), urgent=True),
    Topic("find_free_help", N_("Бесплатная помощь рядом"), menu=True),
    Topic("join_union", N_("Профсоюз")),
    Topic("intermediary_offer", N_("Посредники и поддельные документы"), menu=True),
    Topic("consulate_contacts", N_("Посольство и консульство"), menu=True),
    Topic("talk_to_human", N_("Связаться с человеком"), answered=False),
)
"""Every topic, most asked first within the menu; the names are intents of shared/spec/intents.yml."""

DOMAIN_TOPICS: Tuple[str, ...] = tuple(t.name for t in TOPICS.values() if t.answered)
"""Topics with answers in the knowledge base (one content file each)."""
ROUTABLE_TOPICS: Tuple[str, ...] = tuple(TOPICS)
"""Topics an organisation can be listed for (every answered topic, and talking to a person)."""
URGENT_TOPICS: Tuple[str, ...] = tuple(t.name for t in TOPICS.values() if t.urgent)
MENU_TOPICS: Tuple[str, ...] = tuple(t.name for t in TOPICS.values() if t.menu)
TOPIC_LABELS: Dict[str, str] = {t.name: t.label for t in TOPICS.values()}
"""Topic → button label (gettext id)."""

CONVERSATION_INTENTS = (
    "greet", "goodbye", "thanks", "affirm", "deny", "help_menu", "choose_language", "talk_to_human",
    "bot_challenge", "out_of_scope", "inform", "forget",
)
"""Intents that are not knowledge-base topics (talk_to_human is both: it routes to people)."""


# --- Places and citizenship ------------------------------------------------------------------

CITIES: Dict[str, str] = {
    "moscow": N_("Москва"),
    "saint_petersburg": N_("Санкт-Петербург"),
    "yekaterinburg": N_("Екатеринбург"),
    "novosibirsk": N_("Новосибирск"),
    "kazan": N_("Казань"),
    "krasnoyarsk": N_("Красноярск"),
    "nizhny_novgorod": N_("Нижний Новгород"),
    "samara": N_("Самара"),
    "rostov_on_don": N_("Ростов-на-Дону"),
    "krasnodar": N_("Краснодар"),
    "chelyabinsk": N_("Челябинск"),
    "ufa": N_("Уфа"),
    "tyumen": N_("Тюмень"),
    "irkutsk": N_("Иркутск"),
    "vladivostok": N_("Владивосток"),
    "surgut": N_("Сургут"),
}
"""The contract's cities (canonical values) and their names."""
CITY_BUTTONS = ("moscow", "saint_petersburg", "yekaterinburg", "novosibirsk", "kazan", "samara")
"""Cities offered as buttons when asking; any other is typed."""
OTHER_CITY = "other"
"""Slot value for a city the person named that is not in the contract: known to be none of ours."""

COUNTRIES: Dict[str, str] = {
    "uzbekistan": N_("Узбекистан"),
    "tajikistan": N_("Таджикистан"),
    "kyrgyzstan": N_("Кыргызстан"),
    "kazakhstan": N_("Казахстан"),
    "armenia": N_("Армения"),
    "belarus": N_("Беларусь"),
    "other": N_("другая страна"),
}
"""Citizenships of the contract; the answer and the routing depend on them."""

SCOPES = ("any", "uzbekistan", "tajikistan", "eaeu", "other")
"""Whom an answer is written for; `any` is the general answer."""
SCOPE_OF_COUNTRY = {
    "uzbekistan": "uzbekistan", "tajikistan": "tajikistan", "kyrgyzstan": "eaeu",
    "kazakhstan": "eaeu", "armenia": "eaeu", "belarus": "eaeu", "other": "other",
}
"""Citizenship → answer scope: the EAEU states share their rules."""


def scope_of(country: Optional[str]) -> Optional[str]:
    """Returns the answer scope of a citizenship (None when unknown)."""
    return SCOPE_OF_COUNTRY.get(country or "")


# --- Organisations ---------------------------------------------------------------------------

ORGANISATION_KINDS: Dict[str, str] = {
    "ngo": N_("НКО"),
    "trade_union": N_("Профсоюз"),
    "home_country_agency": N_("Ведомство страны гражданства"),
    "consulate": N_("Консульство"),
    "hotline": N_("Горячая линия"),
}
"""Kinds of organisation in the directory, with their names."""
CONSULAR_KINDS = ("consulate", "home_country_agency", "hotline")
"""Kinds of body that serve the citizens of one country (offered only to them)."""


# --- Channels --------------------------------------------------------------------------------

CHANNELS: Dict[str, str] = {
    "rest": "rest",
    "telegram": "bot.channels.telegram.HamrohTelegramInput",
}
"""Channel name → its key in credentials.yml (Rasa's name for a built-in, the module path for ours)."""
