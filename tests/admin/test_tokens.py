"""The editor writes money and dates as the bot says them and stores tokens again: nothing changes on the way."""

from pathlib import Path

import pytest

from bot.admin.tokens import said, stored, tokens
from bot.content.loader import NOT_TOPIC_FILES, read_topic_file
from bot.settings import get_settings


def seed_answers():
    folder = Path(get_settings().content_dir)
    return [record for path in sorted(folder.glob("*.yml")) if path.name not in NOT_TOPIC_FILES
            for record in read_topic_file(path)]


def test_every_seed_answer_round_trips_exactly():
    answers = [a for a in seed_answers() if "[" in a["body"]]
    assert len(answers) > 50  # the seed has money and dates in every language
    for answer in answers:
        shown = said(answer["body"], answer["language"])
        assert "[rub:" not in shown and "[date:" not in shown
        assert tokens(shown, answer["language"]) == answer["body"], (answer["topic"], answer["language"])


@pytest.mark.parametrize("language,typed,expected", [
    ("ru", "Штраф 5 000 ₽ до 28 января 2026 г.", "Штраф [rub:5000] до [date:2026-01-28]"),
    ("ru", "Сбор 3500₽, с 1 марта 2025 г. — больше", "Сбор [rub:3500], с [date:2025-03-01] — больше"),
    ("uz", "2026-yil 1-yanvardan 12 000 ₽", "[date:2026-01-01] dan [rub:12000]"),
    ("tg", "аз 1 январи 2026 — 5 000 ₽", "аз [date:2026-01-01] — [rub:5000]"),
    ("ky", "2026-ж. 5-март чейин", "[date:2026-03-05] чейин"),
    ("ru", "31 февраля 2026 г. и 2026 год", "31 февраля 2026 г. и 2026 год"),  # not a date: stays as typed
])
def test_typed_money_and_dates_become_tokens(language, typed, expected):
    assert tokens(typed, language) == expected


def test_an_unchanged_text_keeps_the_tokens_as_they_were_written():
    served = "Штраф [rub:5 000]."  # written by hand with a space: the bot says "5 000 ₽" all the same
    assert stored(said(served, "ru"), "ru", served) == served
    assert stored(said(served, "ru") + " Ещё.", "ru", served) == "Штраф [rub:5000]. Ещё."


def test_the_cyrillic_preview_formats_tokens_and_never_transliterates_them():
    shown = said("[date:2026-01-28] dan [rub:2000] toʻlang.", "uz", "cyrl")
    assert "[" not in shown and "дате" not in shown and "2026" in shown and "₽" in shown
