"""The knowledge base on SQLite and PostgreSQL: loading, history, scoping, routing."""

from datetime import date

from sqlalchemy import func, select

from bot.content.db import session_scope
from bot.content.loader import SEED_AUTHOR, load_content
from bot.content.models import Answer, AnswerRevision, Organisation, OrganisationRevision, UnansweredQuestion
from bot.content.queries import published_answer, record_unanswered, route
from bot.settings import SEED_CONTENT

CONTENT = SEED_CONTENT


def count(session, model):
    return session.execute(select(func.count()).select_from(model)).scalar_one()


def test_loading_twice_changes_nothing(seeded):
    with session_scope(seeded) as session:
        before = count(session, AnswerRevision), count(session, OrganisationRevision)
        report = load_content(session, CONTENT)
        assert report.answers_added == report.answers_revised == 0
        assert report.organisations_added == report.organisations_revised == 0
        assert (count(session, AnswerRevision), count(session, OrganisationRevision)) == before


def edit_answer(session, topic, language, scope, body, status="published", author="editor@ngo"):
    answer = session.execute(select(Answer).filter_by(topic=topic, language=language, scope=scope)).scalar_one()
    last = answer.revisions[-1]
    answer.revisions.append(AnswerRevision(number=last.number + 1, status=status, body=body, sources=last.sources,
                                           reviewed_by="Тест НКО", reviewed_on=date(2026, 11, 20), author=author))


def test_a_changed_seed_adds_a_revision_and_keeps_the_old_one(seeded, tmp_path):
    text = (CONTENT / "join_union.yml").read_text(encoding="utf-8")
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "join_union.yml").write_text(text.replace("ru: |\n", "ru: |\n        НОВОЕ.\n", 1), encoding="utf-8")
    with session_scope(seeded) as session:
        report = load_content(session, folder)
        assert report.answers_revised == 1
    with session_scope(seeded) as session:
        answer = session.execute(select(Answer).filter_by(topic="join_union", language="ru", scope="any")).scalar_one()
        assert [r.number for r in answer.revisions] == [1, 2]
        assert not answer.revisions[0].body.startswith("НОВОЕ") and answer.revisions[1].body.startswith("НОВОЕ")
        assert published_answer(session, "join_union", "ru", None).body.startswith("НОВОЕ")


def test_a_maintainers_edit_survives_reloading_the_unchanged_seed(seeded):
    with session_scope(seeded) as session:
        edit_answer(session, "healthcare", "tg", "any", "Матни нав аз НКО")
    with session_scope(seeded) as session:
        load_content(session, CONTENT)
        assert published_answer(session, "healthcare", "tg", None).body == "Матни нав аз НКО"


def test_drafts_are_never_served(seeded):
    with session_scope(seeded) as session:
        edit_answer(session, "healthcare", "ru", "any", "черновик", status="draft")
    with session_scope(seeded) as session:
        assert published_answer(session, "healthcare", "ru", None).body != "черновик"


def test_a_retired_answer_falls_back_to_russian(seeded):
    with session_scope(seeded) as session:
        edit_answer(session, "healthcare", "ky", "any", "—", status="retired")
    with session_scope(seeded) as session:
        served = published_answer(session, "healthcare", "ky", None)
        assert served.language == "ru"


def test_citizenship_picks_the_scoped_answer(seeded):
    with session_scope(seeded) as session:
        assert published_answer(session, "registration_deadline", "ru", "tajikistan").scope == "tajikistan"
        assert published_answer(session, "registration_deadline", "ru", "kyrgyzstan").scope == "eaeu"
        assert published_answer(session, "registration_deadline", "ru", "belarus").scope == "eaeu"
        assert published_answer(session, "registration_deadline", "ru", None).scope == "any"
        assert published_answer(session, "healthcare", "ru", "uzbekistan").scope == "any"
        tajik_for_uzbeks = published_answer(session, "registration_deadline", "tg", "uzbekistan")
        assert (tajik_for_uzbeks.language, tajik_for_uzbeks.scope) == ("tg", "uzbekistan")


def test_routing_offers_only_active_organisations_local_first(seeded):
    with session_scope(seeded) as session:
        statuses = dict(session.execute(select(Organisation.key, Organisation.status)).all())
        found = route(session, "unpaid_wages", "moscow", "ru", "tajikistan")
        assert found.found_local and found.organisations
        assert all(statuses[o.key] == "active" for o in found.organisations)
        assert found.organisations[0].local
        assert len(found.organisations) <= 3


def test_routing_without_local_help_offers_nationwide_and_home_country(seeded):
    with session_scope(seeded) as session:
        found = route(session, "unpaid_wages", "surgut", "tg", "tajikistan")
        assert not found.found_local
        assert all(o.nationwide or o.kind in ("home_country_agency", "consulate", "hotline")
                   for o in found.organisations)


def test_home_country_agencies_serve_their_own_citizens(seeded):
    with session_scope(seeded) as session:
        organisations = {o.key: o for o in session.execute(select(Organisation)).scalars()}
        for view in route(session, "consulate_contacts", None, "ky", "kyrgyzstan").organisations:
            served = organisations[view.key].countries
            assert not served or "kyrgyzstan" in served


def test_an_unverified_organisation_becomes_offered_once_vetted(seeded):
    with session_scope(seeded) as session:
        organisation = session.execute(select(Organisation).where(Organisation.status == "active")).scalars().first()
        topic = organisation.topics[0].topic
        organisation.status = "unverified"
    with session_scope(seeded) as session:
        assert organisation.key not in {o.key for o in route(session, topic, None, "ru").organisations}
        assert organisation.key not in {o.key for o in route(session, topic, "moscow", "ru").organisations}


def test_unanswered_questions_are_stored_masked(seeded):
    with session_scope(seeded) as session:
        record_unanswered(session, "мой паспорт AA1234567, телефон +7 916 123-45-67", "ru", "passport_withheld", 0.1)
    with session_scope(seeded) as session:
        stored = session.execute(select(UnansweredQuestion)).scalar_one()
        assert "1234567" not in stored.text and "916" not in stored.text
        assert stored.best_guess == "passport_withheld"


def test_seed_revisions_are_marked_as_seed(seeded):
    with session_scope(seeded) as session:
        authors = set(session.execute(select(AnswerRevision.author)).scalars())
        assert authors == {SEED_AUTHOR}


def test_a_missing_content_folder_is_an_error_not_an_empty_load(db_url, tmp_path, capsys):
    from bot.cli import main

    assert main(["content", "load", "--folder", str(tmp_path / "no-such-folder"), "--url", db_url]) == 2
    assert "no such content folder" in capsys.readouterr().err
    with session_scope(db_url) as session:
        assert session.scalar(select(func.count(Answer.id))) == 0
