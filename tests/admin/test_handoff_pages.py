"""The live desk in the workspace (issue 16): the consultant role, the queue, a conversation, desk settings, figures."""

import html
import io
import re
import threading
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from bot.admin.accounts import create_user
from bot.admin.commands import _user
from bot.admin.errors import WorkflowError
from bot.admin.handoff_stats import percentile
from bot.admin.workflow import approve_answer, get_or_create_answer, propose_answer, propose_organisation, \
    organisation_snapshot
from bot.channels.formatting import escape
from bot.cli import main
from bot.content.db import session_scope
from bot.content.models import AdminUser, AuditEvent, Organisation
from bot.handoff.desk import Desk, Person
from bot.serving.outbox import Outbox
from bot.settings import get_settings
from tests.admin.conftest import PASSWORD
from tests.admin.web import client_for, login, make_app, post

CONTENT_PAGES = ("/answers/", "/answers/employment_contract/any/", "/review/", "/organisations/",
                 "/organisations/edit/", "/organisations/edit/civic_assistance/",
                 "/organisations/history/civic_assistance/", "/inbox/", "/preview/", "/coverage/",
                 "/coverage/police_stop/", "/exchange/", "/users/", "/users/new/", "/audit/")
FIRST = "Меня зовут Алишер Каримов, мой телефон +7 916 123-45-67, мне не платят зарплату"
SECOND = "Паспорт 4510 123456 забрал бригадир"


@pytest.fixture
def desk_db(users, tmp_path, monkeypatch):
    """The conversations database beside the workspace's: the same PostgreSQL database, or an SQLite file."""
    url = users if users.startswith("postgresql") else f"sqlite:///{tmp_path / 'desk.db'}"
    monkeypatch.setenv("HAMROH_TRACKER_URL", url)
    get_settings.cache_clear()
    return url


def organisation_id(url, key):
    with session_scope(url) as session:
        return session.execute(select(Organisation.id).where(Organisation.key == key)).scalar_one()


@pytest.fixture
def desk(users, desk_db):
    """Consultants `kate` (tg, ru) and `karl` (tg) of civic_assistance, `otto` (tg) of ural_house; returns ids."""
    civic, ural = organisation_id(users, "civic_assistance"), organisation_id(users, "ural_house")
    with session_scope(users) as session:
        create_user(session, "kate", PASSWORD, "consultant", organisation_id=civic, languages=["tg", "ru"])
        create_user(session, "karl", PASSWORD, "consultant", organisation_id=civic, languages=["tg"])
        create_user(session, "otto", PASSWORD, "consultant", organisation_id=ural, languages=["tg"])
    return {"civic": civic, "ural": ural, "url": desk_db}


def open_handoff(chat, organisations, language="tg", transcript=None, **person):
    person = {"city": "moscow", "country": "tajikistan", "topic": "unpaid_wages", **person}
    return Desk().open(Person(chat_id=chat, language=language, **person), organisations,
                       transcript if transcript is not None else [("person", FIRST), ("bot", "Ответ бота"),
                                                                  ("person", SECOND)])


@pytest.fixture
def app(users, desk_db):
    return make_app(users)


def signed_in(app, name):
    client = client_for(app)
    assert login(client, name).status_code == 302
    return client


def text_of(response):
    return html.unescape(response.get_data(as_text=True))


def audit_rows(url, actions):
    with session_scope(url) as session:
        return [(e.actor, e.action, e.target, e.detail) for e in session.execute(
            select(AuditEvent).where(AuditEvent.action.in_(actions)).order_by(AuditEvent.id)).scalars()]


# --- the consultant role ---------------------------------------------------------------------------------------

def test_a_consultant_sees_only_the_desk_and_their_account(app, desk):
    kate = signed_in(app, "kate")
    for path in CONTENT_PAGES:
        assert kate.get(path).status_code == 403, path
    assert kate.get("/").headers["Location"].endswith("/handoffs/")
    assert kate.get("/handoffs/").status_code == 200 and kate.get("/account/").status_code == 200
    page = kate.get("/handoffs/").get_data(as_text=True)
    assert "/answers/" not in page and "/review/" not in page and 'id="nav-desk"' in page
    for path, data in (("/answers/employment_contract/any/ru/draft", {"body": "x", "reviewed_by": "y"}),
                       ("/organisations/edit/civic_assistance/", {"name": "x"}), ("/inbox/cover", {"ids": "1"}),
                       ("/organisations/vet/civic_assistance", {"vetted_by": "x"}), ("/review/answer/1/approve", {})):
        assert post(kate, path, data, "/account/").status_code == 403, path


