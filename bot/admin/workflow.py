"""Four-eyes publishing: drafts on a base, approval by a second person, merge or rebase, restore, translation care."""

from __future__ import annotations

import difflib
import re
from datetime import date
from typing import Any, Dict, List, Optional, Sequence, Tuple

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, selectinload

from bot import LANGUAGES
from bot.admin import CONTENT_ROLES, REVIEW_ROLES
from bot.admin import desk_texts as D
from bot.admin import reasons as R
from bot.admin import texts as T
from bot.admin.audit import record as audit
from bot.admin.errors import FieldList, WorkflowError
from bot.admin.merge import Merge, three_way
from bot.admin.names import TOKEN
from bot.content.loader import apply_organisation, organisation_record
from bot.content.models import (
    AdminUser, Answer, AnswerRevision, Organisation, OrganisationRevision, OrganisationStatus, RevisionStatus, Role,
    utcnow,
)
from bot.content.revisions import (  # noqa: F401 - the workspace's one import of these
    SERVED, care_for_translations, served_revision, source_answer, source_followed,
)
from bot.content.snapshot import after_publication
from bot.registry import CITIES, COUNTRIES, DOMAIN_TOPICS, ORGANISATION_KINDS, ROUTABLE_TOPICS, SCOPES, SOURCE_LANGUAGE

MAX_BODY = 10_000
VETTING_FIELDS = ("status", "vetted_by", "vetted_on")
"""Only an admin may draft changes to these: they decide whether the bot offers an organisation."""
KINDS = tuple(ORGANISATION_KINDS)
ORG_STATUSES = tuple(s.value for s in OrganisationStatus)
ANSWER_FIELDS = ("body", "sources", "reviewed_by")
"""What a reviewer approves in an answer revision; the three-way merge compares these."""
CURRENT = object()
"""A draft's default base: the version published when it is saved."""
_KEY = re.compile(r"^[a-z0-9][a-z0-9_\-]{0,63}$")
DRAFT, PUBLISHED = RevisionStatus.DRAFT.value, RevisionStatus.PUBLISHED.value


def answer_key(answer: Answer) -> str:
    """Returns "topic/language/scope", the name of an answer in logs and files."""
    return f"{answer.topic}/{answer.language}/{answer.scope}"


def check_answer_key(topic: str, language: str, scope: str) -> None:
    """Refuses a topic, language or scope the bot does not know."""
    if topic not in DOMAIN_TOPICS:
        raise WorkflowError(R.UNKNOWN_TOPIC, topic=str(topic)[:64])
    if language not in LANGUAGES:
        raise WorkflowError(R.UNKNOWN_LANGUAGE, language=str(language)[:16])
    if scope not in SCOPES:
        raise WorkflowError(R.UNKNOWN_SCOPE, scope=str(scope)[:16])


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
    return [r for r in answer.revisions if r.status == DRAFT]


def _next_number(revisions: Sequence[Any]) -> int:
    return max((r.number for r in revisions), default=0) + 1


def clean_sources(sources: Any) -> List[Dict[str, Any]]:
    """Returns an answer's sources as [{title, url, legal_basis}], or refuses a malformed list."""
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


def answer_fields(revision: Optional[AnswerRevision]) -> Dict[str, Any]:
    """What a reviewer approves in a revision, as a record ({} for none)."""
    if revision is None:
        return {}
    return {"body": revision.body, "sources": list(revision.sources or []), "reviewed_by": revision.reviewed_by}


def answer_revision(answer: Answer, number: Optional[int]) -> Optional[AnswerRevision]:
    """Returns the revision of an answer with a number (None for None or an unknown number)."""
    return next((r for r in answer.revisions if r.number == number), None) if number is not None else None


def _check_base(revisions: Sequence[Any], number: Optional[int], statuses: Sequence[str]) -> None:
    if number is not None and not any(r.number == number and r.status in statuses for r in revisions):
        raise WorkflowError(R.UNKNOWN_BASE, number=number)


