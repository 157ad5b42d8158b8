"""Answer revisions: which one is served, and translation care when a new text is published."""

from __future__ import annotations

from typing import Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.content.models import SERVED_STATUSES, Answer, AnswerRevision, RevisionStatus
from bot.registry import SOURCE_LANGUAGE

SERVED = SERVED_STATUSES


def served_revision(answer: Answer) -> Optional[AnswerRevision]:
    """Returns the newest published or retired revision (what the bot serves, if published)."""
    served = [r for r in answer.revisions if r.status in SERVED]
    return served[-1] if served else None


def served_body(answer: Answer) -> Optional[str]:
    """Returns the text the bot serves for an answer now, or None."""
    served = served_revision(answer)
    return served.body if served is not None and served.status == RevisionStatus.PUBLISHED else None


def source_answer(session: Session, answer: Answer) -> Optional[Answer]:
    """Returns the Russian answer a translation is made from (None for a Russian answer or when there is none)."""
    if answer.language == SOURCE_LANGUAGE:
        return None
    return session.execute(select(Answer).where(
        Answer.topic == answer.topic, Answer.scope == answer.scope, Answer.language == SOURCE_LANGUAGE)
    ).scalar_one_or_none()


def source_followed(session: Session, revision: AnswerRevision) -> Optional[int]:
    """The Russian revision a translation's text follows: recorded when it was drafted, else the Russian one
    served when it was written (seed revisions record none)."""
    if revision.source_number is not None:
        return revision.source_number
    source = source_answer(session, revision.answer)
    if source is None:
        return None
    became_served = func.coalesce(AnswerRevision.approved_at, AnswerRevision.created_at)
    return session.scalar(select(func.max(AnswerRevision.number)).where(
        AnswerRevision.answer_id == source.id, AnswerRevision.status.in_(SERVED),
        became_served <= revision.created_at))


def russian_moved_on(session: Session, answer: Answer, follows: Optional[int]) -> bool:
    """Whether the Russian text served now differs from the Russian revision `follows` (None: not known)."""
    source = source_answer(session, answer)
    if follows is None or source is None:
        return False
    followed = next((r for r in source.revisions if r.number == follows), None)
    return followed is not None and followed.body != served_body(source)


def care_for_translations(session: Session, answer: Answer, previous_body: Optional[str], body: str,
                          follows: Optional[int] = None) -> None:
    """After a publication: a changed Russian text marks the other languages "needs update"; a published
    translation is up to date unless it follows a Russian text that has changed since (`follows`, the Russian
    revision it was written against, e.g. of a restored old translation). The workspace's approval and
    `hamroh content load` both call this."""
    if answer.language == SOURCE_LANGUAGE:
        if previous_body is not None and previous_body != body:
            for sibling in session.execute(select(Answer).where(
                    Answer.topic == answer.topic, Answer.scope == answer.scope,
                    Answer.language != SOURCE_LANGUAGE)).scalars():
                sibling.needs_update = True
    else:
        answer.needs_update = russian_moved_on(session, answer, follows)
