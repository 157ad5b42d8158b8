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
    with refused(R.REBASE_NEEDED):
        approve(users, first, "rita")
    assert "Второй черновик." in reply(users, "employment_contract", "ru")


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


# --- No lost updates: drafts on a base, merged or rebased ------------------------------------------

def organisation(session, key):
    return session.execute(select(Organisation).where(Organisation.key == key)).scalar_one()


def snapshot(url, key):
    from bot.admin.workflow import organisation_snapshot

    with session_scope(url) as session:
        return organisation_snapshot(organisation(session, key))


def propose(url, record, author):
    with session_scope(url) as session:
        return propose_organisation(session, record, user(session, author)).id


def approve_org(url, revision_id, reviewer):
    from bot.content.models import OrganisationRevision

    with session_scope(url) as session:
        approve_organisation(session, session.get(OrganisationRevision, revision_id), user(session, reviewer))


def listed(url, key, topic, city):
    with session_scope(url) as session:
        return key in {o.key for o in route(session, topic, city, "ru", "uzbekistan").organisations}


@pytest.mark.parametrize("first", ["closing", "hours"])
def test_two_drafts_of_an_organisation_never_undo_each_other(users, first):
    """The reproduced bug: an admin drafts "не работает", an editor then edits only the hours, a reviewer approves
    both; the organisation was active again. Now both changes stand, in either order."""
    record = snapshot(users, "civic_assistance")
    assert listed(users, "civic_assistance", "unpaid_wages", "moscow")
    closing = propose(users, {**record, "status": "inactive"}, "ada")
    hours = propose(users, {**record, "hours": "Пн–Пт 11:00–16:00"}, "edna")
    for revision in ((closing, hours) if first == "closing" else (hours, closing)):
        approve_org(users, revision, "rita")
    after = snapshot(users, "civic_assistance")
    assert after["status"] == "inactive" and after["hours"] == "Пн–Пт 11:00–16:00"
    assert {k: v for k, v in after.items() if k not in ("status", "hours")} == \
        {k: v for k, v in record.items() if k not in ("status", "hours")}
    assert not listed(users, "civic_assistance", "unpaid_wages", "moscow")
    with session_scope(users) as session:
        details = [e.detail for e in session.execute(select(AuditEvent).where(
            AuditEvent.action == "approve_organisation")).scalars()]
    assert any("merged with" in d for d in details)  # the second approval says it merged


def test_the_same_field_changed_twice_needs_the_authors_rebase(users):
    from bot.admin.workflow import rebase_organisation
    from bot.content.models import OrganisationRevision

    record = snapshot(users, "civic_assistance")
    mine = propose(users, {**record, "hours": "Пн 10:00–12:00"}, "edna")
    theirs = propose(users, {**record, "hours": "Вт 10:00–12:00", "note": "Новое примечание."}, "rob")
    approve_org(users, theirs, "rita")
    with refused(R.REBASE_NEEDED):
        approve_org(users, mine, "rita")
    with session_scope(users) as session:
        stale = session.get(OrganisationRevision, mine)
        with refused(R.REBASE_RIGHTS):
            rebase_organisation(session, stale, user(session, "rob"), {**record, "hours": "x"})
    # The author keeps their hours on top of what was published (the other person's note stays).
    with session_scope(users) as session:
        published = snapshot(users, "civic_assistance")
        rebased = rebase_organisation(session, session.get(OrganisationRevision, mine), user(session, "edna"),
                                      {**published, "hours": "Пн 10:00–12:00"}).id
        assert session.get(OrganisationRevision, mine).status == "superseded"
    approve_org(users, rebased, "rita")
    after = snapshot(users, "civic_assistance")
    assert after["hours"] == "Пн 10:00–12:00" and after["note"] == "Новое примечание."


def test_translations_of_different_languages_merge(users):
    record = snapshot(users, "civic_assistance")
    uz = propose(users, {**record, "translations": {**record["translations"], "uz": {"name": "Yangi nom"}}}, "edna")
    tg = propose(users, {**record, "translations": {**record["translations"], "tg": {"name": "Номи нав"}}}, "rob")
    approve_org(users, uz, "rita")
    approve_org(users, tg, "rita")
    after = snapshot(users, "civic_assistance")["translations"]
    assert after["uz"] == {"name": "Yangi nom"} and after["tg"] == {"name": "Номи нав"}
    assert after["ky"] == record["translations"]["ky"]


def test_answer_drafts_merge_field_by_field(users):
    with session_scope(users) as session:
        answer = get_or_create_answer(session, "employment_contract", "ru", "any")
        base = served_revision(answer)
        body_id = propose_answer(session, answer, "Новый текст о договоре.", "edna").id
        checked_id = propose_answer(session, answer, base.body, "rob", reviewed_by="Другая НКО").id
    approve(users, body_id, "rita")
    approve(users, checked_id, "rita")
    with session_scope(users) as session:
        served = served_revision(get_or_create_answer(session, "employment_contract", "ru", "any"))
        assert (served.body, served.reviewed_by) == ("Новый текст о договоре.", "Другая НКО")


