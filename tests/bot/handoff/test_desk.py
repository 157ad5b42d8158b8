"""The desk on SQLite and PostgreSQL: one claim wins, replies queue in order, silence and closing hand back."""

import threading

from rasa.core.tracker_store import SQLTrackerStore
from sqlalchemy import select

from bot import messages
from bot.handoff.desk import Author, Desk, Person, Reason, Status
from bot.i18n import translate
from bot.serving.conversations import conversations_engine, forget_conversation, handoff_messages, handoffs, purge
from bot.serving.outbox import Outbox

TAJIK = Person("7001", "tg", None, "moscow", "tajikistan", "passport_withheld")


class Clock:
    def __init__(self, now=1_000_000.0):
        self.now = now

    def __call__(self):
        return self.now


def texts(url, chat):
    outbox = Outbox(url)
    return [r.message["text"] for r in outbox.load(outbox.waiting_ids(100)) if r.chat_id == chat]


def test_a_handoff_opens_once_with_the_conversation_so_far(conversations_url):
    desk = Desk(conversations_url)
    first = desk.open(TAJIK, [3, 1, 3], [("person", "паспортамро гирифтанд"), ("bot", "...")])
    assert desk.open(TAJIK, [1], []) == first  # asking again joins the open one
    row = desk.current("7001")
    assert (row.status, row.language, row.city, row.organisations) == ("waiting", "tg", "moscow", "[1, 3]")
    assert [(m.author, m.text) for m in desk.messages(first)] == [("person", "паспортамро гирифтанд"), ("bot", "...")]
    assert desk.current("7002") is None


def test_only_organisations_routed_to_and_languages_spoken_see_it_waiting(conversations_url):
    desk = Desk(conversations_url)
    handoff = desk.open(TAJIK, [1], [])
    assert [r.id for r in desk.waiting_for(1, ["ru", "tg"])] == [handoff]
    assert desk.waiting_for(1, ["ru"]) == [] and desk.waiting_for(2, ["tg"]) == []


