"""Flask-Admin's table pages: accounts (admins) and the audit log (reviewers), labelled in the page language."""

from __future__ import annotations

import re
from datetime import datetime

from flask import current_app, flash, session
from flask_admin.babel import gettext as admin_gettext
from flask_admin.contrib.sqla import ModelView
from flask_admin.contrib.sqla.filters import FilterEqual, FilterLike
from flask_admin.form import BaseForm
from flask_admin.model import typefmt
from flask_login import current_user
from flask_wtf.csrf import _FlaskFormCSRF
from wtforms import PasswordField, SelectField, ValidationError

from bot.admin import REVIEW_ROLES, ROLES
from bot.admin import texts as T
from bot.admin.accounts import check_password_strength, check_username_free, hash_password
from bot.admin.errors import WorkflowError
from bot.admin.field_values import yes_no
from bot.admin.i18n import FormTranslations, language, lazy, tr
from bot.admin.views import Guarded, db
from bot.content.models import AuditEvent


class CsrfForm(BaseForm):
    """Flask-Admin forms carrying Flask-WTF's CSRF token (one CSRF check for every page), messages translated."""

    class Meta:
        csrf = True
        csrf_class = _FlaskFormCSRF
        csrf_field_name = "csrf_token"
        csrf_time_limit = 8 * 3600
        _translations = FormTranslations()

        @property
        def csrf_secret(self):
            return current_app.config.get("WTF_CSRF_SECRET_KEY", current_app.secret_key)

        @property
        def csrf_context(self):
            return session

        def get_translations(self, form):
            return self._translations


def _yes_no(view, value, name=None) -> str:
    # Flask-Admin's own formatter shows an icon titled "active: true", in English.
    return yes_no(value)


def _minutes(view, value, name=None) -> str:
    return value.strftime("%Y-%m-%d %H:%M")


FORMATTERS = {**typefmt.BASE_FORMATTERS, bool: _yes_no, datetime: _minutes}

_REVISION = re.compile(r"^revision (\d+)$")
_QUESTIONS = re.compile(r"^(\d+) questions$")


def _action(view, context, model, name) -> str:
    return tr(T.ACTION_NAMES[model.action]) if model.action in T.ACTION_NAMES else model.action


def _detail(view, context, model, name) -> str:
    """The detail as stored ("revision 3", "5 questions", a role, "po-import"), said in the page language."""
    detail = model.detail or ""
    if model.action in ("create_user", "update_user") and detail in T.ROLE_NAMES:
        return tr(T.ROLE_NAMES[detail])
    if detail == "po-import":
        return tr(T.PO_IMPORT)
    revision, questions = _REVISION.match(detail), _QUESTIONS.match(detail)
    if revision:
        return f"{tr(T.REVISION)} {revision.group(1)}"
    if questions:
        return tr(T.QUESTIONS_N, n=questions.group(1))
    return detail


ACTION_OPTIONS = [(code, lazy(label)) for code, label in T.ACTION_NAMES.items()]
"""The action filter's choices: the stored code as the value, its name in the page language."""


class Table(Guarded, ModelView):
    """A Flask-Admin table page with the workspace's title and formats."""

    title = ""
    column_type_formatters = FORMATTERS
    form_base_class = CsrfForm

    def render(self, template, **kwargs):
        kwargs.setdefault("page_title", tr(self.title))
        return super().render(template, **kwargs)


class UsersView(Table):
    """Accounts (admins only): create, change role, deactivate, set a new password; never deleted (history names them)."""

    roles = ("admin",)
    title = T.USERS
    can_delete = False
    column_list = ("username", "role", "active", "created_at", "last_login_at")
    column_labels = {"username": lazy(T.USERNAME), "role": lazy(T.ROLE), "active": lazy(T.ACTIVE),
                     "created_at": lazy(T.CREATED), "last_login_at": lazy(T.LAST_SIGN_IN),
                     "new_password": lazy(T.NEW_PASSWORD)}
    column_formatters = {"role": lambda view, context, model, name: tr(T.ROLE_NAMES.get(model.role, model.role))}
    column_searchable_list = ("username",)
    form_columns = ("username", "role", "active", "new_password")
    form_overrides = {"role": SelectField}
    form_args = {"role": {"choices": [(r, lazy(T.ROLE_NAMES[r])) for r in ROLES]}}
    form_extra_fields = {"new_password": PasswordField(lazy(T.NEW_PASSWORD))}

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
        if password:
            model.password_hash = hash_password(password)
        if not is_created and model.id == current_user.id and (model.role != "admin" or not model.active):
            raise ValidationError(tr(T.OWN_ADMIN_RIGHTS))
        db().add(AuditEvent(actor=current_user.username, action="create_user" if is_created else "update_user",
                            target=model.username, detail=model.role))

    def update_model(self, form, model):
        # Flask-Admin 2.1's own update_model rolls back through a variable it sets only after on_model_change,
        # so every refusal there (a short password, one's own admin rights) answered 500. Same steps, working order.
        try:
            form.populate_obj(model)
            self._on_model_change(form, model, False)
            db().commit()
        except Exception as error:  # noqa: BLE001 - Flask-Admin's contract: flash it, keep the form
            if not self.handle_view_exception(error):
                flash(admin_gettext("Failed to update record. %(error)s", error=str(error)), "error")
            db().rollback()
            return False
        self.after_model_change(form, model, False)
        return True


class AuditView(Table):
    """The audit log, read only."""

    roles = REVIEW_ROLES
    title = T.AUDIT
    can_create = can_edit = can_delete = False
    column_default_sort = ("at", True)
    column_list = ("at", "actor", "action", "target", "detail")
    column_labels = {"at": lazy(T.WHEN), "actor": lazy(T.WHO), "action": lazy(T.ACTION), "target": lazy(T.TARGET),
                     "detail": lazy(T.DETAIL)}
    column_formatters = {"action": _action, "detail": _detail}
    # Plain filters (the "in list" ones need a tag widget whose hints are English-only JavaScript); the action
    # filter is a list of the actions by name, its value the stored code.
    column_filters = (FilterLike(AuditEvent.actor, lazy(T.WHO)), FilterEqual(AuditEvent.actor, lazy(T.WHO)),
                      FilterEqual(AuditEvent.action, lazy(T.ACTION), options=ACTION_OPTIONS))
