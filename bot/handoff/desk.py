"""The handoff desk: conversations handed to NGO consultants, in the conversations database.

Every change is one transaction that also queues what the person must read
(bot/serving/outbox.py), so a consultant's reply and the bot's replies reach the
chat in the order they were saved. A claim is one conditional UPDATE: of two
consultants claiming at once, exactly one changes the row.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from enum import Enum
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection, Engine, Row

from bot import messages
from bot.channels.delivery import settle
from bot.i18n import translate
from bot.serving.conversations import conversations_engine, handoff_messages, handoffs
from bot.serving.outbox import queue

SILENCE_SECONDS = 30 * 60
"""A claimed conversation whose consultant wrote nothing for this long goes back to the bot."""
UNCLAIMED_SECONDS = 20 * 60
"""A request nobody claimed in desk hours for this long stays in the queue, and the bot answers meanwhile."""
TRANSCRIPT_MESSAGES = 30
"""The most recent messages of the conversation so far passed on with consent."""
END_PAYLOAD = "/handoff_end"
"""The button under the handoff notices that gives the conversation back to the bot (as `/bot` does)."""


class Status(str, Enum):
    """Where a handoff stands."""

    WAITING = "waiting"  # no consultant yet (in hours, or left in the queue outside them)
    ACTIVE = "active"  # a consultant has it; the bot is silent
    CLOSED = "closed"


class Author(str, Enum):
    """Who wrote a message of a handoff."""

    PERSON = "person"
    CONSULTANT = "consultant"
    BOT = "bot"  # the bot's replies before the handoff, passed on as context
    NOTE = "note"  # what happened: claimed, handed back, passed on, ended


class Reason(str, Enum):
    """Why a handoff was closed."""

    PERSON = "person"  # /bot or the button
    CONSULTANT = "consultant"  # the consultant finished
    SILENCE = "silence"
    HOURS = "hours"  # the desk closed


OPEN = (Status.WAITING.value, Status.ACTIVE.value)


@dataclass(frozen=True)
class Person:
    """What is passed on about the person, with their consent."""

    chat_id: str
    language: str
    script: Optional[str] = None
    city: Optional[str] = None
    country: Optional[str] = None
    topic: Optional[str] = None


@dataclass(frozen=True)
class Closed:
    """A handoff ended by the desk, for the person's notice."""

    id: int
    chat_id: str
    reason: Reason


def _say(connection: Connection, handoff: Row, message: str, **values: Any) -> None:
    """Queues a notice to the person in their language, with the button back to the bot where it applies."""
    text = translate(message, handoff.language, handoff.script, **values)
    queue(connection, handoff.chat_id, [{"text": text}])


def end_button(language: str, script: Optional[str]) -> Dict[str, str]:
    """The button that ends the handoff."""
    return {"title": translate(messages.HANDOFF_END_BUTTON, language, script), "payload": END_PAYLOAD}


