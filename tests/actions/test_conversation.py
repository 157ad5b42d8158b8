"""Conversation actions answer in the person's language and never crash."""

import json

import pytest
from rasa_sdk.events import SlotSet

from actions.answers import ActionAnswer
from actions.conversation import (
    ActionAcknowledge, ActionBotChallenge, ActionChooseLanguage, ActionGoodbye, ActionGreet,
    ActionHelpMenu, ActionInform, ActionOutOfScope, ActionThanks,
)
from actions.fallback import ActionSuggestTopics
from bot import LANGUAGES, messages
from bot.i18n import translate
from bot.registry import CITIES, MENU_TOPICS, TOPIC_LABELS
from tests.actions.conftest import make_tracker, run_action

SIMPLE = [
    (ActionGreet, "greet", messages.GREETING),
    (ActionHelpMenu, "help_menu", messages.HELP_MENU),
    (ActionBotChallenge, "bot_challenge", messages.BOT_CHALLENGE),
    (ActionOutOfScope, "out_of_scope", messages.OUT_OF_SCOPE),
    (ActionGoodbye, "goodbye", messages.GOODBYE),
    (ActionThanks, "thanks", messages.THANKS),
    (ActionAcknowledge, "affirm", messages.ACKNOWLEDGE),
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("action, intent, text", SIMPLE, ids=[s[1] for s in SIMPLE])
def test_replies_in_the_detected_language_and_remembers_it(action, intent, text, language):
    sent, events = run_action(action(), make_tracker(intent, language=language))
    assert sent[0]["text"] == translate(text, language, "latn")
    assert SlotSet("language", language) in events


def test_greeting_offers_every_language_with_uzbek_in_both_scripts():
    sent, _ = run_action(ActionGreet(), make_tracker("greet"))
    payloads = [json.loads(b["payload"][len("/choose_language"):]) for b in sent[0]["buttons"]
                if b["payload"].startswith("/choose_language")]
    assert {(p["language"], p.get("script")) for p in payloads} == {
        ("ru", None), ("uz", "latn"), ("uz", "cyrl"), ("tg", None), ("ky", None)}


def test_help_menu_lists_topics_as_buttons():
    sent, _ = run_action(ActionHelpMenu(), make_tracker("help_menu", language="tg"))
    payloads = [b["payload"] for b in sent[0]["buttons"]]
    assert all(f"/{topic}" in payloads for topic in MENU_TOPICS)
    assert sent[0]["buttons"][0]["title"] == translate(TOPIC_LABELS[MENU_TOPICS[0]], "tg")


@pytest.mark.parametrize("code, script", [("ru", None), ("uz", "cyrl"), ("uz", "latn"), ("tg", None), ("ky", None)])
def test_choosing_a_language_sticks(code, script):
    entities = [{"entity": "language", "value": code}] + ([{"entity": "script", "value": script}] if script else [])
    sent, events = run_action(ActionChooseLanguage(), make_tracker("choose_language", text="/choose_language",
                                                                   entities=entities))
    assert SlotSet("language_chosen", True) in events
    assert SlotSet("language", code) in events and SlotSet("script", script) in events
    assert sent[0]["text"] == translate(messages.LANGUAGE_SET, code, script)


def test_chosen_language_beats_a_confident_message_in_another_language():
    tracker = make_tracker("thanks", language="uz", slots={"language": "ky", "language_chosen": True})
    sent, _ = run_action(ActionThanks(), tracker)
    assert sent[0]["text"] == translate(messages.THANKS, "ky")


def test_asking_for_a_language_without_naming_one_offers_the_buttons():
    sent, events = run_action(ActionChooseLanguage(), make_tracker("choose_language", language="ru"))
    assert sent[0]["text"] == messages.CHOOSE_LANGUAGE and len(sent[0]["buttons"]) == 5
    assert SlotSet("language_chosen", True) not in events


def test_uzbek_written_in_cyrillic_gets_cyrillic():
    tracker = make_tracker("thanks", text="катта раҳмат сизга", language="uz",
                           detection={"code": "uz", "script": "cyrl", "confidence": 0.97})
    sent, _ = run_action(ActionThanks(), tracker)
    assert sent[0]["text"] == translate(messages.THANKS, "uz", "cyrl")


def test_inform_remembers_city_and_country():
    entities = [{"entity": "city", "value": "kazan"}, {"entity": "country", "value": "tajikistan"}]
    sent, events = run_action(ActionInform(), make_tracker("inform", language="tg", entities=entities))
    assert SlotSet("city", "kazan") in events and SlotSet("country", "tajikistan") in events
    assert translate(CITIES["kazan"], "tg") in sent[0]["text"]


def test_fallback_offers_the_two_most_likely_topics_and_the_menu():
    ranking = [{"name": "nlu_fallback", "confidence": 0.9}, {"name": "greet", "confidence": 0.2},
               {"name": "patent_payment", "confidence": 0.15}, {"name": "patent_howto", "confidence": 0.25},
               {"name": "unpaid_wages", "confidence": 0.05}]
    sent, _ = run_action(ActionSuggestTopics(), make_tracker("nlu_fallback", text="patent blin", ranking=ranking))
    assert [b["payload"] for b in sent[0]["buttons"]] == ["/patent_howto", "/patent_payment", "/help_menu"]


def test_a_failing_action_apologises_in_the_persons_language(monkeypatch):
    def broken(self, reply, tracker):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(ActionAnswer, "respond", broken)
    sent, events = run_action(ActionAnswer(), make_tracker("patent_howto", language="ky"))
    assert sent[0]["text"] == translate(messages.ERROR, "ky")
    assert SlotSet("language", "ky") in events


@pytest.mark.parametrize("action", [a for a, _, _ in SIMPLE] + [ActionInform, ActionSuggestTopics,
                                                                 ActionChooseLanguage, ActionAnswer])
def test_bad_input_gets_a_reply(action, bad_input):
    tracker = make_tracker("nlu_fallback", text=bad_input, detection={"code": "ru", "script": None, "confidence": 0.2})
    sent, _ = run_action(action(), tracker)
    assert sent and sent[0]["text"]


def test_markup_in_none_of_our_languages_keeps_the_conversations_language():
    tracker = make_tracker("nlu_fallback", text="<div><script>alert(1)</script></div>", language="uz",
                           slots={"language": "tg"})
    tracker.latest_message["not_understood"] = "markup"  # what the NLU's NotOurLanguage adds
    sent, events = run_action(ActionSuggestTopics(), tracker)
    assert sent[0]["text"] == translate(messages.FALLBACK, "tg")
    assert SlotSet("language", "tg") in events
