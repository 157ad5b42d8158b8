"""Every workspace page in ru, uz, tg and ky: Flask-Admin's and WTForms' own labels are translated too."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import flask_admin
import flask_admin.babel
import pytest
from babel.messages.pofile import read_po
from sqlalchemy import select
from wtforms.i18n import messages_path

from bot import LANGUAGES, registry
from bot.admin import i18n
from bot.admin import texts as T
from bot.admin.workflow import (
    KINDS, ORG_STATUSES, approve_answer, approve_organisation, get_or_create_answer, organisation_snapshot,
    propose_answer, propose_organisation,
)
from bot.content.db import session_scope
from bot.content.models import AdminUser, AuditEvent, Organisation
from bot.content.queries import record_unanswered
from bot.i18n import translate
from tests.admin.web import client_for, login, make_app, post

IDENTICAL = {"%(placeholder)s"}
"""Texts that are the same in every language."""


def _ids(path):
    with open(path, "rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


# Every text either library could show, from their own catalogs: the English a page must not keep.
ENGLISH = sorted((_ids(Path(flask_admin.__file__).parent / "translations/en/LC_MESSAGES/admin.po")
                  | _ids(Path(messages_path()) / "wtforms.pot")) - IDENTICAL, key=len, reverse=True)


def _pattern(label):
    parts = [re.escape(p) for p in re.split(r"%\(\w+\)[sd]", label)]
    return re.compile(r"(?<!\w)" + r".+?".join(parts) + r"(?!\w)")


PATTERNS = [(label, _pattern(label)) for label in ENGLISH if re.search(r"[A-Za-z]{2}", label)]


class Visible(HTMLParser):
    """Text a person sees or hears: text nodes, labels in attributes, and the filter menu's data."""

    ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")

    def __init__(self):
        super().__init__()
        self.texts, self._skip, self._filters, self._skip_data = [], 0, False, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self._skip += tag in ("script", "style")
        self._filters = attrs.get("id") == "filter-groups-data"
        # The active filters' data: group names from the menu above, and the values typed or chosen there
        # (a chosen option's value is a stored code; the row built from it shows the option's label).
        self._skip_data = attrs.get("id") == "active-filters-data"
        self.texts += [attrs[a] for a in self.ATTRIBUTES if attrs.get(a)]
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.texts.append(attrs["value"])

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style")

    def handle_data(self, data):
        if self._skip_data:
            self._skip_data = False
        elif self._filters:  # a JSON menu: its group names and operations are shown when opened
            groups = json.loads(data)
            self.texts += list(groups) + [f["operation"] for g in groups.values() for f in g]
            self.texts += [label for g in groups.values() for f in g for _, label in f["options"] or []]
            self._filters = False
        elif not self._skip and data.strip():
            self.texts.append(data.strip())


def english_left(html):
    """Returns the library labels still in English on a page."""
    parser = Visible()
    parser.feed(html)
    return sorted({label for text in parser.texts for label, pattern in PATTERNS if pattern.search(text)})


# Stored codes a person must read as words: audit actions and their details, organisations' kinds and statuses,
# revision statuses, topics, cities, citizenships and answer scopes ("any" and "other" are English words too, so
# they are left out here), money and date tokens; and Flask-Admin's navbar toggle, which is in no catalog.
CODES = sorted(set(T.ACTION_NAMES) | set(KINDS) | set(ORG_STATUSES) | set(T.REVISION_STATUS_NAMES)
               | set(registry.TOPICS) | set(registry.CITIES) | (set(registry.COUNTRIES) - {"other"})
               | (set(registry.SCOPES) - {"any", "other"}) | set(T.LOCK_NAMES), key=len, reverse=True)
RAW = [(code, re.compile(r"(?<![\w-])" + re.escape(code) + r"(?![\w-])")) for code in CODES] + [
    (text, re.compile(pattern)) for text, pattern in (("revision N", r"\brevision \d+"),
                                                      ("N questions", r"\b\d+ questions\b"),
                                                      ("po-import", r"\bpo-import\b"),
                                                      ("[rub:…] or [date:…]", r"\[(?:rub|date):"),
                                                      ("topic/language/scope", r"\b[a-z_]+/(?:ru|uz|tg|ky)/[a-z]+\b"),
                                                      ("Toggle navigation", r"Toggle navigation"))]


