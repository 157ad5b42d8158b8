"""Every workspace text is translated into every language, placeholders kept."""

import re

import pytest

from bot import LANGUAGES
from bot.admin import texts
from tests.bot.i18n.test_catalogs import catalog

PLACEHOLDER = re.compile(r"\{(\w+)\}")
WORKSPACE_TEXTS = [v for k, v in vars(texts).items() if k.isupper() and isinstance(v, str)]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_workspace_text_is_translated(language):
    entries = catalog(language)
    missing = [m for m in WORKSPACE_TEXTS if not (entries.get(m) and entries.get(m).string)]
    assert not missing, f"{language}: {len(missing)} untranslated, e.g. {missing[:3]}"
    for message in WORKSPACE_TEXTS:
        assert set(PLACEHOLDER.findall(message)) == set(PLACEHOLDER.findall(entries.get(message).string)), message
