"""What to say for a topic: the answer for the person's citizenship, then help they can reach.

A reply is built in stages, each of which can stop to ask one question (with buttons) and
resume when the person answers, by button or typed:

1. `answer`: a topic whose answers differ by citizenship asks it first — unless the topic is
   urgent, whose immediate steps never wait;
2. the body, at most one phone screen, with who checked it and when;
3. `help`: organisations for that person's topic, city and citizenship. A body that serves one
   citizenship is offered only to its citizens: when it matters and the citizenship is unknown,
   the person is asked; when the city would add someone local, the city is asked. Nothing is
   promised that the reply does not contain.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot import messages
from bot.content.db import session_scope
from bot.content.models import Answer
from bot.content.prices import patent_price_line
from bot.content.queries import (
    OrganisationView, candidates, choose, city_matters, depends_on_citizenship, published_answer,
    record_unanswered,
)
from bot.content.render import footer, localise, routing_text, split_for_screen
from bot.content.snapshot import load_snapshot, refresh_if_stale
from bot.i18n import translate
from bot.registry import CITIES, CITY_BUTTONS, COUNTRIES, OTHER_CITY, TOPICS, URGENT_TOPICS

logger = logging.getLogger(__name__)

MORE = "more"

# Values of the `awaiting` slot: what the pending question is, and what is left to say after it.
AWAIT_COUNTRY = "country"  # the answer itself waits for the citizenship
AWAIT_COUNTRY_FOR_HELP = "country_for_help"  # the answer was given; the help waits for it
AWAIT_CITY = "city"  # the answer was given; local help waits for the city
STAGE_ANSWER, STAGE_HELP = "answer", "help"


@dataclass
class Turn:
    """What the action knows when answering a topic."""

    topic: str
    language: str
    script: Optional[str] = None
    country: Optional[str] = None
    city: Optional[str] = None  # a contract city, OTHER_CITY for one we do not know, or None
    part: Optional[str] = None  # "more": the rest of a long answer
    stage: str = STAGE_ANSWER  # STAGE_HELP: the answer was given; only the help is left


@dataclass
class Outgoing:
    """One message to send."""

    text: str
    buttons: List[Dict[str, str]] = field(default_factory=list)


@dataclass
class Result:
    """The messages of a reply and the slots to set."""

    messages: List[Outgoing] = field(default_factory=list)
    slots: Dict[str, Any] = field(default_factory=dict)


def _(turn: Turn, message: str, **values: Any) -> str:
    return translate(message, turn.language, turn.script, **values)


def _payload(intent: str, **entities: str) -> str:
    return f"/{intent}" + (json.dumps(entities, ensure_ascii=False) if entities else "")


def _asking(turn: Turn, awaiting: str) -> Dict[str, Any]:
    return {"pending_topic": turn.topic, "awaiting": awaiting}


DONE = {"pending_topic": None, "awaiting": None}


def ask_citizenship(turn: Turn, message: str = messages.ASK_CITIZENSHIP) -> Outgoing:
    """Asks the person's citizenship with one button per country."""
    buttons = [{"title": _(turn, title), "payload": _payload("inform", country=code)}
               for code, title in COUNTRIES.items()]
    return Outgoing(_(turn, message), buttons)


def ask_city(turn: Turn) -> Outgoing:
    """Asks the person's city with buttons of common cities and "another city"."""
    buttons = [{"title": _(turn, CITIES[c]), "payload": _payload("inform", city=c)} for c in CITY_BUTTONS]
    buttons.append({"title": _(turn, messages.OTHER_CITY_BUTTON), "payload": "/inform"})
    return Outgoing(_(turn, messages.ASK_CITY), buttons)


def needs_citizenship(session: Session, topic: str) -> bool:
    """A topic's answer needs the citizenship when any of its answers is written for one."""
    scopes = session.execute(select(Answer.scope).where(Answer.topic == topic).distinct()).scalars().all()
    return any(scope != "any" for scope in scopes)