def test_a_consultant_can_neither_draft_nor_approve(users, desk):
    with session_scope(users) as session:
        kate = session.execute(select(AdminUser).where(AdminUser.username == "kate")).scalar_one()
        answer = get_or_create_answer(session, "employment_contract", "ru", "any")
        with pytest.raises(WorkflowError):
            propose_answer(session, answer, "Текст консультанта", "kate")
        organisation = session.execute(select(Organisation).where(Organisation.key == "ural_house")).scalar_one()
        with pytest.raises(WorkflowError):
            propose_organisation(session, {**organisation_snapshot(organisation), "note": "x"}, kate)
        draft = propose_answer(session, answer, "Текст редактора", "edna")
        with pytest.raises(WorkflowError):
            approve_answer(session, draft, kate)


def test_other_roles_never_read_a_conversation(app, desk):
    handoff = open_handoff("100", [desk["civic"]])
    kate = signed_in(app, "kate")
    assert post(kate, f"/handoffs/{handoff}/claim", {}, "/handoffs/").status_code == 302
    for name in ("edna", "rita", "ada"):
        other = signed_in(app, name)
        for path in ("/handoffs/", f"/handoffs/{handoff}/", f"/handoffs/{handoff}/messages"):
            assert other.get(path).status_code == 403, (name, path)
        assert FIRST not in text_of(other.get("/"))
    for name in ("karl", "otto"):  # consultants who do not hold it, of the same organisation or not
        other = signed_in(app, name)
        for path in (f"/handoffs/{handoff}/", f"/handoffs/{handoff}/messages"):
            assert other.get(path).status_code == 404, (name, path)
        assert post(other, f"/handoffs/{handoff}/reply", {"text": "x"}, "/handoffs/").status_code == 404
    assert Desk().get(handoff).consultant == "kate"


def test_admins_create_consultants_by_organisation_and_language_names(app, desk, users):
    ada = signed_in(app, "ada")
    form = ada.get("/users/new/").get_data(as_text=True)
    assert "Комитет «Гражданское содействие»" in form and "таджикский" in form
    refused = post(ada, "/users/new/", {"username": "nina", "role": "consultant", "active": "y",
                                        "new_password": "a long enough passphrase", "organisation_id": ""},
                   "/users/new/")
    assert "У консультанта должны быть организация и хотя бы один язык." in text_of(refused)
    post(ada, "/users/new/", {"username": "nina", "role": "consultant", "active": "y",
                              "new_password": "a long enough passphrase", "organisation_id": str(desk["ural"]),
                              "languages": ["ky", "ru"], "telegram_user_id": "12345"}, "/users/new/")
    with session_scope(users) as session:
        nina = session.execute(select(AdminUser).where(AdminUser.username == "nina")).scalar_one()
        assert (nina.role, nina.organisation_id, nina.languages, nina.telegram_user_id) == \
            ("consultant", desk["ural"], ["ky", "ru"], "12345")
        ural_name = session.get(Organisation, desk["ural"]).name
    assert ural_name in text_of(ada.get("/users/"))
    assert audit_rows(users, ("create_user",))[-1] == ("ada", "create_user", "nina", "consultant")


def test_the_command_line_creates_a_consultant(users, desk_db, monkeypatch, capsys):
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    command = ["admin", "create-user", "zara", "--role", "consultant", "--password-stdin", "--url", users]
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(command + ["--organisation", "no_such_org", "--languages", "tg"]) == 2
    assert "no_such_org" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(command + ["--organisation", "civic_assistance"]) == 2  # no language
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(command + ["--organisation", "civic_assistance", "--languages", "tg,ru"]) == 0
    with session_scope(users) as session:
        zara = session.execute(select(AdminUser).where(AdminUser.username == "zara")).scalar_one()
        assert zara.role == "consultant" and zara.languages == ["tg", "ru"]
        assert zara.organisation_id == organisation_id(users, "civic_assistance")
    # A consultant is nobody's author of drafts on the command line either.
    with session_scope(users) as session, pytest.raises(WorkflowError):
        _user(session, "zara")


