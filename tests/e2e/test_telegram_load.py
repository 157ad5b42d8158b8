"""Fifty chats writing at once: each gets exactly its own replies, in order, none lost or duplicated."""

import itertools
from concurrent.futures import ThreadPoolExecutor

from bot import LANGUAGES, messages
from bot.i18n import translate
from tests.e2e.telegram_updates import deliver, message_update, new_chat, text_of, wait_sent

CHATS = 50
PARALLEL = 16
"""Webhook requests in flight at once; Telegram itself opens at most 40 by default."""
THANKS = {"ru": "спасибо большое", "uz": "katta rahmat sizga", "tg": "ташаккури зиёд", "ky": "чоң рахмат сизге"}


def conversation(language):
    """Four messages and the one reply expected to each."""
    return [("/start", messages.GREETING), ("/help", messages.HELP_MENU),
            (THANKS[language], messages.THANKS), ("/language", messages.CHOOSE_LANGUAGE)]


def test_fifty_chats_times_four_messages_concurrently(servers):
    chats = {new_chat(): language for language, _ in zip(itertools.cycle(LANGUAGES), range(CHATS))}

    def talk(chat):
        # Telegram delivers one chat's updates one after another; chats run side by side.
        statuses = []
        for text, _ in conversation(chats[chat]):
            statuses.append(deliver(servers, message_update(chat, chats[chat], text)).status_code)
        return statuses

    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        assert all(status == 200 for statuses in pool.map(talk, chats) for status in statuses)
    wait_sent(servers.conversations_url)

    for chat, language in chats.items():
        received = servers.telegram.sent_to(chat)
        expected = [translate(reply, language, "latn") for _, reply in conversation(language)]
        assert [text_of(m) for m in received] == expected, f"chat {chat} ({language})"
        assert all(m["chat_id"] == str(chat) for m in received)
