"""Reply-language policy: choice > confident detection > so far > Telegram > Russian."""

import pytest

from bot.i18n.policy import ReplyLanguage, reply_language


def decide(text="", detection=None, chosen=None, previous=None, previous_script=None, metadata=None):
    return reply_language(text=text, detection=detection, chosen=chosen, previous=previous,
                          previous_script=previous_script, metadata=metadata)


def detected(code, confidence=0.95):
    return {"code": code, "script": None, "confidence": confidence}


def test_explicit_choice_wins_over_detection():
    assert decide("патент канча турат", detected("ky"), chosen="tg").language == "tg"


def test_confident_detection_of_a_sentence_switches_language():
    assert decide("патент канча турат", detected("ky"), previous="ru") == ReplyLanguage("ky")


def test_one_word_never_flips_the_language():
    assert decide("патент", detected("ky", 0.99), previous="tg") == ReplyLanguage("tg")


def test_unsure_detection_keeps_the_language_so_far():
    assert decide("ok patent yes", detected("uz", 0.5), previous="ru") == ReplyLanguage("ru")


def test_button_payloads_do_not_count_as_writing():
    assert decide('/choose_language{"language":"ky"}', detected("uz"), previous="tg").language == "tg"


def test_telegram_language_code_is_the_last_hint():
    assert decide("ok", None, metadata={"language_code": "ky-KG"}).language == "ky"
    assert decide("ok", None, metadata={"language_code": "de"}).language == "ru"
    assert decide("ok", None, previous="tg", metadata={"language_code": "ky"}).language == "tg"


@pytest.mark.parametrize("text, script", [("patent qancha turadi", "latn"), ("патент қанча туради", "cyrl")])
def test_uzbek_replies_follow_the_alphabet_written(text, script):
    assert decide(text, detected("uz"), previous="uz", previous_script="latn").script == script


def test_uzbek_script_is_remembered_for_short_messages_and_defaults_to_latin():
    assert decide("123", None, previous="uz", previous_script="cyrl").script == "cyrl"
    assert decide("", None, chosen="uz").script == "latn"
    assert decide("патент канча", detected("ky")).script is None  # only Uzbek has two scripts


def test_bad_input_never_raises(bad_input):
    assert decide(bad_input, detected("uz")).language in ("ru", "uz", "tg", "ky")


@pytest.mark.parametrize("greeting, code", [("salom", "uz"), ("саламатсызбы", "ky"), ("салом", "tg"), ("здравствуйте", "ru")])
def test_a_confident_first_word_sets_the_language(greeting, code):
    assert decide(greeting, detected(code, 0.9)).language == code


def test_a_one_word_city_in_cyrillic_does_not_switch_latin_uzbek_to_cyrillic():
    assert decide("Маскавда", detected("tg", 0.9), previous="uz", previous_script="latn") == ReplyLanguage("uz", "latn")


def test_a_russian_message_is_never_answered_in_uzbek_cyrillic():
    assert decide("как продлить регистрацию в Москве", detected("ru"), previous="uz",
                  previous_script="cyrl") == ReplyLanguage("ru")
