"""Workspace pages on Flask-Admin: dashboard, answers, review, organisations, inbox, preview, users, audit log."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from flask import abort, current_app, flash, redirect, request, url_for
from flask_admin import Admin, AdminIndexView, BaseView, expose
from flask_admin.theme import Bootstrap4Theme
from flask_login import current_user
from sqlalchemy import func, select

from bot import LANGUAGES
from bot.admin import REVIEW_ROLES, ROLES
from bot.admin import texts as T
from bot.admin.errors import WorkflowError
from bot.admin.freshness import stale_answers, stale_organisations
from bot.admin import reasons as R
from bot.admin.i18n import language, tr
from bot.admin.inbox import inbox_groups, mark_covered
from bot.admin.workflow import (
    KINDS, ORG_STATUSES, SOURCE_LANGUAGE, approve_answer, approve_organisation, answers_with_revisions,
    confirm_translation, get_or_create_answer, organisation_snapshot, pending_drafts, propose_answer,
    propose_organisation, reject_draft, restore_answer, restore_organisation, served_revision, vet_organisation,
    word_diff,
)
from bot.content import DOMAIN_TOPICS, SCOPES
from bot.content.models import (
    AdminUser, Answer, AnswerRevision, AuditEvent, Organisation, OrganisationRevision, UnansweredQuestion,
)
from bot.i18n import locales_dir
from bot.settings import get_settings
from bot.translit import latn_to_cyrl


def db():
    """The request's database session."""
    return current_app.db


class Guarded:
    """Pages for signed-in people of some roles; others are sent to sign in or refused."""

    roles = ROLES

    def is_accessible(self) -> bool:
        return current_user.is_authenticated and current_user.role in self.roles

    def inaccessible_callback(self, name: str, **kwargs: Any):
        if not current_user.is_authenticated:
            return redirect(url_for("login_page", next=request.path))
        abort(403)


def _done(message: str, endpoint: str, **values: Any):
    db().commit()
    flash(message, "success")
    return redirect(url_for(endpoint, **values))


def _failed(error: WorkflowError, target: str):
    db().rollback()
    flash(tr(T.FAILED, reason=error.text(language())), "error")
    return redirect(target)


def _back() -> str:
    referrer = request.referrer or ""
    host = request.host_url
    return referrer if referrer.startswith(host) else url_for("admin.index")


class Dashboard(Guarded, AdminIndexView):
    """What needs attention: drafts to review, stale content, translations to update, open questions."""

    @expose("/")
    def index(self):
        session = db()
        settings = get_settings()
        drafts = (session.scalar(select(func.count(AnswerRevision.id)).where(AnswerRevision.status == "draft"))
                  + session.scalar(select(func.count(OrganisationRevision.id))
                                   .where(OrganisationRevision.status == "draft")))
        outdated = session.execute(select(Answer).where(Answer.needs_update.is_(True))
                                   .order_by(Answer.topic, Answer.scope, Answer.language)).scalars().all()
        questions = session.scalar(select(func.count(UnansweredQuestion.id))
                                   .where(UnansweredQuestion.covered_topic.is_(None)))
        return self.render("hamroh/dashboard.html", page_title=tr(T.DASHBOARD), drafts=drafts,
                           stale_answers=stale_answers(session), stale_organisations=stale_organisations(session),
                           answer_days=settings.stale_answer_days, organisation_days=settings.stale_organisation_days,
                           outdated=outdated, questions=questions)