def test_an_answer_draft_remembers_the_text_its_author_saw(users):
    with session_scope(users) as session:
        seen = served_revision(get_or_create_answer(session, "employment_contract", "ru", "any")).number
    approve(users, draft(users, "Текст коллеги."), "rita")
    with session_scope(users) as session:
        answer = get_or_create_answer(session, "employment_contract", "ru", "any")
        late = propose_answer(session, answer, "Мой текст, начатый раньше.", "edna", base_number=seen).id
    with refused(R.REBASE_NEEDED):
        approve(users, late, "rob")
    with session_scope(users) as session:
        with refused(R.UNKNOWN_BASE):
            propose_answer(session, get_or_create_answer(session, "employment_contract", "ru", "any"), "x", "edna",
                           base_number=999)


def test_restoring_an_old_translation_keeps_needs_update_when_the_russian_moved_on(users):
    from bot.content.models import AnswerRevision

    with session_scope(users) as session:
        old_tg = served_revision(get_or_create_answer(session, "employment_contract", "tg", "any")).id
    approve(users, draft(users, "Матни нави тоҷикӣ.", language="tg"), "rita")
    approve(users, draft(users, "Русский текст изменился."), "rita")
    with session_scope(users) as session:
        assert get_or_create_answer(session, "employment_contract", "tg", "any").needs_update
        restored = restore_answer(session, session.get(AnswerRevision, old_tg), "edna").id
    approve(users, restored, "rob")
    with session_scope(users) as session:
        assert get_or_create_answer(session, "employment_contract", "tg", "any").needs_update  # still outdated
    # A translation written for the Russian served now is up to date once published.
    approve(users, draft(users, "Матни тоҷикӣ барои матни нави русӣ.", language="tg"), "rita")
    with session_scope(users) as session:
        assert not get_or_create_answer(session, "employment_contract", "tg", "any").needs_update


def test_authors_withdraw_and_reviewers_reject(users):
    from bot.admin.workflow import withdraw_draft
    from bot.content.models import AnswerRevision

    mine = draft(users, "Мой черновик.")
    theirs = draft(users, "Черновик Роба.", author="rob")
    with session_scope(users) as session:
        with refused(R.WITHDRAW_OWN):
            reject_draft(session, session.get(AnswerRevision, mine), user(session, "edna"))
        with refused(R.REJECT_RIGHTS):
            reject_draft(session, session.get(AnswerRevision, theirs), user(session, "edna"))
        with refused(R.WITHDRAW_RIGHTS):
            withdraw_draft(session, session.get(AnswerRevision, mine), user(session, "rita"))
        withdraw_draft(session, session.get(AnswerRevision, mine), user(session, "edna"))
        reject_draft(session, session.get(AnswerRevision, theirs), user(session, "rita"))
        assert (session.get(AnswerRevision, mine).status, session.get(AnswerRevision, theirs).status) == \
            ("withdrawn", "rejected")
        actions = [e.action for e in session.execute(select(AuditEvent)).scalars()]
    assert "withdraw" in actions and "reject" in actions


def test_a_rejected_new_organisation_never_reaches_the_directory(users, tmp_path):
    from bot.admin.exchange import organisation_rows
    from bot.admin.freshness import stale_organisations
    from bot.content.models import OrganisationRevision

    proposal = propose(users, {"key": "maybe_ngo", "name": "Может быть НКО", "kind": "ngo", "languages": ["ru"]},
                       "edna")
    with session_scope(users) as session:
        assert "maybe_ngo" not in {r["key"] for r in organisation_rows(session)}  # a proposal is not listed yet
        reject_draft(session, session.get(OrganisationRevision, proposal), user(session, "rita"))
    with session_scope(users) as session:
        assert "maybe_ngo" not in {r["key"] for r in organisation_rows(session)}
        assert "maybe_ngo" not in {i.key for i in stale_organisations(session)}
    # The same key can be proposed again, as new.
    again = propose(users, {"key": "maybe_ngo", "name": "Теперь точно НКО", "kind": "ngo", "languages": ["ru"]},
                    "edna")
    approve_org(users, again, "rita")
    with session_scope(users) as session:
        assert "maybe_ngo" in {r["key"] for r in organisation_rows(session)}


@pytest.mark.parametrize("change,reason", [
    ({"cities": ["Казань"]}, R.UNKNOWN_CITIES),
    ({"countries": ["Узбекистан"]}, R.UNKNOWN_COUNTRIES),
    ({"topics": ["патент"]}, R.UNKNOWN_TOPICS),
    ({"languages": ["xx"]}, R.UNKNOWN_LANGUAGES),
    ({"topics": []}, R.NEVER_LISTED_TOPIC),
    ({"cities": [], "nationwide": False}, R.NEVER_LISTED_CITY),
])
def test_an_organisation_the_bot_cannot_find_is_refused(users, change, reason):
    record = snapshot(users, "civic_assistance")
    with session_scope(users) as session:
        with refused(reason):
            propose_organisation(session, {**record, **change}, user(session, "ada"))
