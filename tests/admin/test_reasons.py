"""Why something was refused, in the person's language: workspace pages and the command line."""

import ast
import csv
import io
from pathlib import Path

import pytest

from bot.admin import reasons as R
from bot.admin.errors import Reason
from bot.cli import main
from tests.admin.web import client_for, login, make_app, post

ADMIN = Path(__file__).resolve().parents[2] / "bot" / "admin"


def test_every_reason_is_a_catalog_message():
    """WorkflowError, Reason and ValidationError get a message constant, never a literal or an f-string."""
    def catalog_message(node):
        if isinstance(node, ast.IfExp):
            return catalog_message(node.body) and catalog_message(node.orelse)
        if isinstance(node, ast.Attribute):
            return getattr(node.value, "id", "") in ("R", "T", "D")  # reasons, texts, desk_texts
        # A ValidationError shows an already translated text: tr(T.…) or a reason's .text(language).
        return isinstance(node, ast.Call) and (getattr(node.func, "id", "") == "tr"
                                               or getattr(node.func, "attr", "") == "text")

    found, literal = 0, []
    for path in ADMIN.glob("*.py"):
        if path.name == "errors.py":  # where Reason and WorkflowError pass their message on
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("WorkflowError", "Reason",
                                                                                  "ValidationError"):
                found += 1
                if not (node.args and catalog_message(node.args[0])):
                    literal.append(f"{path.name}:{node.lineno}")
    assert found > 50 and not literal, literal


def test_a_reason_translates_its_nested_reasons():
    reason = Reason(R.AT_LINE, line=3, reason=Reason(R.UNKNOWN_TOPIC, topic="x"))
    assert str(reason) == "Строка 3: Неизвестная тема «x»."
    assert reason.text("uz") == "3-qator: Notanish mavzu «x»."
    assert reason.text("ky") == "3-сап: Белгисиз тема «x»."


def signed_in(app, name, language):
    client = client_for(app)
    client.get(f"/lang/{language}")
    assert login(client, name).status_code == 302
    return client


@pytest.mark.parametrize("language,empty,own,key", [
    ("ru", "Текст ответа пустой.", "Черновик должен одобрить другой человек, не его автор.", "Ключ: только"),
    ("uz", "Javob matni boʻsh.", "Qoralamani muallifi emas, boshqa kishi tasdiqlashi kerak.", "Kalit: faqat"),
    ("tg", "Матни ҷавоб холӣ аст.", "Сиёҳнависро бояд шахси дигар тасдиқ кунад, на муаллифи он.", "Калид: танҳо"),
    ("ky", "Жооптун тексти бош.", "Долбоорду автору эмес, башка адам жактырышы керек.", "Ачкыч: кичине"),
])
def test_refusals_on_pages_are_in_the_page_language(users, language, empty, own, key):
    app = make_app(users)
    page = "/answers/employment_contract/any/"
    reviewer = signed_in(app, "rita", language)
    response = post(reviewer, "/answers/employment_contract/any/ru/draft", {"body": "  ", "reviewed_by": "НКО с <b>"},
                    page)
    html = response.get_data(as_text=True)
    # Refused: the reason beside the text field, and what was typed is still there.
    assert response.status_code == 400 and f'<div class="field-errors" id="body-errors"><div>{empty}</div>' in html
    assert 'value="НКО с &lt;b&gt;"' in html.split('id="lang-ru"')[1].split('id="lang-uz"')[0]
    post(reviewer, "/answers/employment_contract/any/ru/draft", {"body": "Свой текст.", "reviewed_by": "НКО"}, page)
    review = reviewer.get("/review/").get_data(as_text=True)
    draft = review.split('id="draft-answer-')[1].split('"')[0]
    post(reviewer, f"/review/answer/{draft}/approve", {}, "/review/")
    assert own in reviewer.get("/review/").get_data(as_text=True)
    response = post(reviewer, "/organisations/edit/", {"key": "Bad Key!", "name": "Моя НКО", "kind": "ngo",
                                                       "hours": "с 9 до 18"}, "/organisations/edit/")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and key in html.split('id="key-errors"')[1].split("</div>")[0]
    assert 'value="Моя НКО"' in html and 'value="с 9 до 18"' in html
    admin = signed_in(app, "ada", language)
    new = post(admin, "/users/new/", {"username": "Edna", "role": "editor", "new_password": "long enough phrase"},
               "/users/new/").get_data(as_text=True)
    assert Reason(R.USER_EXISTS, name="Edna").text(language) in new  # not the database's English error
    short = post(admin, "/users/new/", {"username": "newbie", "role": "editor", "new_password": "short"},
                 "/users/new/").get_data(as_text=True)
    assert Reason(R.PASSWORD_SHORT, n=12).text(language) in short
    for english in ("unknown", "must", "empty", "other than", "already exists", "IntegrityError"):
        assert english not in new + short + review


def broken_csv(url, tmp_path):
    path = tmp_path / "answers.csv"
    main(["content", "export", str(path), "--url", url])
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    rows[1][0] = "no_such_topic"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


@pytest.mark.parametrize("variable,value,expected,nothing", [
    ("LANG", "C.UTF-8", "ошибка: Строка 2 (в таблице — строка 2): Неизвестная тема «no_such_topic».",
     "Ничего не загружено."),
    ("LANG", "uz_UZ.UTF-8", "xato: 2-qator (jadvalda 2-qator): Notanish mavzu «no_such_topic».",
     "Hech narsa yuklanmadi."),
    ("LANGUAGE", "tg", "хато: Сатри 2 (дар ҷадвал сатри 2): Мавзӯи номаълум «no_such_topic».",
     "Ҳеҷ чиз бор карда нашуд."),
    ("LC_ALL", "ky_KG.UTF-8", "ката: 2-сап (таблицада 2-сап): Белгисиз тема «no_such_topic».",
     "Эч нерсе жүктөлгөн жок."),
])
def test_the_command_line_speaks_the_locales_language_else_russian(users, tmp_path, capsys, monkeypatch,
                                                                     variable, value, expected, nothing):
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(variable, value)
    path = broken_csv(users, tmp_path)
    capsys.readouterr()
    assert main(["content", "import", str(path), "--url", users]) == 2
    err = capsys.readouterr().err.splitlines()
    assert expected in err and nothing in err


@pytest.mark.parametrize("language", ["tg", "ky"])
def test_refused_account_edits_keep_the_form_and_say_why(users, language):
    """Flask-Admin 2.1 answered 500 when an edit was refused; the workspace shows the reason instead."""
    from sqlalchemy import select

    from bot.content.db import session_scope
    from bot.content.models import AdminUser

    with session_scope(users) as session:
        edna = session.execute(select(AdminUser).where(AdminUser.username == "edna")).scalar_one().id
    admin = signed_in(make_app(users), "ada", language)
    page = f"/users/edit/?id={edna}"
    for data, reason in (({"new_password": "short"}, Reason(R.PASSWORD_SHORT, n=12)),
                         ({"username": "Rita"}, Reason(R.USER_EXISTS, name="Rita"))):
        response = post(admin, page, {"username": "edna", "role": "editor", "active": "y", **data}, page)
        assert response.status_code == 200 and reason.text(language) in response.get_data(as_text=True)
    with session_scope(users) as session:
        assert session.get(AdminUser, edna).username == "edna"
