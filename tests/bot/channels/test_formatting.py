"""Telegram message shaping: 4,096-character split on paragraphs, HTML escaping, phone-sized rows."""

import html

import pytest

from bot import messages
from bot.channels.formatting import MESSAGE_LIMIT, escape, rows, split_message, utf16_length
from bot.registry import MENU_TOPICS, TOPIC_LABELS


def test_a_text_that_fits_stays_one_message_with_its_paragraphs():
    text = "Первый абзац.\n\nВторой абзац.\n\nТретий."
    assert split_message(text) == [text]


def test_a_long_text_is_split_between_paragraphs_never_inside_one():
    paragraphs = [f"{i}: " + "слово " * 300 for i in range(10)]  # ~1,800 characters each
    chunks = split_message("\n\n".join(paragraphs))
    assert len(chunks) > 1
    assert all(utf16_length(c) <= MESSAGE_LIMIT for c in chunks)
    rejoined = [p.strip() for c in chunks for p in c.split("\n\n")]
    assert rejoined == [p.strip() for p in paragraphs]


def test_a_paragraph_longer_than_the_limit_is_split_on_lines_then_words():
    lines = "\n".join("строка " * 50 for _ in range(40))  # one paragraph, ~14,000 characters
    chunks = split_message(lines)
    assert all(utf16_length(c) <= MESSAGE_LIMIT for c in chunks)
    assert " ".join(" ".join(chunks).split()) == " ".join(lines.split())
    words = " ".join(["регистрация"] * 850)  # no line breaks at all
    chunks = split_message(words)
    assert all(utf16_length(c) <= MESSAGE_LIMIT for c in chunks) and len(chunks) == 3
    assert " ".join(chunks) == words


def test_a_text_without_spaces_is_cut_without_breaking_an_emoji():
    text = "😀" * 3000  # each emoji is two UTF-16 units: 6,000 in all
    chunks = split_message(text)
    assert [utf16_length(c) for c in chunks] == [4096, 1904]
    assert "".join(chunks) == text


@pytest.mark.parametrize("text", ["", "   \n\n  "])
def test_nothing_to_send_gives_no_message(text):
    assert split_message(text) == []


def test_the_limit_counts_utf16_units_like_telegram():
    assert utf16_length("привет") == 6 and utf16_length("👍") == 2


@pytest.mark.parametrize("text", ["<b>hi</b> & *bold* _x_", "a < b && c > d", "Tom & Jerry's \"quote\"",
                                  "[rub:2000]–[rub:5000] `code`"])
def test_escaping_keeps_ngo_text_as_written_in_html_mode(text):
    escaped = escape(text)
    assert "<" not in escaped and "&" not in escaped.replace("&amp;", "").replace("&lt;", "").replace("&gt;", "")
    assert html.unescape(escaped) == text


def test_short_labels_go_two_per_row_and_long_ones_alone():
    labels = [title for title, _, _ in messages.LANGUAGE_BUTTONS] + ["Меню"]
    assert rows(labels, labels) == [["Русский", "Oʻzbekcha"], ["Ўзбекча", "Тоҷикӣ"], ["Кыргызча", "Меню"]]
    topics = [TOPIC_LABELS[t] for t in MENU_TOPICS]
    assert rows(topics, topics) == [[t] for t in topics]


def test_a_short_label_next_to_a_long_one_gets_its_own_row():
    labels = ["Да", "Граждане ЕАЭС: работа без патента", "Нет", "Меню", "Ещё"]
    assert rows(labels, labels) == [["Да"], ["Граждане ЕАЭС: работа без патента"], ["Нет", "Меню"], ["Ещё"]]
