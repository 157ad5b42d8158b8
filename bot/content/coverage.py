"""Where a person gets a contact: every topic × city × citizenship, as the bot would route it.

NGO staff read it to see the holes (`hamroh content coverage`, the workspace's coverage page).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Dict, List, Optional

from sqlalchemy.orm import Session

from bot.content.queries import OrganisationView, candidates, choose
from bot.registry import CITIES, COUNTRIES, ROUTABLE_TOPICS, SOURCE_LANGUAGE


@dataclass(frozen=True)
class Cell:
    """What a person of one citizenship in one city gets for one topic."""

    topic: str
    city: str
    country: str
    organisations: List[str]  # keys, in the order the bot lists them
    reachable: bool  # at least one listed has a phone, site, e-mail or address
    local: bool  # at least one serves the city itself


@dataclass
class Coverage:
    """Every cell, with the shares NGO staff watch."""

    cells: List[Cell] = field(default_factory=list)

    def share(self, reachable: bool = False, topic: Optional[str] = None, country: Optional[str] = None) -> float:
        """The share of cells with a listed (or, with `reachable`, a reachable) organisation."""
        cells = [c for c in self.cells if (topic is None or c.topic == topic) and (country is None or c.country == country)]
        hits = [c for c in cells if (c.reachable if reachable else c.organisations)]
        return len(hits) / len(cells) if cells else 0.0

    def as_json(self) -> Dict[str, object]:
        """The cells and the shares, for `--json`."""
        return {
            "cells": [asdict(c) for c in self.cells],
            "listed_share": round(self.share(), 4),
            "reachable_share": round(self.share(reachable=True), 4),
            "by_topic": {t: round(self.share(topic=t), 4) for t in ROUTABLE_TOPICS},
            "by_country": {c: round(self.share(country=c), 4) for c in COUNTRIES},
        }


def _has_contact(organisation: OrganisationView) -> bool:
    return any(organisation.contacts.get(k) for k in ("phone", "site", "email", "address"))


def coverage(session: Session) -> Coverage:
    """Routes every topic × city × citizenship the way the bot does."""
    found = candidates(session)
    result = Coverage()
    for topic in ROUTABLE_TOPICS:
        for city in CITIES:
            for country in COUNTRIES:
                routing = choose(found, topic, city, SOURCE_LANGUAGE, country)
                result.cells.append(Cell(topic, city, country, [o.key for o in routing.organisations],
                                         any(_has_contact(o) for o in routing.organisations), routing.found_local))
    return result


def table(result: Coverage, reachable: bool = False) -> List[List[str]]:
    """Rows of topic × citizenship: how many of the cities get a contact ("16/16")."""
    header = ["topic"] + list(COUNTRIES)
    rows = [header]
    for topic in ROUTABLE_TOPICS:
        row = [topic]
        for country in COUNTRIES:
            cells = [c for c in result.cells if c.topic == topic and c.country == country]
            hits = sum(1 for c in cells if (c.reachable if reachable else c.organisations))
            row.append(f"{hits}/{len(cells)}")
        rows.append(row)
    return rows
