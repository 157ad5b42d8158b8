"""Model parts survive the archive, with weights laid out for fast scoring."""

from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource

from bot.nlu import persist
from bot.nlu.language import LanguageModel

SAMPLES = {
    "ru": ["сколько стоит патент", "где сделать регистрацию", "не платят зарплату"],
    "uz": ["patent qancha turadi", "ro'yxatdan qayerda o'taman", "ish haqi bermayapti"],
    "tg": ["патент чӣ қадар аст", "бақайдгирӣ дар куҷо", "маош намедиҳанд"],
    "ky": ["патент канча турат", "каттоодон кайда өтөм", "айлык бербей жатат"],
}


def test_a_loaded_language_model_scores_like_the_trained_one_with_column_major_weights(tmp_path):
    model = LanguageModel().fit([t for ts in SAMPLES.values() for t in ts],
                                [lang for lang, ts in SAMPLES.items() for _ in ts])
    assert not model.pipeline[-1].coef_.flags.f_contiguous  # as scikit-learn fits it
    storage, resource = LocalModelStorage(tmp_path), Resource("language")
    persist.save(model, storage, resource, "model.joblib")
    loaded = persist.load(storage, resource, "model.joblib", "missing")
    assert loaded.pipeline[-1].coef_.flags.f_contiguous
    texts = ["канча", "qancha", "чӣ қадар", "сколько", "ok"]
    assert loaded.predict_many(texts) == model.predict_many(texts)


def test_a_missing_part_loads_as_none(tmp_path):
    storage = LocalModelStorage(tmp_path)
    assert persist.load(storage, Resource("nothing"), "model.joblib", "missing") is None
