"""/forget clears what the bot remembers, confirming in the language used so far."""

import pytest
from rasa_sdk.events import SlotSet

from actions.privacy import REMEMBERED_SLOTS, ActionForget
from bot import messages
from bot.i18n import translate
from tests.actions.conftest import make_tracker, run_action

REMEMBERED = {"city": "kazan", "country": "tajikistan", "language": "tg", "script": None,
              "language_chosen": True, "pending_topic": "registration_deadline", "awaiting": "country"}


@pytest.mark.parametrize("language, script", [("ru", None), ("uz", "latn"), ("uz", "cyrl"), ("tg", None), ("ky", None)])
def test_forget_confirms_in_the_chosen_language_and_clears_every_remembered_slot(language, script):
    slots = {**REMEMBERED, "language": language, "script": script}
    sent, events = run_action(ActionForget(), make_tracker("forget", text="/forget", slots=slots))
    assert [m["text"] for m in sent] == [translate(messages.FORGET_DONE, language, script)]
    assert events == [SlotSet(slot, None) for slot in REMEMBERED_SLOTS]


def test_forget_without_any_history_follows_telegrams_language_code():
    tracker = make_tracker("forget", text="/forget", detection={}, metadata={"language_code": "ky"})
    sent, events = run_action(ActionForget(), tracker)
    assert sent[0]["text"] == translate(messages.FORGET_DONE, "ky")
    assert {e["name"] for e in events} == set(REMEMBERED_SLOTS)
    assert all(e["value"] is None for e in events)


def test_forget_clears_the_language_last_so_the_next_reply_is_not_pinned():
    _, events = run_action(ActionForget(), make_tracker("forget", text="удалите мои данные", slots=REMEMBERED))
    assert SlotSet("language", None) in events and SlotSet("language_chosen", None) in events
    assert not [e for e in events if e["value"] is not None]