def codes_left(html):
    """Returns the stored codes shown as they are (not as words in the page language) on a page."""
    parser = Visible()
    parser.feed(html)
    return sorted({code for text in parser.texts for code, pattern in RAW if pattern.search(text)})


@pytest.fixture
def lookups(monkeypatch):
    """Records every text Flask-Admin and WTForms look up, with what the page language made of it."""
    seen = []

    class Recording:
        def __init__(self, translations):
            self.translations = translations

        def ugettext(self, message):
            seen.append((message, self.translations.ugettext(message)))
            return seen[-1][1]

        def ungettext(self, singular, plural, n):
            seen.append((singular, self.translations.ungettext(singular, plural, 1)))
            return self.translations.ungettext(singular, plural, n)

    admin_translations = flask_admin.babel.domain.get_translations
    monkeypatch.setattr(flask_admin.babel.domain, "get_translations", lambda: Recording(admin_translations()))
    form_translations = i18n._wtforms_domain

    class RecordingDomain:
        def __init__(self, directory):
            self.domain = form_translations(directory)

        def get_translations(self):
            return Recording(self.domain.get_translations())

    monkeypatch.setattr(i18n, "_wtforms_domain", RecordingDomain)
    return seen


def prepare(url):
    """Something on every page: a draft of each kind, a question in the inbox; returns ids for the URLs."""
    with session_scope(url) as session:
        editor = session.execute(select(AdminUser).where(AdminUser.username == "edna")).scalar_one()
        answer = get_or_create_answer(session, "employment_contract", "ru", "any")
        draft = propose_answer(session, answer, "Новый текст договора: [rub:2000] до [date:2026-01-28].", "edna")
        # A draft overtaken by a publication on the same text: the review page's three-way view and rebase page.
        overtaken = propose_answer(session, answer, "Текст, написанный раньше.", "ada")
        approve_answer(session, propose_answer(session, answer, "Опубликовано позже: [rub:5000].", "rita"),
                       session.execute(select(AdminUser).where(AdminUser.username == "rob")).scalar_one())
        record_unanswered(session, "где патент?", "ru", "patent_howto", 0.2)
        ada = session.execute(select(AdminUser).where(AdminUser.username == "ada")).scalar_one()
        organisation = session.execute(select(Organisation).where(
            Organisation.key == "memorial_migration_rights")).scalar_one()
        record = organisation_snapshot(organisation)
        organisation_draft = propose_organisation(session, {**record, "kind": "consulate", "status": "inactive",
                                                            "cities": ["kazan", "moscow"],
                                                            "topics": ["police_stop", "unpaid_wages"]}, ada)
        rob = session.execute(select(AdminUser).where(AdminUser.username == "rob")).scalar_one()
        rita = session.execute(select(AdminUser).where(AdminUser.username == "rita")).scalar_one()
        approve_organisation(session, propose_organisation(session, {**record, "kind": "trade_union"}, rob), rita)
        # Every action the audit log knows, with the details they are stored with.
        details = {"create_user": "editor", "update_user": "reviewer", "draft_answer": "revision 2",
                   "cover_questions": "3 questions", "confirm_translation": "po-import"}
        details.update(change_role="reviewer", lock_out="address", approve_organisation="revision 3 merged with 2")
        session.add_all(AuditEvent(actor="ada", action=code, target="employment_contract/tg/any",
                                   detail=details.get(code, "revision 1")) for code in T.ACTION_NAMES)
        return {"answer": answer.id, "draft": draft.id, "edna": editor.id, "ada": ada.id,
                "overtaken": overtaken.id, "organisation_draft": organisation_draft.id}


