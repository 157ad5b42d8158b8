"""A message that is only a city or a country is understood as `inform`."""

import pytest
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.entity_only import EntityOnlyInform
from bot.nlu.gazetteer import GazetteerEntityExtractor, read_lexicon
from bot.nlu.tokenizer import NormalizingTokenizer


EXTRACTOR = GazetteerEntityExtractor(GazetteerEntityExtractor.get_default_config(), None, None, read_lexicon())


def parse(text):
    message = Message(data={TEXT: text, "intent": {"name": "nlu_fallback", "confidence": 0.3},
                            "intent_ranking": [{"name": "patent_howto", "confidence": 0.2}]})
    NormalizingTokenizer(NormalizingTokenizer.get_default_config()).process([message])
    EXTRACTOR.process([message])
    EntityOnlyInform(EntityOnlyInform.get_default_config()).process([message])
    return message


@pytest.mark.parametrize("text", ["Челябинск", "в Казани", "Qozonda", "Тоҷикистон", "из Узбекистана", "Москва!"])
def test_only_a_place_or_country_is_inform(text):
    message = parse(text)
    assert message.get("intent") == {"name": "inform", "confidence": 1.0}
    assert message.get("intent_ranking")[0]["name"] == "inform"


# Typed answers to "which city?" / "which citizenship?" in every language, script and case form;
# home cities stand for the citizenship.
TYPED_ANSWERS = [
    # Russian
    ("из Таджикистана", "country", "tajikistan"), ("я из Узбекистана", "country", "uzbekistan"),
    ("Кыргызстан", "country", "kyrgyzstan"), ("из Душанбе", "country", "tajikistan"),
    ("я из Ташкента", "country", "uzbekistan"), ("из Оша", "country", "kyrgyzstan"),
    ("Самарканд", "country", "uzbekistan"), ("из Худжанда", "country", "tajikistan"),
    ("в Новосибирске", "city", "novosibirsk"), ("я в Питере", "city", "saint_petersburg"),
    ("iz Tashkenta", "country", "uzbekistan"), ("я гражданин Таджикистана", "country", "tajikistan"),
    ("гражданка Узбекистана", "country", "uzbekistan"), ("паспорт Кыргызстана", "country", "kyrgyzstan"),
    ("O'zbekiston fuqarosiman", "country", "uzbekistan"), ("Тожикистон фуқароси", "country", "tajikistan"),
    ("шаҳрванди Тоҷикистон", "country", "tajikistan"), ("Кыргызстандын жаранымын", "country", "kyrgyzstan"),
    # Uzbek, Latin and Cyrillic, with and without the special letters
    ("o'zbekistondanman", "country", "uzbekistan"), ("oʻzbekistondanman", "country", "uzbekistan"),
    ("ozbekistondanman", "country", "uzbekistan"), ("Тошкентданман", "country", "uzbekistan"),
    ("Toshkentdanman", "country", "uzbekistan"), ("Samarqanddanman", "country", "uzbekistan"),
    ("Бухородан", "country", "uzbekistan"), ("Farg'onadan", "country", "uzbekistan"),
    ("Андижонданман", "country", "uzbekistan"), ("Namangandan", "country", "uzbekistan"),
    ("Qozonda", "city", "kazan"), ("Маскавдам", "city", "moscow"), ("Moskvadaman", "city", "moscow"),
    ("Тожикистондан", "country", "tajikistan"), ("Ўзбекистондан", "country", "uzbekistan"),
    # Tajik
    ("аз Тоҷикистон", "country", "tajikistan"), ("аз Точикистон", "country", "tajikistan"),
    ("Хуҷанд", "country", "tajikistan"), ("аз Хучанд", "country", "tajikistan"),
    ("аз Кӯлоб", "country", "tajikistan"), ("Бохтар", "country", "tajikistan"),
    ("дар Маскав", "city", "moscow"), ("Душанбеам", "country", "tajikistan"),
    # Kyrgyz
    ("кыргызстанданмын", "country", "kyrgyzstan"), ("Ошто", "country", "kyrgyzstan"),
    ("Оштонмун", "country", "kyrgyzstan"), ("Бишкектенмин", "country", "kyrgyzstan"),
    ("Бишкектен", "country", "kyrgyzstan"), ("Жалал-Абаддан", "country", "kyrgyzstan"),
    ("Жалалабаттанмын", "country", "kyrgyzstan"), ("Новосибирскиде", "city", "novosibirsk"),
    ("Москвадамын", "city", "moscow"), ("Екатеринбургдамын", "city", "yekaterinburg"),
]


@pytest.mark.parametrize("text, entity, value", TYPED_ANSWERS)
def test_a_typed_answer_is_inform_with_its_entity(text, entity, value):
    message = parse(text)
    assert message.get("intent")["name"] == "inform"
    assert [(e["entity"], e["value"]) for e in message.get("entities")] == [(entity, value)]


@pytest.mark.parametrize("text", ["патент в Казани", "как дела", "/inform{\"city\": \"kazan\"}", ""])
def test_anything_more_keeps_the_classifiers_intent(text):
    assert parse(text).get("intent")["name"] == "nlu_fallback"


def test_bad_input_never_raises(bad_input):
    assert parse(bad_input).get("intent")


def classified_as_inform(text, runner_up):
    message = Message(data={TEXT: text, "intent": {"name": "inform", "confidence": 0.44},
                            "intent_ranking": [{"name": "inform", "confidence": 0.44}, runner_up]})
    NormalizingTokenizer(NormalizingTokenizer.get_default_config()).process([message])
    EXTRACTOR.process([message])
    EntityOnlyInform(EntityOnlyInform.get_default_config()).process([message])
    return message


def test_a_question_beside_the_facts_keeps_its_topic():
    message = classified_as_inform("ман аз Тоҷикистон, дар Маскав патент чанд пул меистад",
                                   {"name": "patent_howto", "confidence": 0.33})
    assert message.get("intent") == {"name": "patent_howto", "confidence": 0.33}
    assert [r["name"] for r in message.get("intent_ranking")] == ["patent_howto"]
    assert {e["value"] for e in message.get("entities")} == {"tajikistan", "moscow"}


def test_facts_with_an_unsure_runner_up_stay_inform():
    message = classified_as_inform("я из Таджикистана, работаю в Москве", {"name": "patent_howto", "confidence": 0.1})
    assert message.get("intent")["name"] == "inform"


def test_without_a_city_or_citizenship_the_classifier_decides():
    message = classified_as_inform("работаю на стройке, что делать", {"name": "unpaid_wages", "confidence": 0.4})
    assert message.get("intent")["name"] == "inform"