def _body(session: Session, turn: Turn) -> Outgoing:
    served = published_answer(session, turn.topic, turn.language, turn.country)
    if served is None:
        logger.warning("No published answer for %s in %s", turn.topic, turn.language)
        return Outgoing(_(turn, messages.UNSURE))
    text = localise(served.body, served.language, turn.script)
    if served.language != turn.language:
        logger.warning("Answer %s has no %s translation; serving Russian.", turn.topic, turn.language)
        text = _(turn, messages.MISSING_TRANSLATION) + "\n\n" + text
    price = patent_price_line(turn.topic, served.scope, turn.city, turn.language, turn.script)
    if price:
        text = price + "\n" + text  # what people ask first, on the first screen
    first, rest = split_for_screen(text)
    checked = footer(served, turn.language, turn.script)  # on every screen: who checked it is never hidden
    if turn.part == MORE:
        return Outgoing((rest or first) + "\n\n" + checked)
    if rest:
        more = {"title": _(turn, messages.MORE_BUTTON), "payload": _payload(turn.topic, part=MORE)}
        return Outgoing(first + "\n\n" + checked, [more])
    return Outgoing(first + "\n\n" + checked)


def help_for(found: List[OrganisationView], turn: Turn) -> Result:
    """The help a person can reach for a topic, and the one question that would add to it.

    At most two messages: the organisations (or what to do alone), and a question.
    """
    urgent = turn.topic in URGENT_TOPICS
    city = None if turn.city == OTHER_CITY else turn.city
    routing = choose(found, turn.topic, city, turn.language, turn.country)
    listed = routing_text(routing.organisations, routing.found_local, bool(turn.city), turn.language, turn.script)
    result = Result([Outgoing(listed)] if listed else [], dict(DONE))
    if turn.country is None and depends_on_citizenship(found, turn.topic):
        # Someone from the person's own country may help: ask, never guess or list another's.
        result.messages.append(ask_citizenship(turn, messages.ASK_CITIZENSHIP_FOR_HELP))
        result.slots = _asking(turn, AWAIT_COUNTRY_FOR_HELP)
    elif turn.city is None and city_matters(found, turn.topic, turn.country):
        result.messages.append(ask_city(turn))
        result.slots = _asking(turn, AWAIT_CITY)
    elif urgent and not any(o.contacts for o in routing.organisations):
        # Nobody we can name answers for this person: say plainly what they can do alone.
        self_help = _(turn, messages.SELF_HELP)
        result.messages = [Outgoing(f"{listed}\n\n{self_help}" if listed else self_help)]
    elif not listed:
        result.messages.append(Outgoing(_(turn, messages.NO_ORGANISATION)))
    return result


def answer_from(session: Session, turn: Turn) -> Result:
    """Builds the reply for a topic from the database."""
    found = candidates(session, turn.topic)
    if turn.stage == STAGE_HELP:
        return help_for(found, turn)
    if turn.part == MORE:
        return Result([_body(session, turn)])
    if not TOPICS[turn.topic].answered:
        return help_for(found, turn)
    urgent = turn.topic in URGENT_TOPICS
    if turn.country is None and not urgent and needs_citizenship(session, turn.topic):
        return Result([ask_citizenship(turn)], _asking(turn, AWAIT_COUNTRY))
    result = help_for(found, turn)
    result.messages.insert(0, _body(session, turn))
    return result


def offline_answer(turn: Turn) -> Result:
    """Apologises and gives the help the offline copy of the database's organisations has for this person."""
    result = help_for(load_snapshot(), turn)
    if result.slots.get("awaiting") == AWAIT_COUNTRY_FOR_HELP and turn.stage == STAGE_ANSWER \
            and TOPICS[turn.topic].answered:
        # The answer itself was not given: ask the answer's own question, so that the citizenship
        # brings the answer once the database is back (the help's question would bring the help alone).
        result.messages[-1] = ask_citizenship(turn)
        result.slots = _asking(turn, AWAIT_COUNTRY)
    result.messages.insert(0, Outgoing(_(turn, messages.DATABASE_DOWN)))
    if turn.topic in URGENT_TOPICS:
        result.messages.insert(0, Outgoing(_(turn, messages.URGENT_STEPS)))  # the steps never wait
    return result


def answer(turn: Turn) -> Result:
    """Answers a topic; a database that is down gets an apology and help from the offline copy."""
    try:
        with session_scope() as session:
            result = answer_from(session, turn)
            refresh_if_stale(session)
            return result
    except SQLAlchemyError:
        logger.exception("Knowledge base unavailable while answering %s", turn.topic)
        return offline_answer(turn)


def store_unanswered(text: str, language: Optional[str], guess: Optional[str], confidence: Optional[float]) -> None:
    """Stores a message the bot could not answer for NGO review; never fails the reply."""
    try:
        with session_scope() as session:
            record_unanswered(session, text, language, guess, confidence)
    except SQLAlchemyError:
        logger.exception("Could not store an unanswered question")
