"""Topic answers: citizenship-aware facts, help the person can reach, the questions asked, failure modes."""

import json

import pytest
from rasa_sdk.events import SlotSet
from sqlalchemy import select

from actions.answers import ActionAnswer
from actions.conversation import ActionInform, ActionOutOfScope
from actions.fallback import ActionSuggestTopics
from bot import LANGUAGES, messages
from bot.answering import AWAIT_CITY, AWAIT_COUNTRY, AWAIT_COUNTRY_FOR_HELP
from bot.content.db import session_scope
from bot.content.models import Organisation
from bot.content.snapshot import load_snapshot, save_snapshot
from bot.i18n import translate
from bot.registry import COUNTRIES, DOMAIN_TOPICS, OTHER_CITY, URGENT_TOPICS
from bot.settings import get_settings
from tests.actions.conftest import make_tracker, run_action
from tests.db import use_database


@pytest.fixture
def kb(content_url):
    return content_url


def ask(topic, language="ru", slots=None, entities=None, text=None):
    tracker = make_tracker(topic, language=language, slots=slots, entities=entities, text=text)
    return run_action(ActionAnswer(), tracker)


def answer_typed(action, text, language="ru", slots=None, entities=None, intent="inform"):
    """The person types an answer to our question (the NLU found `entities` in it)."""
    tracker = make_tracker(intent, language=language, text=text, slots=slots, entities=entities or [])
    return run_action(action, tracker)


def texts(sent):
    return "\n".join(m["text"] for m in sent)


def slot(events, name):
    return next((e["value"] for e in events if e.get("event") == "slot" and e.get("name") == name), "unset")


def organisation_names(url, **where):
    with session_scope(url) as session:
        return {o.key: o.name for o in session.execute(select(Organisation).filter_by(**where)).scalars()}


def citizens_answer(topic, language, country):
    """The first line of the answer written for that citizenship, as the person reads it."""
    from bot.content.queries import published_answer
    from bot.content.render import localise

    with session_scope() as session:
        served = published_answer(session, topic, language, country)
    assert served.scope != "any", (topic, language, country)  # the law differs: a scoped answer exists
    return localise(served.body, language, "latn").splitlines()[0]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("country, days", [("tajikistan", "15"), ("uzbekistan", "15"), ("kyrgyzstan", "30")])
def test_registration_deadline_by_citizenship(kb, language, country, days):
    sent, _ = ask("registration_deadline", language, slots={"country": country, "city": "kazan"})
    first = sent[0]["text"].splitlines()[0]
    assert first == citizens_answer("registration_deadline", language, country) and days in first


def test_kyrgyz_citizen_asking_for_a_patent_hears_no_patent_is_needed(kb):
    sent, _ = ask("patent_howto", "ru", slots={"country": "kyrgyzstan"})
    assert "не нужен" in texts(sent).lower()


@pytest.mark.parametrize("language", LANGUAGES)
def test_unknown_citizenship_is_asked_with_buttons_and_the_typed_answer_completes_the_question(kb, language):
    sent, events = ask("registration_deadline", language)
    assert sent[0]["text"] == translate(messages.ASK_CITIZENSHIP, language, "latn")
    payloads = [json.loads(b["payload"][len("/inform"):]) for b in sent[0]["buttons"]]
    assert {p["country"] for p in payloads} == set(COUNTRIES)
    assert slot(events, "pending_topic") == "registration_deadline" and slot(events, "awaiting") == AWAIT_COUNTRY
    # The person types "o'zbekistondanman" instead of pressing a button; the NLU reads the country.
    sent, events = answer_typed(ActionInform(), "o'zbekistondanman", language,
                                slots={"pending_topic": "registration_deadline", "awaiting": AWAIT_COUNTRY},
                                entities=[{"entity": "country", "value": "uzbekistan"}])
    assert sent[0]["text"].splitlines()[0] == citizens_answer("registration_deadline", language, "uzbekistan")
    assert slot(events, "country") == "uzbekistan" and slot(events, "awaiting") != AWAIT_COUNTRY


