"""Privacy actions: forgetting what the bot remembers about a person."""

from __future__ import annotations

from typing import List, Tuple

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from actions.base import HamrohAction, Reply, current_language
from bot import messages
from bot.i18n.policy import ReplyLanguage
from bot.serving.conversations import FORGET_ACTION

REMEMBERED_SLOTS = ("city", "country", "language", "script", "language_chosen", "pending_topic", "awaiting")
"""Everything the conversation keeps about the person between messages."""


class ActionForget(HamrohAction):
    """Clears the person's city, citizenship, language and pending question, then says so.

    The tracker store deletes the stored conversation when it saves a turn with this action.
    """

    def name(self) -> str:
        return FORGET_ACTION

    def language_for(self, tracker: Tracker) -> Tuple[ReplyLanguage, List[EventType]]:
        # Confirm in the language used so far, but do not remember it again.
        return current_language(tracker), []

    def respond(self, reply: Reply, tracker: Tracker) -> List[EventType]:
        reply.say(messages.FORGET_DONE)
        return [SlotSet(slot, None) for slot in REMEMBERED_SLOTS]
