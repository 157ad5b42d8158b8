"""The offline copy of the database's active organisations, for answering while the database is down.

It is written from the database, never from the seed file: an organisation NGO staff retired must
not come back when the database fails. It is refreshed after a successful read (at most every
`MAX_AGE` seconds) and after every publication.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import List

from sqlalchemy.orm import Session

from bot.content.queries import OrganisationView, candidates
from bot.settings import get_settings

logger = logging.getLogger(__name__)

MAX_AGE = 60.0
"""Seconds after which a successful read refreshes the copy (publications refresh it at once)."""


def snapshot_path() -> Path:
    """Returns where the copy is kept (the state directory, shared by the processes of one machine)."""
    return get_settings().state_dir / "organisations-snapshot.json"


def save_snapshot(session: Session, path: Path | None = None) -> Path:
    """Writes the database's active organisations to the copy, atomically."""
    path = path or snapshot_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [asdict(o) for o in candidates(session)]
    for row in rows:
        row["vetted_on"] = row["vetted_on"].isoformat() if row["vetted_on"] else None
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".organisations-", suffix=".json")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump({"saved_at": time.time(), "organisations": rows}, out, ensure_ascii=False)
    os.replace(temporary, path)
    return path


def refresh_if_stale(session: Session, path: Path | None = None, max_age: float = MAX_AGE) -> None:
    """Refreshes the copy when it is older than `max_age` seconds; never fails the caller."""
    path = path or snapshot_path()
    try:
        if path.exists() and time.time() - path.stat().st_mtime < max_age:
            return
        save_snapshot(session, path)
    except OSError as error:
        logger.warning("Could not refresh the organisations' offline copy at %s: %s", path, error)


def after_publication(session: Session) -> None:
    """Refreshes the copy at once: what NGO staff published (or retired) is what a failing database serves."""
    session.flush()
    refresh_if_stale(session, max_age=0)


def load_snapshot(path: Path | None = None) -> List[OrganisationView]:
    """Returns the organisations of the copy ([] when there is none yet)."""
    path = path or snapshot_path()
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))["organisations"]
    except (OSError, ValueError, KeyError) as error:
        logger.error("No offline copy of the organisations at %s: %s", path, error)
        return []
    views = []
    for row in rows:
        row["vetted_on"] = date.fromisoformat(row["vetted_on"]) if row.get("vetted_on") else None
        for field in ("cities", "countries", "topics"):
            row[field] = tuple(row.get(field) or ())
        views.append(OrganisationView(**row))
    return views
