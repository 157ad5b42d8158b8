"""Desk hours: typed in Russian or English, read in the desk's time zone, next opening across the week."""

from datetime import datetime, timezone

import pytest

from bot.handoff.hours import DeskHours, HoursError


def utc(*parts):
    return datetime(*parts, tzinfo=timezone.utc)


def test_russian_and_english_day_names_mean_the_same_and_are_stored_in_english():
    russian = DeskHours.parse("пн-пт 10:00-18:00; сб 11:00–15:00")
    english = DeskHours.parse("mon-fri 10:00-18:00\nsat 11:00-15:00")
    assert russian == english
    assert russian.normalised().startswith("mon 10:00-18:00; tue 10:00-18:00")
    assert russian.normalised().endswith("sat 11:00-15:00")


def test_open_and_closed_in_moscow_time():
    hours = DeskHours.parse("mon-fri 10:00-18:00")
    # Thursday 3 December 2026, 07:00 UTC = 10:00 in Moscow (UTC+3).
    assert hours.is_open(utc(2026, 12, 3, 7, 0))
    assert not hours.is_open(utc(2026, 12, 3, 6, 59))
    assert not hours.is_open(utc(2026, 12, 3, 15, 0))  # 18:00 in Moscow: closed
    assert hours.closes_at(utc(2026, 12, 3, 8, 0)).hour == 18


def test_next_opening_skips_the_weekend_and_wraps_the_week():
    hours = DeskHours.parse("пн-пт 10:00-18:00")
    friday_evening = utc(2026, 12, 4, 16, 0)  # Friday 19:00 in Moscow
    opening = hours.next_opening(friday_evening)
    assert (opening.weekday(), opening.hour, opening.minute) == (0, 10, 0)
    assert DeskHours.parse("sun 09:00-10:00").next_opening(utc(2026, 12, 6, 8, 0)).day == 13


def test_a_desk_in_another_time_zone_opens_at_its_own_hours():
    hours = DeskHours.parse("mon-fri 09:00-18:00", "Asia/Yekaterinburg")  # UTC+5
    assert hours.is_open(utc(2026, 12, 3, 4, 0))
    assert not DeskHours.parse("mon-fri 09:00-18:00").is_open(utc(2026, 12, 3, 4, 0))


def test_overnight_days_ranges_wrap_from_sunday():
    hours = DeskHours.parse("sat-mon 12:00-13:00")
    assert sorted(hours.spans) == [0, 5, 6]


@pytest.mark.parametrize("text", ["пн 18:00-10:00", "mon 25:00-26:00", "каждый день", "mon-fri", "mon 10-18"])
def test_hours_that_cannot_be_read_are_refused_naming_the_part(text):
    with pytest.raises(HoursError) as refused:
        DeskHours.parse(f"вт 10:00-12:00; {text}")
    assert str(refused.value) == text


def test_an_unknown_time_zone_is_refused():
    with pytest.raises(HoursError):
        DeskHours.parse("mon 10:00-12:00", "Mars/Olympus")


def test_no_hours_is_a_desk_that_never_opens():
    hours = DeskHours.parse("")
    assert not hours and hours.next_opening(utc(2026, 12, 3, 7, 0)) is None