def pages(client, ids):
    """Visits every page and every form state a person meets; yields (what, html)."""
    gets = ["/", "/answers/", "/answers/employment_contract/any/", f"/answers/history/{ids['answer']}/", "/review/",
            "/organisations/", "/organisations/edit/", "/organisations/edit/memorial_migration_rights/",
            "/organisations/history/memorial_migration_rights/", "/inbox/", "/preview/",
            f"/preview/?topic=employment_contract&language=ru&draft={ids['draft']}",
            f"/preview/?topic=police_stop&language=uz-cyrl&city=samara&organisation_draft={ids['organisation_draft']}",
            "/coverage/", "/coverage/police_stop/", "/exchange/", "/account/", "/answers/xx/any/",
            "/coverage/no_such_topic/", f"/review/answer/{ids['overtaken']}/rebase",
            f"/review/organisation/{ids['organisation_draft']}/rebase",
            "/users/", "/users/new/", f"/users/edit/?id={ids['edna']}", "/audit/", "/audit/?flt0_0=ada",
            "/audit/?search=no-such-thing", "/audit/?flt0_2=approve_answer", "/no-such-page/"]
    for path in gets:
        yield path, client.get(path).get_data(as_text=True)
    forms = [("empty new user", "/users/new/", {"username": "", "role": "nobody", "new_password": ""}),
             ("long name", "/users/new/", {"username": "x" * 81, "role": "editor", "new_password": ""}),
             ("no password", "/users/new/", {"username": "newbie", "role": "editor", "new_password": ""}),
             ("own rights", f"/users/edit/?id={ids['ada']}", {"username": "ada", "role": "editor", "active": "y"})]
    forms += [("refused answer", "/answers/employment_contract/any/tg/draft", {"body": " ", "reviewed_by": ""}),
              ("unknown language", "/answers/employment_contract/any/xx/draft", {"body": "x", "reviewed_by": "y"}),
              ("refused organisation", "/organisations/edit/", {"name": "", "cities": ["Казань"], "kind": "casino"}),
              ("wrong password", "/account/", {"current": "no", "new": "x", "repeated": "y"})]
    for what, path, data in forms:
        yield what, post(client, path, data, path if "/draft" not in path else "/").get_data(as_text=True)
    post(client, "/users/new/", {"username": "newbie", "role": "editor", "active": "y",
                                 "new_password": "a long enough passphrase"}, "/users/new/")
    yield "created", client.get("/users/").get_data(as_text=True)
    post(client, f"/users/edit/?id={ids['edna']}", {"username": "edna", "role": "reviewer", "active": "y"},
         f"/users/edit/?id={ids['edna']}")
    yield "saved", client.get("/users/").get_data(as_text=True)
    yield "form expired", client.post("/review/answer/1/approve").get_data(as_text=True)


def test_the_checker_finds_english_labels():
    assert english_left('<button title="Sort by Имя">Save</button><p>Сохранить</p>') == ["Save", "Sort by %(name)s"]
    assert english_left('<div id="filter-groups-data">{"Кто": [{"operation": "contains", "options": null}]}</div>') \
        == ["contains"]
    assert english_left("<p>create_user · editor@ngo · Фильтр</p><script>var s = 'Search';</script>") == []


