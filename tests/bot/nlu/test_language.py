"""Language identification: ru | uz | tg | ky with the script and a confidence."""

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.language import LANGUAGE_KEY, LanguageIdentifier, LanguageModel, detect_script, language_of

SAMPLES = {
    "ru": ["как сделать регистрацию", "сколько стоит патент в месяц", "работодатель не платит зарплату",
           "где бесплатный юрист", "меня остановила полиция на улице", "спасибо большое"],
    "uz": ["registratsiya qanday qilinadi", "patent qancha turadi oyiga", "ish beruvchi pul bermayapti",
           "bepul yurist qayerda", "ҳужжатларимни олиб қўйди", "katta rahmat sizga"],
    "tg": ["бақайдгирӣ чӣ тавр мешавад", "патент чанд пул аст", "корфармо маоши маро намедиҳад",
           "ҳуқуқшиноси ройгон куҷост", "пулисия маро дошт", "ташаккур калон"],
    "ky": ["каттоодон кантип өтөм", "патент канча турат", "иш берүүчү айлык бербей жатат",
           "акысыз юрист кайда", "полиция мени кармады", "чоң рахмат сизге"],
}


@pytest.fixture(scope="module")
def model():
    texts = [t for ts in SAMPLES.values() for t in ts]
    labels = [lang for lang, ts in SAMPLES.items() for _ in ts]
    return LanguageModel().fit(texts, labels)


@pytest.mark.parametrize(
    "text, code, script",
    [
        ("регистрацию как сделать мне", "ru", "cyrl"),
        ("patent qancha", "uz", "latn"),
        ("чӣ тавр патент", "tg", "cyrl"),
        ("канча турат патент", "ky", "cyrl"),
    ],
)
def test_guesses_language_and_script(model, text, code, script):
    detection = model.predict(text)
    assert (detection.code, detection.script) == (code, script)
    assert 0.0 < detection.confidence <= 1.0


def test_detect_script():
    assert detect_script("Salom doʻstim, дўст") == "latn"
    assert detect_script("Салом дўстим hi") == "cyrl"
    assert detect_script("123 🙂") is None


def test_untrained_model_answers_russian_with_no_confidence():
    detection = LanguageModel().predict("salom")
    assert detection.code == "ru" and detection.confidence == 0.0


def test_language_label_comes_from_intent_metadata():
    message = Message(data={TEXT: "salom", "metadata": {"intent": {"language": "uz"}}})
    assert language_of(message) == "uz"
    assert language_of(Message(data={TEXT: "salom"})) is None


def test_bad_input_never_raises(model, bad_input):
    detection = model.predict(bad_input)
    assert detection.code in SAMPLES


def test_component_trains_persists_loads_and_sets_parse_data(tmp_path):
    storage = LocalModelStorage(tmp_path)
    resource = Resource("language_identifier")
    context = ExecutionContext(GraphSchema({}), "test")
    config = {**LanguageIdentifier.get_default_config()}
    component = LanguageIdentifier.create(config, storage, resource, context)
    examples = [
        Message(data={TEXT: t, "intent": "x", "metadata": {"intent": {"language": lang}}})
        for lang, texts in SAMPLES.items() for t in texts
    ]
    component.train(TrainingData(examples))
    loaded = LanguageIdentifier.load(config, storage, resource, context)
    message = Message(data={TEXT: "патент канча турат"})
    loaded.process([message])
    assert message.get(LANGUAGE_KEY)["code"] == "ky"
    assert message.get(LANGUAGE_KEY)["script"] == "cyrl"


# --- the reviewed word list (bot/nlu/language_words.yml) -------------------------------------

from bot.nlu.language import lexicon_examples, plain_letters  # noqa: E402


@pytest.fixture(scope="module")
def words():
    return dict(lexicon_examples())


def test_word_list_covers_every_language_and_script(words):
    assert set(words.values()) == {"ru", "uz", "tg", "ky"}
    # Uzbek words come in Latin, their Cyrillic transliteration and both plain forms.
    assert words["qayerda"] == words["қаерда"] == words["каерда"] == "uz"
    assert words["yo'q"] == words["yoq"] == words["йўқ"] == words["йук"] == "uz"


