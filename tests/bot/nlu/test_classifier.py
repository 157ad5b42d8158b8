"""The intent classifier trains, persists, loads and ranks intents from folded tokens."""

from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.classifier import TfidfIntentClassifier
from bot.nlu.tokenizer import NormalizingTokenizer

EXAMPLES = {
    "patent_howto": ["как получить патент", "patent qanday olinadi", "патент чӣ тавр гирам", "patent kak poluchit"],
    "unpaid_wages": ["не платят зарплату", "ish haqi bermayapti", "маош намедиҳанд", "zarplatu ne platyat"],
}


def tokenized(text, intent=None):
    message = Message(data={TEXT: text, **({"intent": intent} if intent else {})})
    NormalizingTokenizer(NormalizingTokenizer.get_default_config()).process([message])
    return message


def test_trains_persists_loads_and_ranks(tmp_path):
    storage, resource = LocalModelStorage(tmp_path), Resource("intent")
    context = ExecutionContext(GraphSchema({}), "test")
    config = TfidfIntentClassifier.get_default_config()
    component = TfidfIntentClassifier.create(config, storage, resource, context)
    component.train(TrainingData([tokenized(t, i) for i, ts in EXAMPLES.items() for t in ts]))
    loaded = TfidfIntentClassifier.load(config, storage, resource, context)
    # Cyrillic typed as Latin folds to the same tokens as the training text.
    message = tokenized("ne plateat zarplatu")
    loaded.process([message])
    assert message.get("intent")["name"] == "unpaid_wages"
    ranking = message.get("intent_ranking")
    assert [r["name"] for r in ranking][0] == "unpaid_wages" and len(ranking) == 2
    assert abs(sum(r["confidence"] for r in ranking) - 1) < 1e-6


def test_untrained_classifier_leaves_messages_alone(tmp_path):
    storage, resource = LocalModelStorage(tmp_path), Resource("nothing")
    context = ExecutionContext(GraphSchema({}), "test")
    loaded = TfidfIntentClassifier.load(TfidfIntentClassifier.get_default_config(), storage, resource, context)
    message = tokenized("salom")
    loaded.process([message])
    assert message.get("intent") is None


def test_bad_input_never_raises(tmp_path, bad_input):
    storage, resource = LocalModelStorage(tmp_path), Resource("intent")
    context = ExecutionContext(GraphSchema({}), "test")
    component = TfidfIntentClassifier.create(TfidfIntentClassifier.get_default_config(), storage, resource, context)
    component.train(TrainingData([tokenized(t, i) for i, ts in EXAMPLES.items() for t in ts]))
    message = tokenized(bad_input)
    component.process([message])
    assert message.get("intent")["name"] in EXAMPLES


def test_loaded_weights_are_column_major_and_score_the_same(tmp_path):
    """Row-major weights made scipy copy the whole matrix on every message (bot/nlu/persist.py)."""
    storage, resource = LocalModelStorage(tmp_path), Resource("intent")
    context = ExecutionContext(GraphSchema({}), "test")
    config = TfidfIntentClassifier.get_default_config()
    component = TfidfIntentClassifier.create(config, storage, resource, context)
    component.train(TrainingData([tokenized(t, i) for i, ts in EXAMPLES.items() for t in ts]))
    loaded = TfidfIntentClassifier.load(config, storage, resource, context)
    assert loaded.pipeline[-1].coef_.flags.f_contiguous
    texts = ["ne plateat zarplatu", "patent qanday", "маош"]
    assert (loaded.pipeline.predict_proba(texts) == component.pipeline.predict_proba(texts)).all()
