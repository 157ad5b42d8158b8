"""Flask-Admin's table pages: accounts (admins) and the audit log (reviewers), labelled in the page language."""

from __future__ import annotations

import re
from datetime import datetime

from flask_admin.contrib.sqla import ModelView
from flask_admin.contrib.sqla.filters import FilterEqual, FilterLike
from flask_admin.model import typefmt
from flask_login import current_user
from sqlalchemy import inspect
from sqlalchemy import select
from wtforms import PasswordField, SelectField, StringField, ValidationError

from bot import LANGUAGES
from bot.admin import REVIEW_ROLES, ROLES
from bot.admin import desk_texts as D
from bot.admin import texts as T
from bot.admin.accounts import account_changes, check_desk_fields, check_password_strength, check_username_free, \
    end_sessions, hash_password
from bot.admin.errors import WorkflowError
from bot.admin.field_values import yes_no
from bot.admin.forms import Form, MultiCheckboxField
from bot.admin.i18n import language, lazy, tr
from bot.admin.names import answer_key_name
from bot.admin.pages import Guarded, db
from bot.compat.flask_admin import RefusalKeepsTheForm
from bot.content.models import AuditEvent, Organisation


class ModelForm(Form):
    """Flask-Admin's forms on Flask-WTF's (one CSRF token for every page), messages in the page language."""

    def __init__(self, *args, obj=None, **kwargs):
        self._obj = obj  # Flask-Admin's unique-value check skips the record being edited by this
        super().__init__(*args, obj=obj, **kwargs)


def _yes_no(view, value, name=None) -> str:
    # Flask-Admin's own formatter shows an icon titled "active: true", in English.
    return yes_no(value)


def _minutes(view, value, name=None) -> str:
    return value.strftime("%Y-%m-%d %H:%M")


FORMATTERS = {**typefmt.BASE_FORMATTERS, bool: _yes_no, datetime: _minutes}

_REVISION = re.compile(r"^revision (\d+)$")
_MERGED = re.compile(r"^revision (\d+) merged with (\d+)$")
_QUESTIONS = re.compile(r"^(\d+) questions$")


def _action(view, context, model, name) -> str:
    return tr(T.ACTION_NAMES[model.action]) if model.action in T.ACTION_NAMES else model.action


def _target(view, context, model, name) -> str:
    """An answer is named by its topic, language and scope; accounts and organisations by their names."""
    return answer_key_name(model.target or "")


def _detail(view, context, model, name) -> str:
    """The detail as stored ("revision 3", "5 questions", a role, "po-import"), said in the page language."""
    detail = model.detail or ""
    if detail in T.ROLE_NAMES:
        return tr(T.ROLE_NAMES[detail])
    if detail in T.LOCK_NAMES:
        return tr(T.LOCK_NAMES[detail])
    if detail == "po-import":
        return tr(T.PO_IMPORT)
    revision, merged, questions = _REVISION.match(detail), _MERGED.match(detail), _QUESTIONS.match(detail)
    if revision:
        return f"{tr(T.REVISION)} {revision.group(1)}"
    if merged:
        return tr(T.MERGED_DETAIL, revision=merged.group(1), published=merged.group(2))
    if questions:
        return tr(T.QUESTIONS_N, n=questions.group(1))
    return detail


ACTION_OPTIONS = [(code, lazy(label)) for code, label in T.ACTION_NAMES.items()]
"""The action filter's choices: the stored code as the value, its name in the page language."""


class Table(Guarded, ModelView):
    """A Flask-Admin table page with the workspace's title and formats."""

    title = ""
    column_type_formatters = FORMATTERS
    form_base_class = ModelForm

    def render(self, template, **kwargs):
        kwargs.setdefault("page_title", tr(self.title))
        return super().render(template, **kwargs)


def _organisation_id(value):
    """A chosen organisation's id; None for "none"."""
    return int(value) if value not in (None, "", "None") else None


def _organisation_name(view, context, model, name) -> str:
    organisation = db().get(Organisation, model.organisation_id) if model.organisation_id else None
    return organisation.name if organisation is not None else ""


DESK_FIELDS = ("organisation_id", "languages", "telegram_user_id")
"""A consultant's organisation, languages and Telegram user id (bot/handoff)."""


