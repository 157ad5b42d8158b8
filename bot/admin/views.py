"""Workspace pages on Flask-Admin: dashboard, answers, review (with merge and rebase), organisations, inbox."""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional

from flask import abort, flash, redirect, request, url_for
from flask_admin import Admin, AdminIndexView, BaseView, expose
from flask_admin.theme import Bootstrap4Theme
from flask_login import current_user
from sqlalchemy import func, select

from bot import LANGUAGES
from bot.admin import REVIEW_ROLES
from bot.admin import reasons as R
from bot.admin import texts as T
from bot.admin.errors import WorkflowError
from bot.admin.forms import (
    AnswerForm, AnswerRebaseForm, CoverForm, OpenAnswerForm, OrganisationForm, OrganisationRebaseForm, base_value,
)
from bot.admin.freshness import stale_answers, stale_organisations
from bot.admin.i18n import language, tr
from bot.admin.inbox import inbox_groups, mark_covered
from bot.admin.merge import Merge, flatten
from bot.admin.tokens import said, stored
from bot.admin.pages import Guarded, back, db, done, failed, field_error, refused
from bot.admin.workflow import (
    IN_DIRECTORY, answer_fields, answer_merge, answer_revision, answers_with_revisions, approve_answer,
    approve_organisation, check_answer_key, confirm_translation, get_or_create_answer, organisation_base,
    organisation_merge, organisation_snapshot, pending_drafts, propose_answer, propose_organisation,
    published_revision, rebase_answer, rebase_organisation, reject_draft, restore_answer, restore_organisation,
    served_revision, vet_organisation, withdraw_draft, word_diff,
)
from bot.content.models import (
    AdminUser, Answer, AnswerRevision, AuditEvent, Organisation, OrganisationRevision, OrganisationStatus,
    RevisionStatus, Role, UnansweredQuestion,
)
from bot.i18n import locales_dir
from bot.registry import DOMAIN_TOPICS, SCOPES
from bot.settings import get_settings

logger = logging.getLogger(__name__)

NEW_ORGANISATION = {"key": "", "name": "", "kind": "ngo", "nationwide": False, "free": True, "languages": ["ru"],
                    "countries": [], "cities": [], "topics": [], "contacts": {}, "hours": None, "vetted_by": None,
                    "vetted_on": None, "status": OrganisationStatus.UNVERIFIED.value, "note": None,
                    "translations": {}}
"""What a new organisation's form starts from."""


def said_diff(old: Optional[str], new: Optional[str], code: str):
    """A word diff of what the bot said and will say (money and dates formatted, Uzbek in Latin letters)."""
    return word_diff(said(old or "", code), said(new or "", code))


def changed_fields(before: Optional[Dict[str, Any]], after: Dict[str, Any]) -> Dict[str, tuple]:
    """An organisation's changed fields, one row per language's text and per contact: {field: (before, after)}."""
    old, new = flatten(before or {}), flatten(after)
    return {key: (old.get(key), new.get(key)) for key in dict.fromkeys([*new, *old])
            if (old.get(key) or None) != (new.get(key) or None) and key not in ("key",)}


def three_way_rows(base: Optional[Dict[str, Any]], merge: Merge, theirs: Dict[str, Any],
                   ours: Dict[str, Any]) -> List[Dict[str, Any]]:
    """The fields either side changed since the base: base, published now, draft, and whether they collide."""
    old, their, our, merged = flatten(base or {}), flatten(theirs), flatten(ours), flatten(merge.merged)
    return [{"field": key, "base": old.get(key), "theirs": their.get(key), "ours": our.get(key),
             "merged": merged.get(key), "conflict": key in merge.conflicts}
            for key in dict.fromkeys([*merge.theirs, *merge.ours])]


