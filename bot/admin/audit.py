"""The audit log: workspace actions that are not revisions themselves (approvals, confirmations, accounts)."""

from __future__ import annotations

from typing import Optional

from sqlalchemy.orm import Session

from bot.content.models import AuditEvent


def record(session: Session, actor: str, action: str, target: str, detail: Optional[str] = None) -> AuditEvent:
    """Adds one event to the audit log."""
    event = AuditEvent(actor=actor, action=action, target=target[:200], detail=detail)
    session.add(event)
    return event
