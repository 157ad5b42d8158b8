"""Rights, urgent and help answers carry the revised fact base in every language (issue 12, section 2)."""

import re
from datetime import date

import pytest
import yaml

from bot import LANGUAGES
from bot.content.loader import read_topic_file
from bot.content.render import SCREEN_LIMIT
from bot.settings import SEED_CONTENT

CONTENT = SEED_CONTENT
TOPICS = ("police_stop", "detention_expulsion", "forced_labour", "passport_withheld", "unpaid_wages",
          "healthcare", "child_school", "find_free_help", "join_union", "consulate_contacts")
URGENT = ("police_stop", "detention_expulsion", "forced_labour", "passport_withheld")
RECORDS = [r for t in TOPICS for r in read_topic_file(CONTENT / f"{t}.yml")]

# "The organisations below …": the bot appends organisations itself, so a body never promises them.
PROMISE = {"ru": r"\bниже\b", "uz": r"\bquyida", "tg": r"\bзер\b|\bдар поён\b", "ky": r"\bтөмөн"}
# "Call your consulate" without how: the bot appends the person's own consular contacts instead.
CALL_CONSULATE = {"ru": r"звоните в консульств", "uz": r"konsullik\w* .{0,30}qoʻngʻiroq",
                  "tg": r"консулгари\w*.{0,40}занг", "ky": r"консулдуг\w* .{0,30}чалыңыз"}
FREE_LAWYER = {"ru": "бесплатным юристом", "uz": "bepul yurist", "tg": "ҳуқуқшиноси ройгон", "ky": "акысыз юрист"}
CERTIFICATE_OF_RETURN = {"ru": "свидетельство на возвращение", "uz": "qaytish guvohnoma",
                         "tg": "шаҳодатнома барои бозгашт", "ky": "кайтып келүү күбөлүг"}
ORIGINALS = {"ru": "оригинал", "uz": "asl nusxa", "tg": "асли ҳуҷҷат", "ky": "түп нуска"}
STEPS_NOW = {"ru": "Что делать сейчас", "uz": "Hozir nima qilish kerak", "tg": "Ҳозир чӣ бояд кард",
             "ky": "Азыр эмне кылуу керек"}
MVD = {"ru": "МВД", "uz": "IIV", "tg": "ВКД", "ky": "ИИМ"}
EAEU_COUNTRIES = {
    "ru": ("Кыргызстан", "Казахстан", "Армени", "Беларус"),
    "uz": ("Qirgʻiziston", "Qozogʻiston", "Armaniston", "Belarus"),
    "tg": ("Қирғизистон", "Қазоқистон", "Арманистон", "Беларус"),
    "ky": ("Кыргызстан", "Казакстан", "Армения", "Беларус"),
}
VLADIVOSTOK = {"ru": "Владивосток", "uz": "Vladivostok", "tg": "Владивосток", "ky": "Владивосток"}
UFA = {"ru": "Уф", "uz": "Ufa", "tg": "Уфа", "ky": "Уфа"}


def body(topic, language, scope="any"):
    """Returns the body of one answer, failing the test when it is missing."""
    found = [r["body"] for r in RECORDS if (r["topic"], r["language"], r["scope"]) == (topic, language, scope)]
    assert found, (topic, language, scope)
    return found[0]


def assert_contains(text, *needles):
    missing = [n for n in needles if n not in text]
    assert not missing, (missing, text[:120])


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("topic", TOPICS)
def test_no_body_promises_organisations_or_says_call_the_consulate_without_how(topic, language):
    for r in RECORDS:
        if r["topic"] == topic and r["language"] == language:
            assert not re.search(PROMISE[language], r["body"], re.IGNORECASE), (r["scope"], r["body"][-80:])
            assert not re.search(CALL_CONSULATE[language], r["body"], re.IGNORECASE), r["scope"]


def test_every_revised_answer_is_reviewed_on_the_revision_day():
    stale = {(r["topic"], r["scope"]) for r in RECORDS if r["reviewed_on"] != date(2026, 12, 3)}
    assert not stale


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("topic", URGENT)
def test_urgent_answers_open_with_the_immediate_steps(topic, language):
    text = body(topic, language)
    assert STEPS_NOW[language] in text.splitlines()[0]
    assert "112" in text[:SCREEN_LIMIT]  # on the first screen, before the "more" button