class Dashboard(Guarded, AdminIndexView):
    """What needs attention: drafts to review, stale content, translations to update, open questions, coverage."""

    def inaccessible_callback(self, name: str, **kwargs: Any):
        # A consultant signs in to the front page: theirs is the queue.
        if current_user.is_authenticated and current_user.role == Role.CONSULTANT:
            return redirect(url_for("handoffs.index"))
        return super().inaccessible_callback(name, **kwargs)

    @expose("/")
    def index(self):
        from bot.admin.handoff_pages import waited
        from bot.content.coverage import coverage

        session = db()
        settings = get_settings()
        drafts = (session.scalar(select(func.count(AnswerRevision.id))
                                 .where(AnswerRevision.status == RevisionStatus.DRAFT))
                  + session.scalar(select(func.count(OrganisationRevision.id))
                                   .where(OrganisationRevision.status == RevisionStatus.DRAFT)))
        outdated = session.execute(select(Answer).where(Answer.needs_update.is_(True))
                                   .order_by(Answer.topic, Answer.scope, Answer.language)).scalars().all()
        questions = session.scalar(select(func.count(UnansweredQuestion.id))
                                   .where(UnansweredQuestion.covered_topic.is_(None)))
        names = {o.key: o.name for o in session.execute(select(Organisation)).scalars()}
        return self.render("hamroh/dashboard.html", page_title=tr(T.DASHBOARD), drafts=drafts,
                           stale_answers=stale_answers(session), stale_organisations=stale_organisations(session),
                           answer_days=settings.stale_answer_days, organisation_days=settings.stale_organisation_days,
                           outdated=outdated, questions=questions, organisation_names=names,
                           coverage_share=coverage(session).share(), desk=self._desk_figures(),
                           waited=waited)

    @staticmethod
    def _desk_figures():
        """The live desk's figures, for admins only (statistics, never texts); None when the database is out of reach."""
        from sqlalchemy.exc import SQLAlchemyError

        from bot.admin.handoff_pages import desk
        from bot.admin.handoff_stats import handoff_stats

        if current_user.role != Role.ADMIN:
            return None
        try:
            return handoff_stats(desk())
        except SQLAlchemyError:
            logger.exception("the conversations database is out of reach: no desk figures")
            return False


