"""Fallback: offer the two most likely topics when the model is unsure."""

from __future__ import annotations

from typing import List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType

from actions.base import HamrohAction, Reply
from actions.conversation import menu_button
from bot import messages

SUGGESTIONS = 2


def likely_topics(tracker: Tracker, limit: int = SUGGESTIONS) -> List[str]:
    """Returns the most likely topic intents of the latest message, best first."""
    ranking = (tracker.latest_message or {}).get("intent_ranking") or []
    ranked = [r.get("name") for r in sorted(ranking, key=lambda r: -(r.get("confidence") or 0))]
    topics = [name for name in ranked if name in messages.TOPICS]
    return topics[:limit]


class ActionSuggestTopics(HamrohAction):
    """Asks whether the person meant one of the two most likely topics."""

    def name(self) -> str:
        return "action_suggest_topics"

    def respond(self, reply: Reply, tracker: Tracker) -> List[EventType]:
        buttons = reply.topic_buttons(likely_topics(tracker)) + [menu_button(reply)]
        reply.say(messages.FALLBACK, buttons=buttons)
        return []
