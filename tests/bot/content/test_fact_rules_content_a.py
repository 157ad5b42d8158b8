"""Registration, stay, work and scam answers carry the revised fact base in every language (issue 12, section 2)."""

import re
from datetime import date

import pytest

from bot import LANGUAGES
from bot.content.loader import read_topic_file
from bot.content.render import SCREEN_LIMIT, localise, split_for_screen
from bot.settings import SEED_CONTENT

CONTENT = SEED_CONTENT
TOPICS = ("registration_howto", "registration_deadline", "registration_renewal", "stay_period", "patent_howto",
          "patent_payment", "eaeu_work", "medical_exam_tests", "employment_contract", "status_check",
          "intermediary_offer")
RECORDS = [r for t in TOPICS for r in read_topic_file(CONTENT / f"{t}.yml")]
PATENT_TOPICS = ("patent_howto", "patent_payment")

# "The organisations below …": the bot appends organisations itself, so a body never promises them.
PROMISE = {"ru": r"\bниже\b", "uz": r"\bquyida", "tg": r"\bзер\b|\bдар поён\b", "ky": r"\bтөмөн"}
# KoAP 18.8 p.3 / 18.10 p.2: Moscow, St Petersburg and the two oblasts fine 5,000–7,000 RUB WITH expulsion.
MANDATORY_EXPULSION = {"ru": "обязательное выдворение", "uz": "majburiy chiqarib yuborish",
                       "tg": "ихроҷи ҳатмӣ", "ky": "милдеттүү түрдө чыгарып жиберүү"}
LENINGRAD_OBLAST = {"ru": "Ленинградской област", "uz": "Leningrad viloyat", "tg": "Ленинград",
                    "ky": "Ленинград облус"}
NO_RESET = {"ru": "не обнуляют", "uz": "qaytadan boshlanmaydi", "tg": "аз нав сар намекунад",
            "ky": "жаңыдан башталбайт"}
# "90 days in total per calendar year" is marked L: never stated as the rule.
CALENDAR_YEAR = {"ru": "календарн", "uz": "kalendar", "tg": "тақвим", "ky": "календар"}
NO_EXAM_FOR_WORK = {"ru": r"экзамен[^.]*для работы[^.]*не нужен", "uz": r"ishlash uchun[^.]*imtihon[^.]*kerak emas",
                    "tg": r"барои кор[^.]*имтиҳон[^.]*лозим нест", "ky": r"иштөө үчүн[^.]*экзамен[^.]*керек эмес"}
CHECK_WITH_ORGANISATION = {"ru": "уточните в организации", "uz": "tashkilotdan aniqlang",
                           "tg": "дар ташкилот аниқ кунед", "ky": "уюмдан тактаңыз"}
CHECK_WITH_MVD = {"ru": "уточните в МВД", "uz": "IIVdan aniqlang", "tg": "дар ВКД аниқ кунед", "ky": "ИИМден тактаңыз"}
FREE_LAWYER = {"ru": "бесплатным юристом", "uz": "bepul yurist", "tg": "ҳуқуқшиноси ройгон", "ky": "акысыз юрист"}
CONTRACT_COPY_MONTHS = {"ru": "2 месяцев", "uz": "2 oy", "tg": "2 моҳ", "ky": "2 айдын"}
NEIGHBOURING_REGIONS = {"ru": "соседних регион", "uz": "qoʻshni hudud", "tg": "минтақаи ҳамсоя", "ky": "коңшу аймак"}
NO_GUARANTEE = {"ru": "не гарантия", "uz": "kafolat emas", "tg": "кафолат нест", "ky": "кепилдик эмес"}
CERTIFICATE_FOR_WORK = {"ru": "сертификат для работы", "uz": "ish uchun sertifikat", "tg": "сертификат барои кор",
                        "ky": "иштөө үчүн сертификат"}
REGISTER = {"ru": "реестр", "uz": "reyestr", "tg": "феҳрист", "ky": "реестр"}
BUYERS = {"ru": "покупател", "uz": "xaridor", "tg": "харидор", "ky": "сатып алгандар"}
ENTRY_BAN_SERVICE = "сервисы.гувм.мвд.рф"
REGIONAL_PRICES = ("10000", "8000", "10860", "11662.30", "11471", "12000", "27283")  # fact base §2, 2026
DOMAIN = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:ru|рф|com|org|kg|uz|tj|net)\b", re.IGNORECASE)


def records(topics, language):
    """The answers of the given topics in one language, failing the test when there are none."""
    found = [r for r in RECORDS if r["topic"] in topics and r["language"] == language]
    assert found, (topics, language)
    return found


def body(topic, language, scope="any"):
    """Returns the body of one answer, failing the test when it is missing."""
    found = [r["body"] for r in RECORDS if (r["topic"], r["language"], r["scope"]) == (topic, language, scope)]
    assert found, (topic, language, scope)
    return found[0]


