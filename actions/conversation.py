"""Conversation actions: greeting, menu, language, who we are, small talk."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Tuple

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from actions.answers import continue_pending
from actions.base import HamrohAction, Reply, entity_value
from bot import LANGUAGES, messages
from bot.i18n.policy import ReplyLanguage
from bot.registry import CITIES, COUNTRIES, MENU_TOPICS


def language_buttons() -> List[Dict[str, str]]:
    """Returns one button per reply language (Uzbek twice: Latin and Cyrillic)."""
    buttons = []
    for title, code, script in messages.LANGUAGE_BUTTONS:
        entities = {"language": code, **({"script": script} if script else {})}
        buttons.append({"title": title, "payload": "/choose_language" + json.dumps(entities)})
    return buttons


def menu_button(reply: Reply) -> Dict[str, str]:
    """Returns the button that opens the help menu."""
    return {"title": reply._(messages.MENU_BUTTON), "payload": "/help_menu"}


class ActionGreet(HamrohAction):
    """Greets and offers the language choice."""

    def name(self) -> str:
        return "action_greet"

    def respond(self, reply: Reply, tracker: Tracker) -> List[EventType]:
        reply.say(messages.GREETING, buttons=language_buttons() + [menu_button(reply)])
        return []


class ActionHelpMenu(HamrohAction):
    """Shows the main topics as buttons."""

    def name(self) -> str:
        return "action_help_menu"

    def respond(self, reply: Reply, tracker: Tracker) -> List[EventType]:
        buttons = reply.topic_buttons(MENU_TOPICS)
        buttons.append({"title": reply._(messages.OTHER_LANGUAGE_BUTTON), "payload": "/choose_language"})
        reply.say(messages.HELP_MENU, buttons=buttons)
        return []


class ActionChooseLanguage(HamrohAction):
    """Switches to the language the person names, or asks which one."""

    def name(self) -> str:
        return "action_choose_language"

    def language_for(self, tracker: Tracker) -> Tuple[ReplyLanguage, List[EventType]]:
        chosen = entity_value(tracker, "language")
        if chosen not in LANGUAGES:
            return super().language_for(tracker)
        script = entity_value(tracker, "script") if chosen == "uz" else None
        if chosen == "uz" and script not in ("latn", "cyrl"):
            script = super().language_for(tracker)[0].script or "latn"
        language = ReplyLanguage(chosen, script)
        events = [SlotSet(k, v) for k, v in language.slots().items()]
        return language, events + [SlotSet("language_chosen", True)]

    def respond(self, reply: Reply, tracker: Tracker) -> List[EventType]:
        if entity_value(tracker, "language") in LANGUAGES:
            reply.say(messages.LANGUAGE_SET, buttons=[menu_button(reply)])
        else:
            reply.say(messages.CHOOSE_LANGUAGE, buttons=language_buttons())
        return []


class ActionBotChallenge(HamrohAction):
    """Says who runs the bot and that it is not the police."""

    def name(self) -> str:
        return "action_bot_challenge"

    def respond(self, reply: Reply, tracker: Tracker) -> List[EventType]:
        reply.say(messages.BOT_CHALLENGE, buttons=[menu_button(reply)])
        return []


class ActionOutOfScope(HamrohAction):
    """Says what the bot can help with."""

    def name(self) -> str:
        return "action_out_of_scope"

    def respond(self, reply: Reply, tracker: Tracker) -> List[EventType]:
        pending = continue_pending(reply, tracker)  # "Барнаул" is out of scope, and the city we asked for
        if pending is not None:
            return pending
        reply.say(messages.OUT_OF_SCOPE, buttons=reply.topic_buttons(MENU_TOPICS))
        return []


class ActionGoodbye(HamrohAction):
    """Says goodbye."""

    def name(self) -> str:
        return "action_goodbye"

    def respond(self, reply: Reply, tracker: Tracker) -> List[EventType]:
        reply.say(messages.GOODBYE)
        return []


class ActionThanks(HamrohAction):
    """Answers a thank-you."""

    def name(self) -> str:
        return "action_thanks"

    def respond(self, reply: Reply, tracker: Tracker) -> List[EventType]:
        reply.say(messages.THANKS)
        return []


class ActionAcknowledge(HamrohAction):
    """Answers a bare yes or no outside a question."""

    def name(self) -> str:
        return "action_acknowledge"

    def respond(self, reply: Reply, tracker: Tracker) -> List[EventType]:
        reply.say(messages.ACKNOWLEDGE, buttons=[menu_button(reply)])
        return []


class ActionInform(HamrohAction):
    """Remembers the city or citizenship a person tells about themselves, and goes on with their question."""

    def name(self) -> str:
        return "action_inform"

    def respond(self, reply: Reply, tracker: Tracker) -> List[EventType]:
        pending = continue_pending(reply, tracker)
        if pending is not None:
            return pending
        city, country = entity_value(tracker, "city"), entity_value(tracker, "country")
        events: List[EventType] = []
        if city in CITIES:
            reply.say(messages.INFORM_CITY, city=reply._(CITIES[city]))
            events.append(SlotSet("city", city))
        if country in COUNTRIES:
            reply.say(messages.INFORM_COUNTRY, country=reply._(COUNTRIES[country]))
            events.append(SlotSet("country", country))
        if not events:
            reply.say(messages.INFORM_NOTHING, buttons=[menu_button(reply)])
        return events
