"""Issue 16 in a real browser on a 390 px phone: a consultant signs in, claims a waiting conversation, replies; the
reply is queued for the person's chat as typed, and a message the person sends meanwhile appears without losing
the reply being typed."""

from sqlalchemy import select

from bot.admin.accounts import create_user
from bot.content.db import session_scope
from bot.content.models import Organisation
from bot.handoff.desk import Desk, Person
from bot.serving.outbox import Outbox
from tests.admin.browser.conftest import sign_in
from tests.admin.conftest import PASSWORD

PHONE = 390


def test_a_consultant_claims_and_replies_on_a_phone(browser, workspace, users, shots):
    with session_scope(users) as session:
        civic = session.execute(select(Organisation.id).where(Organisation.key == "civic_assistance")).scalar_one()
        create_user(session, "kate", PASSWORD, "consultant", organisation_id=civic, languages=["tg"])
    desk = Desk()
    handoff = desk.open(Person(chat_id="4242", language="tg", city="moscow", country="tajikistan",
                               topic="unpaid_wages"),
                        [civic], [("person", "Меня зовут Фаррух, телефон +7 916 555-44-33, не платят три месяца")])
    page = sign_in(browser, workspace, "kate", width=PHONE)
    assert page.url.endswith("/handoffs/")
    row = page.locator(f"#waiting-{handoff}")
    assert "Фаррух" not in row.inner_text() and "555" not in row.inner_text()  # masked before the claim
    assert "Не платят зарплату" in row.inner_text() and "таджикский" in row.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    page.screenshot(path=str(shots / "handoff-queue-phone.png"), full_page=True)
    row.locator("button.claim").click()
    page.wait_for_selector("#reply-text")
    assert "Фаррух" in page.inner_text("#messages")  # unmasked for the consultant who claimed it
    typed = "<b>Приходите</b> завтра & возьмите *договор*"
    page.fill("#reply-text", "не потеряется")
    desk.from_person(handoff, "Спасибо, жду")
    page.wait_for_function("document.getElementById('messages').innerText.includes('Спасибо, жду')", timeout=15000)
    assert page.input_value("#reply-text") == "не потеряется"  # the refresh left the typed reply alone
    page.fill("#reply-text", typed)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    page.screenshot(path=str(shots / "handoff-conversation-phone.png"), full_page=True)
    page.click("#send")
    page.wait_for_selector(".alert-success")
    assert typed in page.inner_text("#messages")
    outbox = Outbox()
    replies = [r.message["text"] for r in outbox.load(outbox.waiting_ids(100)) if r.chat_id == "4242"]
    assert len(replies) == 2 and typed in replies[1]  # after the notice that a consultant took the question
    assert desk.get(handoff).first_reply_at is not None
