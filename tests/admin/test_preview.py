"""Preview of organisation drafts: the organisations the bot would list, now and with the draft published."""

from datetime import date

from sqlalchemy import select

from bot.admin.workflow import organisation_snapshot, propose_organisation
from bot.answering import Turn, answer_from
from bot.content.db import session_scope
from bot.content.models import AdminUser, Organisation, OrganisationRevision
from tests.admin.web import client_for, login, make_app

NEW = {"key": "kazan_help", "name": "Казанская помощь мигрантам", "kind": "ngo", "cities": ["kazan"],
       "topics": ["unpaid_wages"], "languages": ["ru", "tg"], "free": True, "status": "active",
       "vetted_by": "Проверяющая НКО", "vetted_on": date.today().isoformat()}


def draft(url, record, author="ada"):
    with session_scope(url) as session:
        user = session.execute(select(AdminUser).where(AdminUser.username == author)).scalar_one()
        return propose_organisation(session, record, user).id


def columns(client, query):
    page = client.get(f"/preview/?{query}").get_data(as_text=True)
    before, after = page.split('id="before"')[1].split('id="after"')
    return before, after


def bot_routing(url, city, country="uzbekistan"):
    """What the bot itself lists, from the same answering code."""
    with session_scope(url) as session:
        return answer_from(session, Turn("unpaid_wages", "ru", country=country, city=city)).messages[-1].text


def test_a_new_organisation_shows_after_and_not_before(users):
    revision = draft(users, NEW)
    client = client_for(make_app(users))
    login(client, "edna")
    before, after = columns(client, f"topic=unpaid_wages&language=ru&country=uzbekistan&city=kazan"
                                    f"&organisation_draft={revision}")
    assert "Казанская помощь мигрантам" not in before and "Казанская помощь мигрантам" in after
    assert "Казанская помощь мигрантам" not in bot_routing(users, "kazan")  # the draft is still a draft
    # Without a topic or city, the preview shows the draft where the bot would list it.
    before, after = columns(client, f"language=tg&organisation_draft={revision}")
    assert "Казанская помощь мигрантам" not in before and "Казанская помощь мигрантам" in after
    with session_scope(users) as session:
        assert session.get(OrganisationRevision, revision).status == "draft"
        assert session.execute(select(Organisation).where(Organisation.key == "kazan_help")).scalar_one().status \
            == "unverified"


def test_a_closed_organisation_leaves_after_and_stays_before(users):
    with session_scope(users) as session:
        record = organisation_snapshot(session.execute(
            select(Organisation).where(Organisation.key == "civic_assistance")).scalar_one())
    name = record["name"]
    assert name in bot_routing(users, "moscow")
    revision = draft(users, {**record, "status": "inactive"})
    client = client_for(make_app(users))
    login(client, "rita")
    before, after = columns(client, f"topic=unpaid_wages&language=ru&country=uzbekistan&city=moscow"
                                    f"&organisation_draft={revision}")
    assert name in before and name not in after
    assert name in bot_routing(users, "moscow")
    review = client.get("/review/").get_data(as_text=True)
    assert f"/preview/?organisation_draft={revision}" in review
