"""Fallback: offer the two most likely topics when the model is unsure."""

from __future__ import annotations

from typing import List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType

from actions.answers import continue_pending
from actions.base import HamrohAction, Reply
from actions.conversation import menu_button
from actions.handoff import with_talk_button
from bot import messages
from bot.answering import store_unanswered
from bot.registry import TOPIC_LABELS

SUGGESTIONS = 2


def likely_topics(tracker: Tracker, limit: int = SUGGESTIONS) -> List[str]:
    """Returns the most likely topic intents of the latest message, best first."""
    ranking = (tracker.latest_message or {}).get("intent_ranking") or []
    ranked = [r.get("name") for r in sorted(ranking, key=lambda r: -(r.get("confidence") or 0))]
    topics = [name for name in ranked if name in TOPIC_LABELS]
    return topics[:limit]


class ActionSuggestTopics(HamrohAction):
    """Asks whether the person meant one of the two most likely topics."""

    NAME = "action_suggest_topics"

    def name(self) -> str:
        return self.NAME

    def respond(self, reply: Reply, tracker: Tracker) -> List[EventType]:
        pending = continue_pending(reply, tracker)  # an answer to our question that the model could not read
        if pending is not None:
            return pending
        topics = likely_topics(tracker)
        buttons = reply.topic_buttons(topics) + [menu_button(reply)]
        reply.say(messages.FALLBACK, buttons=buttons)
        if fell_back_before(tracker):
            with_talk_button(reply, tracker)  # twice not understood: a person may understand
        remember_unanswered(tracker, reply.language.language, topics)
        return []


def fell_back_before(tracker: Tracker) -> bool:
    """Whether the bot's answer to the person's previous message was this fallback too."""
    users = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            users += 1
        elif users == 1 and event.get("event") == "action" and event.get("name") not in (
                "action_listen", None):
            return event.get("name") == ActionSuggestTopics.NAME
    return False


def remember_unanswered(tracker: Tracker, language: str, topics: List[str]) -> None:
    """Passes the message to the NGO inbox (masked there); button presses are not questions."""
    latest = tracker.latest_message or {}
    text = (latest.get("text") or "").strip()
    if text and not text.startswith("/"):
        ranking = latest.get("intent_ranking") or []
        confidence = next((r.get("confidence") for r in ranking if topics and r.get("name") == topics[0]), None)
        store_unanswered(text, language, topics[0] if topics else None, confidence)
