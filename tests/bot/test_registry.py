"""The registry, the domain, the rules, the content, the training data and the catalogs agree.

Each test is one step of a CONTRIBUTING.md recipe (add a topic, add a language, add a channel):
a step left out fails here, naming what is missing.
"""

from collections import defaultdict
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po

from bot import registry
from bot.content.loader import NOT_TOPIC_FILES, read_topic_file

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED = [language for language in registry.LANGUAGES if language != registry.SOURCE_LANGUAGE]


def _yaml(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _training_blocks():
    """(intent, language) of every training block in data/."""
    for path in sorted((ROOT / "data" / "nlu").glob("*.yml")) + [ROOT / "data" / "forget.yml"]:
        for block in _yaml(path).get("nlu") or []:
            if "intent" in block:
                yield block["intent"], (block.get("metadata") or {}).get("language"), path.name


def _catalog(language, domain="messages"):
    with open(ROOT / "bot" / "locales" / language / "LC_MESSAGES" / f"{domain}.po", encoding="utf-8") as po:
        return read_po(po)


def test_the_domain_has_exactly_the_registry_intents():
    domain = set(_yaml(ROOT / "domain.yml")["intents"])
    expected = set(registry.TOPICS) | set(registry.CONVERSATION_INTENTS)
    assert domain == expected, {"not in the registry": domain - expected, "not in domain.yml": expected - domain}


def test_every_intent_has_one_rule_and_every_topic_is_answered_by_action_answer():
    actions = defaultdict(list)
    for path in (ROOT / "data" / "rules.yml", ROOT / "data" / "forget.yml"):
        for rule in _yaml(path).get("rules") or []:
            steps = rule["steps"]
            intents = [s["intent"] for s in steps if "intent" in s]
            if len(intents) == 1 and not rule.get("condition"):
                actions[intents[0]].append(next(s["action"] for s in steps if "action" in s))
    for intent in set(registry.TOPICS) | set(registry.CONVERSATION_INTENTS):
        assert len(actions[intent]) == 1, f"{intent}: {len(actions[intent])} rules (expected one)"
    for topic in registry.TOPICS:
        assert actions[topic] == ["action_answer"], topic
    declared = set(_yaml(ROOT / "domain.yml")["actions"])
    assert {a for found in actions.values() for a in found} <= declared


def test_every_answered_topic_has_one_content_file_with_a_general_answer_in_every_language():
    content = ROOT / "bot" / "content" / "seed"
    files = {p.name for p in content.glob("*.yml")} - set(NOT_TOPIC_FILES)
    assert files == {f"{topic}.yml" for topic in registry.DOMAIN_TOPICS}
    for topic in registry.DOMAIN_TOPICS:
        records = read_topic_file(content / f"{topic}.yml")
        general = {r["language"] for r in records if r["scope"] == "any"}
        assert general == set(registry.LANGUAGES), f"{topic}: general answer only in {sorted(general)}"


def test_every_language_has_training_data_for_every_intent():
    seen = defaultdict(set)
    for intent, language, _ in _training_blocks():
        seen[language].add(intent)
    assert set(seen) == set(registry.LANGUAGES), sorted(seen)
    # talk_to_human is a topic and a conversation intent: the set is the domain's.
    intents = set(registry.TOPICS) | set(registry.CONVERSATION_INTENTS)
    for language in registry.LANGUAGES:
        assert seen[language] == intents, {language: sorted(intents - seen[language])}


def test_training_files_name_their_language():
    stems = {language: [] for language in registry.LANGUAGES}
    for path in sorted((ROOT / "data" / "nlu").glob("*.yml")):
        stems.setdefault(path.stem.split("_")[0], []).append(path.name)
    assert set(stems) == set(registry.LANGUAGES) and all(stems.values()), stems
    assert (ROOT / "tests" / "nlu" / "dev").is_dir() and (ROOT / "tests" / "nlu" / "test").is_dir()
    for split in ("dev", "test"):
        held_out = {p.name for p in (ROOT / "tests" / "nlu" / split).glob("*.yml")}
        assert held_out == {p.name for p in (ROOT / "data" / "nlu").glob("*.yml")}, split


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_registry_name_is_translated(language):
    catalog = _catalog(language)
    names = {**registry.TOPIC_LABELS, **registry.CITIES, **registry.COUNTRIES, **registry.ORGANISATION_KINDS}
    untranslated = sorted(label for label in names.values()
                          if catalog.get(label) is None or not catalog.get(label).string
                          or catalog.get(label).fuzzy)
    assert not untranslated, f"{language}: {untranslated}"


def test_catalogs_exist_for_exactly_the_registry_languages():
    folders = {p.name for p in (ROOT / "bot" / "locales").iterdir() if p.is_dir()}
    assert folders == set(registry.LANGUAGES)
    for language in registry.LANGUAGES:
        for domain in ("messages", "admin"):
            assert (ROOT / "bot" / "locales" / language / "LC_MESSAGES" / f"{domain}.po").exists(), (language, domain)


def test_the_gazetteer_values_are_registry_values():
    gazetteer = _yaml(ROOT / "bot" / "nlu" / "gazetteer.yml")
    assert set(gazetteer["city"]) == set(registry.CITIES)
    assert set(gazetteer["country"]) <= set(registry.COUNTRIES)
    assert set(gazetteer["country"]) >= set(registry.COUNTRIES) - {"other"}
    assert set(gazetteer["language"]) == set(registry.LANGUAGES)


def test_the_channels_in_credentials_are_the_registry_channels():
    from rasa.core.channels import BUILTIN_CHANNELS
    from rasa.shared.utils.common import class_from_module_path

    credentials = _yaml(ROOT / "credentials.yml") or {}
    assert set(credentials) <= set(registry.CHANNELS.values())
    for name, module_path in registry.CHANNELS.items():
        connector = BUILTIN_CHANNELS.get(module_path) or class_from_module_path(module_path)
        assert connector.name() == name, module_path
