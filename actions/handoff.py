"""Talking to a person: the consent screen, then the conversation handed to an NGO consultant (bot/handoff)."""

from __future__ import annotations

import logging
from typing import List, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from sqlalchemy.exc import SQLAlchemyError

from actions.base import Reply, entity_value
from bot.answering import answer
from bot.handoff.desk import Person
from bot.handoff.person import CONSENT, offer, talk_button
from bot.registry import TOPICS
from bot.serving.outbox import OUTBOX_CHANNEL

logger = logging.getLogger(__name__)

HANDOFF_TOPIC = "talk_to_human"


def handoff_possible(tracker: Tracker) -> bool:
    """Consultants answer in the Telegram chat itself (through the outbox): other channels get contacts."""
    return tracker.get_latest_input_channel() == OUTBOX_CHANNEL


def last_topic(tracker: Tracker) -> Optional[str]:
    """The topic the person asked about last, for the consultant's queue."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            name = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            if name in TOPICS and name != HANDOFF_TOPIC:
                return name
    return tracker.get_slot("pending_topic")


def with_talk_button(reply: Reply, tracker: Tracker) -> None:
    """Adds "talk to a person" under the last message of a reply (urgent answers, repeated misunderstanding)."""
    if not handoff_possible(tracker) or not reply.dispatcher.messages:
        return
    last = reply.dispatcher.messages[-1]
    last["buttons"] = list(last.get("buttons") or []) + [talk_button(reply.language.language, reply.language.script)]


def talk_to_human(reply: Reply, tracker: Tracker, send, turn) -> List[EventType]:
    """Offers a consultant with consent, passes the conversation on once given, else lists the contacts."""
    if not handoff_possible(tracker):
        return send(reply, answer(turn))
    person = Person(tracker.sender_id, turn.language, turn.script, turn.city, turn.country, last_topic(tracker))
    try:
        offered = offer(person, entity_value(tracker, "handoff") == CONSENT, tracker.events)
    except SQLAlchemyError:
        logger.exception("Handoff unavailable for conversation %s; giving the contacts", tracker.sender_id)
        return send(reply, answer(turn))
    for text, buttons in offered.texts:
        reply.dispatcher.utter_message(text=text, buttons=buttons)
    if offered.no_desk:
        return send(reply, answer(turn))
    return []
