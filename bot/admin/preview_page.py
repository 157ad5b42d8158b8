"""The preview page: a question or topic, the reply now and with an answer or organisation draft, and for an
organisation draft where the bot will list it, or why it will not."""

from __future__ import annotations

from flask import request
from flask_admin import BaseView, expose
from sqlalchemy import select

from bot import LANGUAGES
from bot.admin import texts as T
from bot.admin.forms import PreviewForm
from bot.admin.i18n import tr
from bot.admin.names import answer_name
from bot.admin.pages import Guarded, db
from bot.admin.preview import appearances, guess_topic, reply, reply_with_draft, where_an_organisation_shows, \
    why_not_listed
from bot.answering import Turn
from bot.content.models import AnswerRevision, OrganisationRevision, RevisionStatus
from bot.registry import CITIES, COUNTRIES, DOMAIN_TOPICS
from bot.settings import get_settings


class PreviewView(Guarded, BaseView):
    """Try a question in any language: the reply now, and with a draft of an answer or of an organisation."""

    @expose("/")
    def index(self):
        session = db()
        answer_drafts = session.execute(select(AnswerRevision).where(AnswerRevision.status == RevisionStatus.DRAFT)
                                        .order_by(AnswerRevision.id)).scalars().all()
        organisation_drafts = session.execute(select(OrganisationRevision).where(
            OrganisationRevision.status == RevisionStatus.DRAFT).order_by(OrganisationRevision.id)).scalars().all()
        form = PreviewForm(request.args, answer_drafts=[
            (d, f"{answer_name(d.answer.topic, d.answer.language, d.answer.scope)} · {tr(T.REVISION)} {d.number} "
                f"({d.author})") for d in answer_drafts],
            organisation_drafts=[(d, f"{d.data.get('name')} · {tr(T.REVISION)} {d.number} ({d.author})")
                                 for d in organisation_drafts])
        form.validate()  # a code that is not offered is dropped below, never used
        topic = form.topic.data if form.topic.data in DOMAIN_TOPICS else ""
        country = form.country.data if form.country.data in COUNTRIES else None
        city = form.city.data if form.city.data in CITIES else None
        chosen_language = form.language.data if not form.language.errors and form.language.data else ""
        code, script = (chosen_language or "ru"), None
        if code == "uz-cyrl":
            code, script = "uz", "cyrl"
        guessed = None
        question = (form.question.data or "")[:500]
        if question and not topic:
            guessed, detected = guess_topic(get_settings().rasa_url, question)
            topic = guessed if guessed in DOMAIN_TOPICS else ""
            if detected in LANGUAGES and not chosen_language:
                code = detected
        draft = next((d for d in answer_drafts if str(d.id) == form.draft.data), None)
        organisation_draft = next((d for d in organisation_drafts if str(d.id) == form.organisation_draft.data), None)
        if organisation_draft is not None and not topic:  # show it where the bot would list it
            shown_topic, shown_city = where_an_organisation_shows(organisation_draft.data)
            topic, city = shown_topic or "", city or shown_city
            form.topic.data, form.city.data = topic, city or ""
        before = after = reasons = places = None
        if topic:
            turn = Turn(topic, code, script, country=country, city=city)
            before = reply(session, turn)
            if draft is not None or organisation_draft is not None:
                after = reply_with_draft(session.get_bind(), turn,
                                         answer_revision=draft.id if draft is not None else None,
                                         organisation_revision=organisation_draft.id if organisation_draft else None)
            if organisation_draft is not None:
                reasons = why_not_listed(session, organisation_draft.data, turn)
        if organisation_draft is not None:
            places = appearances(session.get_bind(), organisation_draft.id)
        return self.render("hamroh/preview.html", page_title=tr(T.PREVIEW), form=form, before=before, after=after,
                           guessed=guessed, reasons=reasons, places=places, organisation_draft=organisation_draft,
                           page_language_code=code)