def propose_answer(session: Session, answer: Answer, body: str, author: str,
                   sources: Optional[List[Dict[str, Any]]] = None, reviewed_by: Optional[str] = None,
                   today: Optional[date] = None, base_number: Any = CURRENT,
                   follows: Optional[int] = None) -> AnswerRevision:
    """Adds a draft revision on a base (the served one its author saw; the served one now by default); the bot
    keeps serving the published text until a second person approves. A translation remembers the Russian
    revision it follows (`follows`, else the Russian served now)."""
    _require_content_role(session.execute(select(AdminUser.role).where(AdminUser.username == author)).scalar())
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise WorkflowError(R.EMPTY_TEXT, field_name="body")
    if len(body) > MAX_BODY:
        raise WorkflowError(R.LONG_TEXT, n=MAX_BODY, field_name="body")
    current = served_revision(answer)
    base_number = (current.number if current else None) if base_number is CURRENT else base_number
    _check_base(answer.revisions, base_number, SERVED)
    base = answer_revision(answer, base_number)
    sources = clean_sources(sources if sources is not None else list(base.sources or []) if base else [])
    reviewed_by = (reviewed_by if reviewed_by is not None else base.reviewed_by if base else "").strip()
    if not reviewed_by:
        raise WorkflowError(R.REVIEWED_BY_NEEDED, field_name="reviewed_by")
    proposed = {"body": body, "sources": sources, "reviewed_by": reviewed_by}
    if (current is not None and current.status == PUBLISHED and answer_fields(current) == proposed) \
            or (base is not None and answer_fields(base) == proposed):
        raise WorkflowError(R.NOTHING_CHANGED)
    if follows is None and answer.language != SOURCE_LANGUAGE:
        source = source_answer(session, answer)
        served = served_revision(source) if source is not None else None
        follows = served.number if served is not None else None
    revision = AnswerRevision(number=_next_number(answer.revisions), status=DRAFT, body=body, sources=sources,
                              reviewed_by=reviewed_by[:200], reviewed_on=today or date.today(), author=author,
                              base_number=base_number, source_number=follows)
    answer.revisions.append(revision)
    session.flush()
    audit(session, author, "draft_answer", answer_key(answer), f"revision {revision.number}")
    return revision


def _require_content_role(role: Optional[str]) -> None:
    # A consultant's account answers people for one organisation; what the bot says is not theirs to change.
    if role is not None and role not in CONTENT_ROLES:
        raise WorkflowError(D.CONSULTANTS_DO_NOT_EDIT)


def _require_reviewer(reviewer: AdminUser, author: str) -> None:
    if reviewer.role not in REVIEW_ROLES:
        raise WorkflowError(R.REVIEWERS_ONLY)
    if reviewer.username == author:
        raise WorkflowError(R.OTHER_PERSON)


def answer_merge(revision: AnswerRevision) -> Optional[Merge]:
    """How a draft combines with the text published after its base; None while its base is still served."""
    current = served_revision(revision.answer)
    if current is None or current.number == revision.base_number:
        return None
    base = answer_revision(revision.answer, revision.base_number)
    return three_way(answer_fields(base), answer_fields(current), answer_fields(revision), nested=False)


def _refuse_conflicts(merge: Merge) -> None:
    if merge.conflicts:
        raise WorkflowError(R.REBASE_NEEDED, fields=FieldList(merge.conflicts))


def approve_answer(session: Session, revision: AnswerRevision, reviewer: AdminUser,
                   today: Optional[date] = None) -> None:
    """Publishes a draft at once (the bot reads it at its next message). When the text was published anew after
    the draft's base, the two are merged field by field, or the author must rebase: nothing is silently undone."""
    _require_reviewer(reviewer, revision.author)
    if revision.status != DRAFT:
        raise WorkflowError(R.ONLY_DRAFT_APPROVED)
    answer = revision.answer
    current = served_revision(answer)
    detail = f"revision {revision.number}"
    merge = answer_merge(revision)
    if merge is not None:
        _refuse_conflicts(merge)
        revision.body, revision.sources = merge.merged["body"], merge.merged["sources"]
        revision.reviewed_by = merge.merged["reviewed_by"]
        revision.base_number = current.number
        detail = f"revision {revision.number} merged with {current.number}"
    previous_body = current.body if current is not None and current.status == PUBLISHED else None
    revision.status = PUBLISHED
    revision.approved_by = reviewer.username
    revision.approved_at = utcnow()
    revision.reviewed_on = today or date.today()  # approval is the review the freshness rule counts
    care_for_translations(session, answer, previous_body, revision.body, follows=revision.source_number)
    audit(session, reviewer.username, "approve_answer", answer_key(answer), detail)
    session.flush()


def _target(revision: Any) -> str:
    if isinstance(revision, AnswerRevision):
        return answer_key(revision.answer)
    return revision.data.get("key") or f"organisation {revision.organisation_id}"


def _close(session: Session, revision: Any, user: AdminUser, status: RevisionStatus, action: str) -> None:
    revision.status = status.value
    revision.approved_by = user.username
    revision.approved_at = utcnow()
    audit(session, user.username, action, _target(revision), f"revision {revision.number}")
    session.flush()


