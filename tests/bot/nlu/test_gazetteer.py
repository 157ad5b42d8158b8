"""The gazetteer finds cities, countries and languages in every language and case form."""

import os

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.gazetteer import Gazetteer, GazetteerEntityExtractor, load_gazetteer
from bot.nlu.tokenizer import NormalizingTokenizer


def found(text):
    return {(e["entity"], e["value"]) for e in load_gazetteer().find(text)}


@pytest.mark.parametrize(
    "text, entity, value",
    [
        ("я в Казани", "city", "kazan"),
        ("men Qozonda ishlayman", "city", "kazan"),
        ("мен Қозонда ишлайман", "city", "kazan"),
        ("дар Маскав кор мекунам", "city", "moscow"),
        ("Новосибирскиде иштейм", "city", "novosibirsk"),
        ("в Нижнем Новгороде", "city", "nizhny_novgorod"),
        ("живу в Питере", "city", "saint_petersburg"),
        ("Санкт-Петербурге работаю", "city", "saint_petersburg"),
        ("v Ekaterinburge", "city", "yekaterinburg"),
        ("Ростов-на-Дону", "city", "rostov_on_don"),
        ("я узбек", "country", "uzbekistan"),
        ("men oʻzbekman", "country", "uzbekistan"),
        ("men o'zbekman", "country", "uzbekistan"),
        ("ман тоҷик", "country", "tajikistan"),
        ("ман точик", "country", "tajikistan"),
        ("Кыргызстандын жаранымын", "country", "kyrgyzstan"),
        ("узбекский паспорт", "country", "uzbekistan"),
        ("гражданин Казахстана", "country", "kazakhstan"),
        ("по-узбекски", "language", "uz"),
        ("rus tilida", "language", "ru"),
        ("тоҷикӣ гап зан", "language", "tg"),
        ("кыргызча сүйлө", "language", "ky"),
        ("русский язык экзамен", "language", "ru"),
    ],
)
def test_recognises_every_form(text, entity, value):
    assert (entity, value) in found(text)


@pytest.mark.parametrize("text", ["как сделать регистрацию", "kun bor", "ах вот как", "патент канча турат"])
def test_ordinary_words_are_not_entities(text):
    assert found(text) == set()


def test_offsets_point_at_the_word_as_written():
    text = "Men hozir Qozonda, oʻzbekman"
    entities = load_gazetteer().find(text)
    assert {text[e["start"] : e["end"]] for e in entities} == {"Qozonda", "oʻzbekman"}


def test_nationality_before_language_noun_is_a_language():
    assert found("узбекский язык") == {("language", "uz")}
    assert found("o'zbek tili") == {("language", "uz")}


def test_tajik_noun_before_the_adjective_is_a_citizenship():
    assert ("country", "tajikistan") in found("паспорти тоҷикӣ дорам")


def test_words_that_fold_to_nothing_are_skipped():
    assert found("в Казани ъ ь") == {("city", "kazan")}


def test_a_custom_lexicon_needs_no_shipped_file():
    gazetteer = Gazetteer({"suffixes": ["da"], "city": {"kazan": ["Qozon"]}})
    assert [e["value"] for e in gazetteer.find("Qozonda")] == ["kazan"]


def test_works_from_any_working_directory(tmp_path):
    cwd = os.getcwd()
    try:
        os.chdir(tmp_path)
        assert [e["value"] for e in Gazetteer({"city": {"ufa": ["Уфа"]}}).find("Уфа")] == ["ufa"]
    finally:
        os.chdir(cwd)


def extractor(tmp_path, config=None):
    config = {**GazetteerEntityExtractor.get_default_config(), **(config or {})}
    return GazetteerEntityExtractor.create(config, LocalModelStorage(tmp_path), Resource("gazetteer"),
                                           ExecutionContext(GraphSchema({}), "test"))


def extract(component, text):
    message = Message(data={TEXT: text})
    NormalizingTokenizer(NormalizingTokenizer.get_default_config()).process([message])
    component.process([message])
    return message


