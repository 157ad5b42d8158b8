"""Whole conversations through the real Rasa server and action server, in every language."""

import json
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from bot import messages
from bot.i18n import translate
from bot.registry import MENU_TOPICS


def say(servers, sender, text):
    response = requests.post(f"{servers}/webhooks/rest/webhook",
                             json={"sender": sender, "message": text}, timeout=60)
    assert response.status_code == 200, response.text
    return response.json()


def new_sender():
    return f"e2e-{uuid.uuid4().hex[:8]}"


@pytest.mark.parametrize(
    "greeting, language, script, question, thanks",
    [
        ("здравствуйте", "ru", None, "что ты умеешь?", "спасибо большое"),
        ("assalomu alaykum", "uz", "latn", "nima qila olasan", "katta rahmat sizga"),
        ("ассалому алайкум", "uz", "cyrl", "нима қила оласан", "катта раҳмат сизга"),
        ("салом алейкум", "tg", None, "чӣ кор карда метавонӣ", "ташаккури зиёд"),
        ("саламатсызбы", "ky", None, "эмне кыла аласың", "чоң рахмат сизге"),
    ],
)
def test_start_choose_language_menu_thanks(servers, greeting, language, script, question, thanks):
    sender = new_sender()
    first = say(servers, sender, greeting)
    assert first[0]["text"]
    assert any(b["payload"].startswith("/choose_language") for b in first[0]["buttons"])
    entities = {"language": language, **({"script": script} if script else {})}
    chosen = say(servers, sender, "/choose_language" + json.dumps(entities))
    assert chosen[0]["text"] == translate(messages.LANGUAGE_SET, language, script)
    menu = say(servers, sender, question)
    assert menu[0]["text"] == translate(messages.HELP_MENU, language, script)
    assert {f"/{t}" for t in MENU_TOPICS} <= {b["payload"] for b in menu[0]["buttons"]}
    assert say(servers, sender, thanks)[0]["text"] == translate(messages.THANKS, language, script)


def test_language_follows_a_confident_sentence_without_a_choice(servers):
    sender = new_sender()
    assert say(servers, sender, "чоң рахмат сизге")[0]["text"] == translate(messages.THANKS, "ky")
    # One word does not flip the language back to Russian.
    assert say(servers, sender, "спасибо")[0]["text"] == translate(messages.THANKS, "ky")


def test_an_unclear_message_gets_two_topics_and_the_menu(servers):
    reply = say(servers, new_sender(), "zzzz qwrty blorp")
    assert reply[0]["text"] == translate(messages.FALLBACK, "ru")
    assert reply[0]["buttons"][-1]["payload"] == "/help_menu"


@pytest.mark.parametrize("text", ["", "   ", "😀🙏", "?!..", "регистрация " * 850, "مرحبا كيف حالك",
                                  "ре\u200bгистрация\ufeff", "{\"json\": ", "<b>hi</b> & *bold*"])
def test_bad_input_gets_an_answer(servers, text):
    reply = say(servers, new_sender(), text)
    if text.strip():
        assert reply and all(r.get("recipient_id") for r in reply) and reply[0].get("text")


def test_concurrent_conversations_get_their_own_replies(servers):
    senders = {new_sender(): lang for lang in ("ru", "tg", "ky", "uz") for _ in range(3)}
    texts = {"ru": "спасибо большое", "tg": "ташаккури зиёд", "ky": "чоң рахмат сизге", "uz": "katta rahmat sizga"}

    def talk(sender):
        return sender, say(servers, sender, texts[senders[sender]])

    with ThreadPoolExecutor(max_workers=6) as pool:
        for sender, reply in pool.map(talk, senders):
            assert {r["recipient_id"] for r in reply} == {sender}
            assert reply[0]["text"] == translate(messages.THANKS, senders[sender], "latn")


def test_citizenship_question_then_the_answer_for_that_citizenship(servers):
    sender = new_sender()
    asked = say(servers, sender, "сколько дней можно жить без регистрации после приезда")
    assert asked[0]["text"] == translate(messages.ASK_CITIZENSHIP, "ru")
    answered = say(servers, sender, '/inform{"country": "kyrgyzstan"}')
    assert "30" in " ".join(r["text"] for r in answered)


def test_an_edit_in_the_database_shows_in_the_next_reply_without_retraining(servers):
    from bot.content.db import session_scope
    from tests.bot.content.test_knowledge_base import edit_answer

    sender = new_sender()
    say(servers, sender, '/inform{"city": "moscow"}')
    with session_scope(servers.database) as session:
        edit_answer(session, "join_union", "ru", "any", "Профсоюз: новый проверенный текст.")
    reply = say(servers, sender, "как вступить в профсоюз мигрантов")
    assert reply[0]["text"].startswith("Профсоюз: новый проверенный текст.")