def reject_draft(session: Session, revision: Any, user: AdminUser) -> None:
    """Closes someone else's draft without publishing it (reviewers); an author withdraws their own."""
    if revision.status != DRAFT:
        raise WorkflowError(R.ONLY_DRAFT_REJECTED)
    if user.username == revision.author:
        raise WorkflowError(R.WITHDRAW_OWN)
    if user.role not in REVIEW_ROLES:
        raise WorkflowError(R.REJECT_RIGHTS)
    _close(session, revision, user, RevisionStatus.REJECTED, "reject")


def withdraw_draft(session: Session, revision: Any, user: AdminUser) -> None:
    """Closes one's own draft without publishing it."""
    if revision.status != DRAFT:
        raise WorkflowError(R.ONLY_DRAFT_WITHDRAWN)
    if user.username != revision.author:
        raise WorkflowError(R.WITHDRAW_RIGHTS)
    _close(session, revision, user, RevisionStatus.WITHDRAWN, "withdraw")


def _require_author(revision: Any, user: AdminUser) -> None:
    if revision.status != DRAFT:
        raise WorkflowError(R.ONLY_DRAFT_REBASED)
    if user.username != revision.author:
        raise WorkflowError(R.REBASE_RIGHTS)


def rebase_answer(session: Session, revision: AnswerRevision, user: AdminUser, body: str,
                  reviewed_by: Optional[str] = None, base_number: Any = CURRENT) -> AnswerRevision:
    """The author's draft again, written on the text served now (`base_number`: the one the author saw); the old
    draft is superseded by it."""
    _require_author(revision, user)
    answer = revision.answer
    merge = answer_merge(revision)
    sources = merge.merged["sources"] if merge is not None and "sources" not in merge.conflicts \
        else list(revision.sources or [])
    new = propose_answer(session, answer, body, user.username, sources,
                         reviewed_by if reviewed_by is not None else revision.reviewed_by, base_number=base_number)
    _close(session, revision, user, RevisionStatus.SUPERSEDED, "rebase")
    return new


def restore_answer(session: Session, revision: AnswerRevision, author: str) -> AnswerRevision:
    """Drafts an old revision again; it goes through review like any edit. A translation keeps following the
    Russian text it was written for, so "needs update" stays when the Russian has moved on since."""
    return propose_answer(session, revision.answer, revision.body, author, list(revision.sources or []),
                          revision.reviewed_by, follows=source_followed(session, revision))


def confirm_translation(session: Session, answer: Answer, user: AdminUser) -> None:
    """Records that a translation still says what the changed Russian text says."""
    if answer.language == SOURCE_LANGUAGE:
        raise WorkflowError(R.SOURCE_NOT_CONFIRMED)
    if not answer.needs_update:
        raise WorkflowError(R.NOT_OUTDATED)
    answer.needs_update = False
    audit(session, user.username, "confirm_translation", answer_key(answer))
    session.flush()


_WORDS = re.compile(r"(\s+|" + TOKEN.pattern + r")")


