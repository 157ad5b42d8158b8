"""The preview page: a question or topic, the reply now and with an answer or organisation draft."""

from __future__ import annotations

from flask import request
from flask_admin import BaseView, expose
from sqlalchemy import select

from bot import LANGUAGES
from bot import messages as M
from bot.admin import texts as T
from bot.admin.i18n import tr
from bot.admin.preview import guess_topic, reply, reply_with_draft, where_an_organisation_shows
from bot.admin.views import Guarded, db
from bot.answering import Turn
from bot.content import DOMAIN_TOPICS
from bot.content.models import AnswerRevision, OrganisationRevision
from bot.settings import get_settings


class PreviewView(Guarded, BaseView):
    """Try a question in any language: the reply now, and with a draft of an answer or of an organisation."""

    @expose("/")
    def index(self):
        args = request.args
        question, topic = args.get("question", "")[:500], args.get("topic", "")
        country, city = args.get("country") or None, args.get("city") or None
        language, script = (args.get("language") or "ru"), None
        if language == "uz-cyrl":
            language, script = "uz", "cyrl"
        guessed = None
        if question and not topic:
            guessed, detected = guess_topic(get_settings().rasa_url, question)
            topic = guessed or ""
            if detected in LANGUAGES and not args.get("language"):
                language = detected
        answer_drafts = db().execute(select(AnswerRevision).where(AnswerRevision.status == "draft")
                                     .order_by(AnswerRevision.id)).scalars().all()
        organisation_drafts = db().execute(select(OrganisationRevision).where(OrganisationRevision.status == "draft")
                                           .order_by(OrganisationRevision.id)).scalars().all()
        draft_id, organisation_draft_id = args.get("draft", type=int), args.get("organisation_draft", type=int)
        chosen = next((d for d in organisation_drafts if d.id == organisation_draft_id), None)
        if chosen is not None and not topic:  # show it where the bot would list it
            shown_topic, shown_city = where_an_organisation_shows(chosen.data)
            topic, city = shown_topic or "", city or shown_city
        before = after = None
        if topic in DOMAIN_TOPICS and language in LANGUAGES:
            turn = Turn(topic, language, script, country=country, city=city)
            before = reply(db(), turn)
            if draft_id or organisation_draft_id:
                after = reply_with_draft(db().get_bind(), turn, answer_revision=draft_id,
                                         organisation_revision=organisation_draft_id)
        return self.render("hamroh/preview.html", page_title=tr(T.PREVIEW), question=question, topic=topic,
                           language=args.get("language") or language, topics=DOMAIN_TOPICS, titles=M.TOPICS,
                           countries=M.COUNTRIES, cities=M.CITIES, country=country or "", city=city or "",
                           answer_drafts=answer_drafts, draft_id=draft_id, organisation_drafts=organisation_drafts,
                           organisation_draft_id=organisation_draft_id, before=before, after=after, guessed=guessed)
