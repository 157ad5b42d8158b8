"""Issue 14 in a real browser: no lost edits (two drafts, a stale import), sessions that end, a lock-out that
stays with the attacker's address, forms that cannot be filled in wrong, the preview's reasons, the coverage page,
and every page on a 390 px phone."""

from datetime import date

import pytest
from sqlalchemy import select

from bot.admin.workflow import approve_answer, get_or_create_answer, pending_drafts, propose_answer, served_revision
from bot.content.db import session_scope
from bot.content.models import AdminUser, Organisation, OrganisationRevision
from bot.content.queries import route
from tests.admin.browser.conftest import guess_wrong, rewrite_csv, sign_in
from tests.admin.conftest import PASSWORD

PHONE = 390


def organisation(url, key="civic_assistance"):
    with session_scope(url) as session:
        row = session.execute(select(Organisation).where(Organisation.key == key)).scalar_one()
        return {"status": row.status, "hours": row.hours, "note": row.note,
                "drafts": [r.id for r in row.revisions if r.status == "draft"]}


def bot_lists(url, key="civic_assistance", topic="unpaid_wages", city="moscow"):
    with session_scope(url) as session:
        return key in {o.key for o in route(session, topic, city, "ru", "uzbekistan").organisations}


def approve_on_review_page(page, base, revision_id):
    page.goto(f"{base}/review/")
    page.click(f"#draft-organisation-{revision_id} .approve")
    page.wait_for_selector(".alert-success")


def test_two_drafts_race_both_changes_stand(browser, workspace, users, shots):
    """An admin closes the organisation while an editor, on a page opened before, changes only its hours;
    the reviewer approves both: it stays closed, with the new hours, and the bot no longer lists it."""
    admin, editor = sign_in(browser, workspace, "ada"), sign_in(browser, workspace, "edna", address="192.0.2.2")
    for page in (admin, editor):
        page.goto(f"{workspace}/organisations/edit/civic_assistance/")
    admin.select_option("#status", "inactive")
    admin.click("#save-organisation")
    admin.wait_for_selector(".alert-success")
    editor.fill("#hours", "Вт, Чт 11:00–15:00")
    editor.click("#save-organisation")
    editor.wait_for_selector(".alert-success")
    closing, hours = organisation(users)["drafts"]
    reviewer = sign_in(browser, workspace, "rita", address="192.0.2.3")
    approve_on_review_page(reviewer, workspace, closing)
    assert not bot_lists(users)
    reviewer.goto(f"{workspace}/review/")
    card = reviewer.locator(f"#draft-organisation-{hours}")
    assert card.locator(".merges").count() == 1  # the page says the two will be combined
    assert "Часы работы" in card.inner_text() and "не работает" in card.inner_text()
    reviewer.screenshot(path=str(shots / "review-merge.png"), full_page=True)
    approve_on_review_page(reviewer, workspace, hours)
    after = organisation(users)
    assert after["status"] == "inactive" and after["hours"] == "Вт, Чт 11:00–15:00"
    assert not bot_lists(users)  # closed stays closed: not back in the bot's replies
    for page in (admin, editor, reviewer):
        page.context.close()