class AnswersView(Guarded, BaseView):
    """Answers by topic, the four languages side by side, with drafts, history and restore."""

    @expose("/")
    def index(self):
        opening = OpenAnswerForm(request.args)
        asked = "topic" in request.args or "scope" in request.args
        if asked and opening.validate():
            return redirect(url_for(".topic", topic=opening.topic.data, scope=opening.scope.data))
        table: Dict[tuple, Dict[str, Answer]] = {}
        for answer in answers_with_revisions(db()):
            table.setdefault((answer.topic, answer.scope), {})[answer.language] = answer
        return self.render("hamroh/answers.html", page_title=tr(T.ANSWERS), table=table, opening=opening,
                           served_revision=served_revision, pending_drafts=pending_drafts), \
            400 if asked else 200

    def _columns(self, topic: str, scope: str, posted: Optional[str] = None, form: Optional[AnswerForm] = None):
        answers = {a.language: a for a in db().execute(select(Answer).where(
            Answer.topic == topic, Answer.scope == scope)).scalars()}
        columns = []
        for code in LANGUAGES:
            answer = answers.get(code)
            served = served_revision(answer) if answer else None
            drafts = pending_drafts(answer) if answer else []
            body = served.body if served is not None and served.status == RevisionStatus.PUBLISHED else ""
            if code == posted and form is not None:
                column_form = form  # what was typed stays, with the reason beside it
            else:
                column_form = AnswerForm(formdata=None, data={
                    "body": said(body, code), "reviewed_by": served.reviewed_by if served else "",
                    "base": base_value(served.number if served else None)})
            columns.append({"language": code, "answer": answer, "served": served, "drafts": drafts,
                            "said": said(body, code) if body else "",
                            "cyrillic": said(body, "uz", "cyrl") if code == "uz" and body else None,
                            "form": column_form})
        return columns

    def _page(self, topic: str, scope: str, status: int = 200, **kwargs: Any):
        from bot.admin.names import scope_name, topic_name

        return self.render("hamroh/answer.html", page_title=f"{topic_name(topic)} · {scope_name(scope)}",
                           topic=topic, scope=scope, columns=self._columns(topic, scope, **kwargs)), status

    @expose("/<topic>/<scope>/")
    def topic(self, topic: str, scope: str):
        if topic not in DOMAIN_TOPICS:
            return refused(WorkflowError(R.UNKNOWN_TOPIC, topic=topic[:64]), 404)
        if scope not in SCOPES:
            return refused(WorkflowError(R.UNKNOWN_SCOPE, scope=scope[:16]), 404)
        return self._page(topic, scope)

    @expose("/<topic>/<scope>/<code>/draft", methods=["POST"])
    def draft(self, topic: str, scope: str, code: str):
        try:
            check_answer_key(topic, code, scope)
        except WorkflowError as error:
            return refused(error)
        form = AnswerForm()
        if not form.validate():
            return self._page(topic, scope, 400, posted=code, form=form)
        try:
            answer = get_or_create_answer(db(), topic, code, scope)
            base = answer_revision(answer, form.base_number) if isinstance(form.base_number, int) else \
                served_revision(answer)
            revision = propose_answer(db(), answer, stored(form.body.data, code, base.body if base else None),
                                      current_user.username, reviewed_by=form.reviewed_by.data,
                                      base_number=form.base_number)
        except WorkflowError as error:
            db().rollback()
            field_error(form, error)
            return self._page(topic, scope, 400, posted=code, form=form)
        if answer_merge(revision) is not None:
            flash(tr(T.BASE_MOVED_ON), "warning")
        return done(tr(T.DRAFT_SAVED), ".topic", topic=topic, scope=scope)

    @expose("/<topic>/<scope>/<code>/confirm", methods=["POST"])
    def confirm(self, topic: str, scope: str, code: str):
        target = url_for(".topic", topic=topic, scope=scope)
        try:
            confirm_translation(db(), get_or_create_answer(db(), topic, code, scope), current_user)
        except WorkflowError as error:
            return failed(error, target)
        return done(tr(T.CONFIRMED_DONE), ".topic", topic=topic, scope=scope)

    @expose("/history/<int:answer_id>/")
    def history(self, answer_id: int):
        from bot.admin.names import answer_name

        answer = db().get(Answer, answer_id) or abort(404)
        rows, previous = [], ""
        for revision in answer.revisions:
            rows.append({"revision": revision, "diff": said_diff(previous, revision.body, answer.language)})
            if revision.status in (RevisionStatus.PUBLISHED, RevisionStatus.RETIRED):
                previous = revision.body
        return self.render("hamroh/history.html", page_title=f"{tr(T.HISTORY)}: "
                           f"{answer_name(answer.topic, answer.language, answer.scope)}",
                           rows=list(reversed(rows)), kind="answer", answer=answer)

    @expose("/restore/<int:revision_id>", methods=["POST"])
    def restore(self, revision_id: int):
        revision = db().get(AnswerRevision, revision_id) or abort(404)
        answer = revision.answer
        try:
            restore_answer(db(), revision, current_user.username)
        except WorkflowError as error:
            return failed(error, url_for(".history", answer_id=answer.id))
        return done(tr(T.DRAFT_SAVED), ".topic", topic=answer.topic, scope=answer.scope)


