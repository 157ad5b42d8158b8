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
    assert "Трудовой договор · русский · все граждане: текст изменён" in capsys.readouterr().out
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


def rewrite_csv(path, rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8-sig")


def csv_rows(path):
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def publish(url, body, language="ru", topic="employment_contract"):
    with session_scope(url) as session:
        answer = get_or_create_answer(session, topic, language, "any")
        revision = propose_answer(session, answer, body, "rob")
        approve_answer(session, revision, session.execute(select(AdminUser).where(AdminUser.username == "rita"))
                       .scalar_one())


def test_a_file_older_than_the_published_text_is_a_conflict_by_row(users, tmp_path, capsys):
    path = tmp_path / "answers.csv"
    main(["content", "export", str(path), "--url", users])
    rows = csv_rows(path)
    index = next(i for i, r in enumerate(rows) if (r["topic"], r["language"]) == ("employment_contract", "ru"))
    rows[index]["body"] = "Правка в таблице, сделанная по старой выгрузке."
    rewrite_csv(path, rows)
    publish(users, "Коллега опубликовал новый текст, пока таблица была открыта.")
    before = counts(users)
    assert main(["content", "import", str(path), "--author", "edna", "--apply", "--url", users]) == 2
    err = capsys.readouterr().err
    assert f"(в таблице — строка {index + 2}): Трудовой договор · русский · все граждане: файл выгружен с версии" in err
    assert "изменено одно и то же: Текст." in err and "Ничего не загружено." in err
    assert counts(users) == before
    with session_scope(users) as session:
        assert not pending_drafts(get_or_create_answer(session, "employment_contract", "ru", "any"))


def test_rows_nobody_edited_stay_unchanged_and_other_fields_merge(users, tmp_path, capsys):
    path = tmp_path / "answers.csv"
    main(["content", "export", str(path), "--url", users])
    rows = csv_rows(path)
    index = next(i for i, r in enumerate(rows) if (r["topic"], r["language"]) == ("employment_contract", "ru"))
    rows[index]["reviewed_by"] = "НКО из таблицы"  # only who checked it
    rewrite_csv(path, rows)
    publish(users, "Новый текст коллеги.")  # the text, in the workspace
    publish(users, "Новый таджикский текст коллеги.", language="tg")  # a row the file did not touch
    assert main(["content", "import", str(path), "--author", "edna", "--apply", "--url", users]) == 0
    out = capsys.readouterr().out
    assert "К изменению: 1," in out and "объединено с версией" in out
    with session_scope(users) as session:
        [merged] = pending_drafts(get_or_create_answer(session, "employment_contract", "ru", "any"))
        assert (merged.body, merged.reviewed_by) == ("Новый текст коллеги.", "НКО из таблицы")
        assert not pending_drafts(get_or_create_answer(session, "employment_contract", "tg", "any"))


def test_organisation_rows_merge_or_conflict_against_what_was_published(users, tmp_path, capsys):
    from bot.admin.workflow import approve_organisation, organisation_snapshot, propose_organisation

    path = tmp_path / "organisations.csv"
    main(["content", "export", str(path), "--organisations", "--url", users])
    rows = csv_rows(path)
    index = next(i for i, r in enumerate(rows) if r["key"] == "civic_assistance")
    rows[index]["hours"] = "Пн–Пт 10:00–18:00"
    rewrite_csv(path, rows)
    with session_scope(users) as session:
        ada, rita = (session.execute(select(AdminUser).where(AdminUser.username == n)).scalar_one()
                     for n in ("ada", "rita"))
        organisation = session.execute(select(Organisation).where(Organisation.key == "civic_assistance")).scalar_one()
        closing = propose_organisation(session, {**organisation_snapshot(organisation), "status": "inactive"}, ada)
        approve_organisation(session, closing, rita)
    assert main(["content", "import", str(path), "--author", "edna", "--apply", "--url", users]) == 0
    with session_scope(users) as session:
        organisation = session.execute(select(Organisation).where(Organisation.key == "civic_assistance")).scalar_one()
        draft = organisation.revisions[-1]
        assert draft.status == "draft" and draft.data["hours"] == "Пн–Пт 10:00–18:00"
        assert draft.data["status"] == "inactive"  # the file's old "active" does not reopen it
    rows[index]["status"] = "unverified"  # the workspace closed it since the export: both changed the status
    rewrite_csv(path, rows)
    capsys.readouterr()
    assert main(["content", "import", str(path), "--author", "ada", "--url", users]) == 2
    assert "изменено одно и то же: Статус" in capsys.readouterr().err


def test_an_import_naming_an_unknown_language_or_revision_is_refused_by_line(users, tmp_path, capsys):
    path = tmp_path / "content.yml"
    path.write_text(yaml.safe_dump({"answers": [
        {"topic": "healthcare", "language": "xx", "scope": "any", "body": "t", "reviewed_by": "r"},
        {"topic": "healthcare", "language": "ru", "scope": "any", "body": "t", "reviewed_by": "r", "revision": 999},
        {"topic": "healthcare", "language": "ru", "scope": "eaeu", "body": "t", "reviewed_by": "r",
         "revision": "три"},
    ]}, allow_unicode=True), encoding="utf-8")
    assert main(["content", "import", str(path), "--author", "edna", "--apply", "--url", users]) == 2
    err = capsys.readouterr().err
    assert "Строка 2: Неизвестный язык «xx»." in err
    assert "нет опубликованной версии 999." in err and "это не номер версии: три" in err


def test_organisation_texts_round_trip_through_po(users, tmp_path, capsys):
    path = tmp_path / "ky.po"
    assert main(["content", "po-export", "ky", "--out", str(path), "--url", users]) == 0
    with path.open("rb") as handle:
        catalog = read_po(handle)
    entry = catalog.get("Пн, Ср, Пт 10:00–17:00", context="organisation/civic_assistance/hours")
    assert entry is not None and entry.string == "Дш, Шр, Жм 10:00–17:00"
    entry.string = "Дүй, Шар, Жума 10:00–17:00"
    with path.open("wb") as handle:
        write_po(handle, catalog)
    assert main(["content", "po-import", "ky", str(path), "--author", "edna", "--apply", "--url", users]) == 0
    assert "изменён перевод: Часы работы (кыргызский)" in capsys.readouterr().out
    with session_scope(users) as session:
        organisation = session.execute(select(Organisation).where(Organisation.key == "civic_assistance")).scalar_one()
        assert organisation.revisions[-1].status == "draft"
        assert organisation.revisions[-1].data["translations"]["ky"]["hours"] == "Дүй, Шар, Жума 10:00–17:00"
        assert organisation.translations["ky"]["hours"] == "Дш, Шр, Жм 10:00–17:00"  # a draft until approved


def test_a_po_translation_of_an_older_russian_text_keeps_needs_update(users, tmp_path):
    path = tmp_path / "tg.po"
    main(["content", "po-export", "tg", "--out", str(path), "--url", users])
    with path.open("rb") as handle:
        catalog = read_po(handle)
    entry = next(m for m in catalog if m.context == "employment_contract/any")
    entry.string = "Тарҷума аз матни кӯҳнаи русӣ."
    with path.open("wb") as handle:
        write_po(handle, catalog)
    publish(users, "Русский текст изменился после выгрузки.")
    assert main(["content", "po-import", "tg", str(path), "--author", "edna", "--apply", "--url", users]) == 0
    with session_scope(users) as session:
        [draft] = pending_drafts(get_or_create_answer(session, "employment_contract", "tg", "any"))
        approve_answer(session, draft, session.execute(select(AdminUser).where(AdminUser.username == "rita"))
                       .scalar_one())
        assert get_or_create_answer(session, "employment_contract", "tg", "any").needs_update


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
