"""Topic answers: citizenship-aware facts, routing, the questions asked, and failure modes."""

import json

import pytest
from rasa_sdk.events import SlotSet

from actions.answers import ActionAnswer
from actions.conversation import ActionInform
from bot import LANGUAGES, messages
from bot.answering import cached_help
from bot.content import DOMAIN_TOPICS, ROUTED_TOPICS
from bot.content.db import session_scope
from bot.content.loader import load_content
from bot.i18n import translate
from bot.settings import ROOT, get_settings
from tests.actions.conftest import make_tracker, run_action
from tests.db import fresh_database, use_database


@pytest.fixture
def kb(tmp_path, monkeypatch):
    url = fresh_database("sqlite", tmp_path)
    use_database(monkeypatch, url)
    with session_scope(url) as session:
        load_content(session, ROOT / "content")
    yield url
    get_settings.cache_clear()


def ask(topic, language="ru", slots=None, entities=None, text=None):
    tracker = make_tracker(topic, language=language, slots=slots, entities=entities, text=text)
    return run_action(ActionAnswer(), tracker)


def texts(sent):
    return "\n".join(m["text"] for m in sent)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("country, days", [("tajikistan", "15"), ("uzbekistan", "15"), ("kyrgyzstan", "30")])
def test_registration_deadline_by_citizenship(kb, language, country, days):
    sent, _ = ask("registration_deadline", language, slots={"country": country, "city": "kazan"})
    assert days in sent[0]["text"]


def test_kyrgyz_citizen_asking_for_a_patent_hears_no_patent_is_needed(kb):
    sent, _ = ask("patent_howto", "ru", slots={"country": "kyrgyzstan"})
    assert "не нужен" in texts(sent).lower()


@pytest.mark.parametrize("language", LANGUAGES)
def test_unknown_citizenship_is_asked_with_buttons_and_remembered(kb, language):
    sent, events = ask("registration_deadline", language)
    assert sent[0]["text"] == translate(messages.ASK_CITIZENSHIP, language, "latn")
    payloads = [json.loads(b["payload"][len("/inform"):]) for b in sent[0]["buttons"]]
    assert {p["country"] for p in payloads} == set(messages.COUNTRIES)
    assert SlotSet("pending_topic", "registration_deadline") in events and SlotSet("awaiting", "country") in events
    # The person presses "Tajikistan": the answer they asked for comes, for their citizenship.
    tracker = make_tracker("inform", language=language, text='/inform{"country": "tajikistan"}',
                           entities=[{"entity": "country", "value": "tajikistan"}],
                           slots={"pending_topic": "registration_deadline", "awaiting": "country",
                                  "country": "tajikistan"})
    sent, events = run_action(ActionInform(), tracker)
    assert "15" in texts(sent)
    assert SlotSet("pending_topic", None) in events


@pytest.mark.parametrize("topic", ROUTED_TOPICS)
def test_rights_topics_ask_the_city_then_route(kb, topic):
    sent, events = ask(topic, "ru", slots={"country": "uzbekistan"})
    assert sent[-1]["text"] == messages.ASK_CITY
    assert any(b["payload"] == '/inform{"city": "moscow"}' for b in sent[-1]["buttons"])
    tracker = make_tracker("inform", text='/inform{"city": "moscow"}', entities=[{"entity": "city", "value": "moscow"}],
                           slots={"pending_topic": topic, "awaiting": "city", "city": "moscow", "country": "uzbekistan"})
    sent, _ = run_action(ActionInform(), tracker)
    reply = texts(sent)
    assert messages.HELP_HEADER in reply or messages.NATIONWIDE_HEADER in reply or messages.NO_ORGANISATION in reply


def test_find_free_help_in_moscow_lists_vetted_organisations(kb):
    sent, _ = ask("find_free_help", "ru", slots={"city": "moscow", "country": "tajikistan"})
    reply = texts(sent)
    assert messages.HELP_HEADER in reply
    assert "Гражданское содействие" in reply
    assert "Мемориал" not in reply and "Сёстры" not in reply  # inactive / unverified


