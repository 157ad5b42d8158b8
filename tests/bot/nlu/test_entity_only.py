"""A message that is only a city or a country is understood as `inform`."""

import pytest
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.entity_only import EntityOnlyInform
from bot.nlu.gazetteer import GazetteerEntityExtractor
from bot.nlu.tokenizer import NormalizingTokenizer


def parse(text):
    message = Message(data={TEXT: text, "intent": {"name": "nlu_fallback", "confidence": 0.3},
                            "intent_ranking": [{"name": "patent_howto", "confidence": 0.2}]})
    NormalizingTokenizer(NormalizingTokenizer.get_default_config()).process([message])
    GazetteerEntityExtractor(GazetteerEntityExtractor.get_default_config()).process([message])
    EntityOnlyInform(EntityOnlyInform.get_default_config()).process([message])
    return message


@pytest.mark.parametrize("text", ["Челябинск", "в Казани", "Qozonda", "Тоҷикистон", "из Узбекистана", "Москва!"])
def test_only_a_place_or_country_is_inform(text):
    message = parse(text)
    assert message.get("intent") == {"name": "inform", "confidence": 1.0}
    assert message.get("intent_ranking")[0]["name"] == "inform"


@pytest.mark.parametrize("text", ["патент в Казани", "как дела", "/inform{\"city\": \"kazan\"}", ""])
def test_anything_more_keeps_the_classifiers_intent(text):
    assert parse(text).get("intent")["name"] == "nlu_fallback"


def test_bad_input_never_raises(bad_input):
    assert parse(bad_input).get("intent")
