"""`hamroh content po-export/po-import LANG`: answers and organisations' texts as gettext catalogs for translators.

Answers: msgctxt "topic/scope", msgid the Russian text. Organisations: msgctxt "organisation/key/field" (name, hours,
note), msgid the Russian field. A translation becomes a draft like any edit; it remembers the Russian text it was
made from, so a translation of a Russian text that has changed since keeps "needs update".
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import LANGUAGES
from bot.admin import reasons as R
from bot.admin.audit import record as audit
from bot.admin.errors import AnswerName, FieldList, Reason, WorkflowError
from bot.admin.exchange import ImportRejected, at
from bot.admin.names import TOKEN
from bot.admin.workflow import (
    IN_DIRECTORY, SERVED, SOURCE_LANGUAGE, answers_with_revisions, get_or_create_answer, organisation_snapshot,
    propose_answer, propose_organisation, served_revision,
)
from bot.content.loader import TRANSLATED_FIELDS
from bot.content.models import AdminUser, Answer, Organisation, RevisionStatus
from bot.registry import DOMAIN_TOPICS, SCOPES

ORGANISATION_CONTEXT = "organisation"
"""msgctxt prefix of an organisation's texts: "organisation/<key>/<field>"."""


@dataclass
class PoPlan:
    """Translations to draft and to confirm, with the catalog line of each; organisations' changed texts."""

    drafts: List[Tuple[int, str, str, str, Optional[int]]] = field(default_factory=list)  # line, topic, scope, text,
    # the Russian revision it translates
    confirmations: List[Tuple[int, str, str]] = field(default_factory=list)
    organisations: Dict[str, Tuple[int, Dict[str, Any]]] = field(default_factory=dict)  # key → (line, record)
    changes: List[Reason] = field(default_factory=list)
    fuzzy: int = 0


def _check_language(language: str) -> None:
    if language not in LANGUAGES or language == SOURCE_LANGUAGE:
        raise WorkflowError(R.PO_LANGUAGE, languages=", ".join(x for x in LANGUAGES if x != SOURCE_LANGUAGE))


def _organisations(session: Session) -> List[Organisation]:
    return list(session.execute(select(Organisation).where(IN_DIRECTORY).order_by(Organisation.key)).scalars())


def export_po(session: Session, language: str) -> bytes:
    """Returns a catalog of answers (fuzzy where the Russian changed) and of organisations' names, hours, notes."""
    _check_language(language)
    answers = answers_with_revisions(session)
    by_key = {(a.topic, a.language, a.scope): a for a in answers}
    catalog = Catalog(locale=language, project="hamroh-answers", charset="utf-8")
    for answer in answers:
        source = served_revision(answer)
        if answer.language != SOURCE_LANGUAGE or source is None or source.status != RevisionStatus.PUBLISHED:
            continue
        translation = by_key.get((answer.topic, language, answer.scope))
        served = served_revision(translation) if translation is not None else None
        text = served.body if served is not None and served.status == RevisionStatus.PUBLISHED else ""
        flags = ["fuzzy"] if translation is not None and translation.needs_update and text else []
        catalog.add(source.body, text, context=f"{answer.topic}/{answer.scope}", flags=flags)
    for organisation in _organisations(session):
        own = (organisation.translations or {}).get(language) or {}
        for name in TRANSLATED_FIELDS:
            russian = getattr(organisation, name)
            if russian:
                catalog.add(russian, own.get(name) or "", context=f"{ORGANISATION_CONTEXT}/{organisation.key}/{name}")
    out = io.BytesIO()
    write_po(out, catalog, width=0, omit_header=False)
    return out.getvalue()


def _russian_revision(answer: Optional[Answer], text: str) -> Optional[int]:
    """The newest served Russian revision whose text is `text` (what a translator translated)."""
    if answer is None:
        return None
    return next((r.number for r in reversed(answer.revisions) if r.status in SERVED and r.body == text), None)


def _plan_organisation_text(session: Session, plan: PoPlan, language: str, where: Dict[str, int], message) -> None:
    _, key, name = message.context.split("/", 2)
    organisation = session.execute(select(Organisation).where(Organisation.key == key, IN_DIRECTORY)
                                   ).scalar_one_or_none()
    if organisation is None or name not in TRANSLATED_FIELDS:
        raise WorkflowError(R.PO_CONTEXT, context=str(message.context))
    if getattr(organisation, name) != message.id:
        # Translated from a Russian text that has changed since the export: translate the new one.
        raise WorkflowError(R.PO_RUSSIAN_CHANGED, key=organisation.name)
    text = (message.string or "").strip()
    line, record = plan.organisations.get(key, (where["line"], organisation_snapshot(organisation)))
    own = record["translations"].setdefault(language, {})
    if own.get(name) == text:
        return
    own[name] = text
    plan.organisations[key] = (line, record)


