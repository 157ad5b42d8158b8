"""The workspace's page language: our texts, and Flask-Admin's and WTForms' own labels, through Flask-Babel."""

from __future__ import annotations

from functools import lru_cache

from flask import has_request_context, session
from flask_babel import Babel, Domain, LazyString
from markupsafe import escape
from wtforms.i18n import messages_path

from bot import LANGUAGES
from bot.i18n import locales_dir, translate

VENDOR_DOMAINS = ("admin", "wtforms")
"""Catalogs in locales/<lang>/LC_MESSAGES/ for the English labels of Flask-Admin (domain `admin`, the name it
looks up) and WTForms' validation messages; both libraries' own catalogs win where they have a text."""


def language() -> str:
    """Returns the page language chosen by the person (Russian by default and outside a request)."""
    chosen = session.get("lang") if has_request_context() else None
    return chosen if chosen in LANGUAGES else "ru"


def tr(message: str, **values) -> str:
    """Translates a workspace text into the page language."""
    return translate(message, language(), **values)


class LazyText(LazyString):
    """A workspace text translated when shown (labels are declared once, pages are in four languages)."""

    def __html__(self) -> str:
        # Flask-Babel's LazyString marks its text safe as it is; a label is text, so escape it.
        return str(escape(str(self)))


def lazy(message: str) -> LazyText:
    """Returns a workspace text that is translated into the page language each time it is shown."""
    return LazyText(tr, message)


@lru_cache(maxsize=4)
def _wtforms_domain(directory: str) -> Domain:
    return Domain([directory, messages_path()], domain="wtforms")


class FormTranslations:
    """WTForms' messages ("This field is required.") in the page language, from our catalog and WTForms' own."""

    def gettext(self, string: str) -> str:
        return _wtforms_domain(str(locales_dir())).get_translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return _wtforms_domain(str(locales_dir())).get_translations().ungettext(singular, plural, n)


def install(app) -> Babel:
    """Sets Flask-Babel's locale to the workspace's page language, so Flask-Admin's labels follow it."""
    # Our templates call our own `_`; Flask-Admin's pass `_gettext` explicitly: no Jinja i18n extension needed.
    return Babel(app, locale_selector=language, default_translation_directories=str(locales_dir()),
                 configure_jinja=False)