class ReviewView(Guarded, BaseView):
    """Drafts waiting for a second person, each with its changes and, when the published version moved on since,
    how they merge; reviewers approve or reject, authors withdraw or rebase."""

    @expose("/")
    def index(self):
        session = db()
        answers = [self._answer_item(revision) for revision in session.execute(
            select(AnswerRevision).where(AnswerRevision.status == RevisionStatus.DRAFT)
            .order_by(AnswerRevision.created_at, AnswerRevision.id)).scalars()]
        organisations = [self._organisation_item(revision) for revision in session.execute(
            select(OrganisationRevision).where(OrganisationRevision.status == RevisionStatus.DRAFT)
            .order_by(OrganisationRevision.created_at, OrganisationRevision.id)).scalars()]
        return self.render("hamroh/review.html", page_title=tr(T.REVIEW), answers=answers,
                           organisations=organisations, can_review=current_user.role in REVIEW_ROLES)

    @staticmethod
    def _answer_item(revision: AnswerRevision) -> Dict[str, Any]:
        answer = revision.answer
        served = served_revision(answer)
        merge = answer_merge(revision)
        base = answer_revision(answer, revision.base_number)
        item = {"revision": revision, "answer": answer, "merge": merge, "served": served, "base": base,
                "diff": said_diff(base.body if base else "", revision.body, answer.language)}
        if merge is not None:
            item["theirs_diff"] = said_diff(base.body if base else "", served.body, answer.language)
            item["merged_diff"] = said_diff(served.body, merge.merged["body"], answer.language) \
                if merge.clean else None
        return item

    @staticmethod
    def _organisation_item(revision: OrganisationRevision) -> Dict[str, Any]:
        organisation = db().get(Organisation, revision.organisation_id)
        published = published_revision(organisation)
        merge = organisation_merge(db(), revision)
        current = organisation_snapshot(organisation) if published is not None else None
        base = organisation_base(organisation, revision.base_number)
        item = {"revision": revision, "merge": merge, "new": published is None,
                "changed": changed_fields(base or current, revision.data)}
        if merge is not None:
            item["rows"] = three_way_rows(base, merge, current, revision.data)
            item["published_number"] = published.number
        return item

    @expose("/answer/<int:revision_id>/<decision>", methods=["POST"])
    def decide_answer(self, revision_id: int, decision: str):
        return self._decide(AnswerRevision, approve_answer, revision_id, decision)

    @expose("/organisation/<int:revision_id>/<decision>", methods=["POST"])
    def decide_organisation(self, revision_id: int, decision: str):
        return self._decide(OrganisationRevision, approve_organisation, revision_id, decision)

    def _decide(self, model, approve, revision_id: int, decision: str):
        """Approves, rejects or withdraws one draft; the workflow refuses what the person may not do."""
        revision = db().get(model, revision_id) or abort(404)
        steps = {"approve": (approve, T.APPROVED_DONE), "reject": (reject_draft, T.REJECTED_DONE),
                 "withdraw": (withdraw_draft, T.WITHDRAWN_DONE)}
        if decision not in steps:
            abort(404)
        step, message = steps[decision]
        try:
            step(db(), revision, current_user)
        except WorkflowError as error:
            return failed(error, url_for(".index"))
        return done(tr(message), ".index")

    @expose("/answer/<int:revision_id>/rebase", methods=["GET", "POST"])
    def rebase_answer_page(self, revision_id: int):
        revision = db().get(AnswerRevision, revision_id) or abort(404)
        self._own_draft(revision)
        item = self._answer_item(revision)
        if item["merge"] is None:
            flash(tr(T.NOTHING_TO_REBASE), "info")
            return redirect(url_for(".index"))
        form = AnswerRebaseForm(data={"body": said(revision.body, revision.answer.language),
                                      "reviewed_by": revision.reviewed_by,
                                      "base": base_value(item["served"].number)}) \
            if request.method == "GET" else AnswerRebaseForm()
        if request.method == "POST" and form.validate():
            try:
                body = stored(form.body.data, revision.answer.language, revision.body)
                rebase_answer(db(), revision, current_user, body, form.reviewed_by.data, form.base_number)
                return done(tr(T.REBASED_DONE), ".index")
            except WorkflowError as error:
                db().rollback()
                field_error(form, error)
        status = 400 if request.method == "POST" else 200
        return self.render("hamroh/rebase_answer.html", page_title=tr(T.REBASE), item=item, form=form), status

    @expose("/organisation/<int:revision_id>/rebase", methods=["GET", "POST"])
    def rebase_organisation_page(self, revision_id: int):
        revision = db().get(OrganisationRevision, revision_id) or abort(404)
        self._own_draft(revision)
        item = self._organisation_item(revision)
        if item["merge"] is None:
            flash(tr(T.NOTHING_TO_REBASE), "info")
            return redirect(url_for(".index"))
        is_admin = current_user.role == Role.ADMIN
        if request.method == "GET":
            form = OrganisationRebaseForm.from_record(item["merge"].merged, item["published_number"],
                                                      is_admin=is_admin)
        else:
            form = OrganisationRebaseForm(is_admin=is_admin)
            if form.validate():
                organisation = db().get(Organisation, revision.organisation_id)
                start = {**organisation_snapshot(organisation), "key": revision.data["key"]}
                try:
                    rebase_organisation(db(), revision, current_user, form.record(start), form.base_number)
                    return done(tr(T.REBASED_DONE), ".index")
                except WorkflowError as error:
                    db().rollback()
                    field_error(form, error)
        status = 400 if request.method == "POST" else 200
        return self.render("hamroh/rebase_organisation.html", page_title=tr(T.REBASE), item=item, form=form), status

    @staticmethod
    def _own_draft(revision: Any) -> None:
        if revision.status != RevisionStatus.DRAFT or revision.author != current_user.username:
            abort(403)  # only its author rebases a draft