def plan_po_import(session: Session, language: str, path: Path) -> PoPlan:
    """Validates a translated catalog; non-fuzzy changed texts become drafts, unchanged ones confirmations."""
    _check_language(language)
    try:
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
    except Exception as error:  # babel raises several kinds on a broken file
        raise ImportRejected([Reason(R.PO_UNREADABLE, name=path.name)]) from error
    answers = {(a.topic, a.language, a.scope): a for a in answers_with_revisions(session)}
    plan, errors = PoPlan(), []
    for message in catalog:
        if not message.id:
            continue
        where = {"line": message.lineno or 0}
        text = (message.string or "").strip()
        if message.fuzzy and text:
            plan.fuzzy += 1  # the translator has not finished it
            continue
        if (message.context or "").startswith(ORGANISATION_CONTEXT + "/"):
            if text:
                try:
                    _plan_organisation_text(session, plan, language, where, message)
                except WorkflowError as error:
                    errors.append(at(where, error.reason))
            continue
        topic, _, scope = (message.context or "").partition("/")
        if topic not in DOMAIN_TOPICS or scope not in SCOPES:
            errors.append(at(where, Reason(R.PO_CONTEXT, context=str(message.context))))
            continue
        if not text:
            continue
        key = AnswerName(f"{topic}/{language}/{scope}")
        if sorted(TOKEN.findall(text)) != sorted(TOKEN.findall(message.id)):
            errors.append(at(where, Reason(R.PO_TOKENS, key=key)))
            continue
        answer = answers.get((topic, language, scope))
        served = served_revision(answer) if answer is not None else None
        if served is not None and served.status == RevisionStatus.PUBLISHED and served.body == text:
            if answer.needs_update:
                plan.confirmations.append((where["line"], topic, scope))
                plan.changes.append(at(where, Reason(R.PO_CONFIRMED, key=key)))
            continue
        follows = _russian_revision(answers.get((topic, SOURCE_LANGUAGE, scope)), message.id)
        plan.drafts.append((where["line"], topic, scope, text, follows))
        plan.changes.append(at(where, Reason(R.PO_NEW if served is None else R.PO_CHANGED, key=key)))
    for key, (line, record) in plan.organisations.items():
        organisation = session.execute(select(Organisation).where(Organisation.key == key)).scalar_one()
        before = (organisation.translations or {}).get(language) or {}
        changed = [f"translations.{language}.{name}" for name in TRANSLATED_FIELDS
                   if (record["translations"][language].get(name) or None) != (before.get(name) or None)]
        plan.changes.append(at({"line": line}, Reason(R.PO_ORGANISATION, key=organisation.name,
                                                      fields=FieldList(changed))))
    if errors:
        raise ImportRejected(errors)
    return plan


def apply_po_import(session: Session, language: str, plan: PoPlan, author: AdminUser) -> int:
    """Drafts the changed translations (sources copied from the Russian) and records confirmations."""
    for line, topic, scope, text, follows in plan.drafts:
        answer = get_or_create_answer(session, topic, language, scope)
        source = served_revision(get_or_create_answer(session, topic, SOURCE_LANGUAGE, scope))
        sources = None if served_revision(answer) else list(source.sources or []) if source else []
        reviewed_by = None if served_revision(answer) else source.reviewed_by if source else author.username
        try:
            propose_answer(session, answer, text, author.username, sources, reviewed_by, follows=follows)
        except WorkflowError as error:
            raise ImportRejected([at({"line": line}, Reason(R.ABOUT_ANSWER, key=AnswerName(f"{topic}/{language}/{scope}"),
                                                            reason=error.reason))]) from error
    for line, topic, scope in plan.confirmations:
        answer = get_or_create_answer(session, topic, language, scope)
        answer.needs_update = False
        audit(session, author.username, "confirm_translation", f"{topic}/{language}/{scope}", "po-import")
    for key, (line, record) in plan.organisations.items():
        try:
            propose_organisation(session, record, author)
        except WorkflowError as error:
            raise ImportRejected([at({"line": line}, Reason(R.ABOUT_ORGANISATION, key=record["name"],
                                                            reason=error.reason))]) from error
    session.flush()
    return len(plan.drafts) + len(plan.confirmations) + len(plan.organisations)
