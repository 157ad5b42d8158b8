"""Reads the knowledge base: the answer to serve, the organisations to route to."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Dict, List, Optional, Sequence, Tuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.content.models import (
    SERVED_STATUSES, Answer, AnswerRevision, Organisation, OrganisationCity, OrganisationStatus, OrganisationTopic,
    RevisionStatus, UnansweredQuestion,
)
from bot.privacy import mask
from bot.registry import SOURCE_LANGUAGE, scope_of


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


def translated(translations: Dict[str, Dict[str, str]], language: str, field: str, russian: Optional[str]
               ) -> Optional[str]:
    """An organisation's name, note or hours in a language, the Russian column where there is no translation."""
    return (translations.get(language) or {}).get(field) or russian


@dataclass(frozen=True)
class OrganisationView:
    """An organisation as offered to a person (and as kept in the offline copy)."""

    key: str
    name: str
    kind: str
    free: bool  # False: low-cost, labelled so and never listed as free help
    nationwide: bool  # reachable from every city (remote help: a hotline, a website)
    languages: List[str]
    contacts: Dict[str, str]
    hours: Optional[str]
    vetted_on: Optional[date]
    note: Optional[str]
    local: bool = False  # serves the person's city
    cities: Tuple[str, ...] = ()
    countries: Tuple[str, ...] = ()  # whose citizens it serves; () = everyone
    topics: Tuple[str, ...] = ()
    translations: Dict[str, Dict[str, str]] = field(default_factory=dict)

    def in_language(self, language: str) -> Tuple[str, Optional[str], Optional[str], bool]:
        """Returns (name, note, hours, is_russian_fallback) for a reply language."""
        if language == SOURCE_LANGUAGE:
            return self.name, self.note, self.hours, False
        name, note, hours = (translated(self.translations, language, f, getattr(self, f))
                             for f in ("name", "note", "hours"))
        own = self.translations.get(language) or {}
        fallback = any(getattr(self, f) and not own.get(f) for f in ("name", "note", "hours"))
        return name, note, hours, fallback


@dataclass(frozen=True)
class Routing:
    """Organisations to offer, and whether any serves the person's city."""

    organisations: List[OrganisationView] = field(default_factory=list)
    found_local: bool = False


def published_answer(session: Session, topic: str, language: str, country: Optional[str]) -> Optional[ServedAnswer]:
    """Returns the answer to serve: the person's scope before `any`, their language before Russian."""
    scope = scope_of(country)
    scopes = [s for s in (scope, "any") if s]
    languages = [language] if language == SOURCE_LANGUAGE else [language, SOURCE_LANGUAGE]
    rows = session.execute(
        select(Answer.language, Answer.scope, AnswerRevision)
        .join(AnswerRevision, AnswerRevision.answer_id == Answer.id)
        .where(Answer.topic == topic, Answer.language.in_(languages), Answer.scope.in_(scopes),
               AnswerRevision.status.in_(SERVED_STATUSES))
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
            if revision is not None and revision.status == RevisionStatus.PUBLISHED:
                return ServedAnswer(topic, wanted_language, wanted_scope, revision.body, list(revision.sources or []),
                                    revision.reviewed_by, revision.reviewed_on, revision.number)
    return None


_VIEW_COLUMNS = (Organisation.id, Organisation.key, Organisation.name, Organisation.kind, Organisation.free,
                 Organisation.nationwide, Organisation.languages, Organisation.contacts, Organisation.hours,
                 Organisation.vetted_on, Organisation.note, Organisation.countries, Organisation.translations)


def candidates(session: Session, topic: Optional[str] = None) -> List[OrganisationView]:
    """Returns the active organisations (for a topic, when given): what routing chooses from.

    Plain column queries, not ORM objects: this runs for every answer.
    """
    query = select(*_VIEW_COLUMNS).where(Organisation.status == OrganisationStatus.ACTIVE.value)
    if topic is not None:
        query = query.where(Organisation.id.in_(
            select(OrganisationTopic.organisation_id).where(OrganisationTopic.topic == topic)))
    rows = session.execute(query).all()
    ids = [row.id for row in rows]
    cities: Dict[int, List[str]] = {i: [] for i in ids}
    topics: Dict[int, List[str]] = {i: [] for i in ids}
    if ids:
        for organisation_id, city in session.execute(select(OrganisationCity.organisation_id, OrganisationCity.city)
                                                     .where(OrganisationCity.organisation_id.in_(ids))):
            cities[organisation_id].append(city)
        for organisation_id, name in session.execute(select(OrganisationTopic.organisation_id, OrganisationTopic.topic)
                                                     .where(OrganisationTopic.organisation_id.in_(ids))):
            topics[organisation_id].append(name)
    return [OrganisationView(
        key=row.key, name=row.name, kind=row.kind, free=row.free, nationwide=row.nationwide,
        languages=list(row.languages or []), contacts=dict(row.contacts or {}), hours=row.hours,
        vetted_on=row.vetted_on, note=row.note, cities=tuple(sorted(cities[row.id])),
        countries=tuple(row.countries or ()), topics=tuple(sorted(topics[row.id])),
        translations=dict(row.translations or {}),
    ) for row in rows]


def serves(organisation: OrganisationView, country: Optional[str]) -> bool:
    """Whether a person of this citizenship (None: unknown) may be offered the organisation.

    A body that serves one citizenship is offered only to that citizenship, never on a guess.
    """
    return not organisation.countries or (country is not None and country in organisation.countries)


def choose(found: Sequence[OrganisationView], topic: str, city: Optional[str], language: str,
           country: Optional[str] = None, limit: int = 3) -> Routing:
    """Returns up to `limit` organisations for a person: local first, free first, speaking the language."""
    eligible = [o for o in found if topic in o.topics and serves(o, country)]
    local = [replace(o, local=True) for o in eligible if city and city in o.cities]
    remote = [o for o in eligible if o.nationwide and not (city and city in o.cities)]

    def order(o: OrganisationView):
        return (not o.local, not o.free, not o.contacts, language not in o.languages,
                -(o.vetted_on or date.min).toordinal(), o.name)

    chosen = sorted(local + remote, key=order)[:limit]
    return Routing(chosen, bool(local))


def depends_on_citizenship(found: Sequence[OrganisationView], topic: str) -> bool:
    """Whether the citizenship changes who is offered for a topic (a home-country body serves it)."""
    return any(o.countries for o in found if topic in o.topics)


def city_matters(found: Sequence[OrganisationView], topic: str, country: Optional[str]) -> bool:
    """Whether knowing the city could add an organisation for this person: one that serves only its cities.

    One reachable from anywhere is listed already, so it is no reason to ask.
    """
    return any(o.cities and not o.nationwide for o in found if topic in o.topics and serves(o, country))


def route(session: Session, topic: str, city: Optional[str], language: str,
          country: Optional[str] = None, limit: int = 3) -> Routing:
    """Returns the organisations the bot offers for a topic, city, language and citizenship."""
    return choose(candidates(session, topic), topic, city, language, country, limit)


def record_unanswered(session: Session, text: str, language: Optional[str], guess: Optional[str],
                      confidence: Optional[float]) -> UnansweredQuestion:
    """Stores a message the bot could not answer, with personal data masked."""
    question = UnansweredQuestion(text=mask(text)[:2000], language=language, best_guess=guess,
                                  confidence=confidence)
    session.add(question)
    return question
