"""The normaliser: one folded form for every way of typing a word; the original kept."""

import pytest

from bot.nlu.normalize import WORD_PATTERN, clean, fold, fold_text


@pytest.mark.parametrize(
    "variants",
    [
        ("Қозонда", "Qozonda", "козонда", "Kozonda"),  # Uzbek Cyrillic/Latin, plain letters
        ("регистрация", "registraciya", "registratsiya"),  # Russian in Latin letters
        ("ҳужжат", "xujjat", "хужжат", "hujjat"),
        ("o'zbek", "oʻzbek", "o‘zbek", "o`zbek", "o’zbek", "ozbek", "ўзбек"),
        ("ҷавоб", "чавоб"),  # Tajik ҷ typed as ч
        ("өлкө", "олко"),  # Kyrgyz ө typed as о
        ("үйдө", "уйдо"),
        ("тоҷикӣ", "точики"),
    ],
)
def test_every_spelling_folds_to_one_form(variants):
    assert len({fold(v) for v in variants}) == 1, {v: fold(v) for v in variants}


def test_different_words_stay_different():
    assert fold("патент") != fold("паспорт")
    assert fold("kun") != fold("kon")


def test_clean_removes_invisible_and_control_characters_and_composes():
    assert clean("ре\u200bгис\u200cтрация\ufeff") == "регистрация"
    assert clean("patent\x00\x07 narxi") == "patent narxi"
    assert clean("й") == "й"  # и + combining breve → one composed letter
    assert clean("  a \n\t b ") == "a b"


def test_words_keep_apostrophes_inside_uzbek_words():
    assert WORD_PATTERN.findall("Men oʻzbekman, qayerga boraman?") == ["Men", "oʻzbekman", "qayerga", "boraman"]


def test_fold_text_is_word_by_word():
    assert fold_text("Qozonda Ishlayman!") == f"{fold('Qozonda')} {fold('Ishlayman')}"


def test_bad_input_never_raises(bad_input):
    assert isinstance(clean(bad_input), str)
    assert isinstance(fold_text(bad_input), str)
    for word in WORD_PATTERN.findall(bad_input):
        assert isinstance(fold(word), str)
