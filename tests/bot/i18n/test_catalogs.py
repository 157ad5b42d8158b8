"""Every fixed text exists, translated, in every language's catalog."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot import LANGUAGES, messages, registry
from bot.i18n import locales_dir, translate

ROOT = Path(__file__).resolve().parents[3]
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def all_messages():
    """Every message id defined in bot.messages and the registry (plain strings and dict values)."""
    found = [label for names in (registry.TOPIC_LABELS, registry.CITIES, registry.COUNTRIES,
                                 registry.ORGANISATION_KINDS) for label in names.values()]
    for name, value in vars(messages).items():
        if name.isupper() and isinstance(value, str):
            found.append(value)
        elif name.isupper() and isinstance(value, dict):
            found.extend(v for v in value.values() if isinstance(v, str))
    return found


def catalog(language):
    with (ROOT / "bot" / "locales" / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language):
    entries = catalog(language)
    missing = [m for m in all_messages() if not (entries.get(m) and entries.get(m).string)]
    fuzzy = [m.id for m in entries if m.id and m.fuzzy]
    assert not missing, f"{language}: {len(missing)} untranslated, e.g. {missing[:3]}"
    assert not fuzzy, f"{language}: fuzzy translations {fuzzy[:3]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_placeholders(language):
    for entry in catalog(language):
        if entry.id and entry.string:
            assert set(PLACEHOLDER.findall(entry.id)) == set(PLACEHOLDER.findall(entry.string)), entry.id


def test_template_lists_every_message():
    with (ROOT / "bot" / "locales" / "messages.pot").open("rb") as handle:
        template = read_po(handle)
    assert not [m for m in all_messages() if template.get(m) is None], "run `make i18n-update`"


@pytest.mark.parametrize("language", ["uz", "tg", "ky"])
def test_translated_text_is_served(language):
    assert translate(messages.HELP_MENU, language) != messages.HELP_MENU


def test_uzbek_cyrillic_is_transliterated_from_latin():
    latin, cyrillic = translate(messages.THANKS, "uz", "latn"), translate(messages.THANKS, "uz", "cyrl")
    assert latin != cyrillic and not re.search(r"[a-zA-Z]", cyrillic)


def test_unknown_language_falls_back_to_russian():
    assert translate(messages.THANKS, "de") == messages.THANKS


def test_placeholders_are_filled():
    assert "Казань" in translate(messages.INFORM_CITY, "ru", city="Казань")
    assert str(locales_dir()) != str(ROOT / "bot" / "locales")  # tests read freshly compiled catalogs
