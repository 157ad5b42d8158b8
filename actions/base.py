"""Base action: works out the reply language, renders gettext texts, never crashes a chat."""

from __future__ import annotations

import asyncio
import logging
from abc import ABC, abstractmethod
from typing import Any, Dict, List, Optional, Sequence, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import messages
from bot.i18n import translate
from bot.i18n.policy import ReplyLanguage, reply_language_for
from bot.nlu.detection import LANGUAGE_KEY, NOT_UNDERSTOOD_KEY
from bot.registry import TOPIC_LABELS

logger = logging.getLogger(__name__)


def current_language(tracker: Tracker) -> ReplyLanguage:
    """Returns the reply language for the latest message of a conversation."""
    latest = tracker.latest_message or {}
    # Markup, SQL or keyboard mash is in none of our languages: it must not switch the reply's.
    detection = None if latest.get(NOT_UNDERSTOOD_KEY) else latest.get(LANGUAGE_KEY)
    return reply_language_for(tracker.current_slot_values(), text=latest.get("text") or "", detection=detection,
                              metadata=latest.get("metadata") or {})


def entity_value(tracker: Tracker, entity: str) -> Optional[str]:
    """Returns the value of an entity in the latest message, if any."""
    return next(tracker.get_latest_entity_values(entity), None)


class Reply:
    """Texts and buttons of one answer, rendered in the reply language."""

    def __init__(self, dispatcher: CollectingDispatcher, language: ReplyLanguage) -> None:
        self.dispatcher = dispatcher
        self.language = language

    def _(self, message: str, **values: Any) -> str:
        """Translates a message id into the reply language and script."""
        return translate(message, self.language.language, self.language.script, **values)

    def topic_buttons(self, intents: Sequence[str]) -> List[Dict[str, str]]:
        """Returns one button per topic, its payload triggering the topic's intent."""
        return [{"title": self._(TOPIC_LABELS[i]), "payload": f"/{i}"} for i in intents]

    def say(self, message: str, buttons: Optional[List[Dict[str, str]]] = None, **values: Any) -> None:
        """Sends one translated message, with buttons if given."""
        self.dispatcher.utter_message(text=self._(message, **values), buttons=buttons or [])


class HamrohAction(Action, ABC):
    """An action that replies in the person's language and remembers it in slots.

    Abstract, so the action server does not register it as an action itself.
    """

    @abstractmethod
    def name(self) -> str:
        """Returns the action's name in the domain."""

    @abstractmethod
    def respond(self, reply: Reply, tracker: Tracker) -> List[EventType]:
        """Sends the answer; returns extra events."""

    def language_for(self, tracker: Tracker) -> Tuple[ReplyLanguage, List[EventType]]:
        """Returns the reply language and the slot events that remember it."""
        language = current_language(tracker)
        return language, [SlotSet(k, v) for k, v in language.slots().items()]

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[str, Any]) -> List[EventType]:
        """Runs the action; any failure becomes an apology, never a broken conversation."""
        language, events = self.language_for(tracker)
        reply = Reply(dispatcher, language)
        try:
            # In a worker thread: a slow or locked database holds up this conversation, not every other one.
            return events + await asyncio.to_thread(self.respond, reply, tracker)
        except Exception:  # noqa: BLE001 - a person must always get an answer
            logger.exception("Action %s failed for conversation %s", self.name(), tracker.sender_id)
            reply.say(messages.ERROR, buttons=[{"title": reply._(messages.MENU_BUTTON), "payload": "/help_menu"}])
            return events