def first_screen(text, language):
    """What a person sees before the "more" button."""
    return split_for_screen(localise(text, language), SCREEN_LIMIT)[0]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("topic", TOPICS)
def test_no_body_promises_organisations(topic, language):
    for r in records((topic,), language):
        assert not re.search(PROMISE[language], r["body"], re.IGNORECASE), (r["scope"], r["body"][-80:])


def test_every_revised_answer_is_reviewed_on_the_revision_day():
    stale = {(r["topic"], r["scope"]) for r in RECORDS if r["reviewed_on"] != date(2026, 12, 3)}
    assert not stale


@pytest.mark.parametrize("language", LANGUAGES)
def test_registration_stay_and_patent_answers_give_the_moscow_fine_with_mandatory_expulsion(language):
    topics = ("registration_howto", "registration_deadline", "registration_renewal", "stay_period") + PATENT_TOPICS
    for r in records(topics, language):
        if r["topic"] in PATENT_TOPICS and r["scope"] == "eaeu":
            continue  # EAEU citizens need no patent, so there is no work-without-a-patent fine to give
        text = first_screen(r["body"], language)
        assert "5\u00a0000\u00a0₽–7\u00a0000\u00a0₽" in text, (r["topic"], r["scope"])
        assert MANDATORY_EXPULSION[language] in text, (r["topic"], r["scope"])
        assert LENINGRAD_OBLAST[language] in text, (r["topic"], r["scope"])


@pytest.mark.parametrize("language", LANGUAGES)
def test_stay_is_90_days_in_any_180_and_leaving_does_not_reset_the_count(language):
    for r in records(("stay_period",), language):
        text = first_screen(r["body"], language).lower()
        assert "90" in text and "180" in text, r["scope"]
        assert NO_RESET[language] in text, r["scope"]
        assert REGISTER[language] in text, r["scope"]  # visa runs lead to the register of controlled persons


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_unverified_calendar_year_rule_is_never_stated(language):
    for r in records(("stay_period", "registration_renewal", "eaeu_work"), language):
        assert CALENDAR_YEAR[language] not in r["body"].lower(), (r["topic"], r["scope"])


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("topic, scope", [("eaeu_work", "any"), ("medical_exam_tests", "eaeu"),
                                          ("medical_exam_tests", "any"), ("patent_howto", "eaeu")])
def test_eaeu_citizens_are_told_they_need_no_language_exam_to_work(topic, scope, language):
    assert re.search(NO_EXAM_FOR_WORK[language], body(topic, language, scope), re.IGNORECASE)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("topic, scope", [("stay_period", "any"), ("stay_period", "eaeu"), ("eaeu_work", "any"),
                                          ("patent_howto", "eaeu")])
def test_ruid_is_advised_before_travelling_to_work_with_check_with_an_organisation(topic, scope, language):
    text = body(topic, language, scope)
    assert "RuID" in text and "72" in text
    assert CHECK_WITH_ORGANISATION[language] in text
    assert "2026-07" not in text  # "mandatory from 1 Jul 2026" is an unverified draft (L)


@pytest.mark.parametrize("language", LANGUAGES)
def test_patent_answers_give_the_price_formula_not_a_regional_price_list(language):
    for r in records(PATENT_TOPICS, language):
        prices = set(re.findall(r"\[rub:([\d.]+)\]", r["body"]))
        assert not prices & set(REGIONAL_PRICES), (r["topic"], r["scope"], prices)
        if r["scope"] != "eaeu":
            assert "2,842" in r["body"], (r["topic"], r["scope"])


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("scope", ["uzbekistan", "tajikistan"])
def test_patent_howto_names_the_contract_copy_deadline_and_the_two_region_patent(scope, language):
    text = body("patent_howto", language, scope)
    assert CONTRACT_COPY_MONTHS[language] in text
    assert NEIGHBOURING_REGIONS[language] in text and CHECK_WITH_MVD[language] in text


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("topic", ["registration_howto", "registration_deadline", "registration_renewal",
                                   "stay_period", "employment_contract", "status_check"])
def test_answers_that_can_expose_a_person_without_status_suggest_a_free_lawyer_first(topic, language):
    for r in records((topic,), language):
        assert FREE_LAWYER[language] in first_screen(r["body"], language), r["scope"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_entry_ban_check_names_the_mvd_service_and_warns_it_is_no_guarantee(language):
    text = body("status_check", language)
    assert ENTRY_BAN_SERVICE in text and NO_GUARANTEE[language] in text
    assert set(DOMAIN.findall(text)) == {ENTRY_BAN_SERVICE}  # no unverified URL for the register


@pytest.mark.parametrize("language", LANGUAGES)
def test_intermediary_answer_flags_a_certificate_for_work_and_names_the_consequences(language):
    text = body("intermediary_offer", language)
    assert CERTIFICATE_FOR_WORK[language] in text
    assert REGISTER[language] in text and BUYERS[language] in text
    assert FREE_LAWYER[language] in text  # someone who already bought a document
