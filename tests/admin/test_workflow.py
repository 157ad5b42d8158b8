"""Four-eyes publishing, restore, translation care and organisation vetting, on SQLite and PostgreSQL."""

from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from bot.admin import reasons as R
from bot.admin import texts as T
from bot.admin.errors import WorkflowError
from bot.admin.workflow import (
    approve_answer, approve_organisation, confirm_translation, get_or_create_answer, pending_drafts,
    propose_answer, propose_organisation, reject_draft, restore_answer, served_revision, vet_organisation,
    word_diff,
)
from bot.answering import Turn, answer_from
from bot.content.db import session_scope
from bot.content.models import AdminUser, AuditEvent, Organisation
from bot.content.queries import published_answer, route


@contextmanager
def refused(message):
    """Expects the workflow to refuse, giving this reason."""
    with pytest.raises(WorkflowError) as caught:
        yield
    assert caught.value.reason.message == message


def user(session, name):
    return session.execute(select(AdminUser).where(AdminUser.username == name)).scalar_one()


def reply(url, topic, language, country="uzbekistan"):
    with session_scope(url) as session:
        return "\n".join(m.text for m in answer_from(session, Turn(topic, language, country=country)).messages)


def draft(url, body, topic="employment_contract", language="ru", scope="any", author="edna"):
    with session_scope(url) as session:
        answer = get_or_create_answer(session, topic, language, scope)
        return propose_answer(session, answer, body, author).id


def approve(url, revision_id, reviewer):
    from bot.content.models import AnswerRevision

    with session_scope(url) as session:
        approve_answer(session, session.get(AnswerRevision, revision_id), user(session, reviewer))


def test_a_draft_is_served_only_after_another_person_approves(users):
    before = reply(users, "employment_contract", "ru")
    revision = draft(users, "Новый текст про патент: [rub:7000] в месяц.")
    assert "Новый текст про патент" not in reply(users, "employment_contract", "ru")
    with refused(R.OTHER_PERSON):
        from bot.content.models import AnswerRevision

        with session_scope(users) as session:
            approve_answer(session, session.get(AnswerRevision, revision),
                           AdminUser(username="edna", role="reviewer"))
    with refused(R.REVIEWERS_ONLY):
        approve(users, revision, "edna")
    approve(users, revision, "rita")
    after = reply(users, "employment_contract", "ru")
    assert "Новый текст про патент" in after and after != before
    with session_scope(users) as session:
        actions = [e.action for e in session.execute(select(AuditEvent)).scalars()]
    assert "draft_answer" in actions and "approve_answer" in actions


def test_an_author_who_is_a_reviewer_still_needs_a_second_person(users):
    revision = draft(users, "Текст ревьюера.", author="rita")
    with refused(R.OTHER_PERSON):
        approve(users, revision, "rita")
    approve(users, revision, "rob")
    assert "Текст ревьюера." in reply(users, "employment_contract", "ru")


def test_russian_change_flags_translations_until_revised_or_confirmed(users):
    approve(users, draft(users, "Изменённый русский текст."), "rita")
    with session_scope(users) as session:
        flags = {a: get_or_create_answer(session, "employment_contract", a, "any").needs_update for a in ("uz", "tg", "ky")}
    assert flags == {"uz": True, "tg": True, "ky": True}
    approve(users, draft(users, "Yangi o‘zbekcha matn.", language="uz"), "rob")
    with session_scope(users) as session:
        confirm_translation(session, get_or_create_answer(session, "employment_contract", "tg", "any"), user(session, "rita"))
        flags = {a: get_or_create_answer(session, "employment_contract", a, "any").needs_update for a in ("uz", "tg", "ky")}
    assert flags == {"uz": False, "tg": False, "ky": True}


def test_any_revision_can_be_restored_through_review(users):
    with session_scope(users) as session:
        original = served_revision(get_or_create_answer(session, "employment_contract", "ru", "any"))
        original_id, original_body = original.id, original.body
    approve(users, draft(users, "Временный текст."), "rita")
    from bot.content.models import AnswerRevision

    with session_scope(users) as session:
        restored = restore_answer(session, session.get(AnswerRevision, original_id), "edna").id
    assert "Временный текст." in reply(users, "employment_contract", "ru")
    approve(users, restored, "rob")
    with session_scope(users) as session:
        assert published_answer(session, "employment_contract", "ru", None).body == original_body


def test_an_outdated_draft_cannot_overwrite_a_newer_publication(users):
    first = draft(users, "Первый черновик.")
    second = draft(users, "Второй черновик.")
    approve(users, second, "rita")
    with refused(R.NEWER_PUBLISHED):
        approve(users, first, "rita")


def test_rejected_draft_is_never_served_and_keeps_the_published_text(users):
    before = reply(users, "employment_contract", "ru")
    from bot.content.models import AnswerRevision

    revision = draft(users, "Плохой текст.")
    with session_scope(users) as session:
        reject_draft(session, session.get(AnswerRevision, revision), user(session, "rita"))
        assert not pending_drafts(get_or_create_answer(session, "employment_contract", "ru", "any"))
    assert reply(users, "employment_contract", "ru") == before


def test_unchanged_and_empty_drafts_are_refused(users):
    with session_scope(users) as session:
        answer = get_or_create_answer(session, "employment_contract", "ru", "any")
        with refused(R.NOTHING_CHANGED):
            propose_answer(session, answer, served_revision(answer).body, "edna")
        with refused(R.EMPTY_TEXT):
            propose_answer(session, answer, "   ", "edna")


def test_only_an_admin_vets_and_a_second_person_approves(users):
    with session_scope(users) as session:
        record = {"key": "new_ngo", "name": "Новая НКО", "kind": "ngo", "cities": ["kazan"],
                  "topics": ["unpaid_wages"], "languages": ["ru"], "status": "active"}
        with refused(T.ADMIN_ONLY):
            propose_organisation(session, record, user(session, "edna"))
        revision = propose_organisation(session, {**record, "status": "unverified"}, user(session, "edna"))
        approve_organisation(session, revision, user(session, "rita"))
        assert all(o.key != "new_ngo" for o in route(session, "unpaid_wages", "kazan", "ru").organisations)
        organisation = session.execute(select(Organisation).where(Organisation.key == "new_ngo")).scalar_one()
        vetting = vet_organisation(session, organisation, user(session, "ada"), "Проверяющая НКО")
        with refused(R.OTHER_PERSON):
            approve_organisation(session, vetting, user(session, "ada"))
        approve_organisation(session, vetting, user(session, "rita"))
        assert organisation.vetted_on == date.today()
        assert any(o.key == "new_ngo" for o in route(session, "unpaid_wages", "kazan", "ru").organisations)


def test_word_diff_marks_changes():
    assert ("delete", "старый") in word_diff("старый текст", "новый текст")
    assert ("insert", "новый") in word_diff("старый текст", "новый текст")


def test_stale_content_is_listed(users):
    from bot.admin.freshness import stale_answers, stale_organisations

    with session_scope(users) as session:
        today = date.today() + timedelta(days=4000)
        assert any(i.key == "employment_contract/ru/any" for i in stale_answers(session, today))
        assert stale_organisations(session, today)
        assert not [i for i in stale_answers(session, date.today()) if i.key == "never"]
    approve(users, draft(users, "Свежий текст."), "rita")
    with session_scope(users) as session:
        keys = [i.key for i in stale_answers(session, date.today() + timedelta(days=100))]
    assert "employment_contract/ru/any" not in keys
