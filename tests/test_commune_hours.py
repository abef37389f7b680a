"""The team's weekly hours (commune/hours.py): open or not, back when, said how."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

from commune import load_commune
from commune.holidays import easter_sunday, is_public_holiday, public_holidays
from commune.hours import PARIS, next_opening, open_until, say_moment, weekly_hours

FICTIVE = Path(__file__).parent / "console" / "commune_fictive.yml"


def _at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=PARIS)


def test_pantins_hours_are_unknown_so_nothing_is_ever_announced():
    assert weekly_hours(load_commune()) is None


def test_unverified_hours_are_ignored_even_when_filled_in():
    commune = load_commune(FICTIVE)
    commune["handoff_team"]["opening_hours_weekly"]["verified"] = False
    assert weekly_hours(commune) is None


def test_open_until_the_end_of_the_current_range_and_closed_at_lunch():
    hours = weekly_hours(load_commune(FICTIVE))
    assert open_until(hours, _at(24, 16, 59)).strftime("%H:%M") == "17:00"  # a Tuesday
    assert open_until(hours, _at(24, 12, 45)) is None
    assert say_moment(next_opening(hours, _at(24, 12, 45)), _at(24, 12, 45)) == (
        "aujourd'hui à 13 h 30")


def test_back_tomorrow_after_a_short_wednesday_and_on_monday_after_a_saturday():
    hours = weekly_hours(load_commune(FICTIVE))
    wednesday = _at(25, 14)
    assert say_moment(next_opening(hours, wednesday), wednesday) == "demain à 9 h"
    sunday = _at(29, 10)
    assert say_moment(next_opening(hours, sunday), sunday) == "demain à 9 h"
    saturday = _at(5, 12, 30, month=12)
    assert say_moment(next_opening(hours, saturday), saturday) == "lundi 7 décembre à 9 h"


def test_a_utc_clock_is_read_in_paris_time():
    hours = weekly_hours(load_commune(FICTIVE))
    before_nine = datetime(2026, 11, 24, 7, 30, tzinfo=timezone.utc)  # 8 h 30 in Paris
    assert open_until(hours, before_nine) is None
    assert say_moment(next_opening(hours, before_nine), before_nine) == "aujourd'hui à 9 h"
    assert open_until(hours, datetime(2026, 11, 24, 8, 30, tzinfo=timezone.utc)) is not None


def test_the_team_is_closed_on_public_holidays():
    hours = weekly_hours(load_commune(FICTIVE))
    christmas_eve = _at(24, 17, 30, month=12)  # a Thursday; Christmas is a Friday
    assert say_moment(next_opening(hours, christmas_eve), christmas_eve) == (
        "samedi 26 décembre à 9 h")
    assert open_until(hours, _at(25, 10, month=12)) is None
    new_years_eve = _at(31, 17, 30, month=12)
    assert next_opening(hours, new_years_eve).date() == date(2027, 1, 2)


def test_the_public_holidays_follow_easter():
    assert easter_sunday(2026) == date(2026, 4, 5)
    assert easter_sunday(2027) == date(2027, 3, 28)
    holidays = public_holidays(2026)
    assert len(holidays) == 11
    assert holidays[date(2026, 4, 6)] == "lundi de Pâques"
    assert holidays[date(2026, 5, 14)] == "Ascension"
    assert holidays[date(2026, 5, 25)] == "lundi de Pentecôte"
    assert not is_public_holiday(date(2026, 4, 5))  # Easter itself is a Sunday, not listed