@pytest.mark.parametrize("language", LANGUAGES)
def test_police_stop_says_do_not_argue_show_originals_and_names_the_rights(language):
    text = body("police_stop", language)
    assert not re.search(r"\b13\b", text), "no 'checks only on the grounds of art. 13' claim"
    assert "только по основани" not in text.lower()
    assert text.index("112") < text.index("25.1")  # the steps come before the rights
    assert ORIGINALS[language] in text.lower()
    assert_contains(text, "5", "25.1", "25.5", "24.2", "51")


@pytest.mark.parametrize("language", LANGUAGES)
def test_detention_names_the_rights_the_48_hours_and_the_10_days_to_appeal(language):
    text = body("detention_expulsion", language)
    assert_contains(text, "25.1", "25.5", "24.2", "51", "48", "30.3", "10")


@pytest.mark.parametrize("language", LANGUAGES)
def test_passport_withheld_is_a_crime_and_the_consulate_issues_a_certificate_of_return(language):
    text = body("passport_withheld", language)
    assert_contains(text, "325", "330", "18.8", CERTIFICATE_OF_RETURN[language], FREE_LAWYER[language])


@pytest.mark.parametrize("language", LANGUAGES)
def test_forced_labour_names_the_crime_and_the_certificate_of_return(language):
    text = body("forced_labour", language)
    assert_contains(text, "325", CERTIFICATE_OF_RETURN[language], FREE_LAWYER[language])


@pytest.mark.parametrize("language", LANGUAGES)
def test_unpaid_wages_has_the_one_year_limit_and_warns_workers_without_a_patent(language):
    text = body("unpaid_wages", language)
    assert_contains(text, "392", "18.10", "62", "145.1", "онлайнинспекция.рф", FREE_LAWYER[language])
    assert text.index("18.10") < text.index("онлайнинспекция.рф")  # the warning comes before the complaint


@pytest.mark.parametrize("language", LANGUAGES)
def test_school_reports_to_the_mvd_so_a_parent_talks_to_a_lawyer_first(language):
    text = body("child_school", language)
    assert_contains(text, "[date:2025-04-01]", "[date:2026-01-28]", MVD[language], FREE_LAWYER[language], "3")


@pytest.mark.parametrize("language", LANGUAGES)
def test_healthcare_names_every_eaeu_country(language):
    assert_contains(body("healthcare", language), "186", *EAEU_COUNTRIES[language])


@pytest.mark.parametrize("language", LANGUAGES)
def test_find_free_help_is_honest_about_hotlines_and_state_legal_aid(language):
    assert_contains(body("find_free_help", language), "2024–2026", "324")


@pytest.mark.parametrize("language", LANGUAGES)
def test_join_union_names_no_union_and_states_the_right_to_join(language):
    text = body("join_union", language)
    assert re.search(r"10-(ФЗ|FZ)", text), text[:200]
    assert not re.search(r"трудящихся.мигрантов|muhojirlar kasaba|муҳоҷирони меҳнатӣ|мигранттарынын кесиптик",
                         text, re.IGNORECASE)
    assert "fpsk" not in text and "392" in text


def test_consulate_contacts_asks_the_citizenship():
    data = yaml.safe_load((CONTENT / "consulate_contacts.yml").read_text(encoding="utf-8"))
    assert data["needs_citizenship"] is True
    assert {a["scope"] for a in data["answers"]} == {"any", "uzbekistan", "tajikistan", "eaeu", "other"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_consulate_contacts_per_citizenship(language):
    assert_contains(body("consulate_contacts", language, "uzbekistan"), "consulate.mfa.uz", VLADIVOSTOK[language], "7")
    assert_contains(body("consulate_contacts", language, "tajikistan"), UFA[language], "2023")
    eaeu = body("consulate_contacts", language, "eaeu")
    assert_contains(eaeu, *EAEU_COUNTRIES[language], "5")  # all four countries, not only Kyrgyzstan
    assert CERTIFICATE_OF_RETURN[language] in body("consulate_contacts", language, "other")