def test_word_list_adds_plain_letter_forms(words):
    assert words["ташаккур"] == "tg"
    assert words["куҷо"] == words["кучо"] == "tg"
    assert words["мехоҳам"] == words["мехохам"] == "tg"
    assert words["эртең"] == words["эртен"] == "ky"
    assert words["көп"] == words["коп"] == "ky"


def test_a_form_shared_by_two_languages_is_dropped(words):
    # "салом" is Tajik and Uzbek; "ким", "канча" (plain қанча) Kyrgyz and Uzbek; "же" Kyrgyz and Russian.
    for shared in ("салом", "ким", "канча", "же"):
        assert shared not in words
    assert words["бүгүн"] == "ky" and "бугун" not in words  # plain form = Uzbek "бугун"


def test_plain_letters():
    assert plain_letters("ҳуҷҷатҳо чӣ", "tg") == "хуччатхо чи"
    assert plain_letters("өлкөдө үйүм", "ky") == "олкодо уйум"
    assert plain_letters("қўшимча ғоз", "uz") == "кушимча гоз"
    assert plain_letters("yo'q o'zbek", "uz") == "yoq ozbek"
    assert plain_letters("ещё", "ru") == "еще"


@pytest.fixture(scope="module")
def model_with_words():
    texts = [t for ts in SAMPLES.values() for t in ts]
    labels = [lang for lang, ts in SAMPLES.items() for _ in ts]
    return LanguageModel(lexicon=lexicon_examples()).fit(texts, labels)


@pytest.mark.parametrize(
    "text, code",
    [
        # None of these words is in the module's six sentences per language.
        ("ташаккур", "tg"), ("мехохам", "tg"), ("намедонам", "tg"), ("куҷост", "tg"),
        ("кантип", "ky"), ("бүгүн", "ky"), ("билбейм", "ky"), ("эмнеге", "ky"),
        ("qayerda", "uz"), ("bilmayman", "uz"), ("қаерда", "uz"), ("кечирасиз", "uz"),
        ("пожалуйста", "ru"), ("подскажите", "ru"), ("pozhaluysta", "ru"), ("skolko", "ru"),
    ],
)
def test_word_list_teaches_short_messages(model_with_words, text, code):
    assert model_with_words.predict(text).code == code


def test_an_edited_word_list_retrains_the_identifier(tmp_path, monkeypatch):
    # Rasa reuses a cached component unless its fingerprint changes; the word list is not training data.
    words = tmp_path / "words.yml"
    words.write_text("tg: |\n  ташаккур\n", encoding="utf-8")
    monkeypatch.setattr("bot.nlu.language.LEXICON_FILE", words)
    config = LanguageIdentifier.get_default_config()
    before = LanguageIdentifier.fingerprint_addon(config)
    words.write_text("tg: |\n  ташаккур мехоҳам\n", encoding="utf-8")
    assert LanguageIdentifier.fingerprint_addon(config) != before
    assert LanguageIdentifier.fingerprint_addon({**config, "word_list": False}) is None


def test_non_russian_words_read_together_name_the_speaker(model, monkeypatch):
    # In the module's tiny corpus neither word alone is 0.95 Kyrgyz ("айлык" 0.92, "бербей" 0.79);
    # read together they are (0.95), and the message as a whole looks Russian.
    mixed = "работодатель не платит зарплату айлык бербей"
    assert model.predict(mixed).code == "ky"
    assert model.predict("работодатель не платит зарплату").code == "ru"
    monkeypatch.setattr("bot.nlu.language.MIXED_WORDS_CONFIDENCE", 1.01)
    assert model.predict(mixed).code == "ru"


def test_russian_typed_in_latin_letters_is_learnt_from_the_cyrillic_sentences():
    from bot.nlu.language import _latin_copies

    assert list(_latin_copies(["где мой паспорт, объясните", "qayerda"], ["ru", "uz"])) == [
        ("gde moy pasport, obyasnite", "ru")]
    texts = [t for ts in SAMPLES.values() for t in ts]
    labels = [lang for lang, ts in SAMPLES.items() for _ in ts]
    message = "rabotodatel ne platit zarplatu skolko stoit"
    assert LanguageModel(latin_russian=True).fit(texts, labels).predict(message).code == "ru"
    assert LanguageModel(latin_russian=False).fit(texts, labels).predict(message).code == "uz"
