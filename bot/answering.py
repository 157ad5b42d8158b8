"""What to say for a topic: asks citizenship or city when needed, answers, routes to free help."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Dict, List, Optional

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot import messages
from bot.content import ROUTED_TOPICS, URGENT_TOPICS
from bot.content.db import session_scope
from bot.content.loader import read_organisations
from bot.content.models import Answer
from bot.content.queries import OrganisationView, published_answer, record_unanswered, route
from bot.content.render import footer, localise, routing_text, split_for_screen
from bot.i18n import translate
from bot.settings import get_settings

logger = logging.getLogger(__name__)

CITY_BUTTONS = ("moscow", "saint_petersburg", "yekaterinburg", "novosibirsk", "kazan", "samara")
"""Cities offered as buttons when asking; any other is typed."""
CONSULAR_KINDS = ("consulate", "home_country_agency", "hotline")
MORE = "more"


@dataclass
class Turn:
    """What the action knows when answering a topic."""

    topic: str
    language: str
    script: Optional[str] = None
    country: Optional[str] = None
    city: Optional[str] = None
    part: Optional[str] = None  # "more": the rest of a long answer
    routing_only: bool = False  # the answer was given; the city just arrived


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


def ask_citizenship(turn: Turn) -> Result:
    """Asks the person's citizenship with one button per country."""
    buttons = [{"title": _(turn, title), "payload": _payload("inform", country=code)}
               for code, title in messages.COUNTRIES.items()]
    return Result([Outgoing(_(turn, messages.ASK_CITIZENSHIP), buttons)],
                  {"pending_topic": turn.topic, "awaiting": "country"})


def ask_city(turn: Turn) -> Outgoing:
    """Asks the person's city with buttons of common cities and "another city"."""
    buttons = [{"title": _(turn, messages.CITIES[c]), "payload": _payload("inform", city=c)} for c in CITY_BUTTONS]
    buttons.append({"title": _(turn, messages.OTHER_CITY_BUTTON), "payload": "/inform"})
    return Outgoing(_(turn, messages.ASK_CITY), buttons)


def needs_citizenship(session: Session, topic: str) -> bool:
    """A topic needs the citizenship when any of its answers is written for one."""
    scopes = session.execute(select(Answer.scope).where(Answer.topic == topic).distinct()).scalars().all()
    return topic == "consulate_contacts" or any(scope != "any" for scope in scopes)


def _routing(session: Session, turn: Turn) -> Outgoing:
    if turn.topic == "consulate_contacts":
        found = route(session, turn.topic, turn.city, turn.language, turn.country, kinds=CONSULAR_KINDS)
    else:
        topic = "find_free_help" if turn.topic == "talk_to_human" else turn.topic
        found = route(session, turn.topic, turn.city, turn.language, turn.country)
        if not found.organisations and topic != turn.topic:
            found = route(session, topic, turn.city, turn.language, turn.country)
    return Outgoing(routing_text(found.organisations, found.found_local, turn.language, turn.script))


def _body(session: Session, turn: Turn) -> List[Outgoing]:
    served = published_answer(session, turn.topic, turn.language, turn.country)
    if served is None:
        logger.warning("No published answer for %s in %s", turn.topic, turn.language)
        return [Outgoing(_(turn, messages.UNSURE))]
    out = []
    text = localise(served.body, served.language, turn.script)
    if served.language != turn.language:
        logger.warning("Answer %s has no %s translation; serving Russian.", turn.topic, turn.language)
        text = _(turn, messages.MISSING_TRANSLATION) + "\n\n" + text
    first, rest = split_for_screen(text)
    if turn.part == MORE:
        first, rest = rest or first, ""
    if rest:
        more = {"title": _(turn, messages.MORE_BUTTON), "payload": _payload(turn.topic, part=MORE)}
        out.append(Outgoing(first, [more]))
    else:
        out.append(Outgoing(first + "\n\n" + footer(served, turn.language, turn.script)))
    return out


def answer_from(session: Session, turn: Turn) -> Result:
    """Builds the reply for a topic from the database."""
    if turn.routing_only:
        return Result([_routing(session, turn)], {"pending_topic": None, "awaiting": None})
    if turn.topic == "talk_to_human":
        if not turn.city:
            return Result([ask_city(turn)], {"pending_topic": turn.topic, "awaiting": "city"})
        return Result([_routing(session, turn)], {"pending_topic": None, "awaiting": None})
    if not turn.country and turn.part != MORE and needs_citizenship(session, turn.topic):
        return ask_citizenship(turn)
    result = Result(slots={"pending_topic": None, "awaiting": None})
    urgent = turn.topic in URGENT_TOPICS
    if urgent and turn.part != MORE:
        result.messages.append(Outgoing(_(turn, messages.URGENT_STEPS)))
    result.messages += _body(session, turn)
    if turn.part == MORE:
        return result
    if turn.topic in ROUTED_TOPICS or turn.topic == "consulate_contacts":
        if turn.city or urgent or turn.topic == "consulate_contacts":
            result.messages.append(_routing(session, turn))
        if not turn.city and turn.topic != "consulate_contacts":
            result.messages.append(ask_city(turn))
            result.slots = {"pending_topic": turn.topic, "awaiting": "city"}
    return result


@lru_cache(maxsize=1)
def cached_help() -> List[OrganisationView]:
    """Nationwide and home-country help from the seed file, for when the database is down."""
    path = get_settings().content_dir / "organisations.yml"
    try:
        records = read_organisations(path)
    except (OSError, ValueError) as error:
        logger.error("No cached copy of the organisations (%s): %s", path, error)
        return []
    views = []
    for r in records:
        if r["status"] == "active" and (r["nationwide"] or r["kind"] in CONSULAR_KINDS):
            views.append(OrganisationView(
                key=r["key"], name=r["name"], kind=r["kind"], free=r["free"], nationwide=r["nationwide"],
                languages=r["languages"], contacts=r["contacts"], hours=r["hours"],
                vetted_on=None, note=r["note"], local=False))
    return views


def offline_answer(turn: Turn) -> Result:
    """Apologises and gives the nationwide help from the cached copy."""
    result = Result()
    if turn.topic in URGENT_TOPICS:
        result.messages.append(Outgoing(_(turn, messages.URGENT_STEPS)))
    organisations = [o for o in cached_help()][:3]
    text = _(turn, messages.DATABASE_DOWN)
    if organisations:
        text += "\n" + routing_text(organisations, False, turn.language, turn.script).split("\n", 1)[1]
    result.messages.append(Outgoing(text))
    return result


def answer(turn: Turn) -> Result:
    """Answers a topic; a database that is down gets an apology and the cached hotlines."""
    try:
        with session_scope() as session:
            return answer_from(session, turn)
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
