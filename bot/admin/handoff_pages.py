"""The consultant's pages of the live desk: the queue, and a claimed conversation with reply, hand back, pass, finish.

Everything goes through bot.handoff.desk.Desk (the conversations database); the workspace database keeps the audit
log. A conversation's texts are shown only to the consultant holding it; before a claim at most the person's first
message, masked.
"""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional
from zoneinfo import ZoneInfo

from flask import abort, current_app, flash, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_login import current_user
from sqlalchemy import select

from bot.admin import desk_texts as D
from bot.admin.audit import record as audit
from bot.admin.i18n import tr
from bot.admin.names import city_name, country_name, language_name, topic_name
from bot.admin.pages import Guarded, db
from bot.content.models import AdminUser, Organisation, Role
from bot.handoff.desk import Author, Desk, Status
from bot.handoff.hours import DEFAULT_TIMEZONE
from bot.content.queries import translated
from bot.privacy import mask

FIRST_MESSAGE_CHARACTERS = 300
"""How much of the person's first message the queue shows (masked)."""
REFRESH_SECONDS = 5
"""How often the conversation page asks for new messages."""
NOTES = {"claimed": D.NOTE_CLAIMED, "handed_back": D.NOTE_HANDED_BACK}
CLOSED_NOTES = {"person": D.NOTE_CLOSED_PERSON, "consultant": D.NOTE_CLOSED_CONSULTANT,
                "silence": D.NOTE_CLOSED_SILENCE, "hours": D.NOTE_CLOSED_HOURS}
AUTHORS = {Author.PERSON.value: D.AUTHOR_PERSON, Author.BOT.value: D.AUTHOR_BOT,
           Author.CONSULTANT.value: D.AUTHOR_CONSULTANT, Author.NOTE.value: D.AUTHOR_NOTE}


def desk() -> Desk:
    """The app's desk over the configured conversations database (one engine per app)."""
    if "hamroh_desk" not in current_app.extensions:
        current_app.extensions["hamroh_desk"] = Desk()
    return current_app.extensions["hamroh_desk"]


def waited(seconds: float) -> str:
    """A waiting time as people say it: "12 мин", "2 ч 5 мин" (under a minute: "40 с")."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return tr(D.SECONDS, n=seconds)
    minutes = seconds // 60
    return tr(D.MINUTES, n=minutes) if minutes < 60 else tr(D.HOURS_MINUTES, h=minutes // 60, m=minutes % 60)


def about(row: Any) -> Dict[str, str]:
    """A handoff's language, topic, city and citizenship by name in the page language."""
    return {"language": language_name(row.language, row.script),
            "topic": topic_name(row.topic) if row.topic else tr(D.NOT_SAID),
            "city": city_name(row.city) if row.city else tr(D.NOT_SAID),
            "country": country_name(row.country) if row.country else tr(D.NOT_SAID)}


def said(message: Any) -> str:
    """What a message shows: its text, what the person sent instead of text, or a note in words."""
    if message.author == Author.NOTE.value:
        code, _, value = message.text.partition(":")
        if code == "passed_to":
            return tr(D.NOTE_PASSED, who=message.sender or "", colleague=value)
        if code == "closed":
            return tr(CLOSED_NOTES.get(value, D.NOTE_CLOSED_CONSULTANT))
        return tr(NOTES[code], who=message.sender or "") if code in NOTES else message.text
    if message.kind != "text":
        sent = tr(D.SENT_AS, kind=tr(D.KIND_NAMES.get(message.kind, D.KIND_OTHER)))
        return f"{sent}\n{message.text}" if message.text else sent
    return message.text


def first_words(messages: List[Any]) -> str:
    """The person's first message, masked and cut: all a consultant reads before claiming."""
    for message in messages:
        if message.author == Author.PERSON.value:
            text = mask(said(message))
            return text if len(text) <= FIRST_MESSAGE_CHARACTERS else text[:FIRST_MESSAGE_CHARACTERS] + "…"
    return ""


def signature(organisation: Optional[Organisation], language: str) -> str:
    """The organisation's name as the person reads it under a consultant's reply, in the handoff's language."""
    if organisation is None:
        return ""
    return translated(organisation.translations or {}, language, "name", organisation.name)


def colleagues(user: AdminUser, language: str) -> List[str]:
    """Active consultants of the user's organisation who answer in a language, the user left out."""
    rows = db().execute(select(AdminUser).where(
        AdminUser.role == Role.CONSULTANT.value, AdminUser.active.is_(True),
        AdminUser.organisation_id == user.organisation_id, AdminUser.id != user.id)
        .order_by(AdminUser.username)).scalars()
    return [row.username for row in rows if language in (row.languages or [])]


