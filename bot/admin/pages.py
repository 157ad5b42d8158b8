"""What every workspace page shares: the request's database session, who may see it, how it ends an action."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from bot.admin import CONTENT_ROLES
from bot.admin import texts as T
from bot.admin.errors import WorkflowError
from bot.admin.i18n import language, tr


def db():
    """The request's database session."""
    return current_app.db


class Guarded:
    """Pages for signed-in people of some roles (the content roles unless a page says otherwise); others are sent
    to sign in or refused."""

    roles = CONTENT_ROLES

    def is_accessible(self) -> bool:
        return current_user.is_authenticated and current_user.role in self.roles

    def inaccessible_callback(self, name: str, **kwargs: Any):
        if not current_user.is_authenticated:
            return redirect(url_for("login_page", next=request.path))
        abort(403)


def done(message: str, endpoint: str, **values: Any):
    """Commits the action, says so, and goes to a page."""
    db().commit()
    flash(message, "success")
    return redirect(url_for(endpoint, **values))


def failed(error: WorkflowError, target: str):
    """Rolls the action back and says why on the page it came from."""
    db().rollback()
    flash(tr(T.FAILED, reason=error.text(language())), "error")
    return redirect(target)


def back() -> str:
    """The page the person came from, when it is one of ours."""
    referrer = request.referrer or ""
    return referrer if referrer.startswith(request.host_url) else url_for("admin.index")


def refused(error: WorkflowError, status: int = 400):
    """A page saying why a URL's code or an action was refused, in the page language (never a traceback)."""
    db().rollback()
    return render_template("hamroh/error.html", message=error.text(language())), status


def field_error(form, error: WorkflowError) -> None:
    """Puts a refusal beside the field it is about (or above the buttons when it is about the whole form)."""
    field = getattr(form, error.field_name, None) if error.field_name else None
    if field is not None and hasattr(field, "errors"):
        field.errors = list(field.errors) + [error.text(language())]
    else:
        form.form_errors.append(error.text(language()))
