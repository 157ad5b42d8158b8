"""The trained model (models/hamroh.tar.gz, built by `make train`): languages, typed answers, nonsense."""

import asyncio
import os
from pathlib import Path

import pytest

from tools.bench.heldout import read_heldout
from bot.i18n.policy import MIN_CONFIDENCE

ROOT = Path(__file__).resolve().parents[3]
MODEL = Path(os.environ.get("HAMROH_MODEL", ROOT / "models" / "hamroh.tar.gz"))


@pytest.fixture(scope="module")
def parse():
    if not MODEL.exists():
        pytest.fail(f"No trained model at {MODEL}: run `make train` (make test does it).")
    from rasa.core.agent import Agent

    agent = Agent.load(str(MODEL))
    return lambda text: asyncio.run(agent.parse_message(text))


@pytest.mark.parametrize("text, code, script", [
    ("salom", "uz", "latn"), ("Assalomu alaykum", "uz", "latn"), ("assalom", "uz", "latn"),
    ("саламатсызбы", "ky", "cyrl"), ("ассалом", "tg", "cyrl"),
    ("здравствуйте", "ru", "cyrl"), ("Здравствуйте", "ru", "cyrl"), ("привет", "ru", "cyrl"),
])
def test_a_one_word_greeting_is_confidently_its_language(parse, text, code, script):
    language = parse(text)["language"]
    assert (language["code"], language["script"]) == (code, script)
    assert language["confidence"] >= MIN_CONFIDENCE  # enough for the first message to set the reply language


@pytest.mark.parametrize("text, code", [("салом", "tg"), ("ассалому алайкум", "uz")])
def test_a_greeting_two_languages_share_gets_the_likelier_one(parse, text, code):
    # Tajik and Uzbek Cyrillic both write "салом" and "ассалому алайкум" (both are in
    # the training data of each): the identifier names the likelier language
    # without claiming certainty it cannot have.
    language = parse(text)["language"]
    assert (language["code"], language["script"]) == (code, "cyrl")
    assert language["confidence"] < 0.95


@pytest.mark.parametrize("text", [
    "Я гражданин Узбекистана, работаю в Москве уже два года, как продлить патент?",
    "Я из Таджикистана, работаю в Москве, меня остановила полиция в метро и проверяла документы",
    "Я гражданка Кыргызстана, нужен ли мне патент для работы в Казани?",
    "Здравствуйте, мы из Таджикистана, у нас ребёнок шести лет, как записать его в школу в Самаре?",
    "Я из Ташкента, сколько сейчас стоит патент в Москве?",
    "Я узбек, работаю на стройке в Тюмени, начальник забрал паспорт и не отдаёт",
    # Russian in Latin letters, which the identifier once took for Uzbek Latin.
    "ya grazhdanin Uzbekistana, rabotayu v Moskve, kak prodlit patent?",
    "my iz Kyrgyzstana, skolko nam mozhno byt v Rossii bez dogovora?",
    "u menya pasport Tadzhikistana, policiya ostanovila v metro i zabrala patent",
])
def test_a_long_russian_message_naming_another_country_stays_russian(parse, text):
    assert parse(text)["language"]["code"] == "ru"


def test_no_russian_held_out_message_is_taken_for_uzbek_cyrillic(parse):
    russian = [e.text for split in ("dev", "test") for e in read_heldout(ROOT / "tests" / "nlu" / split)
               if e.language == "ru"]
    assert len(russian) > 150
    languages = {text: parse(text)["language"] for text in russian}
    assert [t for t, lang in languages.items() if (lang["code"], lang["script"]) == ("uz", "cyrl")] == []


@pytest.mark.parametrize("text, entity, value", [
    ("из Таджикистана", "country", "tajikistan"), ("o'zbekistondanman", "country", "uzbekistan"),
    ("Маскавдам", "city", "moscow"), ("Новосибирскиде", "city", "novosibirsk"), ("Qozonda", "city", "kazan"),
    ("Тожикистондан", "country", "tajikistan"), ("кыргызстанданмын", "country", "kyrgyzstan"),
    ("Тошкентданман", "country", "uzbekistan"), ("из Душанбе", "country", "tajikistan"),
    ("Ошто", "country", "kyrgyzstan"), ("Бишкектенмин", "country", "kyrgyzstan"), ("Хуҷанд", "country", "tajikistan"),
])
def test_a_typed_answer_is_inform_with_its_entity(parse, text, entity, value):
    result = parse(text)
    assert result["intent"]["name"] == "inform"
    assert [(e["entity"], e["value"]) for e in result["entities"]] == [(entity, value)]


@pytest.mark.parametrize("text, topics, country, city", [
    ("ман аз Тоҷикистон, дар Маскав патент чанд пул меистад", {"patent_howto", "patent_payment"},
     "tajikistan", "moscow"),
    ("Я из Узбекистана, работаю в Казани, как сделать регистрацию?", {"registration_howto"}, "uzbekistan", "kazan"),
    ("Men Toshkentdanman, Qozonda ishlayman, patent qancha turadi?", {"patent_howto", "patent_payment"},
     "uzbekistan", "kazan"),
    ("Мен Бишкектенмин, Екатеринбургда иштейм, айлыгымды бербей жатышат", {"unpaid_wages"},
     "kyrgyzstan", "yekaterinburg"),
])
def test_a_question_naming_city_and_citizenship_keeps_its_topic_and_both(parse, text, topics, country, city):
    result = parse(text)
    assert result["intent"]["name"] in topics
    entities = {(e["entity"], e["value"]) for e in result["entities"]}
    assert {("country", country), ("city", city)} <= entities


@pytest.mark.parametrize("text", [
    "<div><p>Hello</p><script>alert(1)</script></div><br><br>", "'; DROP TABLE users; --", "asdfghjkl qwerty",
    "😀😀😀", "Hello, I would like to know how to get a work permit in Russia, can you help me please?",
    "Ich möchte wissen, wie ich eine Arbeitserlaubnis in Russland bekomme und was das kostet.",
    "我想知道如何在俄罗斯获得工作许可证",
])
def test_nonsense_and_foreign_messages_fall_back(parse, text):
    assert parse(text)["intent"]["name"] == "nlu_fallback"


# The mixed-language rule at its real threshold (bot.nlu.language.MIXED_WORD_CONFIDENCE), on the real model:
# one word the identifier is sure of makes a Russian-looking message that language; a Russian word that
# others borrow ("учёт", "патент") does not make a Russian message foreign.
@pytest.mark.parametrize("text, code", [
    ("скажите пожалуйста сколько стоит чанд", "tg"),  # Russian without the rule (checked by disabling it)
    ("скажите пожалуйста канча турат патент", "ky"),
    ("скажите пожалуйста сколько стоит патент", "ru"),
    ("скажите пожалуйста где встать на учёт", "ru"),
])
def test_one_sure_word_of_another_language_decides_a_mixed_message(parse, text, code):
    assert parse(text)["language"]["code"] == code


@pytest.mark.parametrize("text", ["здравствуйте мне нужен патент?", "саламатсызбы патент керекпи мага",
                                  "Assalomu alaykum, patent kerakmi menga?", "салом, ба ман патент лозим аст?"])
def test_a_question_after_a_greeting_is_answered_not_greeted(parse, text):
    intent = parse(text)["intent"]["name"]
    assert intent not in ("greet", "nlu_fallback"), intent
