"""`hamroh content load`: reads content/*.yml into the database, idempotently, keeping history."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.content.models import (
    Answer, AnswerRevision, Organisation, OrganisationCity, OrganisationRevision, OrganisationTopic, RevisionStatus,
)
from bot.content.revisions import care_for_translations, served_body
from bot.content.snapshot import after_publication
from bot.registry import DOMAIN_TOPICS, LANGUAGES, SCOPES, SOURCE_LANGUAGE

logger = logging.getLogger(__name__)

NOT_TOPIC_FILES = ("organisations.yml", "patent_prices.yml")
"""Seed files beside the topic files: the directory, and the regional prices the bot reads as they are."""
SEED_AUTHOR = "seed"
"""Revisions written by the loader; a maintainer's later edit is never replaced by an unchanged seed."""


class ContentError(ValueError):
    """A seed file that cannot be loaded (the message says which file and why)."""


@dataclass
class LoadReport:
    """What a load changed."""

    answers_added: int = 0
    answers_revised: int = 0
    answers_unchanged: int = 0
    organisations_added: int = 0
    organisations_revised: int = 0
    organisations_unchanged: int = 0


def _as_date(value: Any, where: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as error:
        raise ContentError(f"{where}: not a date: {value!r}") from error


def read_topic_file(path: Path) -> List[Dict[str, Any]]:
    """Returns the answers of one topic file as flat records (one per language)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    topic = data.get("topic")
    if topic not in DOMAIN_TOPICS:
        raise ContentError(f"{path.name}: unknown topic {topic!r}")
    sources = data.get("sources") or {}
    records = []
    for index, answer in enumerate(data.get("answers") or []):
        where = f"{path.name}, answer {index + 1}"
        scope = answer.get("scope", "any")
        if scope not in SCOPES:
            raise ContentError(f"{where}: unknown scope {scope!r}")
        missing = [s for s in answer.get("sources") or [] if s not in sources]
        if missing or not answer.get("sources"):
            raise ContentError(f"{where}: every answer needs sources defined in the file (missing {missing})")
        for language, body in (answer.get("body") or {}).items():
            if language not in LANGUAGES or not str(body or "").strip():
                continue
            records.append({
                "topic": topic, "language": language, "scope": scope, "body": str(body).strip(),
                "sources": [{"title": sources[s].get("title"), "url": sources[s].get("url"),
                             "legal_basis": sources[s].get("legal_basis")} for s in answer["sources"]],
                "reviewed_by": str(answer.get("reviewed_by") or ""),
                "reviewed_on": _as_date(answer.get("reviewed_on"), where),
            })
    return records


def organisation_record(raw: Dict[str, Any]) -> Dict[str, Any]:
    """Returns an organisation as the plain data stored in its revisions."""
    vetted_on = raw.get("vetted_on")
    return {
        "key": raw["key"], "name": raw["name"], "kind": raw.get("kind", "ngo"),
        "nationwide": bool(raw.get("nationwide", False)), "free": bool(raw.get("free", True)),
        "languages": list(raw.get("languages") or []), "countries": list(raw.get("countries") or []),
        "cities": sorted(raw.get("cities") or []), "topics": sorted(raw.get("topics") or []),
        "contacts": dict(raw.get("contacts") or {}), "hours": raw.get("hours"),
        "vetted_by": raw.get("vetted_by"),
        "vetted_on": _as_date(vetted_on, raw["key"]).isoformat() if vetted_on else None,
        "status": raw.get("status", "unverified"), "note": raw.get("note"),
        "translations": translations_record(raw.get("translations")),
    }


TRANSLATED_FIELDS = ("name", "note", "hours")
"""Organisation fields written per language; the Russian ones are the record's own."""


def translations_record(raw: Any) -> Dict[str, Dict[str, str]]:
    """Returns {language: {field: text}} with empty texts dropped (a missing one falls back to Russian)."""
    if raw is None:
        return {}
    if not isinstance(raw, dict) or not all(isinstance(v, dict) for v in raw.values()):
        raise ValueError("translations must map a language to {name, note, hours}")
    cleaned = {}
    for language, fields in sorted(raw.items()):
        texts = {f: str(fields[f]).strip() for f in TRANSLATED_FIELDS if str(fields.get(f) or "").strip()}
        if texts:
            cleaned[str(language)] = texts
    return cleaned


def apply_organisation(organisation: Organisation, record: Dict[str, Any]) -> None:
    """Copies a record onto an organisation row."""
    for field in ("key", "name", "kind", "nationwide", "free", "languages", "countries", "contacts",
                  "hours", "vetted_by", "status", "note", "translations"):
        setattr(organisation, field, record[field])
    organisation.vetted_on = date.fromisoformat(record["vetted_on"]) if record["vetted_on"] else None
    organisation.cities = [OrganisationCity(city=c) for c in record["cities"]]
    organisation.topics = [OrganisationTopic(topic=t) for t in record["topics"]]


def _load_answer(session: Session, record: Dict[str, Any], report: LoadReport) -> None:
    answer = session.execute(
        select(Answer).where(Answer.topic == record["topic"], Answer.language == record["language"],
                             Answer.scope == record["scope"])
    ).scalar_one_or_none()
    if answer is None:
        answer = Answer(topic=record["topic"], language=record["language"], scope=record["scope"])
        session.add(answer)
        report.answers_added += 1
    seeds = [r for r in answer.revisions if r.author == SEED_AUTHOR]
    last = seeds[-1] if seeds else None
    fields = ("body", "sources", "reviewed_by", "reviewed_on")
    if last is not None and all(getattr(last, f) == record[f] for f in fields):
        report.answers_unchanged += 1
        return
    if last is not None:
        report.answers_revised += 1
    previous_body = served_body(answer)
    number = (answer.revisions[-1].number if answer.revisions else 0) + 1
    answer.revisions.append(AnswerRevision(number=number, status=RevisionStatus.PUBLISHED.value, author=SEED_AUTHOR,
                                           **{f: record[f] for f in fields}))
    care_for_translations(session, answer, previous_body, record["body"])


def _load_organisation(session: Session, record: Dict[str, Any], report: LoadReport) -> None:
    organisation = session.execute(select(Organisation).where(Organisation.key == record["key"])).scalar_one_or_none()
    if organisation is None:
        organisation = Organisation(key=record["key"])
        session.add(organisation)
        report.organisations_added += 1
    seeds = [r for r in organisation.revisions if r.author == SEED_AUTHOR]
    if seeds and seeds[-1].data == record:
        report.organisations_unchanged += 1
        return
    if seeds:
        report.organisations_revised += 1
    apply_organisation(organisation, record)
    number = (organisation.revisions[-1].number if organisation.revisions else 0) + 1
    organisation.revisions.append(OrganisationRevision(number=number, data=record, author=SEED_AUTHOR))


def read_organisations(path: Path) -> List[Dict[str, Any]]:
    """Returns the organisations of the seed file as records."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [organisation_record(raw) for raw in data.get("organisations") or []]


def load_content(session: Session, folder: Path) -> LoadReport:
    """Loads every topic file and the organisations file; unchanged content is left alone."""
    if not folder.is_dir():  # a mistyped HAMROH_CONTENT_DIR must not "load" nothing and succeed
        raise ContentError(f"{folder}: no such content folder")
    report = LoadReport()
    records: Iterable[Dict[str, Any]] = [
        r for path in sorted(folder.glob("*.yml")) if path.name not in NOT_TOPIC_FILES
        for r in read_topic_file(path)
    ]
    # Russian first: a translation revised in the same seed change is then up to date, as in the workspace.
    for record in sorted(records, key=lambda r: r["language"] != SOURCE_LANGUAGE):
        _load_answer(session, record, report)
    organisations = folder / "organisations.yml"
    if organisations.exists():
        for record in read_organisations(organisations):
            _load_organisation(session, record, report)
    after_publication(session)
    return report
