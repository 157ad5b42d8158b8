"""Preview: the reply the bot gives now, and the one it would give with an answer or organisation draft published."""

from __future__ import annotations

import json
import logging
import urllib.request
from typing import Any, Dict, List, Optional, Tuple

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.answering import Outgoing, Turn, answer_from
from bot.content import DOMAIN_TOPICS, ROUTED_TOPICS
from bot.content.loader import apply_organisation
from bot.content.models import AnswerRevision, Organisation, OrganisationRevision

logger = logging.getLogger(__name__)


def guess_topic(rasa_url: str, question: str, timeout: float = 2.0) -> Tuple[Optional[str], Optional[str]]:
    """Asks the running Rasa server for the intent and language of a question; (None, None) when it is not up."""
    request = urllib.request.Request(f"{rasa_url.rstrip('/')}/model/parse",
                                     data=json.dumps({"text": question}).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - local Rasa server
            parsed = json.loads(response.read().decode("utf-8"))
    except (OSError, ValueError) as error:
        logger.info("No Rasa server for the preview (%s)", error)
        return None, None
    intent = (parsed.get("intent") or {}).get("name")
    language = (parsed.get("language") or {}).get("code") if isinstance(parsed.get("language"), dict) else None
    return intent, language


def reply(session: Session, turn: Turn) -> List[Outgoing]:
    """The messages the bot sends for a turn, as served now."""
    return answer_from(session, turn).messages


def reply_with_draft(engine: Engine, turn: Turn, answer_revision: Optional[int] = None,
                     organisation_revision: Optional[int] = None) -> List[Outgoing]:
    """The messages the bot would send with a draft published; the change is rolled back, never seen by others."""
    with engine.connect() as connection:
        transaction = connection.begin()
        try:
            session = Session(bind=connection, future=True)
            if answer_revision is not None:
                revision = session.get(AnswerRevision, answer_revision)
                if revision is not None and revision.status == "draft":
                    newest = session.scalar(select(func.max(AnswerRevision.number))
                                            .where(AnswerRevision.answer_id == revision.answer_id))
                    revision.status, revision.number = "published", newest + 1
            if organisation_revision is not None:
                revision = session.get(OrganisationRevision, organisation_revision)
                if revision is not None and revision.status == "draft":
                    apply_organisation(session.get(Organisation, revision.organisation_id), revision.data)
            session.flush()
            return reply(session, turn)
        finally:
            transaction.rollback()


def where_an_organisation_shows(data: Dict[str, Any]) -> Tuple[Optional[str], Optional[str]]:
    """A topic and city where the bot would list an organisation draft: a rights topic of its own, its first city."""
    topics = [t for t in data.get("topics") or [] if t in DOMAIN_TOPICS]
    listed = [t for t in topics if t in ROUTED_TOPICS or t == "consulate_contacts"]
    cities = data.get("cities") or []
    return (listed or topics or [None])[0], (cities[0] if cities else None)