def test_extractor_uses_token_offsets_in_the_pipeline(tmp_path):
    message = extract(extractor(tmp_path), "я из Ташкента, живу в Казани")
    entities = message.get(ENTITIES)
    assert [(e["entity"], e["value"], message.get(TEXT)[e["start"]:e["end"]]) for e in entities] == [
        ("country", "uzbekistan", "Ташкента"), ("city", "kazan", "Казани")]
    assert entities[0]["extractor"] == "GazetteerEntityExtractor"
    assert message.get(TOKENS_NAMES[TEXT])


def test_a_trained_extractor_keeps_its_lexicon_when_the_file_changes(tmp_path):
    lexicon = tmp_path / "gazetteer.yml"
    lexicon.write_text("city:\n  kazan: [Казань]\n", encoding="utf-8")
    config = {**GazetteerEntityExtractor.get_default_config(), "lexicon": str(lexicon)}
    (tmp_path / "model").mkdir()
    storage, resource = LocalModelStorage(tmp_path / "model"), Resource("gazetteer")
    context = ExecutionContext(GraphSchema({}), "test")
    GazetteerEntityExtractor.create(config, storage, resource, context).train(TrainingData())
    before = GazetteerEntityExtractor.fingerprint_addon(config)
    lexicon.write_text("city:\n  ufa: [Казань]\n", encoding="utf-8")  # edited after training
    loaded = GazetteerEntityExtractor.load(config, storage, resource, context)
    assert [e["value"] for e in extract(loaded, "Казань").get(ENTITIES)] == ["kazan"]
    # ... while a new training sees the edit, and Rasa's cache knows it must retrain.
    assert [e["value"] for e in extract(extractor(tmp_path, config), "Казань").get(ENTITIES)] == ["ufa"]
    assert GazetteerEntityExtractor.fingerprint_addon(config) != before


def test_a_model_without_a_lexicon_finds_nothing_and_does_not_fail(tmp_path):
    config = GazetteerEntityExtractor.get_default_config()
    loaded = GazetteerEntityExtractor.load(config, LocalModelStorage(tmp_path), Resource("never_trained"),
                                           ExecutionContext(GraphSchema({}), "test"))
    assert extract(loaded, "Казань").get(ENTITIES) in (None, [])


def test_bad_input_never_raises(bad_input):
    assert isinstance(load_gazetteer().find(bad_input), list)


@pytest.mark.parametrize(
    "text, value",
    [
        ("я из Ташкента", "uzbekistan"), ("men Samarqanddanman", "uzbekistan"), ("Бухоро", "uzbekistan"),
        ("Farg'onadanman", "uzbekistan"), ("из Андижана", "uzbekistan"), ("Namangandan keldim", "uzbekistan"),
        ("ман аз Душанбе", "tajikistan"), ("Хуҷанддан омадам", "tajikistan"), ("из Худжанда", "tajikistan"),
        ("аз Кӯлоб", "tajikistan"), ("Бохтар", "tajikistan"),
        ("мен Бишкектенмин", "kyrgyzstan"), ("Ошто туулгам", "kyrgyzstan"), ("из Оша", "kyrgyzstan"),
        ("Жалал-Абаддан келдим", "kyrgyzstan"),
    ],
)
def test_a_home_city_is_the_citizenship(text, value):
    assert found(text) == {("country", value)}


@pytest.mark.parametrize("text", [
    "бугун ош пиширдик, мазза экан",  # ош = pilaf
    "oshni yedik hammamiz birga",
    "Ман рӯзи душанбе ба Новосибирск расидам",  # душанбе = Monday
    "dushanba kuni ishga chiqaman",  # Uzbek Monday, not "Dushanbe" + a
])
def test_everyday_words_that_look_like_home_cities_are_not(text):
    assert {e for e in found(text) if e[0] == "country"} == set()


def test_a_tajik_adjective_in_i_is_a_language_unless_it_qualifies_a_passport():
    assert found("ба ӯзбекӣ навис") == {("language", "uz")}
    assert found("қирғизӣ гап мезанӣ?") == {("language", "ky")}
    assert found("паспорти ӯзбекӣ дорам") == {("country", "uzbekistan")}
    assert found("узбеки работают без патента") == {("country", "uzbekistan")}  # Russian plural