def test_a_typed_city_answers_the_pending_question_in_the_same_turn(kb):
    sent, events = ask("unpaid_wages", "tg", slots={"country": "tajikistan"})
    assert slot(events, "awaiting") == AWAIT_CITY and sent[-1]["text"] == translate(messages.ASK_CITY, "tg")
    sent, events = answer_typed(ActionInform(), "Маскавдам", "tg",
                                slots={"pending_topic": "unpaid_wages", "awaiting": AWAIT_CITY, "country": "tajikistan"},
                                entities=[{"entity": "city", "value": "moscow"}])
    reply = texts(sent)
    assert translate(messages.HELP_HEADER, "tg") in reply
    assert organisation_names(kb, key="civic_assistance")["civic_assistance"] not in reply  # its Tajik name instead
    assert "Мусоидати шаҳрвандӣ" in reply
    assert slot(events, "city") == "moscow" and slot(events, "pending_topic") is None


@pytest.mark.parametrize("action", [ActionInform, ActionSuggestTopics, ActionOutOfScope])
def test_a_city_we_do_not_know_still_gets_help_that_works_from_anywhere(kb, action):
    slots = {"pending_topic": "detention_expulsion", "awaiting": AWAIT_CITY, "country": "kyrgyzstan"}
    sent, events = answer_typed(action(), "Барнаул", "ru", slots=slots, intent="nlu_fallback")
    reply = texts(sent)
    assert messages.NATIONWIDE_HEADER in reply and "+7 925 115 50 47" in reply  # the Kyrgyz embassy's hotline
    assert slot(events, "city") == OTHER_CITY and slot(events, "pending_topic") is None
    assert messages.FALLBACK not in reply and messages.OUT_OF_SCOPE not in reply


def test_another_city_button_asks_for_the_name_and_keeps_the_question(kb):
    slots = {"pending_topic": "unpaid_wages", "awaiting": AWAIT_CITY, "country": "tajikistan"}
    sent, events = answer_typed(ActionInform(), "/inform", "ru", slots=slots)
    assert texts(sent) == messages.ASK_CITY_NAME
    assert slot(events, "pending_topic") == "unset"  # still waiting


def test_an_unreadable_country_is_asked_again_not_dropped(kb):
    slots = {"pending_topic": "registration_deadline", "awaiting": AWAIT_COUNTRY}
    sent, events = answer_typed(ActionSuggestTopics(), "фывфыв", "ru", slots=slots, intent="nlu_fallback")
    assert sent[0]["text"] == messages.ASK_COUNTRY_AGAIN and len(sent[0]["buttons"]) == len(COUNTRIES)
    assert slot(events, "pending_topic") == "unset"


def test_a_long_unclear_message_while_we_wait_is_treated_as_a_new_question(kb):
    slots = {"pending_topic": "registration_deadline", "awaiting": AWAIT_COUNTRY}
    sent, _ = answer_typed(ActionSuggestTopics(), "мне нужно понять одну вещь про мою работу тут", "ru",
                           slots=slots, intent="nlu_fallback")
    assert sent[0]["text"] == messages.FALLBACK


def test_a_question_that_names_city_and_citizenship_is_answered_with_both(kb):
    # "ман аз Тоҷикистон, дар Маскав патент чанд пул меистад"
    sent, events = ask("patent_howto", "tg", entities=[{"entity": "country", "value": "tajikistan"},
                                                       {"entity": "city", "value": "moscow"}])
    reply = texts(sent).replace("\u00a0", " ")
    assert "Тоҷикистон" in reply and "10 000" in reply  # the Tajik answer, and Moscow's price
    assert translate(messages.ASK_CITY, "tg") not in reply and translate(messages.ASK_CITIZENSHIP, "tg") not in reply
    assert slot(events, "awaiting") is None