class AnswersView(Guarded, BaseView):
    """Answers by topic, the four languages side by side, with drafts, history and restore."""

    @expose("/")
    def index(self):
        table: Dict[tuple, Dict[str, Answer]] = {}
        for answer in answers_with_revisions(db()):
            table.setdefault((answer.topic, answer.scope), {})[answer.language] = answer
        return self.render("hamroh/answers.html", page_title=tr(T.ANSWERS), table=table,
                           served_revision=served_revision, pending_drafts=pending_drafts)

    @expose("/<topic>/<scope>/")
    def topic(self, topic: str, scope: str):
        if topic not in DOMAIN_TOPICS or scope not in SCOPES:
            abort(404)
        answers = {a.language: a for a in db().execute(select(Answer).where(
            Answer.topic == topic, Answer.scope == scope)).scalars()}
        columns = []
        for language in LANGUAGES:
            answer = answers.get(language)
            served = served_revision(answer) if answer else None
            drafts = pending_drafts(answer) if answer else []
            body = served.body if served is not None and served.status == "published" else ""
            columns.append({"language": language, "answer": answer, "served": served, "drafts": drafts,
                            "body": body, "cyrillic": latn_to_cyrl(body) if language == "uz" and body else None,
                            "editing": drafts[-1].body if drafts else body,
                            "reviewed_by": (drafts[-1] if drafts else served).reviewed_by if (drafts or served) else ""})
        return self.render("hamroh/answer.html", page_title=f"{topic} · {scope}", topic=topic, scope=scope,
                           columns=columns)

    @expose("/<topic>/<scope>/<language>/draft", methods=["POST"])
    def draft(self, topic: str, scope: str, language: str):
        target = url_for(".topic", topic=topic, scope=scope)
        try:
            answer = get_or_create_answer(db(), topic, language, scope)
            propose_answer(db(), answer, request.form.get("body", ""), current_user.username,
                           reviewed_by=request.form.get("reviewed_by", "")[:200])
        except WorkflowError as error:
            return _failed(error, target)
        return _done(tr(T.DRAFT_SAVED), ".topic", topic=topic, scope=scope)

    @expose("/<topic>/<scope>/<language>/confirm", methods=["POST"])
    def confirm(self, topic: str, scope: str, language: str):
        target = url_for(".topic", topic=topic, scope=scope)
        try:
            confirm_translation(db(), get_or_create_answer(db(), topic, language, scope), current_user)
        except WorkflowError as error:
            return _failed(error, target)
        return _done(tr(T.CONFIRMED_DONE), ".topic", topic=topic, scope=scope)

    @expose("/history/<int:answer_id>/")
    def history(self, answer_id: int):
        answer = db().get(Answer, answer_id) or abort(404)
        rows, previous = [], ""
        for revision in answer.revisions:
            rows.append({"revision": revision, "diff": word_diff(previous, revision.body)})
            if revision.status in ("published", "retired"):
                previous = revision.body
        return self.render("hamroh/history.html", page_title=f"{tr(T.HISTORY)}: {answer.topic}/{answer.language}/"
                           f"{answer.scope}", rows=list(reversed(rows)), kind="answer", answer=answer)

    @expose("/restore/<int:revision_id>", methods=["POST"])
    def restore(self, revision_id: int):
        revision = db().get(AnswerRevision, revision_id) or abort(404)
        answer = revision.answer
        try:
            restore_answer(db(), revision, current_user.username)
        except WorkflowError as error:
            return _failed(error, url_for(".history", answer_id=answer.id))
        return _done(tr(T.DRAFT_SAVED), ".topic", topic=answer.topic, scope=answer.scope)


