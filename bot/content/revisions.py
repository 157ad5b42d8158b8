"""Answer revisions: which one is served, and translation care when a new text is published."""

from __future__ import annotations

from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.content.models import Answer, AnswerRevision

SOURCE_LANGUAGE = "ru"
SERVED = ("published", "retired")


def served_revision(answer: Answer) -> Optional[AnswerRevision]:
    """Returns the newest published or retired revision (what the bot serves, if published)."""
    served = [r for r in answer.revisions if r.status in SERVED]
    return served[-1] if served else None


def served_body(answer: Answer) -> Optional[str]:
    """Returns the text the bot serves for an answer now, or None."""
    served = served_revision(answer)
    return served.body if served is not None and served.status == "published" else None


def care_for_translations(session: Session, answer: Answer, previous_body: Optional[str], body: str) -> None:
    """After a publication: a changed Russian text marks the other languages "needs update"; a revised
    translation is up to date. The workspace's approval and `hamroh content load` both call this."""
    if answer.language == SOURCE_LANGUAGE:
        if previous_body is not None and previous_body != body:
            for sibling in session.execute(select(Answer).where(
                    Answer.topic == answer.topic, Answer.scope == answer.scope,
                    Answer.language != SOURCE_LANGUAGE)).scalars():
                sibling.needs_update = True
    else:
        answer.needs_update = False
