"""Four-eyes publishing: drafts, approval by a second person, restore, translation care."""

from __future__ import annotations

import difflib
import re
from datetime import date
from typing import Any, Dict, List, Optional, Sequence, Tuple

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot import LANGUAGES
from bot.admin import REVIEW_ROLES
from bot.admin import reasons as R
from bot.admin import texts as T
from bot.admin.audit import record as audit
from bot.admin.errors import WorkflowError
from bot.content import DOMAIN_TOPICS, SCOPES
from bot.content.loader import apply_organisation, organisation_record
from bot.content.models import (
    AdminUser, Answer, AnswerRevision, Organisation, OrganisationRevision, utcnow,
)
from bot.content.revisions import SOURCE_LANGUAGE, SERVED, care_for_translations, served_revision  # noqa: F401

MAX_BODY = 10_000
VETTING_FIELDS = ("status", "vetted_by", "vetted_on")
"""Only an admin may draft changes to these: they decide whether the bot offers an organisation."""
KINDS = ("ngo", "trade_union", "home_country_agency", "consulate", "hotline")
ORG_STATUSES = ("active", "unverified", "inactive")
_KEY = re.compile(r"^[a-z0-9][a-z0-9_\-]{0,63}$")


def answer_key(answer: Answer) -> str:
    """Returns "topic/language/scope", the name of an answer in logs and files."""
    return f"{answer.topic}/{answer.language}/{answer.scope}"


def check_answer_key(topic: str, language: str, scope: str) -> None:
    """Refuses a topic, language or scope the bot does not know."""
    if topic not in DOMAIN_TOPICS:
        raise WorkflowError(R.UNKNOWN_TOPIC, topic=topic)
    if language not in LANGUAGES:
        raise WorkflowError(R.UNKNOWN_LANGUAGE, language=language)
    if scope not in SCOPES:
        raise WorkflowError(R.UNKNOWN_SCOPE, scope=scope)


def get_or_create_answer(session: Session, topic: str, language: str, scope: str = "any") -> Answer:
    """Returns the answer of a key, creating an empty one for a new translation or scope."""
    check_answer_key(topic, language, scope)
    answer = session.execute(select(Answer).where(
        Answer.topic == topic, Answer.language == language, Answer.scope == scope)).scalar_one_or_none()
    if answer is None:
        answer = Answer(topic=topic, language=language, scope=scope, needs_update=False)
        session.add(answer)
        session.flush()
    return answer


def pending_drafts(answer: Answer) -> List[AnswerRevision]:
    """Returns the drafts waiting for review, oldest first."""
    return [r for r in answer.revisions if r.status == "draft"]


def _next_number(revisions: Sequence[Any]) -> int:
    return max((r.number for r in revisions), default=0) + 1


def _clean_sources(sources: Any) -> List[Dict[str, Any]]:
    if not isinstance(sources, list):
        raise WorkflowError(R.SOURCES_LIST)
    cleaned = []
    for source in sources:
        if not isinstance(source, dict) or not str(source.get("title") or "").strip():
            raise WorkflowError(R.SOURCE_TITLE)
        url = str(source.get("url") or "").strip() or None
        if url and not url.startswith(("https://", "http://")):
            raise WorkflowError(R.SOURCE_URL, url=url[:80])
        cleaned.append({"title": str(source["title"]).strip(), "url": url,
                        "legal_basis": str(source.get("legal_basis") or "").strip() or None})
    return cleaned


def propose_answer(session: Session, answer: Answer, body: str, author: str,
                   sources: Optional[List[Dict[str, Any]]] = None, reviewed_by: Optional[str] = None,
                   today: Optional[date] = None) -> AnswerRevision:
    """Adds a draft revision; the bot keeps serving the published one until a second person approves."""
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise WorkflowError(R.EMPTY_TEXT)
    if len(body) > MAX_BODY:
        raise WorkflowError(R.LONG_TEXT, n=MAX_BODY)
    current = served_revision(answer)
    sources = _clean_sources(sources if sources is not None else list(current.sources or []) if current else [])
    reviewed_by = (reviewed_by if reviewed_by is not None else current.reviewed_by if current else "").strip()
    if not reviewed_by:
        raise WorkflowError(R.REVIEWED_BY_NEEDED)
    if current and current.status == "published" and current.body == body and list(current.sources or []) == sources \
            and current.reviewed_by == reviewed_by:
        raise WorkflowError(R.NOTHING_CHANGED)
    revision = AnswerRevision(number=_next_number(answer.revisions), status="draft", body=body, sources=sources,
                              reviewed_by=reviewed_by[:200], reviewed_on=today or date.today(), author=author)
    answer.revisions.append(revision)
    session.flush()
    audit(session, author, "draft_answer", answer_key(answer), f"revision {revision.number}")
    return revision