def test_the_same_field_twice_is_rebased_by_its_author(browser, workspace, users, shots):
    first, second = sign_in(browser, workspace, "edna"), sign_in(browser, workspace, "rob", address="192.0.2.2")
    for page in (first, second):
        page.goto(f"{workspace}/organisations/edit/civic_assistance/")
    first.fill("#hours", "Пн 10:00–12:00")
    first.click("#save-organisation")
    first.wait_for_selector(".alert-success")
    second.fill("#hours", "Ср 14:00–18:00")
    second.fill("#note", "Приём по записи.")
    second.click("#save-organisation")
    second.wait_for_selector(".alert-success")
    mine, theirs = organisation(users)["drafts"]
    reviewer = sign_in(browser, workspace, "rita", address="192.0.2.3")
    approve_on_review_page(reviewer, workspace, theirs)
    reviewer.goto(f"{workspace}/review/")
    card = reviewer.locator(f"#draft-organisation-{mine}")
    assert card.locator(".needs-rebase").count() == 1 and card.locator(".approve").count() == 0
    assert card.locator("tr.conflict").count() == 1  # the hours, changed by both
    # The author rebases: the form starts from what is published now plus their own change.
    first.goto(f"{workspace}/review/")
    assert first.locator(f"#draft-organisation-{mine} .withdraw").inner_text() == "Отозвать"
    first.click(f"#draft-organisation-{mine} .rebase")
    first.wait_for_selector("#rebase-form")
    assert first.input_value("#hours") == "Пн 10:00–12:00" and first.input_value("#note") == "Приём по записи."
    first.screenshot(path=str(shots / "rebase.png"), full_page=True)
    first.fill("#hours", "Пн 10:00–12:00, Ср 14:00–18:00")
    first.click("#save-rebase")
    first.wait_for_selector(".alert-success")
    [rebased] = organisation(users)["drafts"]
    approve_on_review_page(reviewer, workspace, rebased)
    after = organisation(users)
    assert after["hours"] == "Пн 10:00–12:00, Ср 14:00–18:00" and after["note"] == "Приём по записи."
    for page in (first, second, reviewer):
        page.context.close()


def test_a_stale_import_is_a_conflict_named_by_row(browser, workspace, users, shots, tmp_path):
    editor = sign_in(browser, workspace, "edna")
    editor.goto(f"{workspace}/exchange/")
    link = editor.get_attribute("#exports a:text('answers.csv')", "href")
    exported = tmp_path / "answers.csv"

    def edit_healthcare(rows):
        row = next(r for r in rows if (r["topic"], r["language"]) == ("healthcare", "ru"))
        row["body"] = "Правка по старой выгрузке."

    # Fetched by the page itself, with its session (what clicking the link downloads).
    rows = rewrite_csv(editor.evaluate("async url => (await fetch(url)).text()", link), exported, edit_healthcare)
    index = next(i for i, r in enumerate(rows) if r["body"] == "Правка по старой выгрузке.")
    # Meanwhile a colleague's edit of that answer is published in the workspace.
    with session_scope(users) as session:
        answer = get_or_create_answer(session, "healthcare", "ru", "any")
        users_by_name = {u.username: u for u in session.execute(select(AdminUser)).scalars()}
        approve_answer(session, propose_answer(session, answer, "Текст коллеги.", "rob"), users_by_name["rita"])
    editor.goto(f"{workspace}/exchange/")
    editor.set_input_files("#file", str(exported))
    editor.click("#check-file")
    editor.wait_for_selector("#import-errors")
    errors = editor.inner_text("#import-errors")
    assert f"в таблице — строка {index + 2}" in errors and "Медицинская помощь · русский · все граждане" in errors
    assert "изменено одно и то же: Текст" in errors and editor.locator("#apply-import").count() == 0
    editor.screenshot(path=str(shots / "import-conflict.png"), full_page=True)
    with session_scope(users) as session:
        answer = get_or_create_answer(session, "healthcare", "ru", "any")
        assert not pending_drafts(answer) and served_revision(answer).body == "Текст коллеги."
    editor.context.close()


def test_a_saved_cookie_stops_working_after_sign_out(browser, workspace):
    page = sign_in(browser, workspace, "edna")
    saved = page.context.cookies()
    assert any(c["name"] == "hamroh_admin" for c in saved)
    copy = browser.new_context(extra_http_headers={"X-Forwarded-For": "192.0.2.1"})
    copy.add_cookies(saved)
    thief = copy.new_page()
    thief.goto(f"{workspace}/answers/")
    assert "/login" not in thief.url  # while the session lives, the copy works
    page.click("#logout")
    page.wait_for_selector("#sign-in")
    thief.goto(f"{workspace}/answers/")
    assert "/login" in thief.url  # sign-out ended every session of the account
    copy.close()
    page.context.close()


