"""Every workspace text, and every Flask-Admin and WTForms text it shows, is translated, placeholders kept."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot import LANGUAGES
from bot import registry
from bot.admin import desk_texts, reasons, texts
from tests.bot.i18n.test_catalogs import catalog

PLACEHOLDER = re.compile(r"\{(\w+)\}")
WORKSPACE_TEXTS = [v for module in (texts, reasons, desk_texts) for k, v in vars(module).items()
                   if k.isupper() and isinstance(v, str)] + list(registry.ORGANISATION_KINDS.values()) + [
    label for module in (texts, desk_texts) for k, names in vars(module).items() if k.endswith("_NAMES")
    for label in names.values() if isinstance(label, str)]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_workspace_text_is_translated(language):
    entries = catalog(language)
    missing = [m for m in WORKSPACE_TEXTS if not (entries.get(m) and entries.get(m).string)]
    assert not missing, f"{language}: {len(missing)} untranslated, e.g. {missing[:3]}"
    for message in WORKSPACE_TEXTS:
        assert set(PLACEHOLDER.findall(message)) == set(PLACEHOLDER.findall(entries.get(message).string)), message


VENDOR_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
ROOT = Path(__file__).resolve().parents[2]


def vendor_catalog(path):
    with path.open("rb") as handle:
        return read_po(handle)


@pytest.mark.parametrize("domain", ["admin", "wtforms"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_flask_admin_and_wtforms_text_is_translated(language, domain):
    template = vendor_catalog(ROOT / "bot" / "locales" / f"{domain}.pot")
    entries = vendor_catalog(ROOT / "bot" / "locales" / language / "LC_MESSAGES" / f"{domain}.po")
    ids = [m.id for m in template if m.id]
    assert ids, f"locales/{domain}.pot is empty"
    for message_id in ids:
        entry = entries.get(message_id)
        strings = entry.string if entry and isinstance(entry.string, tuple) else (entry.string if entry else "",)
        assert entry and all(strings) and not entry.fuzzy, f"{language}/{domain}: untranslated {message_id!r}"
        source = message_id if isinstance(message_id, str) else message_id[0]
        for text in strings:
            assert set(VENDOR_PLACEHOLDER.findall(source)) == set(VENDOR_PLACEHOLDER.findall(text)), text


def test_every_shown_code_has_a_translated_name():
    """Audit actions, organisations' kinds and statuses, revision statuses: each name is a catalog text above."""
    from bot.admin.workflow import KINDS, ORG_STATUSES

    assert set(texts.KIND_NAMES) == set(KINDS) and set(texts.ORG_STATUS_NAMES) == set(ORG_STATUSES)
    for names in (texts.ACTION_NAMES, texts.KIND_NAMES, texts.ORG_STATUS_NAMES, texts.REVISION_STATUS_NAMES,
                  texts.ROLE_NAMES, texts.ORG_FIELD_NAMES, texts.SCOPE_NAMES, texts.LANGUAGE_NAMES,
                  texts.CONTACT_NAMES, texts.LOCK_NAMES, texts.ANSWER_FIELD_NAMES, desk_texts.KIND_NAMES,
                  desk_texts.ACTION_NAMES):
        assert set(names.values()) <= set(WORKSPACE_TEXTS)
    assert set(texts.SCOPE_NAMES) == set(registry.SCOPES) and set(texts.LANGUAGE_NAMES) == set(registry.LANGUAGES)
    from bot.content.models import RevisionStatus

    assert set(texts.REVISION_STATUS_NAMES) == {s.value for s in RevisionStatus}
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "bot" / "admin").glob("*.py"))
    logged = set()
    for pattern in (r"\b(?:audit|record)\(\s*[\w.]+,\s*[\w.]+,\s*\"(\w+)\"(?:\s+if [^,]+ else \"(\w+)\")?",
                    r"AuditEvent\([^)]*?action=\"(\w+)\"()", r"events\.append\(\(\"(\w+)\"()",
                    r"actions\.append\(\"(\w+)\"(?: if [^)]+ else \"(\w+)\")?", r"_close\([^)]*\"(\w+)\"\)()"):
        for pair in re.findall(pattern, source):
            logged |= set(pair) - {""}
    # The patterns still find them (each way of logging at least once).
    assert {"create_user", "update_user", "draft_answer", "cover_questions", "change_role", "deactivate_user",
            "withdraw", "sign_in_failed", "reset_password", "change_password"} <= logged
    assert logged <= set(texts.ACTION_NAMES), f"audit actions without a name: {logged - set(texts.ACTION_NAMES)}"
