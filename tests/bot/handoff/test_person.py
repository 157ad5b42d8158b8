"""The person's side: who may take them, consent before anything is shared, queue outside hours."""

from datetime import datetime, timezone

from bot.content.db import session_scope
from bot.handoff.desk import Desk, Person
from bot.handoff.person import CONSENT_PAYLOAD, offer, opening_time, request_post, transcript
from bot.handoff.routing import desks_for
from bot.serving.outbox import Outbox
from tests.bot.handoff.conftest import open_desk

EVENTS = [
    {"event": "user", "text": "паспортамро корфармо гирифт"},
    {"event": "bot", "text": "Агар ба шумо хатар таҳдид кунад — 112."},
    {"event": "user", "text": "/talk_to_human"},  # a button press: its answer follows, the payload is noise
    {"event": "slot", "name": "city", "value": "moscow"},
]
TAJIK = Person("7001", "tg", None, "moscow", "tajikistan", "passport_withheld")
THURSDAY_NOON = datetime(2026, 12, 3, 9, 0, tzinfo=timezone.utc).timestamp()  # 12:00 in Moscow
SATURDAY = datetime(2026, 12, 5, 9, 0, tzinfo=timezone.utc).timestamp()


def test_desks_speak_the_language_serve_the_city_and_citizenship_and_are_active_and_vetted(content_url):
    civic = open_desk(content_url, "civic_assistance", languages=["ru", "tg"])
    open_desk(content_url, "sisters", languages=["tg"])  # unverified: never offered
    open_desk(content_url, "kyrgyzstan_embassy")  # Kyrgyz citizens only
    with session_scope() as session:
        assert [d.id for d in desks_for(session, "tg", "moscow", "tajikistan")] == [civic]
        assert [d.id for d in desks_for(session, "tg", None, None)] == [civic]
        assert desks_for(session, "tg", "kazan", "tajikistan") == []  # Moscow only, not remote
        assert desks_for(session, "uz", "moscow", "uzbekistan") == []  # nobody speaks Uzbek there
        assert [d.name for d in desks_for(session, "ky", "moscow", "kyrgyzstan")] != []
        assert all(d.id != civic for d in desks_for(session, "ky", "moscow", "kyrgyzstan"))


def test_nothing_is_shared_before_consent(content_url, conversations_url):
    open_desk(content_url, "civic_assistance", languages=["ru", "tg"])
    offered = offer(TAJIK, consent=False, events=EVENTS, now=THURSDAY_NOON)
    [(text, buttons)] = offered.texts
    assert offered.handoff_id is None and Desk(conversations_url).current("7001") is None
    assert "Мусоидати шаҳрвандӣ" in text  # who will see it, by the name in Tajik
    assert "забон, шаҳр ва шаҳрвандии" in text  # what will be passed on, in Tajik
    assert [b["payload"] for b in buttons] == [CONSENT_PAYLOAD, "/find_free_help"]


def test_with_consent_the_conversation_is_passed_on_and_operators_are_told(content_url, conversations_url):
    open_desk(content_url, "civic_assistance", languages=["ru", "tg"], operators_chat_id="-100500")
    offered = offer(TAJIK, consent=True, events=EVENTS, now=THURSDAY_NOON)
    desk = Desk(conversations_url)
    handoff = desk.current("7001")
    assert offered.handoff_id == handoff.id and not handoff.queued
    assert [m.text for m in desk.messages(handoff.id)] == [EVENTS[0]["text"], EVENTS[1]["text"]]
    outbox = Outbox(conversations_url)
    [post] = outbox.load(outbox.waiting_ids(10))
    assert post.chat_id == "-100500" and post.message["text"].startswith(f"#{handoff.id}\n")
    assert EVENTS[0]["text"] not in post.message["text"]  # the group gets the person's words only once claimed
    assert "/bot" in offered.texts[0][0]


def test_outside_hours_the_person_learns_the_next_opening_and_can_leave_the_question(content_url, conversations_url):
    open_desk(content_url, "civic_assistance", hours="пн-пт 10:00-18:00", languages=["ru", "tg"])
    [(text, _)] = offer(TAJIK, consent=False, events=EVENTS, now=SATURDAY).texts
    assert "душанбе, 10:00" in text.lower()  # Monday 10:00, in Tajik
    queued = offer(TAJIK, consent=True, events=EVENTS, now=SATURDAY)
    assert Desk(conversations_url).current("7001").queued == 1
    assert "душанбе" in queued.texts[0][0].lower()


def test_nobody_for_this_language_means_contacts(content_url, conversations_url):
    offered = offer(Person("7003", "uz", "cyrl", "kazan", "uzbekistan"), consent=True, events=[], now=THURSDAY_NOON)
    assert offered.no_desk and offered.handoff_id is None
    assert Desk(conversations_url).current("7003") is None


def test_opening_time_in_each_language_and_script():
    monday = datetime(2026, 12, 7, 7, 0, tzinfo=timezone.utc)
    assert opening_time(monday, "ru", None) == "понедельник, 10:00 (по Москве)"
    assert opening_time(monday, "uz", "latn").startswith("dushanba, 10:00")
    assert opening_time(monday, "uz", "cyrl").startswith("душанба, 10:00")
    assert opening_time(monday, "ky", None).startswith("дүйшөмбү, 10:00")
    assert opening_time(monday, "tg", None) == "душанбе, 10:00 (бо вақти Маскав)"


def test_the_transcript_leaves_out_button_payloads_and_other_events():
    assert transcript(EVENTS) == [("person", EVENTS[0]["text"]), ("bot", EVENTS[1]["text"])]


def test_an_operators_post_names_the_request_but_not_the_persons_words():
    post = request_post(12, TAJIK)
    assert post["text"].startswith("#12\n") and "tg" in post["text"] and "moscow" in post["text"]
    assert post["buttons"][0]["payload"] == '/handoff_claim{"handoff":"12"}'