class ReviewView(Guarded, BaseView):
    """Drafts waiting for a second person, each with its changes; reviewers approve or reject."""

    @expose("/")
    def index(self):
        session = db()
        answers = []
        for revision in session.execute(select(AnswerRevision).where(AnswerRevision.status == "draft")
                                        .order_by(AnswerRevision.created_at)).scalars():
            served = served_revision(revision.answer)
            answers.append({"revision": revision, "answer": revision.answer,
                            "diff": word_diff(served.body if served else "", revision.body)})
        organisations = []
        for revision in session.execute(select(OrganisationRevision).where(OrganisationRevision.status == "draft")
                                        .order_by(OrganisationRevision.created_at)).scalars():
            current = organisation_snapshot(session.get(Organisation, revision.organisation_id))
            changed = {k: (current.get(k), v) for k, v in revision.data.items() if current.get(k) != v}
            organisations.append({"revision": revision, "changed": changed})
        return self.render("hamroh/review.html", page_title=tr(T.REVIEW), answers=answers,
                           organisations=organisations, can_review=current_user.role in REVIEW_ROLES)

    @expose("/answer/<int:revision_id>/<decision>", methods=["POST"])
    def decide_answer(self, revision_id: int, decision: str):
        return self._decide(AnswerRevision, approve_answer, revision_id, decision)

    @expose("/organisation/<int:revision_id>/<decision>", methods=["POST"])
    def decide_organisation(self, revision_id: int, decision: str):
        return self._decide(OrganisationRevision, approve_organisation, revision_id, decision)

    def _decide(self, model, approve, revision_id: int, decision: str):
        """Approves or rejects one draft; the workflow refuses what the person may not do."""
        revision = db().get(model, revision_id) or abort(404)
        try:
            if decision == "approve":
                approve(db(), revision, current_user)
            elif decision == "reject":
                reject_draft(db(), revision, current_user)
            else:
                abort(404)
        except WorkflowError as error:
            return _failed(error, url_for(".index"))
        return _done(tr(T.APPROVED_DONE if decision == "approve" else T.REJECTED_DONE), ".index")


def _split(value: str) -> List[str]:
    return [v.strip() for v in (value or "").split(";") if v.strip()]


def _contacts(value: str) -> Dict[str, str]:
    contacts = {}
    for line in (value or "").splitlines():
        name, _, detail = line.partition(":")
        if name.strip() and detail.strip():
            contacts[name.strip()[:40]] = detail.strip()[:300]
    return contacts


class OrganisationsView(Guarded, BaseView):
    """The directory: edit as drafts, vet (admins), history and restore."""

    @expose("/")
    def index(self):
        organisations = db().execute(select(Organisation).order_by(Organisation.name)).scalars().all()
        drafts = {r.organisation_id for r in db().execute(
            select(OrganisationRevision).where(OrganisationRevision.status == "draft")).scalars()}
        return self.render("hamroh/organisations.html", page_title=tr(T.ORGANISATIONS),
                           organisations=organisations, drafts=drafts)

    @expose("/edit/", methods=["GET", "POST"])
    @expose("/edit/<key>/", methods=["GET", "POST"])
    def edit(self, key: Optional[str] = None):
        organisation = None
        if key is not None:
            organisation = db().execute(select(Organisation).where(Organisation.key == key)).scalar_one_or_none()
            if organisation is None:
                abort(404)
        record = organisation_snapshot(organisation) if organisation else {
            "key": "", "name": "", "kind": "ngo", "nationwide": False, "free": True, "languages": ["ru"],
            "countries": [], "cities": [], "topics": [], "contacts": {}, "hours": None, "vetted_by": None,
            "vetted_on": None, "status": "unverified", "note": None}
        if request.method == "POST":
            form = request.form
            record.update(
                key=key or form.get("key", ""), name=form.get("name", "")[:300], kind=form.get("kind", "ngo"),
                nationwide=form.get("nationwide") == "on", free=form.get("free") == "on",
                languages=_split(form.get("languages", "")), countries=_split(form.get("countries", "")),
                cities=sorted(_split(form.get("cities", ""))), topics=sorted(_split(form.get("topics", ""))),
                contacts=_contacts(form.get("contacts", "")), hours=form.get("hours", "")[:200] or None,
                note=form.get("note", "")[:2000] or None)
            if current_user.role == "admin":
                record.update(status=form.get("status", record["status"]),
                              vetted_by=form.get("vetted_by", "")[:200] or None,
                              vetted_on=form.get("vetted_on") or None)
            try:
                propose_organisation(db(), record, current_user)
            except WorkflowError as error:
                db().rollback()
                flash(tr(T.FAILED, reason=error.text(language())), "error")
                return self.render("hamroh/organisation_form.html", page_title=tr(T.ORGANISATIONS), record=record,
                                   is_new=key is None, kinds=KINDS, statuses=ORG_STATUSES), 400
            return _done(tr(T.DRAFT_SAVED), ".index")
        return self.render("hamroh/organisation_form.html", page_title=record["name"] or tr(T.NEW_ORGANISATION),
                           record=record, is_new=key is None, kinds=KINDS, statuses=ORG_STATUSES)

    @expose("/history/<key>/")
    def history(self, key: str):
        organisation = db().execute(select(Organisation).where(Organisation.key == key)).scalar_one_or_none()
        if organisation is None:
            abort(404)
        rows, previous = [], {}
        for revision in organisation.revisions:
            changed = {k: (previous.get(k), v) for k, v in revision.data.items() if previous.get(k) != v}
            rows.append({"revision": revision, "changed": changed})
            if revision.status == "published":
                previous = revision.data
        return self.render("hamroh/history.html", page_title=f"{tr(T.HISTORY)}: {organisation.name}",
                           rows=list(reversed(rows)), kind="organisation", organisation=organisation)

    @expose("/restore/<int:revision_id>", methods=["POST"])
    def restore(self, revision_id: int):
        revision = db().get(OrganisationRevision, revision_id) or abort(404)
        try:
            restore_organisation(db(), revision, current_user)
        except WorkflowError as error:
            return _failed(error, _back())
        return _done(tr(T.DRAFT_SAVED), ".index")

    @expose("/vet/<key>", methods=["POST"])
    def vet(self, key: str):
        organisation = db().execute(select(Organisation).where(Organisation.key == key)).scalar_one_or_none()
        if organisation is None:
            abort(404)
        try:
            vet_organisation(db(), organisation, current_user, request.form.get("vetted_by", "")[:200])
        except WorkflowError as error:
            return _failed(error, url_for(".index"))
        return _done(tr(T.DRAFT_SAVED), ".index")


