"""Freshness: answers not reviewed and organisations not vetted for too long."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import List, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.admin.workflow import IN_DIRECTORY, answer_key, answers_with_revisions, served_revision
from bot.content.models import Organisation, OrganisationStatus, RevisionStatus
from bot.settings import get_settings


@dataclass(frozen=True)
class StaleItem:
    """One answer or organisation that needs a fresh review."""

    kind: str  # answer | organisation
    key: str
    last: Optional[date]  # last review or vetting; None = never
    days: Optional[int]


def stale_answers(session: Session, today: Optional[date] = None, days: Optional[int] = None) -> List[StaleItem]:
    """Published answers whose last review is older than the limit (180 days by default)."""
    today = today or date.today()
    limit = days if days is not None else get_settings().stale_answer_days
    found = []
    for answer in answers_with_revisions(session):
        served = served_revision(answer)
        if served is not None and served.status == RevisionStatus.PUBLISHED and served.reviewed_on < today - timedelta(days=limit):
            found.append(StaleItem("answer", answer_key(answer), served.reviewed_on, (today - served.reviewed_on).days))
    return sorted(found, key=lambda item: item.last)


def stale_organisations(session: Session, today: Optional[date] = None,
                        days: Optional[int] = None) -> List[StaleItem]:
    """Organisations of the directory still offered or waiting (not inactive) not vetted within the limit (365 days);
    a proposal nobody approved is not in the directory."""
    today = today or date.today()
    limit = days if days is not None else get_settings().stale_organisation_days
    found = []
    for organisation in session.execute(select(Organisation).where(
            Organisation.status != OrganisationStatus.INACTIVE.value, IN_DIRECTORY)).scalars():
        vetted = organisation.vetted_on
        if vetted is None or vetted < today - timedelta(days=limit):
            found.append(StaleItem("organisation", organisation.key, vetted, (today - vetted).days if vetted else None))
    return sorted(found, key=lambda item: (item.last is not None, item.last or date.min))