def _require_reviewer(reviewer: AdminUser, author: str) -> None:
    if reviewer.role not in REVIEW_ROLES:
        raise WorkflowError(R.REVIEWERS_ONLY)
    if reviewer.username == author:
        raise WorkflowError(R.OTHER_PERSON)


def approve_answer(session: Session, revision: AnswerRevision, reviewer: AdminUser,
                   today: Optional[date] = None) -> None:
    """Publishes a draft at once (the bot reads it at its next message); Russian changes flag translations."""
    _require_reviewer(reviewer, revision.author)
    if revision.status != "draft":
        raise WorkflowError(R.ONLY_DRAFT_APPROVED)
    answer = revision.answer
    current = served_revision(answer)
    if current is not None and current.number > revision.number:
        raise WorkflowError(R.NEWER_PUBLISHED)
    previous_body = current.body if current is not None and current.status == "published" else None
    revision.status = "published"
    revision.approved_by = reviewer.username
    revision.approved_at = utcnow()
    revision.reviewed_on = today or date.today()  # approval is the review the freshness rule counts
    care_for_translations(session, answer, previous_body, revision.body)
    audit(session, reviewer.username, "approve_answer", answer_key(answer), f"revision {revision.number}")
    session.flush()


def reject_draft(session: Session, revision: Any, user: AdminUser) -> None:
    """Closes a draft without publishing it (a reviewer, or its author withdrawing it)."""
    if revision.status != "draft":
        raise WorkflowError(R.ONLY_DRAFT_REJECTED)
    if user.role not in REVIEW_ROLES and user.username != revision.author:
        raise WorkflowError(R.REJECT_RIGHTS)
    revision.status = "rejected"
    revision.approved_by = user.username
    revision.approved_at = utcnow()
    target = answer_key(revision.answer) if isinstance(revision, AnswerRevision) else f"organisation {revision.organisation_id}"
    audit(session, user.username, "reject", target, f"revision {revision.number}")
    session.flush()


def restore_answer(session: Session, revision: AnswerRevision, author: str) -> AnswerRevision:
    """Drafts an old revision again; it goes through review like any edit."""
    return propose_answer(session, revision.answer, revision.body, author, list(revision.sources or []),
                          revision.reviewed_by)


def confirm_translation(session: Session, answer: Answer, user: AdminUser) -> None:
    """Records that a translation still says what the changed Russian text says."""
    if answer.language == SOURCE_LANGUAGE:
        raise WorkflowError(R.SOURCE_NOT_CONFIRMED)
    if not answer.needs_update:
        raise WorkflowError(R.NOT_OUTDATED)
    answer.needs_update = False
    audit(session, user.username, "confirm_translation", answer_key(answer))
    session.flush()