class OrganisationsView(Guarded, BaseView):
    """The directory: edit as drafts, vet (admins), history and restore; proposals wait apart."""

    @expose("/")
    def index(self):
        session = db()
        organisations = session.execute(select(Organisation).where(IN_DIRECTORY)
                                        .order_by(Organisation.name)).scalars().all()
        drafts = session.execute(select(OrganisationRevision).where(
            OrganisationRevision.status == RevisionStatus.DRAFT)).scalars().all()
        listed = {o.id for o in organisations}
        proposals = [d for d in drafts if d.organisation_id not in listed]
        return self.render("hamroh/organisations.html", page_title=tr(T.ORGANISATIONS),
                           organisations=organisations, drafts={d.organisation_id for d in drafts},
                           proposals=proposals)

    def _find(self, key: str) -> Organisation:
        organisation = db().execute(select(Organisation).where(Organisation.key == key)).scalar_one_or_none()
        if organisation is None:
            abort(404)
        return organisation

    @expose("/edit/", methods=["GET", "POST"])
    @expose("/edit/<key>/", methods=["GET", "POST"])
    def edit(self, key: Optional[str] = None):
        organisation = self._find(key) if key is not None else None
        published = published_revision(organisation) if organisation is not None else None
        if organisation is not None and published is None:
            abort(404)  # a proposal is changed by its author's rebase or a new proposal, not here
        record = organisation_snapshot(organisation) if organisation is not None else dict(NEW_ORGANISATION)
        options = {"is_new": key is None, "is_admin": current_user.role == Role.ADMIN}
        title = record["name"] or tr(T.NEW_ORGANISATION)
        if request.method == "GET":
            form = OrganisationForm.from_record(record, published.number if published else None, **options)
            return self.render("hamroh/organisation_form.html", page_title=title, form=form, record=record,
                               is_new=key is None)
        form = OrganisationForm(**options)
        if form.validate():
            # What the person opened: fields the form does not carry stay as they were then.
            start = (organisation_base(organisation, form.base_number) if organisation is not None else None) \
                or record
            try:
                proposed = form.record(start)
                if organisation is None:
                    proposed["key"] = self._free_key(proposed["key"], typed=bool((form.key.data or "").strip()))
                revision = propose_organisation(db(), proposed, current_user,
                                                base_number=form.base_number if organisation else None)
                if organisation is not None and organisation_merge(db(), revision) is not None:
                    flash(tr(T.BASE_MOVED_ON), "warning")
                return done(tr(T.DRAFT_SAVED), ".index")
            except WorkflowError as error:
                db().rollback()
                field_error(form, error)
        return self.render("hamroh/organisation_form.html", page_title=title, form=form, record=record,
                           is_new=key is None), 400

    @staticmethod
    def _free_key(key: str, typed: bool) -> str:
        """A new organisation's key: the typed one must be free; one made from the name gets a number if taken."""
        taken = set(db().execute(select(Organisation.key).where(IN_DIRECTORY)).scalars())
        if key in taken and typed:
            raise WorkflowError(R.KEY_TAKEN, field_name="key")
        number, free = 2, key
        while free in taken:
            free, number = f"{key[:60]}_{number}", number + 1
        return free

    @expose("/history/<key>/")
    def history(self, key: str):
        organisation = self._find(key)
        rows, previous = [], {}
        for revision in organisation.revisions:
            rows.append({"revision": revision, "changed": changed_fields(previous, revision.data)})
            if revision.status == RevisionStatus.PUBLISHED:
                previous = revision.data
        return self.render("hamroh/history.html", page_title=f"{tr(T.HISTORY)}: {organisation.name}",
                           rows=list(reversed(rows)), kind="organisation", organisation=organisation)

    @expose("/restore/<int:revision_id>", methods=["POST"])
    def restore(self, revision_id: int):
        revision = db().get(OrganisationRevision, revision_id) or abort(404)
        try:
            restore_organisation(db(), revision, current_user)
        except WorkflowError as error:
            return failed(error, back())
        return done(tr(T.DRAFT_SAVED), ".index")

    @expose("/vet/<key>", methods=["POST"])
    def vet(self, key: str):
        organisation = self._find(key)
        try:
            vet_organisation(db(), organisation, current_user, request.form.get("vetted_by", "")[:200])
        except WorkflowError as error:
            return failed(error, url_for(".index"))
        return done(tr(T.DRAFT_SAVED), ".index")


