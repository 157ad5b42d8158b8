"""What the Telegram connector does with an update while a person talks to a consultant, before Rasa sees it.

In a private chat with an open handoff the bot steps aside: the person's words
(and "a photo" for a photo) go to the consultant, `/bot` or the button gives the
conversation back to the bot, and `/forget` still reaches Rasa. In an
organisation's operators' group, a consultant claims a request with its button
and answers by replying to the request's post.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from sqlalchemy import select

from bot import messages
from bot.admin.audit import record
from bot.channels.callback_data import PayloadStore
from bot.channels.updates import BUTTON, GROUP_CHATS, MEDIA_KIND, TEXT, Incoming
from bot.content.db import session_scope
from bot.content.models import AdminUser, Organisation, Role
from bot.content.queries import translated
from bot.handoff.desk import END_PAYLOAD, Author, Desk, Status
from bot.handoff.person import CLAIM_PAYLOAD, REQUEST_MARK
from bot.i18n import translate

logger = logging.getLogger(__name__)

PASSED_TO_RASA = ("forget",)
"""Commands that keep working during a handoff: deleting one's data must never wait for a consultant."""
OPERATORS_GROUP = "telegram-group"
"""The audit detail of a step taken in an operators' group rather than in the workspace."""
_REQUEST = re.compile(rf"^{re.escape(REQUEST_MARK)}(\d+)\b")
_CLAIM = re.compile(rf"^{re.escape(CLAIM_PAYLOAD)}\{{\"handoff\":\"(\d+)\"\}}$")


