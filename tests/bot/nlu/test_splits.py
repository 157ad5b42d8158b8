"""The dev and test splits of tests/nlu/ are held out: no message of theirs is trained on or shared."""

from collections import Counter
from pathlib import Path

import pytest
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

from tools.bench.heldout import read_heldout
from bot.nlu.normalize import fold_text

ROOT = Path(__file__).resolve().parents[3]
TRAINING_FILES = sorted((ROOT / "data" / "nlu").glob("*.yml")) + [ROOT / "data" / "forget.yml"]
SPLITS = {name: ROOT / "tests" / "nlu" / name for name in ("dev", "test")}


def folded(texts):
    """Returns each text as the classifier sees it (the project's folding)."""
    return {fold_text(t): t for t in texts}


@pytest.fixture(scope="module")
def training():
    texts = [m.get("text") for path in TRAINING_FILES for m in RasaYAMLReader().read(str(path)).intent_examples]
    return folded(texts)


@pytest.fixture(scope="module")
def splits():
    return {name: read_heldout(folder) for name, folder in SPLITS.items()}


@pytest.mark.parametrize("name", SPLITS)
def test_no_held_out_message_equals_a_training_message_after_folding(training, splits, name):
    trained_on = [e.text for e in splits[name] if fold_text(e.text) in training]
    assert trained_on == []


def test_no_message_is_in_both_splits(splits):
    dev = folded(e.text for e in splits["dev"])
    both = [e.text for e in splits["test"] if fold_text(e.text) in dev]
    assert both == []


@pytest.mark.parametrize("name", SPLITS)
def test_no_message_is_twice_in_a_split(splits, name):
    counts = Counter(fold_text(e.text) for e in splits[name])
    assert [text for text, n in counts.items() if n > 1] == []


@pytest.mark.parametrize("name", SPLITS)
def test_every_language_has_every_topic_and_styles_in_each_split(splits, name):
    examples = splits[name]
    intents = {e.intent for e in examples}
    for language in ("ru", "uz", "tg", "ky"):
        ours = [e for e in examples if e.language == language]
        assert {e.intent for e in ours} == intents, language
        assert {"plain", "typo", "short", "long"} <= {e.style for e in ours}, language
