"""The workspace's command line: accounts, stale content, YAML/CSV round trip, .po files, inbox suggestions."""

import csv
import io
from datetime import date, timedelta

import pytest
import yaml
from babel.messages.pofile import read_po, write_po
from sqlalchemy import func, select

from bot.admin.accounts import authenticate
from bot.admin.inbox import inbox_groups, mark_covered
from bot.admin.workflow import approve_answer, get_or_create_answer, pending_drafts, propose_answer
from bot.cli import main
from bot.content.db import session_scope
from bot.content.models import AdminUser, AnswerRevision, AuditEvent, Organisation, OrganisationRevision
from bot.content.queries import record_unanswered
from tests.admin.conftest import PASSWORD


@pytest.fixture(autouse=True)
def server_locale(monkeypatch):
    """A server's usual locale, which is none of ours: the command line speaks Russian."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


def counts(url):
    with session_scope(url) as session:
        return (session.scalar(select(func.count(AnswerRevision.id))),
                session.scalar(select(func.count(OrganisationRevision.id))))


def test_create_user_reads_the_password_and_refuses_weak_ones(seeded, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["admin", "create-user", "boss", "--role", "admin", "--password-stdin", "--url", seeded]) == 2
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["admin", "create-user", "boss", "--role", "admin", "--password-stdin", "--url", seeded]) == 0
    with session_scope(seeded) as session:
        user = session.execute(select(AdminUser)).scalar_one()
        assert user.role == "admin" and PASSWORD not in user.password_hash and user.password_hash.startswith("$argon2")
        assert authenticate(session, "boss", PASSWORD) is not None
        for guess in ("", "admin", "password", "boss", "hamroh"):
            assert authenticate(session, "boss", guess) is None
            assert authenticate(session, "admin", guess) is None  # there is no default account


def test_stale_lists_old_answers_and_organisations(users, capsys):
    with session_scope(users) as session:
        answer = get_or_create_answer(session, "employment_contract", "ru", "any")
        answer.revisions[-1].reviewed_on = date.today() - timedelta(days=181)
    assert main(["content", "stale", "--check", "--url", users]) == 1
    out = capsys.readouterr().out
    assert "answer\temployment_contract/ru/any" in out


@pytest.mark.parametrize("suffix", [".yml", ".csv"])
def test_export_then_import_changes_nothing(users, tmp_path, suffix, capsys):
    path = tmp_path / f"answers{suffix}"
    assert main(["content", "export", str(path), "--url", users]) == 0
    before = counts(users)
    assert main(["content", "import", str(path), "--author", "edna", "--apply", "--url", users]) == 0
    assert "К изменению: 0," in capsys.readouterr().out
    assert counts(users) == before
    if suffix == ".csv":
        organisations = tmp_path / "organisations.csv"
        assert main(["content", "export", str(organisations), "--organisations", "--url", users]) == 0
        assert main(["content", "import", str(organisations), "--url", users]) == 0
        assert "К изменению: 0," in capsys.readouterr().out


def test_spreadsheet_edit_becomes_a_draft(users, tmp_path, capsys):
    path = tmp_path / "answers.csv"
    main(["content", "export", str(path), "--url", users])
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    edited = next(r for r in rows if (r["topic"], r["language"]) == ("employment_contract", "ru"))
    edited["body"] = 'Новый текст, с "кавычками", запятыми;\nи второй строкой.'
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")  # as a spreadsheet saves it
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8-sig")
    assert main(["content", "import", str(path), "--url", users]) == 0
    assert "employment_contract/ru/any: текст изменён" in capsys.readouterr().out
    assert main(["content", "import", str(path), "--author", "edna", "--apply", "--url", users]) == 0
    with session_scope(users) as session:
        drafts = pending_drafts(get_or_create_answer(session, "employment_contract", "ru", "any"))
        assert [d.body for d in drafts] == [edited["body"].strip()]
        assert drafts[0].author == "edna"


def test_malformed_rows_are_rejected_with_line_numbers_and_nothing_applied(users, tmp_path, capsys):
    path = tmp_path / "answers.csv"
    main(["content", "export", str(path), "--url", users])
    lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    rows = list(csv.reader(io.StringIO("".join(lines))))
    rows[1][3] = "Изменённый текст, который не должен попасть в базу."
    rows[2][0] = "no_such_topic"
    rows[3][3] = ""
    rows[4][6] = "{not json"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    before = counts(users)
    assert main(["content", "import", str(path), "--author", "edna", "--apply", "--url", users]) == 2
    err = capsys.readouterr().err
    assert "(в таблице — строка 5): sources: неверный JSON." in err
    assert counts(users) == before
    rows[4][6] = "[]"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    assert main(["content", "import", str(path), "--author", "edna", "--apply", "--url", users]) == 2
    err = capsys.readouterr().err
    assert "(в таблице — строка 3): Неизвестная тема «no_such_topic»." in err
    assert "(в таблице — строка 4): body: пусто." in err
    assert "Ничего не загружено." in err
    assert counts(users) == before


def test_yaml_import_reports_lines_and_checks_organisations(users, tmp_path, capsys):
    path = tmp_path / "content.yml"
    path.write_text(yaml.safe_dump({"organisations": [
        {"key": "ok_ngo", "name": "<script>alert(1)</script>", "kind": "ngo"},
        {"key": "Bad Key!", "name": "x", "kind": "ngo"},
        {"key": "other", "name": "y", "kind": "casino"},
    ]}, allow_unicode=True), encoding="utf-8")
    before = counts(users)
    assert main(["content", "import", str(path), "--author", "edna", "--apply", "--url", users]) == 2
    err = capsys.readouterr().err
    assert "Строка 5: Ключ:" in err and "Строка 8: Вид должен" in err  # items start on lines 2, 5, 8
    assert counts(users) == before


def test_import_cannot_change_vetting_unless_admin(users, tmp_path, capsys):
    path = tmp_path / "organisations.csv"
    main(["content", "export", str(path), "--organisations", "--url", users])
    text = path.read_text(encoding="utf-8-sig").replace(",active,", ",inactive,", 1)
    path.write_text(text, encoding="utf-8")
    before = counts(users)
    assert main(["content", "import", str(path), "--author", "edna", "--apply", "--url", users]) == 2
    assert "Статус и проверку меняет только администратор." in capsys.readouterr().err and counts(users) == before
    assert main(["content", "import", str(path), "--author", "ada", "--apply", "--url", users]) == 0


def test_po_round_trip_marks_changed_sources_fuzzy(users, tmp_path, capsys):
    with session_scope(users) as session:
        answer = get_or_create_answer(session, "employment_contract", "ru", "any")
        draft = propose_answer(session, answer, "Новый русский текст договора.", "edna")
        approve_answer(session, draft, session.execute(select(AdminUser).where(AdminUser.username == "rita")).scalar_one())
    path = tmp_path / "tg.po"
    assert main(["content", "po-export", "tg", "--out", str(path), "--url", users]) == 0
    with path.open("rb") as handle:
        catalog = read_po(handle)
    entry = catalog.get("Новый русский текст договора.", context="employment_contract/any")
    assert entry is not None and entry.fuzzy and entry.string
    assert not any(m.fuzzy for m in catalog if m.id and m.context != "employment_contract/any")
    entry.string = "Матни нав бо [rub:1000]."
    entry.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalog)
    assert main(["content", "po-import", "tg", str(path), "--author", "edna", "--apply", "--url", users]) == 2
    assert "не совпадают с русским текстом" in capsys.readouterr().err
    entry.string = "Матни нави шартнома."
    with path.open("wb") as handle:
        write_po(handle, catalog)
    assert main(["content", "po-import", "tg", str(path), "--author", "edna", "--apply", "--url", users]) == 0
    with session_scope(users) as session:
        drafts = pending_drafts(get_or_create_answer(session, "employment_contract", "tg", "any"))
        assert [d.body for d in drafts] == ["Матни нави шартнома."]


def test_inbox_groups_similar_questions_and_suggests_training_data(users, tmp_path):
    with session_scope(users) as session:
        for text in ("Где купить патент дешево?", "где купить патент дёшево", "Где купить патент дешево!!",
                     "Mening telefonim +7 916 123-45-67 qayerda"):
            record_unanswered(session, text, "ru" if "Где" in text or "где" in text else "uz", "patent_howto", 0.1)
    with session_scope(users) as session:
        groups = inbox_groups(session)
        assert [g.count for g in groups] == [3, 1]
        assert "916" not in groups[1].text  # stored masked
        assert mark_covered(session, groups[0].ids, "intermediary_offer", "edna") == 3
    out = tmp_path / "suggestions.yml"
    assert main(["nlu", "suggestions", "--out", str(out), "--url", users]) == 0
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    block = data["nlu"][0]
    assert block["intent"] == "intermediary_offer" and block["metadata"] == {"language": "ru"}
    assert len(block["examples"].splitlines()) == 3
    with session_scope(users) as session:
        assert session.execute(select(AuditEvent).where(AuditEvent.action == "cover_questions")).first()