def word_diff(old: str, new: str) -> List[Tuple[str, str]]:
    """Returns (operation, text) pieces, operation in equal/insert/delete; templates escape the text."""
    a, b = re.split(r"(\s+)", old or ""), re.split(r"(\s+)", new or "")
    pieces: List[Tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("equal",):
            pieces.append(("equal", "".join(a[i1:i2])))
        if op in ("delete", "replace"):
            pieces.append(("delete", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            pieces.append(("insert", "".join(b[j1:j2])))
    return pieces


# --- Organisations -----------------------------------------------------------------------------

def organisation_snapshot(organisation: Organisation) -> Dict[str, Any]:
    """Returns an organisation row as the record format its revisions store."""
    return {
        "key": organisation.key, "name": organisation.name, "kind": organisation.kind,
        "nationwide": bool(organisation.nationwide), "free": bool(organisation.free),
        "languages": list(organisation.languages or []), "countries": list(organisation.countries or []),
        "cities": sorted(c.city for c in organisation.cities), "topics": sorted(t.topic for t in organisation.topics),
        "contacts": dict(organisation.contacts or {}), "hours": organisation.hours,
        "vetted_by": organisation.vetted_by,
        "vetted_on": organisation.vetted_on.isoformat() if organisation.vetted_on else None,
        "status": organisation.status, "note": organisation.note,
    }


def validate_organisation(raw: Dict[str, Any]) -> Dict[str, Any]:
    """Returns a clean organisation record, or raises WorkflowError naming the bad field."""
    key = str(raw.get("key") or "").strip()
    if not _KEY.match(key):
        raise WorkflowError(R.BAD_KEY)
    if not str(raw.get("name") or "").strip():
        raise WorkflowError(R.EMPTY_NAME)
    for field in ("languages", "countries", "cities", "topics"):
        if raw.get(field) is not None and not isinstance(raw[field], list):
            raise WorkflowError(R.LIST_NEEDED, field=field)
    if raw.get("contacts") is not None and not isinstance(raw["contacts"], dict):
        raise WorkflowError(R.CONTACTS_PAIRS)
    vetted_on = raw.get("vetted_on")
    if vetted_on and not isinstance(vetted_on, date):
        try:
            date.fromisoformat(str(vetted_on))
        except ValueError as error:
            raise WorkflowError(R.NOT_A_DATE, field="vetted_on", value=str(vetted_on)[:40]) from error
    try:
        record = organisation_record({**raw, "key": key, "name": str(raw["name"]).strip()})
    except (ValueError, TypeError) as error:  # the checks above leave only odd data types
        raise WorkflowError(R.BAD_ORGANISATION) from error
    if record["kind"] not in KINDS:
        raise WorkflowError(R.BAD_KIND, kinds=", ".join(KINDS))
    if record["status"] not in ORG_STATUSES:
        raise WorkflowError(R.BAD_STATUS, statuses=", ".join(ORG_STATUSES))
    unknown = [x for x in record["languages"] if x not in LANGUAGES]
    if unknown:
        raise WorkflowError(R.UNKNOWN_LANGUAGES, languages=", ".join(map(str, unknown)))
    unknown = [x for x in record["topics"] if x not in DOMAIN_TOPICS + ("talk_to_human",)]
    if unknown:
        raise WorkflowError(R.UNKNOWN_TOPICS, topics=", ".join(map(str, unknown)))
    if not all(isinstance(k, str) and isinstance(v, (str, int)) for k, v in record["contacts"].items()):
        raise WorkflowError(R.CONTACTS_PAIRS)
    record["contacts"] = {k.strip(): str(v).strip() for k, v in record["contacts"].items() if str(v).strip()}
    for field in ("hours", "vetted_by", "note"):
        record[field] = (str(record[field]).strip() or None) if record[field] is not None else None
    return record


def propose_organisation(session: Session, raw: Dict[str, Any], author: AdminUser) -> OrganisationRevision:
    """Adds a draft of an organisation (new or changed); vetting fields are an admin's to change."""
    record = validate_organisation(raw)
    organisation = session.execute(select(Organisation).where(Organisation.key == record["key"])).scalar_one_or_none()
    if organisation is None:
        # A placeholder nobody is sent to (not active) until the draft is approved.
        organisation = Organisation(key=record["key"], name=record["name"], kind=record["kind"], status="unverified",
                                    languages=[], countries=[], contacts={}, nationwide=False, free=True)
        session.add(organisation)
        session.flush()
        current = None
    else:
        current = organisation_snapshot(organisation)
    base = current or {"status": "unverified", "vetted_by": None, "vetted_on": None}
    if author.role != "admin" and any(record[f] != base[f] for f in VETTING_FIELDS):
        raise WorkflowError(T.ADMIN_ONLY)
    if current == record:
        raise WorkflowError(R.NOTHING_CHANGED)
    revision = OrganisationRevision(number=_next_number(organisation.revisions), data=record, status="draft",
                                    author=author.username)
    organisation.revisions.append(revision)
    session.flush()
    audit(session, author.username, "draft_organisation", record["key"], f"revision {revision.number}")
    return revision


def approve_organisation(session: Session, revision: OrganisationRevision, reviewer: AdminUser) -> None:
    """Applies a draft to the organisation the bot routes to, at once."""
    _require_reviewer(reviewer, revision.author)
    if revision.status != "draft":
        raise WorkflowError(R.ONLY_DRAFT_APPROVED)
    organisation = session.get(Organisation, revision.organisation_id)
    newer = [r for r in organisation.revisions if r.status == "published" and r.number > revision.number]
    if newer:
        raise WorkflowError(R.NEWER_PUBLISHED)
    apply_organisation(organisation, revision.data)
    revision.status = "published"
    revision.approved_by = reviewer.username
    revision.approved_at = utcnow()
    audit(session, reviewer.username, "approve_organisation", organisation.key, f"revision {revision.number}")
    session.flush()


def restore_organisation(session: Session, revision: OrganisationRevision, author: AdminUser) -> OrganisationRevision:
    """Drafts an old version of an organisation again."""
    return propose_organisation(session, dict(revision.data), author)


def vet_organisation(session: Session, organisation: Organisation, admin: AdminUser, vetted_by: str,
                     today: Optional[date] = None) -> OrganisationRevision:
    """Drafts the organisation as active and vetted today (an admin's call, approved by a second person)."""
    if admin.role != "admin":
        raise WorkflowError(R.ADMIN_VETS)
    record = organisation_snapshot(organisation)
    record.update(status="active", vetted_by=vetted_by.strip() or admin.username,
                  vetted_on=(today or date.today()).isoformat())
    return propose_organisation(session, record, admin)


def answers_with_revisions(session: Session) -> List[Answer]:
    """Returns every answer with its revisions loaded, ordered by topic, scope, language."""
    return list(session.execute(
        select(Answer).options(selectinload(Answer.revisions)).order_by(Answer.topic, Answer.scope, Answer.language)
    ).scalars())
