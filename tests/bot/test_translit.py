"""Uzbek Latin ⇄ Cyrillic: replies follow the alphabet the person writes in."""

import pytest

from bot.translit import cyrl_to_latn, latn_to_cyrl, unify_uzbek_apostrophes


@pytest.mark.parametrize(
    "latin, cyrillic",
    [
        ("Oʻzbekiston", "Ўзбекистон"),
        ("gʻalla", "ғалла"),
        ("Qozonda ishlayman", "Қозонда ишлайман"),
        ("shahar", "шаҳар"),
        ("choy", "чой"),
        ("yoʻq", "йўқ"),
        ("Rahmat!", "Раҳмат!"),
    ],
)
def test_latin_to_cyrillic(latin, cyrillic):
    assert latn_to_cyrl(latin) == cyrillic


@pytest.mark.parametrize("cyrillic, latin", [("Ўзбекистон", "Oʻzbekiston"), ("ҳужжат", "hujjat"), ("қанча", "qancha")])
def test_cyrillic_to_latin(cyrillic, latin):
    assert cyrl_to_latn(cyrillic) == latin


def test_links_handles_and_commands_stay_latin():
    text = "Sayt: https://uralhouse.center, @hamroh_bot, /start"
    converted = latn_to_cyrl("Sayt: " + text[6:])
    assert "https://uralhouse.center" in converted
    assert "@hamroh_bot" in converted and "/start" in converted
    assert converted.startswith("Сайт")


def test_apostrophe_variants_are_unified():
    assert unify_uzbek_apostrophes("o'g`il o’zi") == "oʻgʻil oʻzi"


def test_bad_input_never_raises(bad_input):
    assert isinstance(latn_to_cyrl(bad_input), str)
    assert isinstance(cyrl_to_latn(bad_input), str)


def test_t_and_s_meeting_inside_a_word_stay_two_letters():
    assert latn_to_cyrl("Irkutsk, patentsiz") == "Иркутск, патентсиз"


@pytest.mark.parametrize("domain", ["consulate.mfa.uz", "24.kg", "mfa.gov.kg/ru", "uralhouse.center", "pravda.ru"])
def test_bare_domains_stay_as_written(domain):
    converted = latn_to_cyrl(f"Manba: {domain}, saytda qarang.")
    assert domain in converted and converted.startswith("Манба") and "сайтда" in converted


def test_numbers_with_dots_are_still_uzbek():
    assert latn_to_cyrl("KoAP 18.8-m. 1-q.") == "КоАП 18.8-м. 1-қ."


def test_the_name_of_an_app_people_search_for_stays_as_written():
    assert latn_to_cyrl("RuID ilovasida") == "RuID иловасида"
