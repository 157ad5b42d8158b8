"""Preview: the reply the bot gives now, and the one it would give with an answer or organisation draft published."""

from __future__ import annotations

import json
import logging
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Dict, Iterator, List, Optional, Tuple

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.admin import reasons as R
from bot.admin.errors import Reason
from bot.answering import Outgoing, Turn, answer_from
from bot.content.coverage import coverage
from bot.content.loader import apply_organisation
from bot.content.models import AnswerRevision, Organisation, OrganisationRevision, OrganisationStatus, RevisionStatus
from bot.content.queries import OrganisationView, candidates, choose, serves
from bot.registry import DOMAIN_TOPICS
from bot.serving.rasa_api import api_url

logger = logging.getLogger(__name__)


def guess_topic(rasa_url: str, question: str, timeout: float = 2.0) -> Tuple[Optional[str], Optional[str]]:
    """Asks the running Rasa server for the intent and language of a question; (None, None) when it is not up."""
    request = urllib.request.Request(api_url(rasa_url, "/model/parse"),
                                     data=json.dumps({"text": question}).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - local Rasa server
            parsed = json.loads(response.read().decode("utf-8"))
    except (OSError, ValueError) as error:
        logger.info("No Rasa server for the preview (%s)", error)
        return None, None
    intent = (parsed.get("intent") or {}).get("name")
    language = (parsed.get("language") or {}).get("code") if isinstance(parsed.get("language"), dict) else None
    return intent, language


def reply(session: Session, turn: Turn) -> List[Outgoing]:
    """The messages the bot sends for a turn, as served now."""
    return answer_from(session, turn).messages


@contextmanager
def drafts_published(engine: Engine, answer_revision: Optional[int] = None,
                     organisation_revision: Optional[int] = None) -> Iterator[Session]:
    """A session in which drafts are published; everything is rolled back after, never seen by others."""
    with engine.connect() as connection:
        transaction = connection.begin()
        try:
            session = Session(bind=connection, future=True)
            if answer_revision is not None:
                revision = session.get(AnswerRevision, answer_revision)
                if revision is not None and revision.status == RevisionStatus.DRAFT:
                    newest = session.scalar(select(func.max(AnswerRevision.number))
                                            .where(AnswerRevision.answer_id == revision.answer_id))
                    revision.status, revision.number = RevisionStatus.PUBLISHED.value, newest + 1
            if organisation_revision is not None:
                revision = session.get(OrganisationRevision, organisation_revision)
                if revision is not None and revision.status == RevisionStatus.DRAFT:
                    apply_organisation(session.get(Organisation, revision.organisation_id), revision.data)
            session.flush()
            yield session
        finally:
            transaction.rollback()


def reply_with_draft(engine: Engine, turn: Turn, answer_revision: Optional[int] = None,
                     organisation_revision: Optional[int] = None) -> List[Outgoing]:
    """The messages the bot would send with a draft published; the change is rolled back, never seen by others."""
    with drafts_published(engine, answer_revision, organisation_revision) as session:
        return reply(session, turn)


@dataclass
class Appearance:
    """Where the bot would list an organisation once its draft is published: cities (and citizenships) per topic."""

    places: Dict[str, Dict[str, List[str]]] = field(default_factory=dict)  # topic → city → citizenships
    cells: int = 0  # topic × city × citizenship cells it appears in


def appearances(engine: Engine, organisation_revision: int) -> Appearance:
    """Routes every topic × city × citizenship with the draft published (the bot's own routing) and keeps the
    cells that list the organisation."""
    with drafts_published(engine, organisation_revision=organisation_revision) as session:
        key = session.get(Organisation, session.get(OrganisationRevision, organisation_revision).organisation_id).key
        result = Appearance()
        for cell in coverage(session).cells:
            if key in cell.organisations:
                result.places.setdefault(cell.topic, {}).setdefault(cell.city, []).append(cell.country)
                result.cells += 1
        return result


def draft_view(data: Dict[str, Any]) -> OrganisationView:
    """An organisation draft as the view routing works on."""
    return OrganisationView(
        key=data["key"], name=data["name"], kind=data["kind"], free=bool(data["free"]),
        nationwide=bool(data["nationwide"]), languages=list(data["languages"]), contacts=dict(data["contacts"]),
        hours=data["hours"], vetted_on=date.fromisoformat(data["vetted_on"]) if data.get("vetted_on") else None,
        note=data["note"], cities=tuple(data["cities"]), countries=tuple(data["countries"]),
        topics=tuple(data["topics"]), translations=dict(data.get("translations") or {}))


def why_not_listed(session: Session, data: Dict[str, Any], turn: Turn) -> List[Reason]:
    """Why the bot would not list an organisation (as drafted) to this person, with the bot's own routing rules:
    not active, not for this topic, not in this city, for another citizenship, or others come first."""
    view = draft_view(data)
    reasons = []
    if data["status"] != OrganisationStatus.ACTIVE:
        reasons.append(Reason(R.WHY_NOT_ACTIVE))
    if turn.topic not in view.topics:
        reasons.append(Reason(R.WHY_NO_TOPIC) if not view.topics else Reason(R.WHY_OTHER_TOPIC))
    if not view.nationwide and not (turn.city and turn.city in view.cities):
        reasons.append(Reason(R.WHY_NO_CITY) if not view.cities else
                       Reason(R.WHY_OTHER_CITY) if turn.city else Reason(R.WHY_CITY_UNKNOWN))
    if not serves(view, turn.country):
        reasons.append(Reason(R.WHY_OTHER_CITIZENSHIP) if turn.country else Reason(R.WHY_CITIZENSHIP_UNKNOWN))
    if not reasons:
        others = [o for o in candidates(session, turn.topic) if o.key != view.key] + [view]
        chosen = choose(others, turn.topic, turn.city, turn.language, turn.country).organisations
        if all(o.key != view.key for o in chosen):
            reasons.append(Reason(R.WHY_OTHERS_FIRST, n=len(chosen)))
    return reasons


def where_an_organisation_shows(data: Dict[str, Any]) -> Tuple[Optional[str], Optional[str]]:
    """A topic and city where the bot would list an organisation draft: its first topic, its first city."""
    topics = [t for t in data.get("topics") or [] if t in DOMAIN_TOPICS]
    cities = data.get("cities") or []
    return (topics or [None])[0], (cities[0] if cities else None)
