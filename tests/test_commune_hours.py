"""The team's weekly hours (commune/hours.py): open or not, back when, said how."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from commune import load_commune
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
