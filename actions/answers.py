"""Answers to the domain topics, from the knowledge base."""

from __future__ import annotations

from typing import List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from actions.base import HamrohAction, Reply, entity_value
from bot.answering import Result, Turn, answer
from bot.content import DOMAIN_TOPICS


def turn_for(tracker: Tracker, reply: Reply, topic: str, routing_only: bool = False) -> Turn:
    """Collects what the answer depends on from the conversation."""
    return Turn(
        topic=topic,
        language=reply.language.language,
        script=reply.language.script,
        country=entity_value(tracker, "country") or tracker.get_slot("country"),
        city=entity_value(tracker, "city") or tracker.get_slot("city"),
        part=entity_value(tracker, "part"),
        routing_only=routing_only,
    )


def send(reply: Reply, result: Result) -> List[EventType]:
    """Dispatches the messages of a result; returns its slot events."""
    for message in result.messages:
        reply.dispatcher.utter_message(text=message.text, buttons=message.buttons)
    return [SlotSet(name, value) for name, value in result.slots.items()]


class ActionAnswer(HamrohAction):
    """Answers the topic of the latest intent, asking citizenship or city when they matter."""

    def name(self) -> str:
        return "action_answer"

    def respond(self, reply: Reply, tracker: Tracker) -> List[EventType]:
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        topic = intent if intent in DOMAIN_TOPICS or intent == "talk_to_human" else "find_free_help"
        return send(reply, answer(turn_for(tracker, reply, topic)))