class UsersView(RefusalKeepsTheForm, Table):
    """Accounts (admins only): create, change role, deactivate, set a new password; a consultant's organisation and
    languages; never deleted (history names them)."""

    roles = ("admin",)
    title = T.USERS
    can_delete = False
    column_list = ("username", "role", "organisation_id", "active", "created_at", "last_login_at")
    column_labels = {"username": lazy(T.USERNAME), "role": lazy(T.ROLE), "active": lazy(T.ACTIVE),
                     "created_at": lazy(T.CREATED), "last_login_at": lazy(T.LAST_SIGN_IN),
                     "new_password": lazy(T.NEW_PASSWORD), "organisation_id": lazy(D.ORGANISATION)}
    column_formatters = {"role": lambda view, context, model, name: tr(T.ROLE_NAMES.get(model.role, model.role)),
                         "organisation_id": _organisation_name}
    column_searchable_list = ("username",)
    column_sortable_list = ("username", "role", "active", "created_at", "last_login_at")
    form_columns = ("username", "role", "active", "new_password", *DESK_FIELDS)
    form_overrides = {"role": SelectField}
    form_args = {"role": {"choices": [(r, lazy(T.ROLE_NAMES[r])) for r in ROLES]}}
    # Chosen, never typed: the organisation from the directory by name, the languages by name.
    form_extra_fields = {
        "new_password": PasswordField(lazy(T.NEW_PASSWORD)),
        "organisation_id": SelectField(lazy(D.ORGANISATION), coerce=_organisation_id, choices=[]),
        "languages": MultiCheckboxField(lazy(D.CONSULTANT_LANGUAGES),
                                        choices=[(code, lazy(T.LANGUAGE_NAMES[code])) for code in LANGUAGES]),
        "telegram_user_id": StringField(lazy(D.TELEGRAM_USER_ID), description=lazy(D.TELEGRAM_USER_ID_HINT),
                                        filters=[lambda value: (value or "").strip() or None]),
    }

    def _with_organisations(self, form):
        from bot.admin.workflow import IN_DIRECTORY

        organisations = db().execute(select(Organisation.id, Organisation.name).where(IN_DIRECTORY)
                                     .order_by(Organisation.name)).all()
        form.organisation_id.choices = [("", tr(D.NO_ORGANISATION_CHOSEN))] + [(o.id, o.name) for o in organisations]
        return form

    def create_form(self, obj=None):
        return self._with_organisations(super().create_form(obj))

    def edit_form(self, obj=None):
        return self._with_organisations(super().edit_form(obj))

    def on_model_change(self, form, model, is_created):
        password = form.new_password.data or ""
        if is_created and not password:
            raise ValidationError(tr(T.PASSWORD_NEEDED))
        try:
            # Before the database's unique index refuses it with an English error message.
            check_username_free(db(), model.username, model.id)
            if password:
                check_password_strength(password, model.username)
        except WorkflowError as error:
            raise ValidationError(error.text(language())) from error
        try:
            check_desk_fields(db(), model.role, model.organisation_id, model.languages or [], model.telegram_user_id)
        except WorkflowError as error:
            raise ValidationError(error.text(language())) from error
        if not is_created and model.id == current_user.id and (model.role != "admin" or not model.active):
            raise ValidationError(tr(T.OWN_ADMIN_RIGHTS))
        actor = current_user.username
        if is_created:
            model.password_hash = hash_password(password)
            db().add(AuditEvent(actor=actor, action="create_user", target=model.username, detail=model.role))
            return
        state = inspect(model)
        role_before = state.attrs.role.history.deleted[0] if state.attrs.role.history.deleted else None
        active_before = state.attrs.active.history.deleted[0] if state.attrs.active.history.deleted else None
        events = [(action, model.role if action == "change_role" else None)
                  for action in account_changes(model, role_before, active_before)]
        if password:
            model.password_hash = hash_password(password)
            events.append(("reset_password", None))
        if state.attrs.username.history.deleted or any(
                getattr(state.attrs, name).history.has_changes() for name in DESK_FIELDS):
            events.append(("update_user", model.role))
        if events:
            # A new role, a deactivation, a reactivation or a new password ends every session of the account.
            end_sessions(model)
        for action, detail in events:
            db().add(AuditEvent(actor=actor, action=action, target=model.username, detail=detail))


class AuditView(Table):
    """The audit log, read only."""

    roles = REVIEW_ROLES
    title = T.AUDIT
    can_create = can_edit = can_delete = False
    column_default_sort = ("at", True)
    page_size = 50
    column_list = ("at", "actor", "action", "target", "detail")
    column_labels = {"at": lazy(T.WHEN), "actor": lazy(T.WHO), "action": lazy(T.ACTION), "target": lazy(T.TARGET),
                     "detail": lazy(T.DETAIL)}
    column_formatters = {"action": _action, "target": _target, "detail": _detail}
    # Plain filters (the "in list" ones need a tag widget whose hints are English-only JavaScript); the action
    # filter is a list of the actions by name, its value the stored code.
    column_filters = (FilterLike(AuditEvent.actor, lazy(T.WHO)), FilterEqual(AuditEvent.actor, lazy(T.WHO)),
                      FilterEqual(AuditEvent.action, lazy(T.ACTION), options=ACTION_OPTIONS))
