"""Database tables of the knowledge base (SQLAlchemy 1.4, 2.0-style usage)."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

from sqlalchemy import (
    JSON, Boolean, Column, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint,
)
from sqlalchemy.orm import declarative_base, relationship
from sqlalchemy.sql.expression import false as sql_false

Base = declarative_base()


class RevisionStatus(str, Enum):
    """The state of an answer or organisation revision (stored as its value)."""

    DRAFT = "draft"  # waiting for a second person
    PUBLISHED = "published"  # approved; the newest published one is served
    REJECTED = "rejected"  # closed by a reviewer
    WITHDRAWN = "withdrawn"  # closed by its author
    SUPERSEDED = "superseded"  # replaced by its author's rebased draft
    RETIRED = "retired"  # an answer taken out of service


SERVED_STATUSES = (RevisionStatus.PUBLISHED.value, RevisionStatus.RETIRED.value)
"""Revisions that were served at some time: the newest of them says what the bot serves now."""


class OrganisationStatus(str, Enum):
    """Whether the bot offers an organisation: only active ones are ever offered."""

    ACTIVE = "active"
    UNVERIFIED = "unverified"
    INACTIVE = "inactive"


class Role(str, Enum):
    """A workspace account's role."""

    EDITOR = "editor"  # drafts changes
    REVIEWER = "reviewer"  # also approves other people's drafts
    ADMIN = "admin"  # also manages accounts and vetting
    CONSULTANT = "consultant"  # answers people handed over by the bot, for one organisation


def utcnow() -> datetime:
    """Returns the current UTC time (naive, as stored)."""
    return datetime.utcnow()


class Answer(Base):
    """One topic × language × citizenship scope; its text lives in revisions."""

    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("topic", "language", "scope", name="uq_answer_key"),)

    id = Column(Integer, primary_key=True)
    topic = Column(String(64), nullable=False)
    language = Column(String(8), nullable=False)  # ru, uz (Latin; Cyrillic transliterated), tg, ky
    scope = Column(String(16), nullable=False, default="any")
    # Set when the Russian source changed after this translation was last revised or confirmed.
    needs_update = Column(Boolean, nullable=False, default=False, server_default=sql_false())
    revisions = relationship("AnswerRevision", back_populates="answer", order_by="AnswerRevision.number",
                             cascade="all, delete-orphan")


class AnswerRevision(Base):
    """One version of an answer; rows are only ever added, never overwritten."""

    __tablename__ = "answer_revisions"
    __table_args__ = (
        UniqueConstraint("answer_id", "number", name="uq_answer_revision"),
        Index("ix_answer_revisions_lookup", "answer_id", "status", "number"),
    )

    id = Column(Integer, primary_key=True)
    answer_id = Column(Integer, ForeignKey("answers.id", ondelete="CASCADE"), nullable=False)
    number = Column(Integer, nullable=False)
    # draft → published (approved by a second person), rejected, withdrawn or superseded (RevisionStatus).
    status = Column(String(16), nullable=False, default=RevisionStatus.DRAFT.value)
    body = Column(Text, nullable=False)
    sources = Column(JSON, nullable=False, default=list)  # [{title, url, legal_basis}]
    reviewed_by = Column(String(200), nullable=False)
    reviewed_on = Column(Date, nullable=False)
    author = Column(String(120), nullable=False, default="seed")
    created_at = Column(DateTime, nullable=False, default=utcnow)
    approved_by = Column(String(120), nullable=True)
    approved_at = Column(DateTime, nullable=True)
    # The served revision a draft was written on (None: there was none). Approving a draft whose base is no
    # longer served merges the two edits field by field, or asks its author to rebase: never a silent revert.
    base_number = Column(Integer, nullable=True)
    # For a translation: the Russian revision its text follows (None: not known). When the Russian text has
    # moved on since, publishing it keeps "needs update" (e.g. a restored old translation).
    source_number = Column(Integer, nullable=True)
    answer = relationship("Answer", back_populates="revisions")


class Organisation(Base):
    """A vetted (or not yet vetted) place where people get free help."""

    __tablename__ = "organisations"

    id = Column(Integer, primary_key=True)
    key = Column(String(64), nullable=False, unique=True)
    name = Column(String(300), nullable=False)
    kind = Column(String(32), nullable=False)  # ngo | trade_union | home_country_agency | consulate | hotline
    nationwide = Column(Boolean, nullable=False, default=False)
    free = Column(Boolean, nullable=False, default=True)
    languages = Column(JSON, nullable=False, default=list)
    countries = Column(JSON, nullable=False, default=list)  # whose citizens it serves; [] = everyone
    contacts = Column(JSON, nullable=False, default=dict)
    hours = Column(String(200), nullable=True)
    vetted_by = Column(String(200), nullable=True)
    vetted_on = Column(Date, nullable=True)
    status = Column(String(16), nullable=False, default=OrganisationStatus.UNVERIFIED.value)
    note = Column(Text, nullable=True)
    # {language: {name, note, hours}} for every language but Russian (the columns above);
    # Uzbek in Latin letters, transliterated for Cyrillic readers.
    translations = Column(JSON, nullable=False, default=dict, server_default="{}")
    # The live desk (bot/handoff): when its consultants answer people handed over by the bot, e.g.
    # "mon-fri 10:00-18:00" in desk_timezone; none: the organisation takes no handoffs.
    desk_hours = Column(String(300), nullable=True)
    desk_timezone = Column(String(64), nullable=True)
    # A Telegram group of the organisation's consultants where new requests are posted (optional).
    operators_chat_id = Column(String(32), nullable=True)
    cities = relationship("OrganisationCity", cascade="all, delete-orphan", lazy="selectin")
    topics = relationship("OrganisationTopic", cascade="all, delete-orphan")
    revisions = relationship("OrganisationRevision", cascade="all, delete-orphan",
                             order_by="OrganisationRevision.number")