def test_the_checker_finds_raw_codes():
    assert codes_left('<td>create_user</td><td>revision 3</td><button aria-label="Toggle navigation"></button>'
                      '<select><option value="ngo">НКО</option><option value="active">работает</option></select>') \
        == ["Toggle navigation", "create_user", "revision N"]
    assert codes_left('<div id="filter-groups-data">{"Действие": [{"operation": "равно", '
                      '"options": [["approve_answer", "approve_answer"]]}]}</div>') == ["approve_answer"]
    assert codes_left("<p>memorial_migration_rights · НКО · Трудовой договор · русский</p>") == []
    assert codes_left("<p>healthcare/tg/any · kazan · eaeu · [rub:2000]</p>") == [
        "[rub:…] or [date:…]", "eaeu", "healthcare", "kazan", "topic/language/scope"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_is_in_the_page_language(users, language, lookups):
    ids = prepare(users)
    client = client_for(make_app(users))
    client.get(f"/lang/{language}")
    login_page = client.get("/login").get_data(as_text=True)
    left, raw = {"login": english_left(login_page)}, {"login": codes_left(login_page)}
    assert login(client, "ada").status_code == 302
    for what, html in pages(client, ids):
        left[what], raw[what] = english_left(html), codes_left(html)
        if what == "/audit/":  # the logged actions are on it, by name
            assert all(label in html for label in (translate(T.ACTION_NAMES[c], language)
                                                         for c in T.ACTION_NAMES)), language
        if what == "/organisations/":
            assert translate(T.KIND_NAMES["ngo"], language) in html
    editor = client_for(make_app(users))
    editor.get(f"/lang/{language}")
    login(editor, "rob")
    left["forbidden"] = english_left(editor.get("/users/").get_data(as_text=True))
    assert not {k: v for k, v in left.items() if v}, f"{language}: English left on pages"
    assert not {k: v for k, v in raw.items() if v}, f"{language}: codes shown raw on pages"
    untranslated = sorted({m for m, text in lookups if text == m and m not in IDENTICAL})
    assert not untranslated, f"{language}: add to locales/admin.pot or wtforms.pot and translate: {untranslated}"
    assert {m for m, _ in lookups} >= {"Save", "Search", "List", "This field is required."}  # the forms were seen


def prepare_desk(url):
    """The live desk with something on every page: consultant `kate` of civic_assistance holding a conversation
    (with a photo and a reply), another waiting, answered figures on the dashboard; returns the held one's id."""
    from bot.admin.accounts import create_user
    from bot.handoff.desk import Desk, Person
    from tests.admin.conftest import PASSWORD

    with session_scope(url) as session:
        civic = session.execute(select(Organisation.id).where(Organisation.key == "civic_assistance")).scalar_one()
        create_user(session, "kate", PASSWORD, "consultant", organisation_id=civic, languages=["tg", "ky"])
    desk = Desk()
    person = Person(chat_id="1", language="tg", city="kazan", country="kyrgyzstan", topic="police_stop")
    held = desk.open(person, [civic], [("person", "Меня задержали"), ("bot", "Ответ бота")])
    desk.from_person(held, "", kind="photo")
    desk.claim(held, "kate", civic)
    desk.reply(held, "kate", "Комитет", "Здравствуйте")
    desk.open(Person(chat_id="2", language="ky", city="samara", country="uzbekistan", topic="patent_howto"),
              [civic], [("person", "Патент?")])
    return held


def desk_visits(users, language, held):
    """The live desk's pages as a consultant and an admin meet them; yields (what, html)."""
    kate = client_for(make_app(users))
    kate.get(f"/lang/{language}")
    assert login(kate, "kate").status_code == 302
    for path in ("/handoffs/", f"/handoffs/{held}/", f"/handoffs/{held}/messages", "/desks/civic_assistance/",
                 "/account/", "/answers/", "/handoffs/999/"):
        yield path, kate.get(path).get_data(as_text=True)
    yield "refused hours", post(kate, "/desks/civic_assistance/", {"desk_hours": "когда-нибудь", "desk_timezone":
                                "Asia/Omsk", "operators_chat_id": "group"}, "/desks/civic_assistance/").get_data(as_text=True)
    post(kate, f"/handoffs/{held}/reply", {"text": " "}, f"/handoffs/{held}/")
    yield "empty reply", kate.get(f"/handoffs/{held}/").get_data(as_text=True)
    post(kate, f"/handoffs/{held}/claim", {}, "/handoffs/")
    yield "taken", kate.get("/handoffs/").get_data(as_text=True)
    admin = client_for(make_app(users))
    admin.get(f"/lang/{language}")
    login(admin, "ada")
    yield "dashboard", admin.get("/").get_data(as_text=True)
    yield "users", admin.get("/users/").get_data(as_text=True)
    yield "consultant form", admin.get("/users/new/").get_data(as_text=True)
    yield "refused consultant", post(admin, "/users/new/", {
        "username": "nina", "role": "consultant", "active": "y", "new_password": "a long enough passphrase",
        "organisation_id": "", "telegram_user_id": "x"}, "/users/new/").get_data(as_text=True)
    yield "forbidden", admin.get(f"/handoffs/{held}/").get_data(as_text=True)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_desk_pages_are_in_the_page_language(users, language, lookups):
    from bot.admin import desk_texts

    held = prepare_desk(users)
    left, raw, russian = {}, {}, {}
    # Desk texts whose translation differs from the Russian: none may stay Russian on a page in another language.
    desk = {v for k, v in vars(desk_texts).items() if k.isupper() and isinstance(v, str)}
    source = sorted((m for m in desk if "{" not in m and translate(m, language) != m), key=len, reverse=True)
    for what, page in desk_visits(users, language, held):
        left[what], raw[what] = english_left(page), codes_left(page)
        parser = Visible()
        parser.feed(page)
        russian[what] = sorted({m for text in parser.texts for m in source if m in text})
    assert not {k: v for k, v in left.items() if v}, f"{language}: English left on pages"
    assert not {k: v for k, v in raw.items() if v}, f"{language}: codes shown raw on pages"
    assert not {k: v for k, v in russian.items() if v}, f"{language}: Russian desk texts left"
    untranslated = sorted({m for m, text in lookups if text == m and m not in IDENTICAL})
    assert not untranslated, f"{language}: add to locales/admin.pot or wtforms.pot and translate: {untranslated}"
