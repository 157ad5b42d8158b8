"""callback_data stays within Telegram's 64 bytes whatever the language; long payloads map back."""

import json

import pytest

from bot import messages
from bot.channels.callback_data import CALLBACK_LIMIT, KEY_PREFIX, PayloadStore, short_key
from bot.i18n import translate
from bot.registry import CITIES, TOPIC_LABELS


def size(data):
    return len(data.encode("utf-8"))


def test_the_bots_own_payloads_fit_and_are_sent_unchanged():
    store = PayloadStore()
    payloads = ['/choose_language{"language": "uz", "script": "cyrl"}', '/inform{"country": "tajikistan"}',
                '/inform{"city": "saint_petersburg"}', '/detention_expulsion{"part": "more"}', "/help_menu"]
    for payload in payloads:
        assert store.encode(payload) == payload and size(payload) <= CALLBACK_LIMIT


def test_a_payload_with_spaces_is_compacted_when_that_is_enough():
    payload = '/choose_language{"language": "uz", "script": "cyrl", "x": "abcdefgh"}'
    assert size(payload) > CALLBACK_LIMIT
    data = PayloadStore().encode(payload)
    assert size(data) <= CALLBACK_LIMIT and json.loads(data[len("/choose_language"):]) == json.loads(
        payload[len("/choose_language"):])


@pytest.mark.parametrize("language", ["ru", "uz", "tg", "ky"])
def test_a_long_cyrillic_payload_is_stored_under_a_short_key_and_mapped_back(language):
    store = PayloadStore()
    city = translate(CITIES["nizhny_novgorod"], language)
    payload = "/inform" + json.dumps({"city": city, "note": translate(TOPIC_LABELS["eaeu_work"], language)},
                                     ensure_ascii=False)
    data = store.encode(payload)
    assert size(payload) > CALLBACK_LIMIT and size(data) <= CALLBACK_LIMIT
    assert data.startswith(KEY_PREFIX) and store.decode(data) == payload
    assert store.encode(payload) == data == short_key(payload)  # stable: the same button, the same key


def test_a_key_survives_a_restart_when_there_is_a_state_file(tmp_path):
    payload = "/inform" + json.dumps({"city": "Нижний Новгород, Ленинский район, улица"}, ensure_ascii=False)
    first = PayloadStore(tmp_path / "state.sqlite")
    data = first.encode(payload)
    first.close()
    assert PayloadStore(tmp_path / "state.sqlite").decode(data) == payload
    assert PayloadStore().decode(data) is None  # without the file: unknown, the connector shows the menu


def test_memory_is_bounded():
    store = PayloadStore(capacity=10)
    keys = [store.encode("/x" + json.dumps({"v": "ж" * 40 + str(i)}, ensure_ascii=False)) for i in range(50)]
    assert store.decode(keys[-1]) is not None and store.decode(keys[0]) is None


def test_plain_data_decodes_to_itself():
    assert PayloadStore().decode("/help_menu") == "/help_menu"


def test_reply_keyboard_labels_map_back_to_their_payloads(tmp_path):
    store = PayloadStore(tmp_path / "state.sqlite")
    store.remember_keyboard(42, {"Тоҷикӣ": '/choose_language{"language": "tg"}', "Меню": "/help_menu"})
    assert store.keyboard_payload(42, "Тоҷикӣ") == '/choose_language{"language": "tg"}'
    assert store.keyboard_payload(42, "что-то другое") is None
    assert store.keyboard_payload(43, "Меню") is None  # another chat never saw that keyboard