def test_of_two_consultants_claiming_at_once_exactly_one_wins(conversations_url):
    desk = Desk(conversations_url)
    handoff = desk.open(TAJIK, [1], [])
    start, results = threading.Barrier(8), {}

    def claim(name):
        start.wait()
        results[name] = Desk(conversations_url).claim(handoff, name, 1)

    threads = [threading.Thread(target=claim, args=(f"c{i}",)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    winners = [name for name, won in results.items() if won]
    assert len(results) == 8 and len(winners) == 1
    row = desk.get(handoff)
    assert (row.status, row.consultant) == ("active", winners[0])


def test_a_reply_reaches_the_persons_chat_marked_as_a_person_and_as_typed(conversations_url):
    desk = Desk(conversations_url)
    handoff = desk.open(TAJIK, [1], [])
    assert not desk.reply(handoff, "farida", "Ҷамъият", "not yet claimed")
    assert desk.claim(handoff, "farida", 1)
    assert not desk.reply(handoff, "someone_else", "Ҷамъият", "not theirs")
    assert desk.reply(handoff, "farida", "Ҷамъият", "<b>Салом!</b> *паспорт*")
    claimed, text = texts(conversations_url, "7001")
    assert claimed == translate(messages.HANDOFF_CLAIMED, "tg")  # the person knows a person has it
    assert text.startswith("👤 ") and "Ҷамъият" in text and text.endswith("<b>Салом!</b> *паспорт*")
    assert desk.get(handoff).first_reply_at is not None


def test_hand_back_pass_and_finish(conversations_url):
    desk = Desk(conversations_url)
    handoff = desk.open(TAJIK, [1], [])
    desk.claim(handoff, "farida", 1)
    assert desk.pass_to(handoff, "farida", "rustam") and desk.get(handoff).consultant == "rustam"
    assert not desk.hand_back(handoff, "farida")  # no longer hers
    assert desk.hand_back(handoff, "rustam")
    assert (desk.get(handoff).status, desk.get(handoff).consultant) == ("waiting", None)
    assert desk.claim(handoff, "farida", 1) and desk.finish(handoff, "farida")
    assert desk.get(handoff).close_reason == Reason.CONSULTANT.value and desk.current("7001") is None
    notes = [m.text for m in desk.messages(handoff) if m.author == Author.NOTE.value]
    assert notes == ["claimed", "passed_to:rustam", "handed_back", "claimed", "closed:consultant"]
    assert "бот" in texts(conversations_url, "7001")[-1]  # the person is told the bot answers again (Tajik)


def test_the_person_ends_it_with_bot_once_even_when_telegram_redelivers(conversations_url):
    desk = Desk(conversations_url)
    desk.open(TAJIK, [1], [])
    assert desk.end_by_person("7001", update_id=55)
    assert desk.end_by_person("7001", update_id=55)  # the redelivery: done already, nothing more queued
    assert len(texts(conversations_url, "7001")) == 1
    assert not desk.end_by_person("7001")


def test_nobody_free_in_time_keeps_the_request_in_the_queue_and_the_bot_answers_meanwhile(conversations_url):
    clock = Clock()
    desk = Desk(conversations_url, clock=clock)
    handoff = desk.open(TAJIK, [1], [])
    assert desk.holding("7001").id == handoff  # the bot is silent while a consultant may come
    clock.now += 20 * 60 + 1
    assert desk.lapse(desk_closed=lambda organisation, now: False) == []  # nothing closed …
    assert desk.holding("7001") is None and desk.current("7001").queued == 1  # … the bot answers, it still waits
    assert texts(conversations_url, "7001") == [translate(messages.HANDOFF_NOBODY_FREE, "tg")]
    assert [r.id for r in desk.waiting_for(1, ["tg"])] == [handoff]
    assert desk.claim(handoff, "farida", 1) and desk.holding("7001").id == handoff  # a claim takes the chat again


def test_bot_while_queued_for_later_keeps_the_question_and_asking_again_brings_the_consultant_back(
        conversations_url):
    desk = Desk(conversations_url)
    handoff = desk.open(TAJIK, [1], [], queued=True)
    assert desk.end_by_person("7001")
    assert desk.current("7001").id == handoff and desk.holding("7001") is None
    assert texts(conversations_url, "7001") == [translate(messages.HANDOFF_KEPT_IN_QUEUE, "tg")]
    assert desk.open(TAJIK, [1], []) == handoff and desk.holding("7001").id == handoff


def test_a_persons_message_is_kept_once_per_telegram_update(conversations_url):
    desk = Desk(conversations_url)
    handoff = desk.open(TAJIK, [1], [])
    assert desk.from_person(handoff, "ёрдам диҳед", update_id=9)
    assert not desk.from_person(handoff, "ёрдам диҳед", update_id=9)
    assert desk.from_person(handoff, "[photo]", kind="photo", update_id=10)
    assert [(m.kind, m.text) for m in desk.messages(handoff)] == [("text", "ёрдам диҳед"), ("photo", "[photo]")]


def test_a_silent_consultant_or_a_closed_desk_gives_the_conversation_back_to_the_bot(conversations_url):
    clock = Clock()
    desk = Desk(conversations_url, clock=clock)
    quiet, late = desk.open(TAJIK, [1], []), desk.open(Person("7002", "ky"), [2], [])
    desk.claim(quiet, "farida", 1)
    clock.now += 100
    desk.claim(late, "aibek", 2)
    clock.now += 30 * 60 - 50  # farida silent for 30 min 50 s, aibek for 29 min 10 s
    closed = desk.lapse(desk_closed=lambda organisation, now: organisation == 2)
    assert {(c.chat_id, c.reason) for c in closed} == {("7001", Reason.SILENCE), ("7002", Reason.HOURS)}
    assert desk.lapse(desk_closed=lambda organisation, now: True) == []  # nothing twice
    assert texts(conversations_url, "7002")[-1].startswith("Кеңешчинин иш убактысы")


def test_forgetting_the_conversation_deletes_its_handoffs_and_retention_purges_closed_ones(conversations_url):
    desk = Desk(conversations_url)
    first = desk.open(TAJIK, [1], [("person", "менро дастгир карданд")])
    desk.end_by_person("7001")
    engine = conversations_engine(conversations_url, SQLTrackerStore.Base.metadata)  # with Rasa's events table
    other = desk.open(Person("7002", "ky"), [1], [("person", "жардам")])
    with engine.begin() as connection:
        forget_conversation(connection, "7002")
    with engine.connect() as connection:
        assert connection.execute(select(handoffs.c.id)).scalars().all() == [first]
        assert connection.execute(select(handoff_messages.c.handoff_id).where(
            handoff_messages.c.handoff_id == other)).all() == []
    purge(0, conversations_url, now=desk.get(first).closed_at + 1)
    assert desk.get(first) is None and desk.messages(first) == []


def test_statuses_are_the_enum_values(conversations_url):
    desk = Desk(conversations_url)
    handoff = desk.open(TAJIK, [1], [])
    assert desk.get(handoff).status == Status.WAITING.value


def test_housekeeping_closes_a_handoff_whose_desk_has_no_hours_any_more(content_url, conversations_url):
    from bot.handoff.housekeeping import give_back_lapsed
    from tests.bot.handoff.conftest import open_desk

    organisation = open_desk(content_url, "civic_assistance", hours="пн 00:00-00:01")  # as good as always closed
    desk = Desk(conversations_url)
    handoff = desk.open(TAJIK, [organisation], [])
    desk.claim(handoff, "farida", organisation)
    [closed] = give_back_lapsed(conversations_url)
    assert (closed.id, closed.reason) == (handoff, Reason.HOURS)
