"""Shared fixtures: the hostile inputs every component must survive."""

import pytest

BAD_INPUTS = {
    "empty": "",
    "spaces": "   \n\t ",
    "huge": "регистрация " * 850,  # ~10,000 characters
    "emoji": "😀🙏🇺🇿👍",
    "punctuation": "?!...,,;:--",
    "mixed_scripts": "Salom привет ҳужжат qayerda registratsiya??",
    "right_to_left": "مرحبا كيف حالك שלום",
    "zero_width": "ре\u200bгис\u200cтра\u200dция\ufeff",
    "control": "patent\x00\x07\x1b[31m narxi",
    "bidi_override": "\u202eтнетап\u202c",
    "lone_surrogate_like": "a\udcff b",
}


@pytest.fixture(params=sorted(BAD_INPUTS), ids=sorted(BAD_INPUTS))
def bad_input(request):
    """One hostile message at a time."""
    return BAD_INPUTS[request.param]


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogs(tmp_path_factory):
    """Compiles locales/*.po into a temporary folder the bot reads, as `make i18n-compile` does."""
    import os
    from pathlib import Path

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    from bot.i18n import locales_dir, translations

    source = locales_dir()
    target = tmp_path_factory.mktemp("locales")
    for po in Path(source).glob("*/LC_MESSAGES/*.po"):
        out = target / po.relative_to(source).with_suffix(".mo")
        out.parent.mkdir(parents=True, exist_ok=True)
        with po.open("rb") as handle:
            catalog = read_po(handle)
        with out.open("wb") as handle:
            write_mo(handle, catalog)
    os.environ["HAMROH_LOCALES_DIR"] = str(target)
    translations.cache_clear()
    yield target
    translations.cache_clear()


@pytest.fixture(autouse=True)
def state_dir(tmp_path_factory, monkeypatch):
    """Each test keeps runtime state (the organisations' offline copy, Telegram's files) apart from the others'."""
    from bot.settings import get_settings

    folder = tmp_path_factory.mktemp("state")
    monkeypatch.setenv("HAMROH_STATE_DIR", str(folder))
    get_settings.cache_clear()
    yield folder
    get_settings.cache_clear()


@pytest.fixture
def content_url(tmp_path, monkeypatch):
    """The seed knowledge base on SQLite, as the bot reads it (DATABASE_URL points at it for the test)."""
    from bot.content.db import session_scope
    from bot.content.loader import load_content
    from bot.settings import SEED_CONTENT, get_settings
    from tests.db import fresh_database, use_database

    url = fresh_database("sqlite", tmp_path)
    use_database(monkeypatch, url)
    with session_scope(url) as session:
        load_content(session, SEED_CONTENT)
    yield url
    get_settings.cache_clear()