@pytest.mark.parametrize("topic", URGENT_TOPICS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_urgent_topics_give_the_steps_at_once_then_ask_the_citizenship_for_consular_help(kb, topic, language):
    sent, events = ask(topic, language, slots={"city": "moscow"})
    assert "112" in sent[0]["text"]  # the immediate steps come first, before any question
    assert translate(messages.URGENT_STEPS, language, "latn") not in texts(sent)  # no second urgent block
    assert sent[-1]["text"] == translate(messages.ASK_CITIZENSHIP_FOR_HELP, language, "latn")
    assert slot(events, "awaiting") == AWAIT_COUNTRY_FOR_HELP
    consular = organisation_names(kb, kind="consulate") | organisation_names(kb, kind="home_country_agency")
    assert not any(name in texts(sent) for name in consular.values())  # nobody's embassy on a guess
    assert len(sent) <= 3 and sum(len(m["text"]) for m in sent) <= 1600


@pytest.mark.parametrize("country, own, others", [
    ("kyrgyzstan", "kyrgyzstan_embassy", ("uzbekistan_consulates", "tajikistan_embassy")),
    ("uzbekistan", "uzbekistan_consulates", ("kyrgyzstan_embassy", "tajikistan_embassy")),
    ("tajikistan", "tajikistan_labour_ministry_russia", ("kyrgyzstan_embassy", "uzbekistan_consulates")),
])
def test_after_the_citizenship_only_that_countrys_bodies_are_listed(kb, country, own, others):
    names = organisation_names(kb)
    slots = {"pending_topic": "detention_expulsion", "awaiting": AWAIT_COUNTRY_FOR_HELP, "city": "kazan"}
    sent, _ = answer_typed(ActionInform(), COUNTRIES[country], "ru", slots=slots,
                           entities=[{"entity": "country", "value": country}])
    reply = texts(sent)
    assert names[own] in reply
    assert not any(names[key] in reply for key in others)


@pytest.mark.parametrize("country", ["kazakhstan", "armenia", "other"])
def test_without_any_known_contact_an_urgent_reply_says_what_to_do_alone(kb, country):
    slots = {"pending_topic": "forced_labour", "awaiting": AWAIT_COUNTRY_FOR_HELP, "city": "surgut"}
    sent, events = answer_typed(ActionInform(), COUNTRIES[country], "ru", slots=slots,
                                entities=[{"entity": "country", "value": country}])
    assert messages.SELF_HELP in texts(sent)
    assert slot(events, "pending_topic") is None


@pytest.mark.parametrize("topic", DOMAIN_TOPICS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_reply_promises_help_it_does_not_list(kb, topic, language):
    for country in (None, "tajikistan", "kazakhstan"):
        for city in (None, "moscow", "surgut"):
            sent, _ = ask(topic, language, slots={"country": country, "city": city})
            reply = texts(sent)
            headers = [translate(h, language, "latn") for h in (messages.HELP_HEADER, messages.NATIONWIDE_HEADER,
                                                                   messages.REMOTE_HEADER, messages.LOW_COST_HEADER)]
            for header in headers:
                if header in reply:  # a header is followed by at least one organisation
                    assert reply.split(header, 1)[1].lstrip("\n").startswith("• "), (topic, country, city)


def test_low_cost_help_is_labelled_so_and_never_listed_as_free(kb):
    sent, _ = ask("registration_howto", "ru", slots={"country": "uzbekistan", "city": "yekaterinburg"})
    reply = texts(sent)
    assert "«Уральский дом»" in reply
    assert messages.LOW_COST_HEADER in reply and messages.ORG_LOW_COST in reply
    free_part = reply.split(messages.LOW_COST_HEADER)[0]
    assert "Уральский дом" not in free_part


def test_an_untranslated_organisation_is_shown_in_russian_and_marked(kb):
    with session_scope(kb) as session:
        organisation = session.execute(select(Organisation).filter_by(key="civic_assistance")).scalar_one()
        organisation.translations = {}
    sent, _ = ask("unpaid_wages", "ky", slots={"country": "kyrgyzstan", "city": "moscow"})
    reply = texts(sent)
    assert "Комитет «Гражданское содействие»" in reply and translate(messages.IN_RUSSIAN, "ky") in reply


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
    assert translate(messages.EDITORIAL_TEAM, language, "latn") in texts(sent)
    assert "г.." not in texts(sent)
    assert all(len(m["text"]) <= 1500 for m in sent)


def test_uzbek_cyrillic_answers_are_in_cyrillic(kb):
    sent, _ = ask("healthcare", "uz", text="касалхонага бормоқчиман", slots={"city": "moscow"})
    import re

    body = sent[0]["text"]
    assert len(re.findall(r"[a-zA-Z]", body.split("http")[0])) < 5


@pytest.mark.parametrize("city, price", [("moscow", "10 000"), ("krasnodar", "27 283"), ("nizhny_novgorod", "11 662,3")])
def test_the_patent_price_is_the_persons_region(kb, city, price):
    sent, _ = ask("patent_payment", "ru", slots={"country": "uzbekistan", "city": city})
    assert price in texts(sent).replace("\u00a0", " ")
    assert "[rub:" not in texts(sent)


def test_without_a_city_every_known_regional_price_is_listed_and_eaeu_citizens_get_none(kb):
    sent, _ = ask("patent_howto", "ru", slots={"country": "tajikistan"})
    assert "27 283" in texts(sent).replace("\u00a0", " ")
    sent, _ = ask("patent_howto", "ru", slots={"country": "kyrgyzstan", "city": "moscow"})
    assert "в месяц" not in texts(sent).split("Проверено")[0].split("\n")[-1]


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
    assert len(sent[0]["text"].split("\n\nПроверено")[0]) <= 700
    assert sent[0]["buttons"] == [{"title": messages.MORE_BUTTON, "payload": '/join_union{"part": "more"}'}]
    rest, _ = ask("join_union", "ru", slots={"city": "moscow"}, entities=[{"entity": "part", "value": "more"}])
    assert "Шаг 19" in rest[0]["text"] and "Проверено" in rest[0]["text"]


def test_a_missing_translation_falls_back_to_russian_with_a_note(kb, caplog):
    from tests.bot.content.test_knowledge_base import edit_answer

    with session_scope(kb) as session:
        edit_answer(session, "join_union", "ky", "any", "—", status="retired")
    sent, _ = ask("join_union", "ky", slots={"city": "moscow"})
    assert sent[0]["text"].startswith(translate(messages.MISSING_TRANSLATION, "ky"))
    assert any("no ky translation" in r.getMessage() for r in caplog.records)


def database_down(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    get_settings.cache_clear()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_database_that_is_down_answers_from_the_databases_own_copy(kb, monkeypatch, language):
    ask("forced_labour", "ru", slots={"country": "kyrgyzstan", "city": "kazan"})  # a read writes the copy
    assert load_snapshot()
    database_down(monkeypatch)
    sent, _ = ask("forced_labour", language, slots={"country": "kyrgyzstan", "city": "kazan"})
    reply = texts(sent)
    assert sent[0]["text"] == translate(messages.URGENT_STEPS, language, "latn")  # the steps never wait
    assert translate(messages.DATABASE_DOWN, language, "latn") in reply
    assert "+7 925 115 50 47" in reply  # the Kyrgyz embassy, for a Kyrgyz citizen
    assert "uralhouse" not in reply and "consulate.mfa.uz" not in reply  # not this topic, not their country


def test_an_organisation_retired_in_the_database_does_not_come_back_when_it_fails(kb, monkeypatch):
    with session_scope(kb) as session:
        session.execute(select(Organisation).filter_by(key="kyrgyzstan_embassy")).scalar_one().status = "inactive"
        save_snapshot(session)  # as a publication does
    database_down(monkeypatch)
    sent, _ = ask("forced_labour", "ru", slots={"country": "kyrgyzstan", "city": "kazan"})
    assert "+7 925 115 50 47" not in texts(sent)
    assert messages.SELF_HELP in texts(sent)


def test_a_question_asked_while_the_database_is_down_is_answered_once_it_is_back(kb, monkeypatch):
    ask("forced_labour", "ru", slots={"country": "kyrgyzstan", "city": "kazan"})  # a read writes the copy
    database_down(monkeypatch)
    sent, events = ask("registration_deadline", "tg")
    assert sent[0]["text"] == translate(messages.DATABASE_DOWN, "tg")
    # The answer's own question, not the help's: the answer has not been given.
    assert sent[-1]["text"] == translate(messages.ASK_CITIZENSHIP, "tg")
    assert slot(events, "pending_topic") == "registration_deadline" and slot(events, "awaiting") == AWAIT_COUNTRY
    use_database(monkeypatch, kb)
    sent, _ = answer_typed(ActionInform(), "Тоҷикистон", "tg",
                           slots={"pending_topic": "registration_deadline", "awaiting": AWAIT_COUNTRY},
                           entities=[{"entity": "country", "value": "tajikistan"}])
    assert "15" in sent[0]["text"]  # the answer the person asked for, first


def test_a_database_down_before_any_copy_still_answers(monkeypatch):
    database_down(monkeypatch)
    sent, _ = ask("unpaid_wages", "tg", slots={"country": "tajikistan", "city": "kazan"})
    assert translate(messages.DATABASE_DOWN, "tg") in texts(sent)
