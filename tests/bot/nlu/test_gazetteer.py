"""The gazetteer finds cities, countries and languages in every language and case form."""

import os

import pytest
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

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


def test_extractor_uses_token_offsets_in_the_pipeline():
    message = Message(data={TEXT: "я из Ташкента, живу в Казани"})
    NormalizingTokenizer(NormalizingTokenizer.get_default_config()).process([message])
    GazetteerEntityExtractor(GazetteerEntityExtractor.get_default_config()).process([message])
    entities = message.get(ENTITIES)
    assert [(e["entity"], e["value"], message.get(TEXT)[e["start"]:e["end"]]) for e in entities] == [
        ("city", "kazan", "Казани")]
    assert entities[0]["extractor"] == "GazetteerEntityExtractor"
    assert message.get(TOKENS_NAMES[TEXT])


def test_bad_input_never_raises(bad_input):
    assert isinstance(load_gazetteer().find(bad_input), list)
