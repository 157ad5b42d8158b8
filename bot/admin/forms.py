"""The workspace's forms as WTForms classes: every choice comes from the registry the bot uses, named in the page
language, so a city, topic, language, country, kind or scope can only be chosen, never mistyped."""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Dict, Optional

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField, DateField, FormField, HiddenField, PasswordField, SelectField, SelectMultipleField, StringField,
    TextAreaField,
)
from wtforms import Form as PlainForm
from wtforms.validators import DataRequired, Length, Optional as Blank, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from bot import LANGUAGES
from bot.admin import texts as T
from bot.admin.i18n import FormTranslations, lazy, tr
from bot.admin.names import choices, language_name
from bot.admin.workflow import CURRENT, KINDS, MAX_BODY, ORG_STATUSES
from bot.content.loader import TRANSLATED_FIELDS
from bot.nlu.normalize import fold_text
from bot.registry import CITIES, COUNTRIES, DOMAIN_TOPICS, ORGANISATION_KINDS, ROUTABLE_TOPICS, SCOPES, \
    SOURCE_LANGUAGE, TOPIC_LABELS

CONTACT_KINDS = ("phone", "site", "email", "address")
"""Contacts the bot labels (bot/content/render.py); others an import brought in are kept as they are."""
TRANSLATED_LANGUAGES = tuple(code for code in LANGUAGES if code != SOURCE_LANGUAGE)
"""Organisation texts written per language; Russian is the record's own."""
PREVIEW_LANGUAGES = tuple(variant for code in LANGUAGES for variant in ((code, "uz-cyrl") if code == "uz" else (code,)))
"""What the preview can show: Uzbek in both scripts."""


class Translated:
    """WTForms' own messages ("This field is required.") in the page language."""

    def get_translations(self, form):
        return FormTranslations()


class Form(FlaskForm):
    """A posted workspace form: CSRF token, messages in the page language."""

    class Meta(Translated):
        pass


class QueryForm(PlainForm):
    """A form read from the address (GET): no token, messages in the page language."""

    class Meta(Translated):
        csrf = False


class MultiCheckboxField(SelectMultipleField):
    """Several choices as checkboxes: readable and tappable on a phone, unlike a multiple select."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


NO_BASE = "0"
"""The base field's value when nothing was published yet (revision numbers start at 1)."""


def base_value(number: Optional[int]) -> str:
    """The base field's value for a revision number (None: nothing was published)."""
    return NO_BASE if number is None else str(number)


def _base_number(value: Any) -> Any:
    """The revision a form was filled in on: None when nothing was published then; a post without the field
    (a script) is taken as written on the version published now."""
    value = str(value or "").strip()
    if not value.isdigit():
        return CURRENT
    return None if value == NO_BASE else int(value)


# --- Answers -----------------------------------------------------------------------------------

class AnswerForm(Form):
    """One language's text of an answer, drafted on the revision its author saw."""

    # Emptiness is the workflow's to refuse, with its own words (the same on the command line).
    body = TextAreaField(lazy(T.TEXT), [Length(max=MAX_BODY)])
    reviewed_by = StringField(lazy(T.REVIEWED_BY), [Length(max=200)])
    base = HiddenField(lazy(T.REVISION))

    @property
    def base_number(self) -> Any:
        return _base_number(self.base.data)


class OpenAnswerForm(QueryForm):
    """Which answer to open: a topic and whom it is written for, both chosen from lists (a citizenship's own
    answer is started here too)."""

    topic = SelectField(lazy(T.TOPIC), [DataRequired()])
    scope = SelectField(lazy(T.SCOPE), [DataRequired()])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.topic.choices = choices(TOPIC_LABELS, DOMAIN_TOPICS)
        self.scope.choices = choices(T.SCOPE_NAMES, SCOPES)


class AnswerRebaseForm(AnswerForm):
    """The author's text again, written on the text published now (its number in `base`)."""


# --- Organisations ----------------------------------------------------------------------------

class OrganisationTextsForm(PlainForm):
    """An organisation's name, hours and note in one language (empty: the Russian is shown, marked)."""

    name = StringField(lazy(T.NAME), [Blank(), Length(max=300)])
    hours = StringField(lazy(T.HOURS), [Blank(), Length(max=200)])
    note = TextAreaField(lazy(T.NOTE), [Blank(), Length(max=2000)])