def word_diff(old: str, new: str) -> List[Tuple[str, str]]:
    """Returns (operation, text) pieces, operation in equal/insert/delete; money and date tokens are whole
    words. Templates escape the text."""
    a, b = _WORDS.split(old or ""), _WORDS.split(new or "")
    pieces: List[Tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(("equal", "".join(a[i1:i2])))
        if op in ("delete", "replace"):
            pieces.append(("delete", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            pieces.append(("insert", "".join(b[j1:j2])))
    return [piece for piece in pieces if piece[1]]


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
        # Copies all the way down: a caller editing the record must never edit the row's JSON in place.
        "translations": {code: dict(texts) for code, texts in (organisation.translations or {}).items()},
    }


def published_revision(organisation: Organisation) -> Optional[OrganisationRevision]:
    """Returns the newest published revision of an organisation (None: never published, only proposed)."""
    published = [r for r in organisation.revisions if r.status == PUBLISHED]
    return published[-1] if published else None


IN_DIRECTORY = exists().where(OrganisationRevision.organisation_id == Organisation.id,
                              OrganisationRevision.status == PUBLISHED)
"""Organisations that were ever published; a proposal that was rejected or withdrawn is not one of them."""


def _unknown(values: Sequence[Any], known: Any) -> str:
    return ", ".join(str(x)[:40] for x in values if x not in known)


def validate_organisation(raw: Dict[str, Any]) -> Dict[str, Any]:
    """Returns a clean organisation record, or raises WorkflowError naming the bad field."""
    key = str(raw.get("key") or "").strip()
    if not _KEY.match(key):
        raise WorkflowError(R.BAD_KEY, field_name="key")
    if not str(raw.get("name") or "").strip():
        raise WorkflowError(R.EMPTY_NAME, field_name="name")
    for field in ("languages", "countries", "cities", "topics"):
        if raw.get(field) is not None and not isinstance(raw[field], list):
            raise WorkflowError(R.LIST_NEEDED, field=field, field_name=field)
    if raw.get("contacts") is not None and not isinstance(raw["contacts"], dict):
        raise WorkflowError(R.CONTACTS_PAIRS, field_name="contacts")
    vetted_on = raw.get("vetted_on")
    if vetted_on and not isinstance(vetted_on, date):
        try:
            date.fromisoformat(str(vetted_on))
        except ValueError as error:
            raise WorkflowError(R.NOT_A_DATE, field="vetted_on", value=str(vetted_on)[:40],
                                field_name="vetted_on") from error
    try:
        record = organisation_record({**raw, "key": key, "name": str(raw["name"]).strip()})
    except (ValueError, TypeError) as error:  # the checks above leave only odd data types
        raise WorkflowError(R.BAD_ORGANISATION) from error
    if record["kind"] not in KINDS:
        raise WorkflowError(R.BAD_KIND, kinds=", ".join(KINDS), field_name="kind")
    if record["status"] not in ORG_STATUSES:
        raise WorkflowError(R.BAD_STATUS, statuses=", ".join(ORG_STATUSES), field_name="status")
    # Codes come from the registry the bot routes by: "Казань" is not `kazan`, and the bot would never find it.
    if _unknown(record["languages"], LANGUAGES):
        raise WorkflowError(R.UNKNOWN_LANGUAGES, languages=_unknown(record["languages"], LANGUAGES),
                            field_name="languages")
    if _unknown(record["cities"], CITIES):
        raise WorkflowError(R.UNKNOWN_CITIES, cities=_unknown(record["cities"], CITIES), field_name="cities")
    if _unknown(record["countries"], COUNTRIES):
        raise WorkflowError(R.UNKNOWN_COUNTRIES, countries=_unknown(record["countries"], COUNTRIES),
                            field_name="countries")
    if _unknown(record["topics"], ROUTABLE_TOPICS):
        raise WorkflowError(R.UNKNOWN_TOPICS, topics=_unknown(record["topics"], ROUTABLE_TOPICS), field_name="topics")
    unknown = [x for x in record["translations"] if x not in LANGUAGES or x == SOURCE_LANGUAGE]
    if unknown:
        raise WorkflowError(R.UNKNOWN_LANGUAGES, languages=", ".join(map(str, unknown)), field_name="translations")
    if not all(isinstance(k, str) and isinstance(v, (str, int)) for k, v in record["contacts"].items()):
        raise WorkflowError(R.CONTACTS_PAIRS, field_name="contacts")
    record["contacts"] = {k.strip(): str(v).strip() for k, v in record["contacts"].items() if str(v).strip()}
    for field in ("hours", "vetted_by", "note"):
        record[field] = (str(record[field]).strip() or None) if record[field] is not None else None
    if record["status"] == OrganisationStatus.ACTIVE:
        # An organisation the bot offers must be findable: a topic, and a city or help from anywhere.
        if not record["topics"]:
            raise WorkflowError(R.NEVER_LISTED_TOPIC, field_name="topics")
        if not record["cities"] and not record["nationwide"]:
            raise WorkflowError(R.NEVER_LISTED_CITY, field_name="cities")
    return record


def _organisation(session: Session, key: str) -> Optional[Organisation]:
    return session.execute(select(Organisation).where(Organisation.key == key)).scalar_one_or_none()


def organisation_base(organisation: Organisation, number: Optional[int]) -> Optional[Dict[str, Any]]:
    """The record of a published revision by number (None for None)."""
    revision = next((r for r in organisation.revisions if r.number == number), None) if number is not None else None
    return dict(revision.data) if revision is not None else None


def propose_organisation(session: Session, raw: Dict[str, Any], author: AdminUser,
                         base_number: Any = CURRENT) -> OrganisationRevision:
    """Adds a draft of an organisation (new or changed) on a base (the published version its author saw); vetting
    fields are an admin's to change."""
    _require_content_role(author.role)
    record = validate_organisation(raw)
    organisation = _organisation(session, record["key"])
    published = published_revision(organisation) if organisation is not None else None
    if organisation is None:
        # A placeholder nobody is sent to (not active) and no list shows, until a draft is approved.
        organisation = Organisation(key=record["key"], name=record["name"], kind=record["kind"],
                                    status=OrganisationStatus.UNVERIFIED.value, languages=[], countries=[],
                                    contacts={}, nationwide=False, free=True)
        session.add(organisation)
        session.flush()
    current = organisation_snapshot(organisation) if published is not None else None
    base_number = (published.number if published else None) if base_number is CURRENT else base_number
    _check_base(organisation.revisions, base_number, (PUBLISHED,))
    base = organisation_base(organisation, base_number)
    start = base or current or {"status": OrganisationStatus.UNVERIFIED.value, "vetted_by": None, "vetted_on": None}
    if author.role != Role.ADMIN and any(record[f] != start[f] for f in VETTING_FIELDS):
        raise WorkflowError(T.ADMIN_ONLY, field_name="status")
    if record == current or (base is not None and record == base):
        raise WorkflowError(R.NOTHING_CHANGED)
    revision = OrganisationRevision(number=_next_number(organisation.revisions), data=record, status=DRAFT,
                                    author=author.username, base_number=base_number)
    organisation.revisions.append(revision)
    session.flush()
    audit(session, author.username, "draft_organisation", record["key"], f"revision {revision.number}")
    return revision


def organisation_merge(session: Session, revision: OrganisationRevision) -> Optional[Merge]:
    """How an organisation draft combines with what was published after its base; None while its base is the
    published version."""
    organisation = session.get(Organisation, revision.organisation_id)
    published = published_revision(organisation)
    if published is None or published.number == revision.base_number:
        return None
    return three_way(organisation_base(organisation, revision.base_number), organisation_snapshot(organisation),
                     revision.data)


def approve_organisation(session: Session, revision: OrganisationRevision, reviewer: AdminUser) -> None:
    """Applies a draft to the organisation the bot routes to, at once; merged with a newer publication field by
    field, or refused until its author rebases."""
    _require_reviewer(reviewer, revision.author)
    if revision.status != DRAFT:
        raise WorkflowError(R.ONLY_DRAFT_APPROVED)
    organisation = session.get(Organisation, revision.organisation_id)
    detail = f"revision {revision.number}"
    merge = organisation_merge(session, revision)
    if merge is not None:
        _refuse_conflicts(merge)
        published = published_revision(organisation)
        revision.data = validate_organisation(merge.merged)
        revision.base_number = published.number
        detail = f"revision {revision.number} merged with {published.number}"
    apply_organisation(organisation, revision.data)
    revision.status = PUBLISHED
    revision.approved_by = reviewer.username
    revision.approved_at = utcnow()
    audit(session, reviewer.username, "approve_organisation", organisation.key, detail)
    after_publication(session)


def rebase_organisation(session: Session, revision: OrganisationRevision, user: AdminUser,
                        raw: Dict[str, Any], base_number: Any = CURRENT) -> OrganisationRevision:
    """The author's organisation draft again, written on the version published now (`base_number`: the one the
    author saw); the old one is superseded."""
    _require_author(revision, user)
    if str(raw.get("key") or "") != revision.data.get("key"):
        raise WorkflowError(R.BAD_KEY, field_name="key")
    new = propose_organisation(session, raw, user, base_number=base_number)
    _close(session, revision, user, RevisionStatus.SUPERSEDED, "rebase")
    return new


def restore_organisation(session: Session, revision: OrganisationRevision, author: AdminUser) -> OrganisationRevision:
    """Drafts an old version of an organisation again."""
    return propose_organisation(session, dict(revision.data), author)


def vet_organisation(session: Session, organisation: Organisation, admin: AdminUser, vetted_by: str,
                     today: Optional[date] = None) -> OrganisationRevision:
    """Drafts the organisation as active and vetted today (an admin's call, approved by a second person)."""
    if admin.role != Role.ADMIN:
        raise WorkflowError(R.ADMIN_VETS)
    record = organisation_snapshot(organisation)
    record.update(status=OrganisationStatus.ACTIVE.value, vetted_by=vetted_by.strip() or admin.username,
                  vetted_on=(today or date.today()).isoformat())
    return propose_organisation(session, record, admin)


def answers_with_revisions(session: Session) -> List[Answer]:
    """Returns every answer with its revisions loaded, ordered by topic, scope, language."""
    return list(session.execute(
        select(Answer).options(selectinload(Answer.revisions)).order_by(Answer.topic, Answer.scope, Answer.language)
    ).scalars())
