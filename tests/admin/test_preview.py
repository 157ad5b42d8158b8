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


def test_the_preview_says_why_a_draft_is_missing_with_the_bots_routing(users):
    from bot.admin import reasons as R
    from bot.admin.preview import why_not_listed
    from bot.admin.workflow import validate_organisation

    def why(data, **turn):
        record = validate_organisation({**NEW, **data})
        with session_scope(users) as session:
            return [r.message for r in why_not_listed(session, record,
                                                       Turn(turn.pop("topic", "unpaid_wages"), "ru", **turn))]

    assert why({}, city="kazan", country="uzbekistan") == []
    assert why({"status": "unverified"}, city="kazan", country="uzbekistan") == [R.WHY_NOT_ACTIVE]
    assert why({}, topic="healthcare", city="kazan") == [R.WHY_OTHER_TOPIC]
    # An active organisation without a topic or city is refused when saved; an unverified one can lack them.
    assert why({"topics": [], "status": "unverified"}, city="kazan") == [R.WHY_NOT_ACTIVE, R.WHY_NO_TOPIC]
    assert why({}, city="moscow") == [R.WHY_OTHER_CITY]
    assert why({}) == [R.WHY_CITY_UNKNOWN]
    assert why({"cities": [], "status": "unverified"}, city="kazan") == [R.WHY_NOT_ACTIVE, R.WHY_NO_CITY]
    assert why({"countries": ["tajikistan"]}, city="kazan", country="kyrgyzstan") == [R.WHY_OTHER_CITIZENSHIP]
    assert why({"countries": ["tajikistan"]}, city="kazan") == [R.WHY_CITIZENSHIP_UNKNOWN]
    # Active, right topic, city and citizenship, but the bot names three others first (local, free, reachable).
    assert why({"nationwide": True, "cities": [], "free": False}, city="moscow", country="uzbekistan") == \
        [R.WHY_OTHERS_FIRST]


def test_the_preview_lists_where_a_draft_will_appear(users):
    revision = draft(users, {**NEW, "countries": ["tajikistan"], "topics": ["unpaid_wages", "healthcare"]})
    client = client_for(make_app(users))
    login(client, "edna")
    client.get("/lang/uz")
    page = client.get(f"/preview/?organisation_draft={revision}").get_data(as_text=True)
    appears = page.split('id="appears"')[1].split("</div></div>")[0]
    assert "Ish haqini toʻlashmayapti" in appears and "Tibbiy yordam" in appears  # both topics, by name
    assert "Qozon (Tojikiston)" in appears and "Moskva" not in appears


def test_the_coverage_page_names_everything_and_marks_the_holes(users):
    client = client_for(make_app(users))
    login(client, "edna")
    page = client.get("/coverage/").get_data(as_text=True)
    assert "Не платят зарплату" in page and "Таджикистан" in page
    assert 'class="hole"' in page and 'class="full"' in page
    client.get("/lang/ky")
    topic = client.get("/coverage/unpaid_wages/").get_data(as_text=True)
    moscow = topic.split('data-city="moscow"')[1].split("</tr>")[0]
    assert "Москва" in moscow and "Комитет «Гражданское содействие»" in moscow
    hole = topic.split('class="hole"')[1].split("</td>")[0]
    assert "эч ким" in hole or "байланыш жок" in hole  # a hole says why, in the page language
    assert "/coverage/" in client.get("/").get_data(as_text=True)