@pytest.mark.parametrize("topic", ["forced_labour", "detention_expulsion"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_urgent_topics_lead_with_the_urgent_steps(kb, topic, language):
    sent, _ = ask(topic, language, slots={"country": "tajikistan"})
    assert sent[0]["text"] == translate(messages.URGENT_STEPS, language, "latn")
    assert "112" in sent[0]["text"]


def test_intermediary_offer_warns_and_recommends_no_paid_service(kb):
    sent, _ = ask("intermediary_offer", "ru", slots={"country": "uzbekistan", "city": "moscow"})
    reply = texts(sent).lower()
    assert "реестр" in reply or "аннулир" in reply


@pytest.mark.parametrize("topic", DOMAIN_TOPICS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_topic_answers_in_every_language_with_a_footer(kb, topic, language):
    sent, _ = ask(topic, language, slots={"country": "uzbekistan", "city": "moscow"})
    footer_start = translate(messages.ANSWER_FOOTER, language, "latn").split("{")[0]
    assert footer_start in texts(sent)
    assert all(len(m["text"]) <= 1500 for m in sent)


def test_uzbek_cyrillic_answers_are_in_cyrillic(kb):
    sent, _ = ask("healthcare", "uz", text="касалхонага бормоқчиман", slots={"city": "moscow"})
    import re

    body = sent[0]["text"]
    assert len(re.findall(r"[a-zA-Z]", body.split("http")[0])) < 5


def test_money_is_localised(kb):
    sent, _ = ask("patent_payment", "ru", slots={"country": "uzbekistan"})
    assert "₽" in texts(sent)
    assert "[rub:" not in texts(sent)


def test_an_edit_in_the_database_is_served_at_once(kb):
    from tests.bot.content.test_knowledge_base import edit_answer

    with session_scope(kb) as session:
        edit_answer(session, "join_union", "ru", "any", "Профсоюз: <b>новый</b> текст & *звёздочки* _подчёркивание_")
    sent, _ = ask("join_union", "ru", slots={"city": "moscow"})
    assert sent[0]["text"].startswith("Профсоюз: <b>новый</b> текст & *звёздочки* _подчёркивание_")


def test_a_long_answer_gets_a_more_button_and_the_rest_on_request(kb):
    from tests.bot.content.test_knowledge_base import edit_answer

    long_text = "\n".join(f"• Шаг {i}: " + "подробности " * 8 for i in range(20))
    with session_scope(kb) as session:
        edit_answer(session, "join_union", "ru", "any", long_text)
    sent, _ = ask("join_union", "ru", slots={"city": "moscow"})
    assert len(sent[0]["text"]) <= 700
    assert sent[0]["buttons"] == [{"title": messages.MORE_BUTTON, "payload": '/join_union{"part": "more"}'}]
    rest, _ = ask("join_union", "ru", slots={"city": "moscow"}, entities=[{"entity": "part", "value": "more"}])
    assert "Шаг 19" in rest[0]["text"]


def test_a_missing_translation_falls_back_to_russian_with_a_note(kb, caplog):
    from tests.bot.content.test_knowledge_base import edit_answer

    with session_scope(kb) as session:
        edit_answer(session, "join_union", "ky", "any", "—", status="retired")
    sent, _ = ask("join_union", "ky", slots={"city": "moscow"})
    assert sent[0]["text"].startswith(translate(messages.MISSING_TRANSLATION, "ky"))
    assert any("no ky translation" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_database_that_is_down_gets_an_apology_and_cached_hotlines(monkeypatch, language):
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    get_settings.cache_clear()
    try:
        sent, _ = ask("forced_labour", language, slots={"country": "tajikistan", "city": "kazan"})
    finally:
        get_settings.cache_clear()
    reply = texts(sent)
    assert translate(messages.DATABASE_DOWN, language, "latn") in reply
    assert "112" in reply
    assert cached_help() and cached_help()[0].name in reply
