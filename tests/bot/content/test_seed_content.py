"""The shipped content is complete, sourced, reviewed and honest about what it does not know."""

from datetime import date

import phonenumbers

import pytest
import yaml

from bot import LANGUAGES
from bot.content.loader import read_organisations, read_topic_file
from bot.settings import SEED_CONTENT
from bot.registry import DOMAIN_TOPICS

CONTENT = SEED_CONTENT
RECORDS = [r for t in DOMAIN_TOPICS for r in read_topic_file(CONTENT / f"{t}.yml")]


@pytest.mark.parametrize("topic", DOMAIN_TOPICS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_topic_has_a_general_answer_in_every_language(topic, language):
    assert any(r["topic"] == topic and r["language"] == language and r["scope"] == "any" for r in RECORDS)


def test_every_answer_has_sources_a_reviewer_and_a_review_date():
    for r in RECORDS:
        assert r["sources"] and all(s["title"] for s in r["sources"]), r["topic"]
        assert r["reviewed_by"] and isinstance(r["reviewed_on"], date), r["topic"]


def test_answers_fit_a_phone_screen():
    long = [(r["topic"], r["language"], r["scope"], len(r["body"])) for r in RECORDS if len(r["body"]) > 900]
    assert not long


@pytest.mark.parametrize("scope, days", [("uzbekistan", "15"), ("tajikistan", "15"), ("eaeu", "30")])
def test_registration_deadline_depends_on_citizenship(scope, days):
    for r in RECORDS:
        if r["topic"] == "registration_deadline" and r["scope"] == scope:
            assert days in r["body"], (r["language"], r["body"][:80])


def test_eaeu_citizens_are_told_they_need_no_patent():
    ru = [r for r in RECORDS if r["topic"] == "patent_howto" and r["scope"] == "eaeu" and r["language"] == "ru"]
    assert ru and "не нужен" in ru[0]["body"].lower()


def test_only_the_fact_base_phone_numbers_appear():
    # All three from the fact base: the Tajik ministry's hotline and the Sisters' (both uncertain there),
    # and the Kyrgyz embassy's hotline (in use in April 2024; shipped with "check it on mfa.gov.kg").
    allowed = {"+74959679844", "+74999010201", "+79251155047"}
    texts = [r["body"] for r in RECORDS] + [yaml.safe_dump(read_organisations(CONTENT / "organisations.yml"),
                                                          allow_unicode=True)]
    phones = {phonenumbers.format_number(m.number, phonenumbers.PhoneNumberFormat.E164)
              for t in texts for m in phonenumbers.PhoneNumberMatcher(t, "RU")}
    assert phones <= allowed, phones - allowed


def test_unverified_and_inactive_organisations_are_marked_so():
    organisations = {o["key"]: o for o in read_organisations(CONTENT / "organisations.yml")}
    assert all(o["status"] in ("active", "unverified", "inactive") for o in organisations.values())
    names = " ".join(o["name"] for o in organisations.values() if o["status"] == "active")
    assert "Мемориал" not in names and "Memorial" not in names
    assert all(o["vetted_on"] for o in organisations.values() if o["status"] == "active")
