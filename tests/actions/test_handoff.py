"""The person's side of a handoff in the actions: offered after urgent answers and two misunderstandings, consent
first, and only in Telegram (where a consultant can answer in the chat)."""

import pytest
from rasa_sdk import Tracker

from actions.answers import ActionAnswer
from actions.fallback import ActionSuggestTopics
from bot import messages
from bot.handoff.desk import Desk
from bot.handoff.person import CONSENT_PAYLOAD, TALK_PAYLOAD
from bot.i18n import translate
from tests.actions.conftest import DETECTED, run_action
from tests.bot.handoff.conftest import open_desk
from tests.bot.serving.conftest import conversations_url  # noqa: F401 - the fixture


def tracker(intent, text, language="tg", channel="telegram", entities=None, slots=None, earlier=()):
    """A tracker after one message of a channel, with the events before it."""
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.9},
              "intent_ranking": [{"name": intent, "confidence": 0.9}, {"name": "passport_withheld",
                                                                         "confidence": 0.05}],
              "entities": entities or [], "language": DETECTED[language], "metadata": {}}
    events = list(earlier) + [{"event": "user", "text": text, "input_channel": channel, "parse_data": latest}]
    return Tracker("7001", dict(slots or {}), latest, events, False, None, {}, "action_listen")


def payloads(sent):
    return [b["payload"] for m in sent for b in (m.get("buttons") or [])]


@pytest.mark.parametrize("channel, offered", [("telegram", True), ("rest", False)])
def test_every_urgent_answer_ends_with_talk_to_a_person_in_telegram(content_url, channel, offered):
    sent, _ = run_action(ActionAnswer(), tracker("detention_expulsion", "маро дастгир карданд", channel=channel,
                                                 slots={"country": "tajikistan", "city": "moscow"}))
    assert (TALK_PAYLOAD in payloads(sent[-1:])) is offered
    assert payloads(sent).count(TALK_PAYLOAD) == (1 if offered else 0)


def test_a_plain_answer_offers_no_person(content_url):
    sent, _ = run_action(ActionAnswer(), tracker("registration_deadline", "регистратсия чанд рӯз",
                                                 slots={"country": "tajikistan"}))
    assert TALK_PAYLOAD not in payloads(sent)


def test_the_second_misunderstanding_in_a_row_offers_a_person(content_url):
    once, _ = run_action(ActionSuggestTopics(), tracker("nlu_fallback", "ффф ыыы"))
    earlier = [{"event": "user", "text": "ффф ыыы", "input_channel": "telegram"},
               {"event": "action", "name": "action_suggest_topics"}, {"event": "bot", "text": "..."},
               {"event": "action", "name": "action_listen"}]
    twice, _ = run_action(ActionSuggestTopics(), tracker("nlu_fallback", "ааа ббб", earlier=earlier))
    assert TALK_PAYLOAD not in payloads(once) and TALK_PAYLOAD in payloads(twice)
    answered = [{"event": "action", "name": "action_answer"}, {"event": "bot", "text": "..."}]
    after_an_answer, _ = run_action(ActionSuggestTopics(), tracker("nlu_fallback", "ааа ббб", earlier=answered))
    assert TALK_PAYLOAD not in payloads(after_an_answer)


def test_consent_is_asked_before_anything_is_shared_then_the_conversation_is_passed_on(content_url,
                                                                                     conversations_url):
    open_desk(content_url, "civic_assistance", languages=["ru", "tg"])
    earlier = [{"event": "user", "text": "паспортамро гирифтанд", "input_channel": "telegram",
                "parse_data": {"intent": {"name": "passport_withheld"}}}]
    sent, _ = run_action(ActionAnswer(), tracker("talk_to_human", "одам даркор", earlier=earlier,
                                                 slots={"city": "moscow"}))
    assert payloads(sent) == [CONSENT_PAYLOAD, "/find_free_help"]
    assert Desk(conversations_url).current("7001") is None
    consent = [{"entity": "handoff", "value": "consent"}]
    # A button press carries no language of its own: the conversation's is remembered in the slots.
    sent, _ = run_action(ActionAnswer(), tracker("talk_to_human", CONSENT_PAYLOAD, entities=consent, earlier=earlier,
                                                 slots={"city": "moscow", "language": "tg"}))
    assert sent[-1]["text"] == translate(messages.HANDOFF_STARTED, "tg")
    handoff = Desk(conversations_url).current("7001")
    assert (handoff.topic, handoff.city, handoff.language) == ("passport_withheld", "moscow", "tg")


def test_no_consultant_for_the_language_gives_the_contacts_at_once(content_url, conversations_url):
    sent, _ = run_action(ActionAnswer(), tracker("talk_to_human", "odam kerak", language="uz",
                                                 slots={"city": "moscow", "country": "uzbekistan"}))
    assert sent[0]["text"] == translate(messages.HANDOFF_NO_DESK, "uz", "latn")
    assert len(sent) > 1 and CONSENT_PAYLOAD not in payloads(sent)


def test_outside_telegram_asking_for_a_person_lists_the_contacts(content_url, conversations_url):
    open_desk(content_url, "civic_assistance", languages=["ru", "tg"])
    sent, _ = run_action(ActionAnswer(), tracker("talk_to_human", "одам даркор", channel="rest",
                                                 slots={"city": "moscow"}))
    assert CONSENT_PAYLOAD not in payloads(sent) and sent