def test_a_lock_out_from_one_address_leaves_another_signing_in(browser, workspace):
    attacker = guess_wrong(browser, workspace, "edna", "203.0.113.66")
    attacker.fill("#username", "edna")
    attacker.fill("#password", PASSWORD)  # even the right password, from there
    attacker.click("#sign-in")
    attacker.wait_for_selector("#error")
    assert "Слишком много неудачных попыток" in attacker.inner_text("#error")
    owner = sign_in(browser, workspace, "edna", address="198.51.100.7")  # her own office
    assert "/login" not in owner.url
    attacker.context.close()
    owner.context.close()


def test_refused_answer_keeps_what_was_typed_and_money_reads_as_the_bot_says_it(browser, workspace, users, shots):
    page = sign_in(browser, workspace, "edna")
    page.goto(f"{workspace}/answers/patent_payment/any/")
    text = page.input_value("#body-ru")
    assert "[rub:" not in text and "₽" in text  # the editor shows amounts, not tokens
    page.fill("#reviewed-by-ru", "")
    page.fill("#body-ru", text + "\nШтраф до 7 000 ₽.")
    page.click("#save-ru")
    page.wait_for_selector("#reviewed_by-errors")
    assert page.input_value("#body-ru").endswith("Штраф до 7 000 ₽.")  # nothing typed is lost
    page.fill("#reviewed-by-ru", "Редакция Хамрох")
    page.click("#save-ru")
    page.wait_for_selector(".alert-success")
    with session_scope(users) as session:
        [draft] = pending_drafts(get_or_create_answer(session, "patent_payment", "ru", "any"))
        assert draft.body.endswith("Штраф до [rub:7000].") and "[rub:" in draft.body.split("\n")[0] + draft.body
    page.goto(f"{workspace}/answers/patent_payment/any/")
    cyrillic = page.inner_text("#lang-uz .cyrillic-preview")
    assert "[" not in cyrillic and "₽" in cyrillic  # tokens are never transliterated
    page.context.close()


def test_an_organisation_is_chosen_from_lists_and_the_preview_says_why_it_is_missing(browser, workspace, users,
                                                                                        shots):
    page = sign_in(browser, workspace, "edna")
    page.goto(f"{workspace}/organisations/edit/")
    page.fill("#name", "Казанская помощь мигрантам")
    page.check("#field-topics label:text-is('Не платят зарплату') >> xpath=preceding-sibling::input")
    page.check("#field-cities label:text-is('Казань') >> xpath=preceding-sibling::input")
    page.check("#field-countries label:text-is('Таджикистан') >> xpath=preceding-sibling::input")
    page.fill("#phone", "+7 843 000-00-00")
    page.fill("#tg-name", "Кӯмак ба муҳоҷирон дар Қазон")
    page.screenshot(path=str(shots / "organisation-form.png"), full_page=True)
    page.click("#save-organisation")
    page.wait_for_selector(".alert-success")
    with session_scope(users) as session:
        row = session.execute(select(Organisation).where(Organisation.name == "Казанская помощь мигрантам")).scalar_one()
        draft = row.revisions[-1]
        assert draft.data["cities"] == ["kazan"] and draft.data["key"] == "kazanskaya_pomosh_migrantam"
        assert draft.data["translations"]["tg"]["name"] == "Кӯмак ба муҳоҷирон дар Қазон"
    # Not yet vetted, for Tajik citizens only: the preview says why an Uzbek citizen in Kazan would not see it.
    page.goto(f"{workspace}/preview/?topic=unpaid_wages&language=ru&country=uzbekistan&city=kazan"
              f"&organisation_draft={draft.id}")
    reasons = page.inner_text("#why-not")
    assert "не отмечена как работающая" in reasons and "гражданам других стран" in reasons
    assert "Нигде" in page.inner_text("#appears")  # unverified: the bot lists it nowhere
    page.goto(f"{workspace}/preview/?topic=unpaid_wages&language=ru&country=tajikistan&city=moscow"
              f"&organisation_draft={draft.id}")
    assert "не работает в этом городе" in page.inner_text("#why-not")  # Kazan only
    page.screenshot(path=str(shots / "preview-why-not.png"), full_page=True)
    # Vetted by an admin: the preview lists where it will appear, in Tajik for the Tajik citizen.
    admin = sign_in(browser, workspace, "ada", address="192.0.2.2")
    admin.goto(f"{workspace}/organisations/")
    assert admin.locator("#proposals").inner_text().count("Казанская помощь мигрантам") == 1
    reviewer = sign_in(browser, workspace, "rita", address="192.0.2.3")
    approve_on_review_page(reviewer, workspace, draft.id)
    admin.goto(f"{workspace}/organisations/edit/{draft.data['key']}/")
    admin.select_option("#status", "active")
    admin.fill("#vetted_on", date.today().isoformat())
    admin.click("#save-organisation")
    admin.wait_for_selector(".alert-success")
    with session_scope(users) as session:
        vetting = session.execute(select(OrganisationRevision).where(OrganisationRevision.status == "draft")
                                  ).scalars().all()[-1].id
    admin.goto(f"{workspace}/preview/?topic=unpaid_wages&language=tg&country=tajikistan&city=kazan"
               f"&organisation_draft={vetting}")
    assert "Кӯмак ба муҳоҷирон дар Қазон" in admin.inner_text("#after")
    assert "Казань (Таджикистан)" in admin.inner_text("#appears")
    for each in (page, admin, reviewer):
        each.context.close()


