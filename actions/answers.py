"""Answers to the domain topics, from the knowledge base, and the person's answers to our questions."""

from __future__ import annotations

from typing import List, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from actions.base import HamrohAction, Reply, entity_value
from actions.handoff import HANDOFF_TOPIC, talk_to_human, with_talk_button
from bot import messages
from bot.answering import (
    AWAIT_CITY, AWAIT_COUNTRY, AWAIT_COUNTRY_FOR_HELP, STAGE_ANSWER, STAGE_HELP, Result, Turn, answer, ask_citizenship,
)
from bot.registry import CITIES, COUNTRIES, OTHER_CITY, TOPICS, URGENT_TOPICS

MAX_CITY_WORDS = 4
"""A longer message while we wait for the city is a new question, not a city we do not know."""


def turn_for(tracker: Tracker, reply: Reply, topic: str, stage: str = STAGE_ANSWER) -> Turn:
    """Collects what the answer depends on from the conversation."""
    return Turn(
        topic=topic,
        language=reply.language.language,
        script=reply.language.script,
        country=entity_value(tracker, "country") or tracker.get_slot("country"),
        city=entity_value(tracker, "city") or tracker.get_slot("city"),
        part=entity_value(tracker, "part"),
        stage=stage,
    )


def send(reply: Reply, result: Result) -> List[EventType]:
    """Dispatches the messages of a result; returns its slot events."""
    for message in result.messages:
        reply.dispatcher.utter_message(text=message.text, buttons=message.buttons)
    return [SlotSet(name, value) for name, value in result.slots.items()]


def continue_pending(reply: Reply, tracker: Tracker) -> Optional[List[EventType]]:
    """Goes on with the question the person asked before we asked theirs; None when nothing is pending.

    Called for every message that is not a new topic: a typed or pressed citizenship or city, a
    city we have no entity for ("Барнаул"), or something we could not read.
    """
    pending, awaiting = tracker.get_slot("pending_topic"), tracker.get_slot("awaiting")
    if pending not in TOPICS or awaiting not in (AWAIT_COUNTRY, AWAIT_COUNTRY_FOR_HELP, AWAIT_CITY):
        return None
    country, city = entity_value(tracker, "country"), entity_value(tracker, "city")
    country = country if country in COUNTRIES else None
    city = city if city in CITIES else None
    text = ((tracker.latest_message or {}).get("text") or "").strip()
    if not country and not city and len(text.split()) > MAX_CITY_WORDS:
        return None  # a new question we could not read: not an answer to ours
    events: List[EventType] = []
    if country:
        events.append(SlotSet("country", country))
    if city:
        events.append(SlotSet("city", city))
    turn = turn_for(tracker, reply, pending)
    if awaiting == AWAIT_CITY and not city and not country:
        if not text or text.startswith("/"):  # "another city" pressed, or nothing typed
            reply.dispatcher.utter_message(text=reply._(messages.ASK_CITY_NAME))
            return events
        # A city outside the contract: known to have none of our local organisations.
        turn.city = OTHER_CITY
        events.append(SlotSet("city", OTHER_CITY))
    elif awaiting in (AWAIT_COUNTRY, AWAIT_COUNTRY_FOR_HELP) and not country:
        if city:
            reply.say(messages.INFORM_CITY, city=reply._(CITIES[city]))
        if awaiting == AWAIT_COUNTRY or not city:
            question = ask_citizenship(turn, messages.ASK_COUNTRY_AGAIN if not city else messages.ASK_CITIZENSHIP)
            reply.dispatcher.utter_message(text=question.text, buttons=question.buttons)
            return events
    turn.stage = STAGE_ANSWER if awaiting == AWAIT_COUNTRY and country else STAGE_HELP
    return events + send(reply, answer(turn))


class ActionAnswer(HamrohAction):
    """Answers the topic of the latest intent, asking citizenship or city when they matter."""

    def name(self) -> str:
        return "action_answer"

    def respond(self, reply: Reply, tracker: Tracker) -> List[EventType]:
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        topic = intent if intent in TOPICS else "find_free_help"
        turn = turn_for(tracker, reply, topic)
        if topic == HANDOFF_TOPIC:
            return talk_to_human(reply, tracker, send, turn)
        events = send(reply, answer(turn))
        if topic in URGENT_TOPICS:
            with_talk_button(reply, tracker)  # after every urgent answer, a person is one press away
        return events
