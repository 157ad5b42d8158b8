"""Reads the knowledge base: the answer to serve, the organisations to route to."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Dict, List, Optional, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.content import SCOPE_OF_COUNTRY
from bot.content.models import (
    Answer, AnswerRevision, Organisation, OrganisationTopic, UnansweredQuestion,
)
from bot.privacy import mask

SOURCE_LANGUAGE = "ru"


@dataclass(frozen=True)
class ServedAnswer:
    """The published text of an answer and what vouches for it."""

    topic: str
    language: str  # the language of the text (Russian when the translation is missing)
    scope: str
    body: str
    sources: List[Dict[str, Any]]
    reviewed_by: str
    reviewed_on: date
    revision: int


@dataclass(frozen=True)
class OrganisationView:
    """An organisation as offered to a person."""

    key: str
    name: str
    kind: str
    free: bool
    nationwide: bool
    languages: List[str]
    contacts: Dict[str, str]
    hours: Optional[str]
    vetted_on: Optional[date]
    note: Optional[str]
    local: bool  # serves the person's city


@dataclass(frozen=True)
class Routing:
    """Organisations to offer, and whether any serves the person's city."""

    organisations: List[OrganisationView] = field(default_factory=list)
    found_local: bool = False


def scope_of(country: Optional[str]) -> Optional[str]:
    """Returns the answer scope of a citizenship (None when unknown)."""
    return SCOPE_OF_COUNTRY.get(country or "")


def published_answer(session: Session, topic: str, language: str, country: Optional[str]) -> Optional[ServedAnswer]:
    """Returns the answer to serve: the person's scope before `any`, their language before Russian."""
    scope = scope_of(country)
    scopes = [s for s in (scope, "any") if s]
    languages = [language] if language == SOURCE_LANGUAGE else [language, SOURCE_LANGUAGE]
    rows = session.execute(
        select(Answer.language, Answer.scope, AnswerRevision)
        .join(AnswerRevision, AnswerRevision.answer_id == Answer.id)
        .where(Answer.topic == topic, Answer.language.in_(languages), Answer.scope.in_(scopes),
               AnswerRevision.status.in_(("published", "retired")))
        .order_by(AnswerRevision.number.desc())
    ).all()
    latest: Dict[tuple, AnswerRevision] = {}
    for row_language, row_scope, revision in rows:
        latest.setdefault((row_language, row_scope), revision)  # newest served revision wins (drafts never)
    # A translation in the person's language beats the Russian original; a scope-specific
    # answer beats the general one only within the same language.
    for wanted_language in languages:
        for wanted_scope in scopes:
            revision = latest.get((wanted_language, wanted_scope))
            if revision is not None and revision.status == "published":
                return ServedAnswer(topic, wanted_language, wanted_scope, revision.body, list(revision.sources or []),
                                    revision.reviewed_by, revision.reviewed_on, revision.number)
    return None


def _view(organisation: Organisation, city: Optional[str]) -> OrganisationView:
    return OrganisationView(
        key=organisation.key, name=organisation.name, kind=organisation.kind, free=organisation.free,
        nationwide=organisation.nationwide, languages=list(organisation.languages or []),
        contacts=dict(organisation.contacts or {}), hours=organisation.hours,
        vetted_on=organisation.vetted_on, note=organisation.note,
        local=bool(city) and any(c.city == city for c in organisation.cities),
    )


def route(session: Session, topic: str, city: Optional[str], language: str,
          country: Optional[str] = None, kinds: Optional[Sequence[str]] = None, limit: int = 3) -> Routing:
    """Returns up to `limit` active organisations for a topic: local first, free first, speaking the language."""
    query = (
        select(Organisation)
        .join(OrganisationTopic, OrganisationTopic.organisation_id == Organisation.id)
        .where(Organisation.status == "active", OrganisationTopic.topic == topic)
    )
    if kinds:
        query = query.where(Organisation.kind.in_(list(kinds)))
    candidates = []
    for organisation in session.execute(query).scalars().unique():
        served = organisation.countries or []
        if served and country and country not in served:
            continue  # a home-country agency of another country
        candidates.append(_view(organisation, city))
    local = [o for o in candidates if o.local]
    if local:
        chosen = local + [o for o in candidates if not o.local and o.nationwide]
    else:
        chosen = [o for o in candidates if o.nationwide or o.kind in ("home_country_agency", "consulate", "hotline")]

    def order(o: OrganisationView):
        return (not o.local, not o.free, language not in o.languages, -(o.vetted_on or date.min).toordinal(), o.name)

    chosen.sort(key=order)
    return Routing(chosen[:limit], bool(local))


def record_unanswered(session: Session, text: str, language: Optional[str], guess: Optional[str],
                      confidence: Optional[float]) -> UnansweredQuestion:
    """Stores a message the bot could not answer, with personal data masked."""
    question = UnansweredQuestion(text=mask(text)[:2000], language=language, best_guess=guess,
                                  confidence=confidence)
    session.add(question)
    return question
