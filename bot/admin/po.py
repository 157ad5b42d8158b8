"""`hamroh content po-export/po-import LANG`: answers as gettext catalogs for translators' tools."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Tuple

import regex
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from sqlalchemy.orm import Session

from bot import LANGUAGES
from bot.admin import reasons as R
from bot.admin.audit import record as audit
from bot.admin.errors import Reason, WorkflowError
from bot.admin.exchange import ImportRejected, at
from bot.admin.workflow import (
    SOURCE_LANGUAGE, answers_with_revisions, get_or_create_answer, propose_answer, served_revision,
)
from bot.content import DOMAIN_TOPICS, SCOPES
from bot.content.models import AdminUser

_TOKEN = regex.compile(r"\[(?:rub|date):[^\]]+\]")
"""Money and date tokens must survive translation unchanged (each language formats them)."""


@dataclass
class PoPlan:
    """Translations to draft and translations to confirm, with the catalog line of each."""

    drafts: List[Tuple[int, str, str, str]] = field(default_factory=list)  # line, topic, scope, text
    confirmations: List[Tuple[int, str, str]] = field(default_factory=list)
    changes: List[Reason] = field(default_factory=list)
    fuzzy: int = 0


def _check_language(language: str) -> None:
    if language not in LANGUAGES or language == SOURCE_LANGUAGE:
        raise WorkflowError(R.PO_LANGUAGE, languages=", ".join(x for x in LANGUAGES if x != SOURCE_LANGUAGE))


def export_po(session: Session, language: str) -> bytes:
    """Returns a catalog: msgctxt topic/scope, msgid the Russian text, fuzzy where the Russian changed."""
    _check_language(language)
    answers = answers_with_revisions(session)
    by_key = {(a.topic, a.language, a.scope): a for a in answers}
    catalog = Catalog(locale=language, project="hamroh-answers", charset="utf-8")
    for answer in answers:
        source = served_revision(answer)
        if answer.language != SOURCE_LANGUAGE or source is None or source.status != "published":
            continue
        translation = by_key.get((answer.topic, language, answer.scope))
        served = served_revision(translation) if translation is not None else None
        text = served.body if served is not None and served.status == "published" else ""
        flags = ["fuzzy"] if translation is not None and translation.needs_update and text else []
        catalog.add(source.body, text, context=f"{answer.topic}/{answer.scope}", flags=flags)
    out = io.BytesIO()
    write_po(out, catalog, width=0, omit_header=False)
    return out.getvalue()


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
        topic, _, scope = (message.context or "").partition("/")
        if topic not in DOMAIN_TOPICS or scope not in SCOPES:
            errors.append(at(where, Reason(R.PO_CONTEXT, context=str(message.context))))
            continue
        text = (message.string or "").strip()
        if not text:
            continue
        if message.fuzzy:
            plan.fuzzy += 1  # the translator has not finished it
            continue
        if sorted(_TOKEN.findall(text)) != sorted(_TOKEN.findall(message.id)):
            errors.append(at(where, Reason(R.PO_TOKENS, key=f"{topic}/{language}/{scope}")))
            continue
        answer = answers.get((topic, language, scope))
        served = served_revision(answer) if answer is not None else None
        if served is not None and served.status == "published" and served.body == text:
            if answer.needs_update:
                plan.confirmations.append((where["line"], topic, scope))
                plan.changes.append(at(where, Reason(R.PO_CONFIRMED, key=f"{topic}/{language}/{scope}")))
            continue
        plan.drafts.append((where["line"], topic, scope, text))
        plan.changes.append(at(where, Reason(R.PO_NEW if served is None else R.PO_CHANGED,
                                             key=f"{topic}/{language}/{scope}")))
    if errors:
        raise ImportRejected(errors)
    return plan


def apply_po_import(session: Session, language: str, plan: PoPlan, author: AdminUser) -> int:
    """Drafts the changed translations (sources copied from the Russian) and records confirmations."""
    for line, topic, scope, text in plan.drafts:
        answer = get_or_create_answer(session, topic, language, scope)
        source = served_revision(get_or_create_answer(session, topic, SOURCE_LANGUAGE, scope))
        sources = None if served_revision(answer) else list(source.sources or []) if source else []
        reviewed_by = None if served_revision(answer) else source.reviewed_by if source else author.username
        try:
            propose_answer(session, answer, text, author.username, sources, reviewed_by)
        except WorkflowError as error:
            raise ImportRejected([at({"line": line}, Reason(R.ABOUT_ANSWER, key=f"{topic}/{language}/{scope}",
                                                            reason=error.reason))]) from error
    for line, topic, scope in plan.confirmations:
        answer = get_or_create_answer(session, topic, language, scope)
        answer.needs_update = False
        audit(session, author.username, "confirm_translation", f"{topic}/{language}/{scope}", "po-import")
    session.flush()
    return len(plan.drafts) + len(plan.confirmations)
