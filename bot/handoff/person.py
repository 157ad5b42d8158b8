"""The person's side of a handoff: the offer with consent, then the request to the desks (no Rasa here)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Dict, Iterable, List, Optional, Tuple
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from bot import messages
from bot.content.db import session_scope
from bot.content.render import babel_locale
from bot.handoff.desk import Author, Desk, Person
from bot.handoff.routing import DeskView, desks_for
from bot.i18n import translate
from bot.translit import latn_to_cyrl

CONSENT = "consent"
"""The value of the button-only `handoff` entity that carries the person's consent."""
CONSENT_PAYLOAD = '/talk_to_human{"handoff":"consent"}'
DECLINE_PAYLOAD = "/find_free_help"
TALK_PAYLOAD = "/talk_to_human"
MOSCOW = ZoneInfo("Europe/Moscow")
REQUEST_MARK = "#"
"""Operators' group posts start with "#<handoff id>": a reply to one names its conversation."""
CLAIM_PAYLOAD = "/handoff_claim"
# Operators' groups are NGO staff's, who work in Russian (as the workspace's default page language).
OPERATORS_NEW_REQUEST = "Новый запрос: человек ждёт консультанта. Нажмите «Взять», затем отвечайте на это сообщение."
OPERATORS_CLAIM_BUTTON = "Взять"


@dataclass
class Offer:
    """What the person is told, and whether anything was passed on."""

    texts: List[Tuple[str, List[Dict[str, str]]]] = field(default_factory=list)
    handoff_id: Optional[int] = None
    no_desk: bool = False  # nobody takes this person: the organisations' contacts follow


def talk_button(language: str, script: Optional[str]) -> Dict[str, str]:
    """The button that offers a person (after urgent answers and repeated misunderstandings)."""
    return {"title": translate(messages.HANDOFF_TALK_BUTTON, language, script), "payload": TALK_PAYLOAD}


def opening_time(moment: datetime, language: str, script: Optional[str]) -> str:
    """A desk's next opening as people read it: "понедельник, 10:00 (по Москве)"."""
    local = moment.astimezone(MOSCOW)
    day = format_datetime(local, "EEEE, HH:mm", locale=babel_locale(language, "latn" if language == "uz" else script))
    day = day.lower() if language == "tg" else day  # Tajik writes day names in lower case, as long_date does
    day = latn_to_cyrl(day) if language == "uz" and script == "cyrl" else day
    return f"{day} ({translate(messages.MOSCOW_TIME, language, script)})"


def _names(desks: Iterable[DeskView], language: str) -> str:
    return ", ".join(desk.name_in(language) for desk in desks)


def request_post(handoff_id: int, person: Person) -> Dict[str, Any]:
    """A new request as posted to an organisation's operators' group: no words of the person, a claim button."""
    facts = ", ".join(f"{label}: {value}" for label, value in (
        ("язык", person.language), ("город", person.city or "—"), ("гражданство", person.country or "—"),
        ("тема", person.topic or "—")))
    return {"text": f"{REQUEST_MARK}{handoff_id}\n{OPERATORS_NEW_REQUEST}\n{facts}",
            "buttons": [{"title": OPERATORS_CLAIM_BUTTON,
                         "payload": f'{CLAIM_PAYLOAD}{{"handoff":"{handoff_id}"}}'}]}


def transcript(events: Iterable[Dict[str, Any]]) -> List[Tuple[str, str]]:
    """The conversation so far as it was written (button presses left out: their answers follow)."""
    said = []
    for event in events:
        text = (event.get("text") or "").strip()
        if not text or text.startswith("/"):
            continue
        if event.get("event") == "user":
            said.append((Author.PERSON.value, text))
        elif event.get("event") == "bot":
            said.append((Author.BOT.value, text))
    return said


def offer(person: Person, consent: bool, events: Iterable[Dict[str, Any]], desk: Optional[Desk] = None,
          now: Optional[float] = None) -> Offer:
    """Offers a consultant (consent first), or passes the conversation on once the person agreed."""
    language, script = person.language, person.script
    moment = datetime.fromtimestamp(time.time() if now is None else now, timezone.utc)
    with session_scope() as session:
        desks = desks_for(session, language, person.city, person.country)
    if not desks:
        return Offer([(translate(messages.HANDOFF_NO_DESK, language, script), [])], no_desk=True)
    open_now = [d for d in desks if d.is_open(moment)]
    when = "" if open_now else opening_time(
        min(o for o in (d.hours.next_opening(moment) for d in desks) if o is not None), language, script)
    names = _names(open_now or desks, language)
    if not consent:
        text = (translate(messages.HANDOFF_OFFER, language, script, organisations=names) if open_now else
                translate(messages.HANDOFF_OFFER_CLOSED, language, script, organisations=names, when=when))
        buttons = [{"title": translate(messages.HANDOFF_CONSENT_BUTTON, language, script), "payload": CONSENT_PAYLOAD},
                   {"title": translate(messages.HANDOFF_DECLINE_BUTTON, language, script), "payload": DECLINE_PAYLOAD}]
        return Offer([(text, buttons)])
    desk = desk or Desk()
    groups = [d.operators_chat_id for d in desks if d.operators_chat_id]
    handoff_id = desk.open(person, [d.id for d in desks], transcript(events), queued=not open_now,
                           announce=lambda new_id: [(group, request_post(new_id, person)) for group in groups])
    text = (translate(messages.HANDOFF_STARTED, language, script) if open_now else
            translate(messages.HANDOFF_QUEUED, language, script, when=when))
    return Offer([(text, [])], handoff_id=handoff_id)