class InboxView(Guarded, BaseView):
    """Questions the bot could not answer, grouped, to file under a topic."""

    @expose("/")
    def index(self):
        groups = inbox_groups(db())
        forms = [CoverForm(formdata=None, data={"ids": ",".join(map(str, g.ids)), "topic": g.best_guess})
                 for g in groups]
        return self.render("hamroh/inbox.html", page_title=tr(T.INBOX), groups=list(zip(groups, forms)))

    @expose("/cover", methods=["POST"])
    def cover(self):
        form = CoverForm()
        try:
            if not form.validate():
                raise WorkflowError(R.UNKNOWN_TOPIC, topic=str(form.topic.data or "")[:64])
            try:
                ids = [int(i) for i in (form.ids.data or "").split(",") if i.strip()]
            except ValueError as error:
                raise WorkflowError(R.BAD_QUESTION_IDS) from error
            count = mark_covered(db(), ids, form.topic.data, current_user.username)
        except WorkflowError as error:
            return failed(error, url_for(".index"))
        return done(tr(T.COVERED_DONE, n=count), ".index")


def register_views(app) -> None:
    """Adds every workspace page to the app."""
    from bot.admin.account_page import AccountView
    from bot.admin.coverage_page import CoverageView
    from bot.admin.desk_page import DeskSettingsView
    from bot.admin.handoff_pages import HandoffsView
    from bot.admin.exchange_page import ExchangeView
    from bot.admin.preview_page import PreviewView
    from bot.admin.tables import AuditView, UsersView

    admin = Admin(app, name="Hamroh", url="/", index_view=Dashboard(url="/", endpoint="admin"),
                  theme=Bootstrap4Theme(base_template="hamroh/base.html"), translations_path=str(locales_dir()))
    admin.add_view(AnswersView(name="answers", endpoint="answers", url="/answers"))
    admin.add_view(ReviewView(name="review", endpoint="review", url="/review"))
    admin.add_view(OrganisationsView(name="organisations", endpoint="organisations", url="/organisations"))
    admin.add_view(InboxView(name="inbox", endpoint="inbox", url="/inbox"))
    admin.add_view(PreviewView(name="preview", endpoint="preview", url="/preview"))
    admin.add_view(CoverageView(name="coverage", endpoint="coverage", url="/coverage"))
    admin.add_view(ExchangeView(name="exchange", endpoint="exchange", url="/exchange"))
    admin.add_view(AccountView(name="account", endpoint="account", url="/account"))
    admin.add_view(HandoffsView(name="handoffs", endpoint="handoffs", url="/handoffs"))
    admin.add_view(DeskSettingsView(name="desks", endpoint="desks", url="/desks"))
    admin.add_view(UsersView(AdminUser, app.db, name="users", endpoint="users", url="/users"))
    admin.add_view(AuditView(AuditEvent, app.db, name="audit", endpoint="audit", url="/audit"))
    app.hamroh_admin = admin
