"""Model parts are data: skops with trusted types and JSON, weights laid out for fast scoring."""

import os
import zipfile

import pytest
import skops.io as sio
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from bot.nlu import persist
from bot.nlu.classifier import TfidfIntentClassifier
from bot.nlu.language import LanguageIdentifier, LanguageModel

SAMPLES = {
    "ru": ["сколько стоит патент", "где сделать регистрацию", "не платят зарплату"],
    "uz": ["patent qancha turadi", "ro'yxatdan qayerda o'taman", "ish haqi bermayapti"],
    "tg": ["патент чӣ қадар аст", "бақайдгирӣ дар куҷо", "маош намедиҳанд"],
    "ky": ["патент канча турат", "каттоодон кайда өтөм", "айлык бербей жатат"],
}


def fitted_language_model():
    return LanguageModel(lexicon=[("ташаккур", "tg")]).fit(
        [t for ts in SAMPLES.values() for t in ts], [lang for lang, ts in SAMPLES.items() for _ in ts])


def test_a_loaded_language_model_scores_like_the_trained_one_with_column_major_weights(tmp_path):
    model = fitted_language_model()
    assert not model.pipeline[-1].coef_.flags.f_contiguous  # as scikit-learn fits it
    storage, resource = LocalModelStorage(tmp_path), Resource("language")
    model.save(storage, resource)
    loaded = LanguageModel.load(storage, resource)
    assert loaded.pipeline[-1].coef_.flags.f_contiguous
    assert loaded.lexicon == model.lexicon and loaded.russian_words == model.russian_words
    texts = ["канча", "qancha", "чӣ қадар", "сколько", "ok", "ташаккур"]
    assert loaded.predict_many(texts) == model.predict_many(texts)


def test_the_model_holds_no_pickle(tmp_path):
    storage, resource = LocalModelStorage(tmp_path), Resource("language")
    fitted_language_model().save(storage, resource)
    files = sorted(p.name for p in (tmp_path / "language").iterdir())
    assert files == ["language_model.json", "language_model.skops"]
    with zipfile.ZipFile(tmp_path / "language" / "language_model.skops") as archive:
        assert not [n for n in archive.namelist() if n.endswith((".pkl", ".pickle", ".joblib"))]


def test_a_missing_part_loads_as_none(tmp_path):
    storage = LocalModelStorage(tmp_path)
    assert persist.load_estimator(storage, Resource("nothing"), "model.skops") is None
    assert persist.load_json(storage, Resource("nothing"), "model.json") is None
    assert LanguageModel.load(storage, Resource("nothing")) is None


def smuggled_function_into(path):
    """Writes a skops file whose pipeline calls os.system: a type no Hamroh model holds."""
    pipeline = make_pipeline(FunctionTransformer(os.system), LogisticRegression())
    sio.dump(pipeline, path)


def test_an_archive_holding_an_unexpected_type_is_refused(tmp_path):
    storage, resource = LocalModelStorage(tmp_path), Resource("intent")
    with storage.write_to(resource) as directory:
        smuggled_function_into(directory / "intent_model.skops")
    with pytest.raises(persist.UntrustedModelError, match="system"):
        persist.load_estimator(storage, resource, "intent_model.skops")


@pytest.mark.parametrize("component, filename", [(TfidfIntentClassifier, "intent_model.skops"),
                                                 (LanguageIdentifier, "language_model.skops")])
def test_components_refuse_such_an_archive(tmp_path, component, filename):
    storage, resource = LocalModelStorage(tmp_path), Resource("part")
    with storage.write_to(resource) as directory:
        smuggled_function_into(directory / filename)
        (directory / "language_model.json").write_text(
            '{"c": 10, "augment": true, "seed": 42, "class_weight": null, "lexicon": [], "russian_words": []}')
    with pytest.raises(persist.UntrustedModelError):
        component.load(component.get_default_config(), storage, resource, ExecutionContext(GraphSchema({}), "t"))
