"""Updates around Rasa during a handoff: the bot is silent, /bot ends it, operators claim and answer in their group."""

from bot.channels.callback_data import PayloadStore
from bot.channels.updates import BotIdentity, read_update
from bot.content.db import session_scope
from bot.content.models import AdminUser, AuditEvent
from bot.handoff.desk import END_PAYLOAD, Desk, Person
from bot.handoff.relay import ALREADY_TAKEN, NOT_A_CONSULTANT, HandoffRelay
from bot.serving.outbox import Outbox
from tests.bot.handoff.conftest import open_desk

BOT = BotIdentity(42, "hamroh_bot")
GROUP = -100777
PERSON_CHAT = 7001


def message(update_id, text=None, chat=PERSON_CHAT, user=PERSON_CHAT, chat_type="private", reply_to=None, **extra):
    body = {"message_id": update_id, "chat": {"id": chat, "type": chat_type},
            "from": {"id": user, "is_bot": False, "language_code": "tg"}, **extra}
    if text is not None:
        body["text"] = text
    if reply_to is not None:
        body["reply_to_message"] = {"message_id": 1, "from": {"id": BOT.id, "is_bot": True}, "text": reply_to}
    return read_update({"update_id": update_id, "message": body}, BOT)


def press(update_id, store, payload, chat=PERSON_CHAT, user=PERSON_CHAT, chat_type="private"):
    query = {"id": f"q{update_id}", "from": {"id": user}, "data": store.encode(payload),
             "message": {"message_id": 5, "chat": {"id": chat, "type": chat_type}}}
    return read_update({"update_id": update_id, "callback_query": query}, BOT)


def setup(content_url, conversations_url):
    organisation = open_desk(content_url, "civic_assistance", languages=["ru", "tg"], operators_chat_id=str(GROUP))
    with session_scope(content_url) as session:
        session.add(AdminUser(username="farida", password_hash="-", role="consultant", organisation_id=organisation,
                              languages=["tg", "ru"], telegram_user_id="555"))
    store = PayloadStore(conversations_url)
    desk = Desk(conversations_url)
    handoff = desk.open(Person(str(PERSON_CHAT), "tg", city="moscow"), [organisation], [("person", "ёрдам")])
    return HandoffRelay(desk, store), desk, store, handoff


def queued(conversations_url, chat):
    outbox = Outbox(conversations_url)
    return [r.message["text"] for r in outbox.load(outbox.waiting_ids(100)) if r.chat_id == str(chat)]


def test_without_a_handoff_everything_goes_to_rasa(content_url, conversations_url):
    relay = HandoffRelay(Desk(conversations_url), PayloadStore(conversations_url))
    assert relay.route(message(1, "салом")) is None


def test_during_a_handoff_the_bot_is_silent_and_keeps_every_message_for_the_consultant(content_url,
                                                                                      conversations_url):
    relay, desk, _, handoff = setup(content_url, conversations_url)
    assert relay.route(message(1, "корфармо маош намедиҳад")).replies == []
    photo = relay.route(message(2, photo=[{"file_id": "x"}]))
    assert photo.replies == [] and photo.chat_id == PERSON_CHAT
    said = [(m.kind, m.text) for m in desk.messages(handoff) if m.author == "person"]
    assert said == [("text", "ёрдам"), ("text", "корфармо маош намедиҳад"), ("photo", "[photo]")]
    assert relay.route(message(1, "корфармо маош намедиҳад")).replies == []  # Telegram redelivered it
    assert len([m for m in desk.messages(handoff) if m.author == "person"]) == 3


def test_bot_command_or_button_ends_it_and_forget_still_reaches_rasa(content_url, conversations_url):
    relay, desk, store, _ = setup(content_url, conversations_url)
    assert relay.route(message(3, "/forget")) is None
    reminder = relay.route(message(4, "/help"))
    assert "/bot" in reminder.replies[0]["text"] and "мушовир" in reminder.replies[0]["text"]
    assert relay.route(press(5, store, END_PAYLOAD)).replies == []
    assert desk.current(str(PERSON_CHAT)) is None
    assert queued(conversations_url, PERSON_CHAT)[-1].startswith("Хуб, акнун боз бот")
    desk.open(Person(str(PERSON_CHAT), "tg"), [1], [])
    relay.route(message(6, "/bot"))
    assert desk.current(str(PERSON_CHAT)) is None
    assert relay.route(message(7, "/bot")) is None  # no handoff: the bot answers (the menu)


def test_operators_claim_in_their_group_and_answer_by_replying(content_url, conversations_url):
    relay, desk, store, handoff = setup(content_url, conversations_url)
    claim = f'/handoff_claim{{"handoff":"{handoff}"}}'
    stranger = relay.route(press(10, store, claim, chat=GROUP, user=999, chat_type="supergroup"))
    assert stranger.replies == [{"text": NOT_A_CONSULTANT}] and desk.get(handoff).status == "waiting"
    claimed = relay.route(press(11, store, claim, chat=GROUP, user=555, chat_type="supergroup"))
    assert desk.get(handoff).consultant == "farida"
    post = claimed.replies[0]["text"]
    assert post.startswith(f"#{handoff}\n") and "ёрдам" in post  # the conversation so far, now that it is hers
    again = relay.route(press(12, store, claim, chat=GROUP, user=555, chat_type="supergroup"))
    assert ALREADY_TAKEN in again.replies[0]["text"]

    relay.route(message(13, "<i>Салом</i>, паспорт дар куҷост?", chat=GROUP, user=555, chat_type="supergroup",
                        reply_to=post))
    to_person = queued(conversations_url, PERSON_CHAT)
    assert to_person[-1].startswith("👤 ") and to_person[-1].endswith("<i>Салом</i>, паспорт дар куҷост?")

    with session_scope(content_url) as session:
        logged = [(e.actor, e.action, e.target, e.detail) for e in session.query(AuditEvent).order_by(AuditEvent.id)]
    assert logged == [("farida", "handoff_claim", str(handoff), "telegram-group"),
                      ("farida", "handoff_message", str(handoff), "telegram-group")]  # never the text

    relay.route(message(14, "дар корфармо", photo=None))
    forwarded = queued(conversations_url, GROUP)
    assert forwarded[-1] == f"#{handoff}\nдар корфармо"  # the person's answer reaches the group thread


def test_a_reply_in_the_group_by_someone_not_holding_it_reaches_no_one(content_url, conversations_url):
    relay, desk, _, handoff = setup(content_url, conversations_url)
    refused = relay.route(message(20, "ман ҷавоб медиҳам", chat=GROUP, user=555, chat_type="group",
                                  reply_to=f"#{handoff}\n..."))
    assert "не ваш" in refused.replies[0]["text"] and queued(conversations_url, PERSON_CHAT) == []


def test_other_groups_are_not_operators_groups(content_url, conversations_url):
    relay, _, _, _ = setup(content_url, conversations_url)
    assert relay.route(message(30, "@hamroh_bot салом", chat=-1, chat_type="group")) is None
