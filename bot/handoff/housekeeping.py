"""Gives conversations back to the bot when their consultant fell silent or their desk closed (run by the sender)."""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import List, Optional

from sqlalchemy.exc import SQLAlchemyError

from bot.content.db import session_scope
from bot.handoff.desk import Closed, Desk
from bot.handoff.routing import desk_of

logger = logging.getLogger(__name__)


def desk_closed(organisation_id: int, now: float) -> bool:
    """Whether an organisation's desk is closed at a moment (no desk hours any more: closed)."""
    with session_scope() as session:
        desk = desk_of(session, organisation_id)
    return desk is None or not desk.is_open(datetime.fromtimestamp(now, timezone.utc))


def give_back_lapsed(conversations_url: Optional[str] = None) -> List[Closed]:
    """One round of housekeeping; a database that is down only postpones it."""
    try:
        closed = Desk(conversations_url).lapse(desk_closed)
    except SQLAlchemyError as error:
        logger.warning("Handoff housekeeping postponed: database unavailable (%s)", type(error).__name__)
        return []
    for handoff in closed:
        logger.info("Handoff %s given back to the bot (%s)", handoff.id, handoff.reason.value)
    return closed