class HandoffsView(Guarded, BaseView):
    """The queue of a consultant's organisation in their languages, their conversations, and each conversation."""

    roles = (Role.CONSULTANT.value,)

    @expose("/")
    def index(self):
        user = current_user
        organisation_id, languages = user.organisation_id, list(user.languages or [])
        queue: List[Dict[str, Any]] = []
        if organisation_id is not None and languages:
            now = time.time()
            for row in desk().waiting_for(organisation_id, languages):
                queue.append({"row": row, "about": about(row), "waited": waited(now - row.created_at),
                              "first": first_words(desk().messages(row.id))})
        mine = [{"row": row, "about": about(row)} for row in desk().held_by(user.username)]
        return self.render("hamroh/handoffs.html", page_title=tr(D.HANDOFFS), queue=queue, mine=mine,
                           no_desk=organisation_id is None or not languages)

    @expose("/<int:handoff_id>/claim", methods=["POST"])
    def claim(self, handoff_id: int):
        user = current_user
        row = desk().get(handoff_id)
        if row is None or user.organisation_id not in json.loads(row.organisations) \
                or row.language not in (user.languages or []):
            abort(404)  # not one this consultant's organisation may take: as if it did not exist
        if not desk().claim(handoff_id, user.username, user.organisation_id):
            flash(tr(D.TAKEN_BY_OTHER), "warning")
            return redirect(url_for(".index"))
        return self._logged(user, "handoff_claim", handoff_id, D.CLAIMED, ".conversation")

    def _held(self, handoff_id: int) -> Any:
        """The handoff if the signed-in consultant holds it; anyone else is told it is not there."""
        row = desk().get(handoff_id)
        if row is None or row.status != Status.ACTIVE.value or row.consultant != current_user.username:
            abort(404)
        return row

    def _messages(self, row: Any) -> List[Dict[str, Any]]:
        organisation = db().get(Organisation, row.organisation_id) if row.organisation_id else None
        zone = ZoneInfo((organisation.desk_timezone if organisation else None) or DEFAULT_TIMEZONE)
        return [{"author": message.author, "who": tr(AUTHORS.get(message.author, D.AUTHOR_NOTE)),
                 "sender": message.sender if message.author == Author.CONSULTANT.value else "",
                 "at": datetime.fromtimestamp(message.at, timezone.utc).astimezone(zone).strftime("%d.%m %H:%M"),
                 "text": said(message)} for message in desk().messages(row.id)]

    @expose("/<int:handoff_id>/")
    def conversation(self, handoff_id: int):
        row = self._held(handoff_id)
        organisation = db().get(Organisation, row.organisation_id) if row.organisation_id else None
        return self.render("hamroh/handoff.html", page_title=tr(D.CONVERSATION, id=row.id), row=row,
                           about=about(row), messages=self._messages(row), refresh_seconds=REFRESH_SECONDS,
                           signature=signature(organisation, row.language),
                           colleagues=colleagues(current_user, row.language))

    @expose("/<int:handoff_id>/messages")
    def messages(self, handoff_id: int):
        """The message list alone, for the page to refresh without touching the reply being typed."""
        row = self._held(handoff_id)
        return self.render("hamroh/handoff_messages.html", messages=self._messages(row))

    @expose("/<int:handoff_id>/reply", methods=["POST"])
    def reply(self, handoff_id: int):
        user = current_user
        text = request.form.get("text", "")
        if not text.strip():
            flash(tr(D.EMPTY_REPLY), "error")
            return redirect(url_for(".conversation", handoff_id=handoff_id))
        row = self._held(handoff_id)
        organisation = db().get(Organisation, row.organisation_id) if row.organisation_id else None
        if not desk().reply(handoff_id, user.username, signature(organisation, row.language), text):
            return self._gone()
        # The audit log says that a message was sent, never what it said.
        return self._logged(user, "handoff_message", handoff_id, D.SENT, ".conversation")

    @expose("/<int:handoff_id>/hand-back", methods=["POST"])
    def hand_back(self, handoff_id: int):
        user = current_user
        if not desk().hand_back(handoff_id, user.username):
            return self._gone()
        return self._logged(user, "handoff_hand_back", handoff_id, D.HANDED_BACK, ".index")

    @expose("/<int:handoff_id>/pass", methods=["POST"])
    def pass_to(self, handoff_id: int):
        user = current_user
        row = self._held(handoff_id)
        colleague = request.form.get("colleague", "")
        if colleague not in colleagues(user, row.language):
            abort(400)  # only a colleague from the list: same organisation, speaks the person's language
        if not desk().pass_to(handoff_id, user.username, colleague):
            return self._gone()
        session = db()
        audit(session, user.username, "handoff_pass", str(handoff_id), colleague)
        session.commit()
        flash(tr(D.PASSED, name=colleague), "success")
        return redirect(url_for(".index"))

    @expose("/<int:handoff_id>/finish", methods=["POST"])
    def finish(self, handoff_id: int):
        user = current_user
        if not desk().finish(handoff_id, user.username):
            return self._gone()
        return self._logged(user, "handoff_finish", handoff_id, D.FINISHED, ".index")

    @staticmethod
    def _logged(user: AdminUser, action: str, handoff_id: int, message: str, endpoint: str):
        """Audits what the desk just did, says so, and goes on (the conversation's page or the queue)."""
        session = db()
        audit(session, user.username, action, str(handoff_id))
        session.commit()
        flash(tr(message), "success")
        values = {"handoff_id": handoff_id} if endpoint == ".conversation" else {}
        return redirect(url_for(endpoint, **values))

    @staticmethod
    def _gone():
        flash(tr(D.GONE), "warning")
        return redirect(url_for(".index"))
