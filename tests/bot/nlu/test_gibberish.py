"""Markup, SQL, keyboard mash, emoji and long foreign messages get no intent; our languages keep theirs."""

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.gibberish import NOT_UNDERSTOOD_KEY, NotOurLanguage

# A small stand-in for the training data: a few sentences per language.
TRAINING = [
    "как сделать регистрацию", "сколько стоит патент в месяц", "работодатель не платит зарплату",
    "меня остановила полиция в метро и проверили документы", "где найти бесплатного юриста",
    "registratsiya qanday qilinadi", "patent qancha turadi", "ish beruvchi pul bermayapti",
    "бақайдгирӣ чӣ тавр мешавад", "патент чанд пул аст", "корфармо маош намедиҳад",
    "каттоодон кантип өтөм", "патент канча турат", "иш берүүчү айлык бербей жатат",
]

NOT_OURS = {
    "markup": ["<div><p>Hello</p><script>alert(1)</script></div>", "<br><br><br>",
               "<html><body>патент</body></html>", '<a href="x">click</a> <img src=y>'],
    "sql": ["'; DROP TABLE users; --", "SELECT * FROM users WHERE id=1", "1' or 1=1 --"],
    "no_letters": ["😀😀😀", "🙏", "👍👍", "?!...", "123456 789"],
    "other_script": ["我想知道如何在俄罗斯获得工作许可证", "مرحبا كيف يمكنني الحصول على تصريح عمل",
                     "שלום, איך מקבלים אישור עבודה"],
    "unknown_words": ["asdfghjkl", "qwertyuiop asdf", "йцукенгшщз", "фывапролдж", "ааааааа", "jjjjjjj kkkkk",
                      "sdfsdf sdfsdf", "zxcvbnm"],
    "other_language": [
        "Hello, I would like to know how to get a work permit in Russia, can you help me?",
        "I have been working in Moscow for two years and my employer does not pay me. What should I do?",
        "Ich möchte wissen, wie ich eine Arbeitserlaubnis in Russland bekomme und was das kostet.",
        "Bonjour, je voudrais savoir comment obtenir un permis de travail en Russie",
        "Merhaba, Rusya'da çalışma izni nasıl alınır, yardım eder misiniz?",
        "The weather is nice today and I want to go for a walk in the park with my friends",
    ],
}

OURS = [
    "как сделать регистрацию", "регистрацыю как зделать", "kak sdelat registraciyu",  # typo, translit
    "patent qancha turadi oyiga", "патент чанд пул", "патент канча турат",
    "полиция остановила в метро, проверили сумку, что делать?",
    "ish beruvchi pul bermayapti nima qilay", "корфармо маошамро намедиҳад, чӣ кор кунам",
    "salom", "спасибо", "ok", "Казань", "/greet", "",
    # Cyrillic of five words and more, none of them in the training sentences: judged by word shape
    "мигранттардын укуктарын коргогон уюмдардын даректерин жибериңизчи",
    "муҳоҷирони кориро дар бозорҳо тафтиш мекарданд",
]


@pytest.fixture(scope="module")
def component(tmp_path_factory):
    storage = LocalModelStorage(tmp_path_factory.mktemp("model"))
    resource, context = Resource("not_our_language"), ExecutionContext(GraphSchema({}), "test")
    config = NotOurLanguage.get_default_config()
    NotOurLanguage.create(config, storage, resource, context).train(
        TrainingData([Message(data={TEXT: t, INTENT: "x"}) for t in TRAINING]))
    return NotOurLanguage.load(config, storage, resource, context)  # as the server loads it


def classified(component, text):
    message = Message(data={TEXT: text, INTENT: {"name": "child_school", "confidence": 0.9},
                            INTENT_RANKING_KEY: [{"name": "child_school", "confidence": 0.9}]})
    component.process([message])
    return message


@pytest.mark.parametrize("reason, text", [(r, t) for r, texts in NOT_OURS.items() for t in texts])
def test_a_message_in_none_of_our_languages_gets_no_intent(component, reason, text):
    message = classified(component, text)
    assert message.get(NOT_UNDERSTOOD_KEY) == reason
    assert message.get(INTENT)["confidence"] == 0.0
    assert message.get(INTENT_RANKING_KEY) == []  # no topic to suggest either


@pytest.mark.parametrize("text", OURS)
def test_our_languages_keep_their_intent(component, text):
    message = classified(component, text)
    assert message.get(NOT_UNDERSTOOD_KEY) is None
    assert message.get(INTENT) == {"name": "child_school", "confidence": 0.9}


def test_an_untrained_component_changes_nothing(tmp_path):
    component = NotOurLanguage.load(NotOurLanguage.get_default_config(), LocalModelStorage(tmp_path),
                                    Resource("never_trained"), ExecutionContext(GraphSchema({}), "test"))
    assert classified(component, "<b>x</b><i>y</i>").get(INTENT)["confidence"] == 0.9


def test_bad_input_never_raises(component, bad_input):
    assert classified(component, bad_input).get(INTENT)