# --- the queue -------------------------------------------------------------------------------------------------

def test_the_queue_shows_the_own_organisations_in_spoken_languages_masked(app, desk):
    mine = open_handoff("100", [desk["civic"], desk["ural"]])
    kyrgyz = open_handoff("101", [desk["civic"]], language="ky")
    elsewhere = open_handoff("102", [desk["ural"]])
    unknown = open_handoff("103", [desk["civic"]], language="ru", city=None, country=None, topic=None,
                           transcript=[("person", "Помогите")])
    page = text_of(signed_in(app, "kate").get("/handoffs/"))
    ids = set(map(int, re.findall(r'id="waiting-(\d+)"', page)))
    assert ids == {mine, unknown} and kyrgyz not in ids and elsewhere not in ids
    row = page[page.index(f'id="waiting-{mine}"'):page.index(f'id="waiting-{unknown}"')]
    for name in ("таджикский", "Москва", "Таджикистан", "Не платят зарплату"):
        assert name in row, name
    assert re.search(r"\d+ с|\d+ мин", row)
    # Before a claim: the first message only, masked.
    assert "Алишер" not in page and "916" not in page and "123-45-67" not in page and "4510" not in page
    assert "мне не платят зарплату" in row and SECOND not in page and "Ответ бота" not in page
    assert "не указано" in page  # the request without a city or topic
    assert {int(i) for i in re.findall(r'id="waiting-(\d+)"', text_of(signed_in(app, "otto").get("/handoffs/")))} \
        == {mine, elsewhere}


def test_a_claim_unmasks_the_conversation_for_its_consultant(app, desk):
    handoff = open_handoff("100", [desk["civic"]])
    Desk().from_person(handoff, "", kind="photo")
    kate = signed_in(app, "kate")
    claimed = post(kate, f"/handoffs/{handoff}/claim", {}, "/handoffs/")
    assert claimed.headers["Location"].endswith(f"/handoffs/{handoff}/")
    page = text_of(kate.get(f"/handoffs/{handoff}/"))
    for said in (FIRST, SECOND, "Ответ бота", "Человек прислал: фотография", "kate взял(а) разговор"):
        assert said in page, said
    assert f'id="waiting-{handoff}"' not in text_of(kate.get("/handoffs/"))
    assert f"/handoffs/{handoff}/" in text_of(kate.get("/handoffs/"))  # among "my conversations"
    fragment = text_of(kate.get(f"/handoffs/{handoff}/messages"))
    assert FIRST in fragment and "<html" not in fragment