def test_coverage_page_shows_holes_and_drills_into_a_topic(browser, workspace, shots):
    page = sign_in(browser, workspace, "edna")
    page.goto(f"{workspace}/")
    page.click("#coverage-link")
    page.wait_for_selector("#coverage")
    assert page.locator("#coverage td.hole").count() > 0  # some citizenship gets no contact somewhere
    page.screenshot(path=str(shots / "coverage.png"), full_page=False)
    page.click("#coverage tr[data-topic='unpaid_wages'] a.topic-link")
    page.wait_for_selector("#coverage-topic")
    moscow = page.locator("#coverage-topic tr[data-city='moscow'] td[data-country='uzbekistan']").inner_text()
    assert "Комитет «Гражданское содействие»" in moscow
    page.screenshot(path=str(shots / "coverage-topic.png"), full_page=False)
    page.click("#page-languages a[data-language='tg']")
    assert "Маскав" in page.inner_text("#coverage-topic")
    page.context.close()


PAGES = ["/", "/answers/", "/answers/employment_contract/any/", "/review/", "/organisations/",
         "/organisations/edit/", "/organisations/edit/civic_assistance/", "/organisations/history/civic_assistance/",
         "/coverage/", "/coverage/police_stop/", "/inbox/", "/preview/?topic=police_stop&language=tg&city=moscow",
         "/exchange/", "/account/", "/users/", "/users/new/", "/audit/"]


PHONE_SHOTS = ("dashboard", "answers-employment_contract-any", "review", "organisations-edit-civic_assistance",
               "coverage-police_stop")
"""Phone screenshots kept in docs/admin (every page is measured)."""


@pytest.mark.parametrize("language", ["ru", "ky"])
def test_every_page_fits_a_phone(browser, workspace, users, shots, language):
    from bot.content.queries import record_unanswered

    with session_scope(users) as session:
        record_unanswered(session, "Где в Новосибирске бесплатный юрист по зарплате, если работодатель не платит?",
                          "ru", "unpaid_wages", 0.3)
        answer = get_or_create_answer(session, "employment_contract", "ru", "any")
        propose_answer(session, answer, "Договор — письменно, до начала работы, экземпляр у вас.", "rob")
    page = sign_in(browser, workspace, "ada", width=PHONE)
    page.goto(f"{workspace}/lang/{language}?next=/")
    wide = {}
    for path in PAGES:
        page.goto(f"{workspace}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE:
            wide[path] = width
        name = path.strip("/").split("?")[0].replace("/", "-") or "dashboard"
        if language == "ru" and name in PHONE_SHOTS:
            page.screenshot(path=str(shots / f"phone-{name}.png"), full_page=False)
    assert not wide, f"pages wider than a {PHONE} px phone: {wide}"
    page.context.close()
