"""An organisation's live desk settings: hours, time zone, operators' Telegram group.

An operational setting, not a text the bot publishes: saved directly (with an audit event), no draft and review.
Admins set any organisation's; a consultant their own organisation's.
"""

from __future__ import annotations

import re
from typing import Optional

from flask import abort, redirect, url_for
from flask_admin import BaseView, expose
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectField, StringField

from bot.admin import desk_texts as D
from bot.admin.audit import record as audit
from bot.admin.forms import Form
from bot.admin.i18n import lazy, tr
from bot.admin.pages import Guarded, db, done
from bot.content.models import Organisation, Role
from bot.handoff.hours import DEFAULT_TIMEZONE, DeskHours, HoursError
from bot.registry import CITIES

ZONES = {"Europe/Moscow": CITIES["moscow"], "Europe/Samara": CITIES["samara"],
         "Asia/Yekaterinburg": CITIES["yekaterinburg"], "Asia/Omsk": D.OMSK,
         "Asia/Novosibirsk": CITIES["novosibirsk"], "Asia/Krasnoyarsk": CITIES["krasnoyarsk"],
         "Asia/Irkutsk": CITIES["irkutsk"], "Asia/Vladivostok": CITIES["vladivostok"]}
"""The desk time zones, each by the name of its city (the registry's where the bot knows the city)."""
CHAT_ID = re.compile(r"^-?\d{1,20}$")


class DeskForm(Form):
    """Desk hours as typed, the time zone chosen by city, the operators' group chat id."""

    desk_hours = StringField(lazy(D.DESK_HOURS), description=lazy(D.DESK_HOURS_HINT))
    desk_timezone = SelectField(lazy(D.DESK_TIMEZONE), choices=[(zone, lazy(name)) for zone, name in ZONES.items()])
    operators_chat_id = StringField(lazy(D.OPERATORS_CHAT), description=lazy(D.OPERATORS_CHAT_HINT))

    def checked_hours(self) -> Optional[str]:
        """The hours as stored (normalised; None for none), or None with the reason beside the field."""
        text = (self.desk_hours.data or "").strip()
        try:
            hours = DeskHours.parse(text, self.desk_timezone.data)
        except HoursError as error:
            self.desk_hours.errors = [tr(D.HOURS_UNREADABLE, part=str(error))]
            return None
        return hours.normalised() if hours else None

    def checked_chat(self) -> Optional[str]:
        chat = (self.operators_chat_id.data or "").strip()
        if chat and not CHAT_ID.match(chat):
            self.operators_chat_id.errors = [tr(D.CHAT_ID_DIGITS)]
        return chat or None


class DeskSettingsView(Guarded, BaseView):
    """/desks/<organisation key>/: the desk settings of one organisation."""

    roles = (Role.ADMIN.value, Role.CONSULTANT.value)

    @expose("/")
    def index(self):
        # A consultant's own desk; admins choose the organisation on the organisations page.
        if current_user.role != Role.CONSULTANT.value or current_user.organisation_id is None:
            return redirect(url_for("organisations.index")) if current_user.role == Role.ADMIN.value else abort(404)
        organisation = db().get(Organisation, current_user.organisation_id) or abort(404)
        return redirect(url_for(".edit", key=organisation.key))

    @expose("/<key>/", methods=["GET", "POST"])
    def edit(self, key: str):
        organisation = db().execute(select(Organisation).where(Organisation.key == key)).scalar_one_or_none()
        if organisation is None:
            abort(404)
        if current_user.role == Role.CONSULTANT.value and organisation.id != current_user.organisation_id:
            abort(403)
        form = DeskForm()
        title = tr(D.DESK_OF, name=organisation.name)
        if not form.is_submitted():
            form = DeskForm(formdata=None, data={"desk_hours": organisation.desk_hours or "",
                                                 "desk_timezone": organisation.desk_timezone or DEFAULT_TIMEZONE,
                                                 "operators_chat_id": organisation.operators_chat_id or ""})
            return self.render("hamroh/desk.html", page_title=title, form=form, organisation=organisation)
        if form.validate():
            hours, chat = form.checked_hours(), form.checked_chat()
            if not form.desk_hours.errors and not form.operators_chat_id.errors:
                organisation.desk_hours, organisation.desk_timezone = hours, form.desk_timezone.data
                organisation.operators_chat_id = chat
                session = db()
                audit(session, current_user.username, "desk_settings", organisation.key)
                return done(tr(D.DESK_SAVED), ".edit", key=organisation.key)
        # What was typed stays, with the reason beside it.
        return self.render("hamroh/desk.html", page_title=title, form=form, organisation=organisation), 400