def test_two_consultants_claiming_at_once_one_wins(app, desk):
    handoff = open_handoff("100", [desk["civic"]])
    results, start = [], threading.Barrier(2)

    def claim(name):
        start.wait()
        results.append((name, Desk().claim(handoff, name, desk["civic"])))

    threads = [threading.Thread(target=claim, args=(name,)) for name in ("kate", "karl")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert sorted(won for _, won in results) == [False, True]
    winner = next(name for name, won in results if won)
    assert Desk().get(handoff).consultant == winner
    # In the workspace: the second gets a sentence, not an error.
    second = open_handoff("200", [desk["civic"]])
    kate, karl = signed_in(app, "kate"), signed_in(app, "karl")
    assert post(kate, f"/handoffs/{second}/claim", {}, "/handoffs/").status_code == 302
    late = post(karl, f"/handoffs/{second}/claim", {}, "/handoffs/")
    assert late.status_code == 302 and late.headers["Location"].endswith("/handoffs/")
    assert "уже взял другой консультант" in text_of(karl.get("/handoffs/"))
    assert Desk().get(second).consultant == "kate"
    assert post(signed_in(app, "otto"), f"/handoffs/{open_handoff('300', [desk['civic']])}/claim", {},
                "/handoffs/").status_code == 404  # not one of otto's organisation


# --- the conversation ------------------------------------------------------------------------------------------

def test_a_reply_is_queued_for_the_persons_chat_as_typed(app, desk):
    handoff = open_handoff("777", [desk["civic"]])
    kate = signed_in(app, "kate")
    post(kate, f"/handoffs/{handoff}/claim", {}, "/handoffs/")
    outbox = Outbox(desk["url"])
    before = set(outbox.waiting_ids(1000))
    typed = "<b>Завтра</b> в 10:00 & *приходите* _с паспортом_"
    sent = post(kate, f"/handoffs/{handoff}/reply", {"text": typed}, f"/handoffs/{handoff}/")
    assert sent.status_code == 302
    replies = [r for r in outbox.load(outbox.waiting_ids(1000)) if r.id not in before]
    assert [r.chat_id for r in replies] == ["777"]
    message = replies[0].message["text"]
    assert typed in message  # plain text in the queue: the consultant's words as typed
    assert "Кумитаи «Мусоидати шаҳрвандӣ»" in message  # signed with the organisation's Tajik name
    assert "&lt;b&gt;Завтра&lt;/b&gt;" in escape(message)  # and the Telegram output escapes it
    assert typed in text_of(kate.get(f"/handoffs/{handoff}/"))
    assert "<b>Завтра</b>" not in kate.get(f"/handoffs/{handoff}/").get_data(as_text=True)  # escaped on the page
    assert Desk().get(handoff).first_reply_at is not None
    empty = post(kate, f"/handoffs/{handoff}/reply", {"text": "  "}, f"/handoffs/{handoff}/")
    assert empty.status_code == 302 and len(outbox.waiting_ids(1000)) == len(before) + 1


def test_hand_back_pass_and_finish(app, desk):
    handoff = open_handoff("100", [desk["civic"]])
    kate, karl = signed_in(app, "kate"), signed_in(app, "karl")
    post(kate, f"/handoffs/{handoff}/claim", {}, "/handoffs/")
    assert post(kate, f"/handoffs/{handoff}/hand-back", {}, f"/handoffs/{handoff}/").status_code == 302
    assert Desk().get(handoff).status == "waiting" and Desk().get(handoff).consultant is None
    assert f'id="waiting-{handoff}"' in text_of(karl.get("/handoffs/"))
    post(kate, f"/handoffs/{handoff}/claim", {}, "/handoffs/")
    page = text_of(kate.get(f"/handoffs/{handoff}/"))
    assert '<option value="karl">' in page and '<option value="otto">' not in page  # same organisation, speaks Tajik
    assert post(kate, f"/handoffs/{handoff}/pass", {"colleague": "otto"}, f"/handoffs/{handoff}/").status_code == 400
    assert post(kate, f"/handoffs/{handoff}/pass", {"colleague": "karl"}, f"/handoffs/{handoff}/").status_code == 302
    assert Desk().get(handoff).consultant == "karl"
    assert kate.get(f"/handoffs/{handoff}/").status_code == 404
    assert "передал(а) разговор коллеге: karl" in text_of(karl.get(f"/handoffs/{handoff}/"))
    outbox = Outbox(desk["url"])
    before = set(outbox.waiting_ids(1000))
    assert post(karl, f"/handoffs/{handoff}/finish", {}, f"/handoffs/{handoff}/").status_code == 302
    assert Desk().get(handoff).status == "closed"
    assert [r.chat_id for r in outbox.load(outbox.waiting_ids(1000)) if r.id not in before] == ["100"]
    gone = post(karl, f"/handoffs/{handoff}/reply", {"text": "ещё"}, "/handoffs/")
    assert gone.status_code == 404  # closed: nobody holds it


def test_every_desk_action_is_audited_without_the_text(app, desk, users):
    handoff = open_handoff("100", [desk["civic"]])
    kate, karl = signed_in(app, "kate"), signed_in(app, "karl")
    post(kate, f"/handoffs/{handoff}/claim", {}, "/handoffs/")
    post(kate, f"/handoffs/{handoff}/reply", {"text": "Секретный ответ"}, f"/handoffs/{handoff}/")
    post(kate, f"/handoffs/{handoff}/hand-back", {}, f"/handoffs/{handoff}/")
    post(kate, f"/handoffs/{handoff}/claim", {}, "/handoffs/")
    post(kate, f"/handoffs/{handoff}/pass", {"colleague": "karl"}, f"/handoffs/{handoff}/")
    post(karl, f"/handoffs/{handoff}/finish", {}, f"/handoffs/{handoff}/")
    actions = ("handoff_claim", "handoff_message", "handoff_hand_back", "handoff_pass", "handoff_finish")
    rows = audit_rows(users, actions)
    target = str(handoff)
    assert rows == [("kate", "handoff_claim", target, None), ("kate", "handoff_message", target, None),
                    ("kate", "handoff_hand_back", target, None), ("kate", "handoff_claim", target, None),
                    ("kate", "handoff_pass", target, "karl"), ("karl", "handoff_finish", target, None)]
    log = text_of(signed_in(app, "ada").get("/audit/"))
    assert "Консультант ответил человеку" in log and "Секретный ответ" not in log


# --- desk settings ---------------------------------------------------------------------------------------------

def desk_columns(url, key):
    with session_scope(url) as session:
        row = session.execute(select(Organisation).where(Organisation.key == key)).scalar_one()
        return row.desk_hours, row.desk_timezone, row.operators_chat_id


def test_desk_settings_are_checked_and_saved_directly(app, desk, users):
    ada = signed_in(app, "ada")
    page = "/desks/civic_assistance/"
    assert "Омск" in text_of(ada.get(page)) and "Владивосток" in text_of(ada.get(page))
    saved = post(ada, page, {"desk_hours": "пн-пт 10:00-18:00; сб 11:00-15:00", "desk_timezone": "Asia/Omsk",
                             "operators_chat_id": "-1001234567890"}, page)
    assert saved.status_code == 302
    assert desk_columns(users, "civic_assistance") == (
        "mon 10:00-18:00; tue 10:00-18:00; wed 10:00-18:00; thu 10:00-18:00; fri 10:00-18:00; sat 11:00-15:00",
        "Asia/Omsk", "-1001234567890")
    assert audit_rows(users, ("desk_settings",)) == [("ada", "desk_settings", "civic_assistance", None)]
    refused = post(ada, page, {"desk_hours": "пн-пт 10-18", "desk_timezone": "Europe/Moscow",
                               "operators_chat_id": "@group"}, page)
    text = text_of(refused)
    assert refused.status_code == 400
    assert 'value="пн-пт 10-18"' in text and "Не понятно: «пн-пт 10-18»" in text
    assert 'value="@group"' in text and "Только цифры" in text
    assert desk_columns(users, "civic_assistance")[1] == "Asia/Omsk"  # nothing saved
    assert post(ada, page, {"desk_hours": "", "desk_timezone": "Europe/Samara", "operators_chat_id": ""},
                page).status_code == 302
    assert desk_columns(users, "civic_assistance") == (None, "Europe/Samara", None)
    kate = signed_in(app, "kate")
    assert kate.get("/desks/").headers["Location"].endswith(page)
    assert post(kate, page, {"desk_hours": "mon 09:00-13:00", "desk_timezone": "Europe/Moscow"}, page) \
        .status_code == 302
    assert kate.get("/desks/ural_house/").status_code == 403
    assert signed_in(app, "edna").get(page).status_code == 403
    assert "/desks/civic_assistance/" in text_of(ada.get("/organisations/"))


# --- the dashboard ---------------------------------------------------------------------------------------------

def test_percentile_is_nearest_rank():
    assert percentile([], 0.5) is None
    assert percentile([60, 120, 600], 0.5) == 120 and percentile([60, 120, 600], 0.95) == 600
    assert percentile(list(range(1, 101)), 0.95) == 95


def test_the_dashboard_shows_requests_answers_and_waiting_times_to_admins(app, desk, monkeypatch):
    start = 1_700_000_000.0
    now = [start]
    clock = Desk(clock=lambda: now[0])
    for chat, wait in (("1", 60), ("2", 120), ("3", 600), ("4", None)):
        now[0] = start
        handoff = clock.open(Person(chat_id=chat, language="tg"), [desk["civic"]], [])
        clock.claim(handoff, "kate", desk["civic"])
        if wait is not None:
            now[0] += wait
            clock.reply(handoff, "kate", "Комитет", "Здравствуйте")
    old = Desk(clock=lambda: start - 40 * 86400)  # before the 30 days: not counted
    old.open(Person(chat_id="5", language="tg"), [desk["civic"]], [])
    monkeypatch.setattr("bot.admin.handoff_stats.time", SimpleNamespace(time=lambda: start + 3600))
    page = text_of(signed_in(app, "ada").get("/"))
    assert "Просили консультанта: 4" in page and re.search(r"Ответил человек: 75\s?%", page)
    assert "у половины не дольше 2 мин, у 95 % не дольше 10 мин" in page
    assert "desk-figures" not in text_of(signed_in(app, "edna").get("/"))
