"""Answers to the domain topics."""

from __future__ import annotations

from typing import List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType

from actions.base import HamrohAction, Reply
from actions.conversation import menu_button
from bot import messages


class ActionAnswer(HamrohAction):
    """Answers the topic of the latest intent (a placeholder until the knowledge base lands)."""

    def name(self) -> str:
        return "action_answer"

    def respond(self, reply: Reply, tracker: Tracker) -> List[EventType]:
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        topic = messages.TOPICS.get(intent, messages.TOPICS["find_free_help"])
        reply.say(messages.COMING_SOON, buttons=[menu_button(reply)], topic=reply._(topic))
        return []