class OrganisationCity(Base):
    """A city an organisation serves (canonical city value)."""

    __tablename__ = "organisation_cities"
    __table_args__ = (Index("ix_organisation_cities_city", "city"),)

    organisation_id = Column(Integer, ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True)
    city = Column(String(32), primary_key=True)


class OrganisationTopic(Base):
    """A topic an organisation helps with."""

    __tablename__ = "organisation_topics"
    __table_args__ = (Index("ix_organisation_topics_topic", "topic"),)

    organisation_id = Column(Integer, ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True)
    topic = Column(String(64), primary_key=True)


class OrganisationRevision(Base):
    """A snapshot of an organisation after each change (history is never overwritten)."""

    __tablename__ = "organisation_revisions"
    __table_args__ = (UniqueConstraint("organisation_id", "number", name="uq_organisation_revision"),)

    id = Column(Integer, primary_key=True)
    organisation_id = Column(Integer, ForeignKey("organisations.id", ondelete="CASCADE"), nullable=False)
    number = Column(Integer, nullable=False)
    data = Column(JSON, nullable=False)
    author = Column(String(120), nullable=False, default="seed")
    created_at = Column(DateTime, nullable=False, default=utcnow)
    # Seed revisions are published as loaded; a maintainer's edit is a draft until approved.
    status = Column(String(16), nullable=False, default=RevisionStatus.PUBLISHED.value, server_default="published")
    approved_by = Column(String(120), nullable=True)
    approved_at = Column(DateTime, nullable=True)
    base_number = Column(Integer, nullable=True)  # the published revision a draft was written on


class UnansweredQuestion(Base):
    """A message the bot could not answer, personal data masked, for NGO review."""

    __tablename__ = "unanswered_questions"

    id = Column(Integer, primary_key=True)
    text = Column(Text, nullable=False)
    language = Column(String(8), nullable=True)
    best_guess = Column(String(64), nullable=True)
    confidence = Column(Float, nullable=True)
    created_at = Column(DateTime, nullable=False, default=utcnow, index=True)
    covered_topic = Column(String(64), nullable=True)  # set when a maintainer files it under a topic
    covered_by = Column(String(120), nullable=True)
    covered_at = Column(DateTime, nullable=True)


class AdminUser(Base):
    """An NGO staff account of the workspace: editor, reviewer or admin."""

    __tablename__ = "admin_users"

    id = Column(Integer, primary_key=True)
    username = Column(String(80), nullable=False, unique=True)
    password_hash = Column(String(255), nullable=False)
    role = Column(String(16), nullable=False, default=Role.EDITOR.value)
    active = Column(Boolean, nullable=False, default=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    last_login_at = Column(DateTime, nullable=True)
    # Part of every session's identity: raising it (sign-out, a new password, a new role, deactivation)
    # ends every session of the account at once, saved cookies included.
    session_version = Column(Integer, nullable=False, default=0, server_default="0")
    # A consultant's organisation and the languages they answer in (bot/handoff).
    organisation_id = Column(Integer, ForeignKey("organisations.id", ondelete="SET NULL"), nullable=True)
    languages = Column(JSON, nullable=False, default=list, server_default="[]")
    # Their Telegram user id, to claim and answer from the organisation's operators' group.
    telegram_user_id = Column(String(32), nullable=True)

    # The user protocol of Flask-Login (the workspace signs people in with it).
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return bool(self.active)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version or 0}"

    def __str__(self) -> str:
        return self.username


class AuditEvent(Base):
    """Who did what and when in the workspace, besides the revisions themselves."""

    __tablename__ = "audit_events"

    id = Column(Integer, primary_key=True)
    at = Column(DateTime, nullable=False, default=utcnow, index=True)
    actor = Column(String(120), nullable=False)
    action = Column(String(64), nullable=False)
    target = Column(String(200), nullable=False)
    detail = Column(Text, nullable=True)



class LoginFailure(Base):
    """One failed workspace sign-in, kept for the sliding-window limit; names and addresses only as keyed hashes."""

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_address", "address_key", "at"),
        Index("ix_login_failures_user", "user_key", "at"),
    )

    id = Column(Integer, primary_key=True)
    address_key = Column(String(64), nullable=False)  # HMAC-SHA256 of the client address
    user_key = Column(String(64), nullable=False)  # HMAC-SHA256 of the lower-cased username
    at = Column(DateTime, nullable=False, default=utcnow)
