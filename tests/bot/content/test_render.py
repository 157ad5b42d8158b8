"""Money and dates in answers are written as people write them in running text, per language and script."""

from datetime import date

import pytest

from bot.content.render import localise

CASES = [
    ("ru", None, "28 января 2026 г.", "5 000\u00a0₽"),
    ("uz", "latn", "2026-yil 28-yanvar", "5 000\u00a0₽"),
    ("uz", "cyrl", "2026-йил 28-январ", "5 000\u00a0₽"),
    ("tg", None, "28 январи 2026", "5 000\u00a0₽"),
    ("ky", None, "2026-ж. 28-январь", "5 000\u00a0₽"),
]


@pytest.mark.parametrize("language,script,day,amount", CASES)
def test_tokens_become_the_languages_own_date_and_money(language, script, day, amount):
    text = localise("[date:2026-01-28] — [rub:5000]", language, script).replace("\u202f", " ")
    assert text.replace("\u00a0", " ") == f"{day} — {amount}".replace("\u00a0", " ")
    assert "[" not in text and "г.." not in text


def test_a_mistyped_token_shows_its_value_rather_than_breaking_the_answer():
    assert localise("[date:2026-13-40]", "ru") == "2026-13-40"


def test_uzbek_case_endings_written_apart_join_the_date():
    assert localise("[date:2026-01-28] dan", "uz", "latn").startswith("2026-yil 28-yanvardan")