@dataclass
class Relayed:
    """The update was handled here: replies to queue to the chat it came from (none: the bot is silent)."""

    chat_id: int
    replies: List[Dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Consultant:
    """A consultant as the operators' group knows them."""

    username: str
    organisation_id: int
    organisation: str  # its name in Russian, with its translations below
    translations: Dict[str, Dict[str, str]]

    def signature_in(self, language: str) -> str:
        """The organisation's name as the person reads it under the consultant's reply."""
        return translated(self.translations, language, "name", self.organisation)


class HandoffRelay:
    """Routes updates of chats in a handoff, and of operators' groups, around Rasa."""

    def __init__(self, desk: Desk, store: PayloadStore) -> None:
        self.desk = desk
        self.store = store

    def route(self, incoming: Incoming) -> Optional[Relayed]:
        """Handles an update here, or returns None for Rasa to answer it."""
        if incoming.chat_id is None or incoming.kind not in (TEXT, BUTTON, MEDIA_KIND):
            return None
        update_id = incoming.metadata.get("update_id")
        if incoming.metadata.get("chat_type") in GROUP_CHATS:
            return self._operators(incoming, update_id)
        handoff = self.desk.holding(str(incoming.chat_id))
        if handoff is None or incoming.command in PASSED_TO_RASA:
            return None
        payload = self.store.decode(incoming.text or "") if incoming.kind == BUTTON else None
        if incoming.command == "bot" or payload == END_PAYLOAD:
            self.desk.end_by_person(str(incoming.chat_id), update_id)
            return Relayed(incoming.chat_id)
        if incoming.kind == BUTTON or incoming.command:
            # An old menu button or a command: the consultant has the conversation; say how to leave it.
            return Relayed(incoming.chat_id, [{"text": translate(
                messages.HANDOFF_IN_PROGRESS, handoff.language, handoff.script)}])
        kind = incoming.media or "text"
        text = incoming.text if kind == "text" else f"[{kind}]"
        forward = []
        group = self._group_of(handoff.organisation_id) if handoff.status == Status.ACTIVE.value else None
        if group:
            forward.append((group, {"text": f"{REQUEST_MARK}{handoff.id}\n{text}"}))
        self.desk.from_person(handoff.id, text or "", kind=kind, update_id=update_id, forward=forward)
        return Relayed(incoming.chat_id)

    # --- operators' groups ---------------------------------------------------------------------------

    def _operators(self, incoming: Incoming, update_id: Optional[int]) -> Optional[Relayed]:
        """A claim or a reply in an organisation's operators' group; None for any other group."""
        organisation_id = self._organisation_of_group(incoming.chat_id)
        if organisation_id is None:
            return None
        consultant = self._consultant(incoming.user_id, organisation_id)
        if incoming.kind == BUTTON:
            claim = _CLAIM.match(self.store.decode(incoming.text or "") or "")
            if not claim:
                return Relayed(incoming.chat_id)
            handoff_id = int(claim.group(1))
            if consultant is None:
                return Relayed(incoming.chat_id, [{"text": NOT_A_CONSULTANT}])
            if not self.desk.claim(handoff_id, consultant.username, organisation_id):
                return Relayed(incoming.chat_id, [{"text": f"{REQUEST_MARK}{handoff_id}\n{ALREADY_TAKEN}"}])
            self._audit(consultant, "handoff_claim", handoff_id)
            return Relayed(incoming.chat_id, [{"text": self._claimed_post(handoff_id, consultant)}])
        request = _REQUEST.match(incoming.reply_to or "")
        if incoming.kind != TEXT or not request:
            return Relayed(incoming.chat_id)  # the group's own talk: not for the person
        handoff_id = int(request.group(1))
        handoff = self.desk.get(handoff_id)
        if consultant is None or handoff is None:
            return Relayed(incoming.chat_id, [{"text": NOT_A_CONSULTANT}])
        if not self.desk.reply(handoff_id, consultant.username, consultant.signature_in(handoff.language),
                               incoming.text or "", update_id):
            return Relayed(incoming.chat_id, [{"text": f"{REQUEST_MARK}{handoff_id}\n{NOT_YOURS}"}])
        self._audit(consultant, "handoff_message", handoff_id)  # that a message was sent, never what it said
        return Relayed(incoming.chat_id)

    @staticmethod
    def _audit(consultant: Consultant, action: str, handoff_id: int) -> None:
        """The workspace's audit log, as for the same step taken in the workspace (detail: where it was taken)."""
        with session_scope() as session:
            record(session, consultant.username, action, str(handoff_id), OPERATORS_GROUP)

    def _claimed_post(self, handoff_id: int, consultant: Consultant) -> str:
        """Who took a request, then the conversation so far, for the thread the consultant answers in."""
        lines = [f"{REQUEST_MARK}{handoff_id}", CLAIMED.format(who=consultant.username)]
        for message in self.desk.messages(handoff_id):
            if message.author in (Author.PERSON.value, Author.BOT.value):
                who = "👤" if message.author == Author.PERSON.value else "🤖"
                lines.append(f"{who} {message.text if message.kind == 'text' else '[' + message.kind + ']'}")
        return "\n".join(lines)

    def _organisation_of_group(self, chat_id: Any) -> Optional[int]:
        with session_scope() as session:
            return session.execute(select(Organisation.id).where(
                Organisation.operators_chat_id == str(chat_id))).scalar()

    def _group_of(self, organisation_id: Optional[int]) -> Optional[str]:
        if organisation_id is None:
            return None
        with session_scope() as session:
            organisation = session.get(Organisation, organisation_id)
            return organisation.operators_chat_id if organisation is not None else None

    def _consultant(self, user_id: Optional[int], organisation_id: int) -> Optional[Consultant]:
        if user_id is None:
            return None
        with session_scope() as session:
            row = session.execute(select(AdminUser.username, Organisation).join(
                Organisation, Organisation.id == AdminUser.organisation_id).where(
                AdminUser.telegram_user_id == str(user_id), AdminUser.active.is_(True),
                AdminUser.role == Role.CONSULTANT.value, AdminUser.organisation_id == organisation_id)).first()
            if row is None:
                return None
            return Consultant(row.username, organisation_id, row.Organisation.name,
                              row.Organisation.translations or {})


# Operators' groups are NGO staff's, who work in Russian (the workspace's default page language).
NOT_A_CONSULTANT = ("Вы не консультант этой организации в Хамрох: администратор указывает ваш Telegram ID "
                    "в вашей учётной записи.")
ALREADY_TAKEN = "Этот запрос уже взял другой консультант (или человек вернулся к боту)."
NOT_YOURS = "Этот разговор сейчас не ваш: сначала возьмите запрос."
CLAIMED = "Взял(а) {who}. Отвечайте на это сообщение (ответом), человек получит ваш текст. Разговор до этого:"