_SITE = re.compile(r"^(https?://)?[\w.-]+\.[\w-]{2,}(/\S*)?$")


class OrganisationForm(Form):
    """An organisation: what it is, where and for whom it helps, how to reach it, its texts per language."""

    key = StringField(lazy(T.KEY), [Blank(), Length(max=64)], description=lazy(T.KEY_HINT))
    name = StringField(lazy(T.NAME), [Length(max=300)])
    kind = SelectField(lazy(T.KIND))
    topics = MultiCheckboxField(lazy(T.TOPICS))
    cities = MultiCheckboxField(lazy(T.CITIES))
    nationwide = BooleanField(lazy(T.NATIONWIDE))
    countries = MultiCheckboxField(lazy(T.COUNTRIES), description=lazy(T.COUNTRIES_HINT))
    languages = MultiCheckboxField(lazy(T.LANGUAGES))
    free = BooleanField(lazy(T.FREE), description=lazy(T.FREE_HINT))
    phone = StringField(lazy(T.CONTACT_NAMES["phone"]), [Blank(), Length(max=100)])
    site = StringField(lazy(T.CONTACT_NAMES["site"]), [Blank(), Length(max=300)])
    email = StringField(lazy(T.CONTACT_NAMES["email"]), [Blank(), Length(max=200),
                                                         Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=lazy(T.EMAIL_HINT))])
    address = StringField(lazy(T.CONTACT_NAMES["address"]), [Blank(), Length(max=300)])
    hours = StringField(lazy(T.HOURS), [Blank(), Length(max=200)])
    note = TextAreaField(lazy(T.NOTE), [Blank(), Length(max=2000)])
    uz = FormField(OrganisationTextsForm, lazy(T.LANGUAGE_NAMES["uz"]))
    tg = FormField(OrganisationTextsForm, lazy(T.LANGUAGE_NAMES["tg"]))
    ky = FormField(OrganisationTextsForm, lazy(T.LANGUAGE_NAMES["ky"]))
    status = SelectField(lazy(T.STATUS))
    vetted_by = StringField(lazy(T.REVIEWED_BY), [Blank(), Length(max=200)])
    vetted_on = DateField(lazy(T.REVIEWED_ON), [Blank()])
    base = HiddenField(lazy(T.REVISION))

    def __init__(self, *args: Any, is_new: bool = False, is_admin: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = choices(ORGANISATION_KINDS, KINDS)
        self.topics.choices = choices(TOPIC_LABELS, ROUTABLE_TOPICS)
        self.cities.choices = choices(CITIES)
        self.countries.choices = choices(COUNTRIES)
        self.languages.choices = choices(T.LANGUAGE_NAMES, LANGUAGES)
        self.status.choices = choices(T.ORG_STATUS_NAMES, ORG_STATUSES)
        if not is_new:
            del self.key  # the key names the organisation in files and links; it never changes
        if not is_admin:
            for field in ("status", "vetted_by", "vetted_on"):
                delattr(self, field)  # an admin's call (the workflow refuses it from others too)

    def validate_site(self, field) -> None:
        if field.data and not _SITE.match(field.data.strip()):
            raise ValidationError(tr(T.SITE_HINT))

    @classmethod
    def from_record(cls, record: Dict[str, Any], base_number: Optional[int], **kwargs: Any) -> "OrganisationForm":
        """A form showing a record (for editing, or a rebase's starting point)."""
        contacts = record.get("contacts") or {}
        translations = record.get("translations") or {}
        data = {**record, **{kind: contacts.get(kind) or "" for kind in CONTACT_KINDS},
                **{code: translations.get(code) or {} for code in TRANSLATED_LANGUAGES},
                "base": base_value(base_number)}
        if data.get("vetted_on"):
            data["vetted_on"] = date.fromisoformat(str(data["vetted_on"]))
        return cls(data=data, **kwargs)

    @property
    def base_number(self) -> Any:
        return _base_number(self.base.data)

    def record(self, start: Dict[str, Any]) -> Dict[str, Any]:
        """The record the form says, on top of `start` (what the person opened): the fields a person may not
        change, and contacts of kinds the form has no field for, stay as they were."""
        contacts = {k: v for k, v in (start.get("contacts") or {}).items() if k not in CONTACT_KINDS}
        contacts.update({kind: getattr(self, kind).data.strip() for kind in CONTACT_KINDS
                         if (getattr(self, kind).data or "").strip()})
        record = {**start, "name": self.name.data.strip(), "kind": self.kind.data,
                  "topics": sorted(self.topics.data or []), "cities": sorted(self.cities.data or []),
                  "nationwide": bool(self.nationwide.data), "countries": list(self.countries.data or []),
                  "languages": list(self.languages.data or []), "free": bool(self.free.data), "contacts": contacts,
                  "hours": (self.hours.data or "").strip() or None, "note": (self.note.data or "").strip() or None,
                  "translations": {code: {f: getattr(self, code).form[f].data for f in TRANSLATED_FIELDS}
                                   for code in TRANSLATED_LANGUAGES}}
        if self.key is not None:
            record["key"] = (self.key.data or "").strip() or key_from_name(record["name"])
        if self.status is not None:
            record.update(status=self.status.data, vetted_by=(self.vetted_by.data or "").strip() or None,
                          vetted_on=self.vetted_on.data.isoformat() if self.vetted_on.data else None)
        return record


def key_from_name(name: str) -> str:
    """A key for a new organisation from its name, in plain Latin letters ("Tajik Diaspora" → "tajik_diaspora")."""
    words = re.findall(r"[a-z0-9]+", fold_text(name or "").lower())
    return "_".join(words)[:64].strip("_") or "organisation"


class OrganisationRebaseForm(OrganisationForm):
    """The author's organisation draft again, on the version published now (the key stays)."""


# --- Inbox, preview, exchange, account ---------------------------------------------------------

class CoverForm(Form):
    """Files a group of inbox questions under a topic."""

    ids = HiddenField(lazy(T.QUESTION))
    topic = SelectField(lazy(T.TOPIC))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.topic.choices = choices(TOPIC_LABELS, DOMAIN_TOPICS)


class PreviewForm(QueryForm):
    """What to preview: a question or a topic, a language, a citizenship, a city, and drafts."""

    question = StringField(lazy(T.QUESTION), [Blank(), Length(max=500)])
    topic = SelectField(lazy(T.TOPIC), [Blank()])
    language = SelectField(lazy(T.LANGUAGE), [Blank()])
    country = SelectField(lazy(T.COUNTRY), [Blank()])
    city = SelectField(lazy(T.CITY), [Blank()])
    draft = SelectField(lazy(T.ANSWER_DRAFT), [Blank()])
    organisation_draft = SelectField(lazy(T.ORGANISATION_DRAFT), [Blank()])

    def __init__(self, *args: Any, answer_drafts=(), organisation_drafts=(), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        nothing = [("", "")]
        self.topic.choices = nothing + choices(TOPIC_LABELS, DOMAIN_TOPICS)
        self.language.choices = [(code, _preview_language(code)) for code in PREVIEW_LANGUAGES]
        self.country.choices = nothing + choices(COUNTRIES)
        self.city.choices = nothing + choices(CITIES)
        self.draft.choices = nothing + [(str(d.id), label) for d, label in answer_drafts]
        self.organisation_draft.choices = nothing + [(str(d.id), label) for d, label in organisation_drafts]


def _preview_language(code: str) -> str:
    return language_name("uz", "cyrl") if code == "uz-cyrl" else language_name(code)


class ImportForm(Form):
    """A file to import (answers or organisations, as the export writes them)."""

    file = FileField(lazy(T.IMPORT_FILE), [FileRequired()])


class ApplyImportForm(Form):
    """The planned import again, to add its drafts (validated once more when applied)."""

    name = HiddenField(lazy(T.IMPORT_FILE))
    content = HiddenField(lazy(T.IMPORT_FILE))


class PasswordForm(Form):
    """A signed-in person's new password."""

    current = PasswordField(lazy(T.CURRENT_PASSWORD), [DataRequired()])
    new = PasswordField(lazy(T.NEW_PASSWORD), [DataRequired()])
    repeated = PasswordField(lazy(T.REPEAT_PASSWORD), [DataRequired()])

