"""The workspace in a real headless Chromium: edit, second-person approval, the bot's reply, roles, freshness."""

from datetime import date, timedelta

from bot.admin.workflow import get_or_create_answer
from bot.answering import Turn, answer_from
from bot.content.db import session_scope
from tests.admin.browser.conftest import sign_in
from tests.admin.web import action_reply

TOPIC = "employment_contract"
NEW_TEXT = "Трудовой договор заключайте письменно, до начала работы. Экземпляр — у вас."


def bot_reply(url, language="ru"):
    """The bot's next reply: the real answer action, reading the database the workspace writes."""
    with session_scope(url) as session:  # the same text the action builds, from the library
        built = answer_from(session, Turn(TOPIC, language)).messages[0].text
    sent = action_reply(TOPIC, language)  # Playwright's sync API keeps an event loop in this thread
    assert sent == built
    return sent


def test_edit_then_another_person_approves_and_the_bot_replies_with_it(browser, workspace, users, shots):
    editor = sign_in(browser, workspace, "edna")
    editor.goto(f"{workspace}/answers/{TOPIC}/any/")
    editor.fill("#body-ru", NEW_TEXT)
    editor.screenshot(path=str(shots / "answer-side-by-side.png"), full_page=False)
    editor.click("#save-ru")
    editor.wait_for_selector(".alert")
    assert NEW_TEXT not in bot_reply(users)  # a draft is not served

    # The editor cannot publish: no approve button, and the bot still serves the old text.
    editor.goto(f"{workspace}/review/")
    assert editor.locator(".draft").count() == 1
    assert editor.locator(".draft .approve").count() == 0
    assert NEW_TEXT not in bot_reply(users)

    reviewer = sign_in(browser, workspace, "rita")
    reviewer.goto(f"{workspace}/review/")
    reviewer.wait_for_selector(".draft ins")
    reviewer.screenshot(path=str(shots / "review-diff.png"), full_page=True)
    reviewer.click(".draft .approve")
    reviewer.wait_for_selector(".alert-success, .alert")
    assert reviewer.locator(".draft").count() == 0
    assert bot_reply(users).startswith(NEW_TEXT)  # served at once, no retraining

    # Translations now need an update; the Uzbek column shows the Cyrillic preview.
    reviewer.goto(f"{workspace}/answers/{TOPIC}/any/")
    assert reviewer.locator(".needs-update").count() == 3
    assert reviewer.locator("#lang-uz .cyrillic-preview").count() == 1
    reviewer.goto(f"{workspace}/answers/history/{answer_id(users)}/")
    assert reviewer.locator(".revision").first.inner_text().count("edna") >= 1
    reviewer.screenshot(path=str(shots / "history.png"), full_page=False)
    editor.context.close()
    reviewer.context.close()


def answer_id(url):
    with session_scope(url) as session:
        return get_or_create_answer(session, TOPIC, "ru", "any").id


def test_a_stale_answer_appears_on_the_dashboard(browser, workspace, users, shots):
    with session_scope(users) as session:
        answer = get_or_create_answer(session, TOPIC, "tg", "any")
        answer.revisions[-1].reviewed_on = date.today() - timedelta(days=200)
    page = sign_in(browser, workspace, "edna")
    page.goto(f"{workspace}/")
    assert "Трудовой договор · таджикский · все граждане" in page.locator("#stale-answers").inner_text()
    page.screenshot(path=str(shots / "dashboard.png"), full_page=True)
    page.click(f"#stale-answers a[data-key='{TOPIC}/tg/any']")
    page.wait_for_selector("#lang-tg")
    page.context.close()


def test_wrong_password_stays_on_the_sign_in_page(browser, workspace):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{workspace}/login")
    page.fill("#username", "edna")
    page.fill("#password", "not the password at all")
    page.click("#sign-in")
    page.wait_for_selector("#error")
    assert "/login" in page.url and page.locator("#who").count() == 0
    context.close()


def test_pages_switch_language(browser, workspace):
    page = sign_in(browser, workspace, "edna")
    page.click("#page-languages a[data-language='ky']")
    assert page.locator("#page-languages a[data-language='ky']").inner_text() == "Кыргызча"
    page.goto(f"{workspace}/answers/")
    assert "Жооптор" in page.content()
    page.context.close()


def test_flask_admin_pages_speak_uzbek(browser, workspace, shots):
    page = sign_in(browser, workspace, "ada")
    page.click("#page-languages a[data-language='uz']")
    page.goto(f"{workspace}/users/")
    assert page.locator("input[name=search]").get_attribute("placeholder") == "Foydalanuvchi nomi"
    assert "Roʻyxat" in page.inner_text(".nav-tabs") and "Yaratish" in page.inner_text(".nav-tabs")
    page.screenshot(path=str(shots / "users-uz.png"), full_page=False)
    page.goto(f"{workspace}/users/new/")
    page.eval_on_selector("form.admin-form", "form => form.noValidate = true")  # the server's own message
    page.click("input[type=submit][value='Saqlash']")
    page.wait_for_selector(".alert")
    assert "Bu maydonni toʻldiring." in page.content() and "This field is required." not in page.content()
    page.context.close()


def test_preview_shows_an_organisation_draft_after_not_before(browser, workspace, users, shots):
    from sqlalchemy import select

    from bot.admin.workflow import propose_organisation
    from bot.content.models import AdminUser

    with session_scope(users) as session:
        ada = session.execute(select(AdminUser).where(AdminUser.username == "ada")).scalar_one()
        revision = propose_organisation(session, {
            "key": "kazan_help", "name": "Казанская помощь мигрантам", "kind": "ngo", "cities": ["kazan"],
            "topics": ["unpaid_wages"], "languages": ["ru"], "status": "active", "vetted_by": "НКО",
            "vetted_on": date.today().isoformat()}, ada).id
    page = sign_in(browser, workspace, "rita")
    page.goto(f"{workspace}/review/")
    page.click(f"#draft-organisation-{revision} a.preview-organisation")
    page.wait_for_selector("#after")
    assert "Казанская помощь мигрантам" in page.inner_text("#after")
    assert "Казанская помощь мигрантам" not in page.inner_text("#before")
    page.screenshot(path=str(shots / "preview-organisation.png"), full_page=True)
    page.context.close()
