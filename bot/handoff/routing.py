"""Which organisations' consultants may take a person: active, vetted, with a live desk, in their language and city."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import List, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.content.models import Organisation, OrganisationStatus
from bot.content.queries import translated
from bot.handoff.hours import DeskHours, HoursError


@dataclass(frozen=True)
class DeskView:
    """An organisation's desk as the person's side needs it."""

    id: int
    name: str
    translations: dict
    hours: DeskHours
    operators_chat_id: Optional[str]

    def name_in(self, language: str) -> str:
        """The organisation's name in a reply language (Russian when not translated)."""
        return translated(self.translations, language, "name", self.name)

    def is_open(self, moment: datetime) -> bool:
        return self.hours.is_open(moment)


def desk_hours(organisation: Organisation) -> Optional[DeskHours]:
    """An organisation's desk hours, None when it has none (or they cannot be read: the form refuses those)."""
    try:
        hours = DeskHours.parse(organisation.desk_hours, organisation.desk_timezone)
    except HoursError:
        return None
    return hours or None


def desks_for(session: Session, language: str, city: Optional[str], country: Optional[str]) -> List[DeskView]:
    """The desks that may take a person: the organisation speaks their language, serves their city (or
    everyone remotely) and their citizenship, is active and vetted, and has desk hours."""
    organisations = session.execute(select(Organisation).where(
        Organisation.status == OrganisationStatus.ACTIVE.value, Organisation.vetted_on.isnot(None),
        Organisation.desk_hours.isnot(None))).scalars().all()
    desks = []
    for organisation in organisations:
        hours = desk_hours(organisation)
        if hours is None or language not in (organisation.languages or []):
            continue
        cities = {c.city for c in organisation.cities}
        if city and not organisation.nationwide and city not in cities:
            continue
        if country and organisation.countries and country not in organisation.countries:
            continue
        desks.append(_view(organisation, hours))
    return sorted(desks, key=lambda desk: desk.id)


def desk_of(session: Session, organisation_id: int) -> Optional[DeskView]:
    """One organisation's desk (for its hours), whatever it serves."""
    organisation = session.get(Organisation, organisation_id)
    hours = desk_hours(organisation) if organisation is not None else None
    if organisation is None or hours is None:
        return None
    return _view(organisation, hours)


def _view(organisation: Organisation, hours: DeskHours) -> DeskView:
    return DeskView(organisation.id, organisation.name, organisation.translations or {}, hours,
                    organisation.operators_chat_id)