class Desk:
    """Opens, claims, relays and closes handoffs."""

    def __init__(self, url: Optional[str] = None, engine: Optional[Engine] = None,
                 clock: Callable[[], float] = time.time) -> None:
        self.url = url
        self._engine = engine
        self.clock = clock

    @property
    def engine(self) -> Engine:
        """The conversations database, opened on first use."""
        if self._engine is None:
            self._engine = conversations_engine(self.url)
        return self._engine

    # --- the person's side -------------------------------------------------------------------------

    def open(self, person: Person, organisation_ids: Sequence[int], transcript: Iterable[Tuple[str, str]],
             queued: bool = False, announce: Optional[Callable[[int], List[Tuple[str, Dict[str, Any]]]]] = None
             ) -> int:
        """Opens a handoff with the conversation so far (author, text), or returns the one already open.

        `announce` gives, for the new handoff's id, the posts to queue to operators' groups (chat, message).
        """
        now = self.clock()
        with self.engine.begin() as connection:
            current = self._open_row(connection, person.chat_id)
            if current is not None:
                # Asked again while it waits in the queue: the person wants the consultant, not the bot.
                connection.execute(update(handoffs).where(handoffs.c.id == current.id).values(bot_meanwhile=0))
                return current.id
            handoff_id = connection.execute(insert(handoffs).values(
                chat_id=person.chat_id, status=Status.WAITING.value, language=person.language,
                script=person.script, city=person.city, country=person.country, topic=person.topic,
                organisations=json.dumps(sorted(set(organisation_ids))), queued=int(queued),
                created_at=now, last_activity_at=now)).inserted_primary_key[0]
            for author, text in list(transcript)[-TRANSCRIPT_MESSAGES:]:
                self._add(connection, handoff_id, author, text, now=now)
            for chat_id, post in (announce(handoff_id) if announce else []):
                queue(connection, chat_id, [post])
            return handoff_id

    def current(self, chat_id: str) -> Optional[Row]:
        """The chat's open handoff (waiting or active), or None."""
        with self.engine.connect() as connection:
            return self._open_row(connection, chat_id)

    def holding(self, chat_id: str) -> Optional[Row]:
        """The open handoff that has the chat now (the bot is silent), or None (the bot answers)."""
        handoff = self.current(chat_id)
        if handoff is None or (handoff.status == Status.WAITING.value and handoff.bot_meanwhile):
            return None
        return handoff

    def from_person(self, handoff_id: int, text: str, kind: str = "text", update_id: Optional[int] = None,
                    forward: Sequence[Tuple[str, Dict[str, Any]]] = ()) -> bool:
        """Keeps a message of the person for the consultant (the bot does not answer it), forwarding it to an
        operators' group if given; False when its Telegram update was already handled (a redelivery)."""
        with self.engine.begin() as connection:
            if update_id is not None and not settle(connection, update_id):
                return False
            self._add(connection, handoff_id, Author.PERSON.value, text, kind=kind)
            for chat_id, message in forward:
                queue(connection, chat_id, [message])
            return True

    def end_by_person(self, chat_id: str, update_id: Optional[int] = None) -> bool:
        """The person went back to the bot (/bot): closes their handoff, or, when it waits in the queue for
        later, lets the bot answer meanwhile; False when there was none."""
        with self.engine.begin() as connection:
            if update_id is not None and not settle(connection, update_id):
                return True  # a redelivery of the /bot that already ended it
            handoff = self._open_row(connection, chat_id)
            if handoff is None:
                return False
            if handoff.status == Status.WAITING.value and handoff.queued:
                connection.execute(update(handoffs).where(handoffs.c.id == handoff.id).values(bot_meanwhile=1))
                _say(connection, handoff, messages.HANDOFF_KEPT_IN_QUEUE)
                return True
            self._close(connection, handoff, Reason.PERSON)
            _say(connection, handoff, messages.HANDOFF_ENDED_BY_PERSON)
            return True

    # --- the consultant's side ---------------------------------------------------------------------

    def claim(self, handoff_id: int, consultant: str, organisation_id: int) -> bool:
        """Gives a waiting handoff to a consultant; False when another consultant was first (or it ended)."""
        now = self.clock()
        with self.engine.begin() as connection:
            changed = connection.execute(update(handoffs).where(
                handoffs.c.id == handoff_id, handoffs.c.status == Status.WAITING.value,
            ).values(status=Status.ACTIVE.value, consultant=consultant, organisation_id=organisation_id,
                     claimed_at=now, last_activity_at=now, bot_meanwhile=0)).rowcount == 1
            if changed:
                self._add(connection, handoff_id, Author.NOTE.value, "claimed", sender=consultant, now=now)
                _say(connection, self._row(connection, handoff_id), messages.HANDOFF_CLAIMED)
            return changed

    def reply(self, handoff_id: int, consultant: str, signature: str, text: str,
              update_id: Optional[int] = None) -> bool:
        """Sends a consultant's message to the person, marked as from a person; False unless they hold it."""
        text = (text or "").strip()
        if not text:
            return False
        now = self.clock()
        with self.engine.begin() as connection:
            if update_id is not None and not settle(connection, update_id):
                return True  # written from the operators' group, and already relayed
            handoff = self._held(connection, handoff_id, consultant)
            if handoff is None:
                return False
            self._add(connection, handoff_id, Author.CONSULTANT.value, text, sender=consultant, now=now)
            connection.execute(update(handoffs).where(handoffs.c.id == handoff_id).values(
                last_activity_at=now, first_reply_at=handoff.first_reply_at or now))
            heading = translate(messages.HANDOFF_FROM_CONSULTANT, handoff.language, handoff.script, who=signature)
            # Plain text: the output escapes it, so a consultant's HTML or Markdown shows as typed.
            queue(connection, handoff.chat_id, [{"text": f"{heading}\n{text}",
                                                 "buttons": [end_button(handoff.language, handoff.script)]}])
            return True

    def hand_back(self, handoff_id: int, consultant: str) -> bool:
        """Puts a handoff the consultant holds back in the queue, for a colleague."""
        with self.engine.begin() as connection:
            if self._held(connection, handoff_id, consultant) is None:
                return False
            connection.execute(update(handoffs).where(handoffs.c.id == handoff_id).values(
                status=Status.WAITING.value, consultant=None, organisation_id=None, claimed_at=None,
                last_activity_at=self.clock()))
            self._add(connection, handoff_id, Author.NOTE.value, "handed_back", sender=consultant)
            return True

    def pass_to(self, handoff_id: int, consultant: str, colleague: str) -> bool:
        """Gives a handoff the consultant holds to a colleague of the same organisation."""
        with self.engine.begin() as connection:
            if not colleague or colleague == consultant or self._held(connection, handoff_id, consultant) is None:
                return False
            connection.execute(update(handoffs).where(handoffs.c.id == handoff_id).values(
                consultant=colleague, last_activity_at=self.clock()))
            self._add(connection, handoff_id, Author.NOTE.value, f"passed_to:{colleague}", sender=consultant)
            return True

    def finish(self, handoff_id: int, consultant: str) -> bool:
        """The consultant is done: the person is told and the bot answers again."""
        with self.engine.begin() as connection:
            handoff = self._held(connection, handoff_id, consultant)
            if handoff is None:
                return False
            self._close(connection, handoff, Reason.CONSULTANT)
            _say(connection, handoff, messages.HANDOFF_ENDED_BY_CONSULTANT)
            return True

    # --- what the workspace reads ------------------------------------------------------------------

    def get(self, handoff_id: int) -> Optional[Row]:
        """One handoff, whatever its state."""
        with self.engine.connect() as connection:
            return connection.execute(select(handoffs).where(handoffs.c.id == handoff_id)).first()

    def waiting_for(self, organisation_id: int, languages: Sequence[str]) -> List[Row]:
        """Waiting handoffs an organisation's consultant speaking these languages may claim, oldest first."""
        with self.engine.connect() as connection:
            rows = connection.execute(select(handoffs).where(
                handoffs.c.status == Status.WAITING.value, handoffs.c.language.in_(list(languages)),
            ).order_by(handoffs.c.created_at)).all()
        return [row for row in rows if organisation_id in json.loads(row.organisations)]

    def held_by(self, consultant: str) -> List[Row]:
        """The handoffs a consultant handles now."""
        with self.engine.connect() as connection:
            return connection.execute(select(handoffs).where(
                handoffs.c.status == Status.ACTIVE.value, handoffs.c.consultant == consultant,
            ).order_by(handoffs.c.claimed_at)).all()

    def messages(self, handoff_id: int) -> List[Row]:
        """What was said in a handoff, in order (with the conversation before it)."""
        with self.engine.connect() as connection:
            return connection.execute(select(handoff_messages).where(
                handoff_messages.c.handoff_id == handoff_id).order_by(handoff_messages.c.id)).all()

    def all_since(self, since: float) -> List[Row]:
        """Every handoff opened since a moment (for the statistics)."""
        with self.engine.connect() as connection:
            return connection.execute(select(handoffs).where(handoffs.c.created_at >= since)).all()

    # --- housekeeping ------------------------------------------------------------------------------

    def lapse(self, desk_closed: Callable[[int, float], bool], silence_seconds: float = SILENCE_SECONDS,
              unclaimed_seconds: float = UNCLAIMED_SECONDS) -> List[Closed]:
        """Gives back to the bot the active handoffs whose consultant fell silent or whose desk closed, and lets
        the bot answer meanwhile when nobody claimed a request in time (it stays in the queue)."""
        now = self.clock()
        closed: List[Closed] = []
        with self.engine.begin() as connection:
            for handoff in connection.execute(select(handoffs).where(
                    handoffs.c.status == Status.WAITING.value, handoffs.c.queued == 0,
                    handoffs.c.created_at < now - unclaimed_seconds)).all():
                if connection.execute(update(handoffs).where(
                        handoffs.c.id == handoff.id, handoffs.c.status == Status.WAITING.value,
                        handoffs.c.queued == 0).values(queued=1, bot_meanwhile=1)).rowcount == 1:
                    _say(connection, handoff, messages.HANDOFF_NOBODY_FREE)
            for handoff in connection.execute(select(handoffs).where(handoffs.c.status == Status.ACTIVE.value)):
                if handoff.last_activity_at < now - silence_seconds:
                    reason, notice = Reason.SILENCE, messages.HANDOFF_SILENCE
                elif handoff.organisation_id is not None and desk_closed(handoff.organisation_id, now):
                    reason, notice = Reason.HOURS, messages.HANDOFF_DESK_CLOSED
                else:
                    continue
                if self._close(connection, handoff, reason):
                    _say(connection, handoff, notice)
                    closed.append(Closed(handoff.id, handoff.chat_id, reason))
        return closed

    # --- inside a transaction ----------------------------------------------------------------------

    @staticmethod
    def _open_row(connection: Connection, chat_id: str) -> Optional[Row]:
        return connection.execute(select(handoffs).where(
            handoffs.c.chat_id == str(chat_id), handoffs.c.status.in_(OPEN)).order_by(handoffs.c.id.desc())).first()

    @staticmethod
    def _row(connection: Connection, handoff_id: int) -> Row:
        return connection.execute(select(handoffs).where(handoffs.c.id == handoff_id)).one()

    @staticmethod
    def _held(connection: Connection, handoff_id: int, consultant: str) -> Optional[Row]:
        return connection.execute(select(handoffs).where(
            handoffs.c.id == handoff_id, handoffs.c.status == Status.ACTIVE.value,
            handoffs.c.consultant == consultant)).first()

    def _close(self, connection: Connection, handoff: Row, reason: Reason) -> bool:
        now = self.clock()
        changed = connection.execute(update(handoffs).where(
            handoffs.c.id == handoff.id, handoffs.c.status.in_(OPEN),
        ).values(status=Status.CLOSED.value, closed_at=now, close_reason=reason.value)).rowcount == 1
        if changed:
            self._add(connection, handoff.id, Author.NOTE.value, f"closed:{reason.value}", now=now)
        return changed

    def _add(self, connection: Connection, handoff_id: int, author: str, text: str, kind: str = "text",
             sender: Optional[str] = None, now: Optional[float] = None) -> None:
        connection.execute(insert(handoff_messages).values(
            handoff_id=handoff_id, author=author, sender=sender, kind=kind, text=text,
            at=self.clock() if now is None else now))


def waiting_seconds(rows: Iterable[Row]) -> List[float]:
    """Seconds from each handoff's request to its first human reply (answered ones only)."""
    return [row.first_reply_at - row.created_at for row in rows if row.first_reply_at is not None]