class InboxView(Guarded, BaseView):
    """Questions the bot could not answer, grouped, to file under a topic."""

    @expose("/")
    def index(self):
        return self.render("hamroh/inbox.html", page_title=tr(T.INBOX), groups=inbox_groups(db()),
                           topics=DOMAIN_TOPICS)

    @expose("/cover", methods=["POST"])
    def cover(self):
        try:
            try:
                ids = [int(i) for i in request.form.get("ids", "").split(",") if i.strip()]
            except ValueError as error:
                raise WorkflowError(R.BAD_QUESTION_IDS) from error
            count = mark_covered(db(), ids, request.form.get("topic", ""), current_user.username)
        except WorkflowError as error:
            return _failed(error, url_for(".index"))
        return _done(tr(T.COVERED_DONE, n=count), ".index")


def register_views(app) -> None:
    """Adds every workspace page to the app."""
    from bot.admin.preview_page import PreviewView
    from bot.admin.tables import AuditView, UsersView

    admin = Admin(app, name="Hamroh", url="/", index_view=Dashboard(url="/", endpoint="admin"),
                  theme=Bootstrap4Theme(base_template="hamroh/base.html"), translations_path=str(locales_dir()))
    admin.add_view(AnswersView(name="answers", endpoint="answers", url="/answers"))
    admin.add_view(ReviewView(name="review", endpoint="review", url="/review"))
    admin.add_view(OrganisationsView(name="organisations", endpoint="organisations", url="/organisations"))
    admin.add_view(InboxView(name="inbox", endpoint="inbox", url="/inbox"))
    admin.add_view(PreviewView(name="preview", endpoint="preview", url="/preview"))
    admin.add_view(UsersView(AdminUser, app.db, name="users", endpoint="users", url="/users"))
    admin.add_view(AuditView(AuditEvent, app.db, name="audit", endpoint="audit", url="/audit"))
    app.hamroh_admin = admin
