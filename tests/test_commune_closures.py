"""A town's exceptional closures (commune/closures.py): the console team and the permanences
shut on those days, and a commune file whose closures cannot be right is refused at load."""

from __future__ import annotations

import copy
import re
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml

from bot.appointments.permanences import bookable_permanences, find_slot, free_slots, slots_on
from commune import CommuneFileError, load_commune
from commune.hours import PARIS, next_opening, open_until, say_moment, weekly_hours
from tests.appointments.conftest import FICTIVE_COMMUNE

TEAM_FICTIVE = Path(__file__).parent / "console" / "commune_fictive.yml"
MONDAY_30_NOV = {"from": "2026-11-30", "reason": "pont"}


def with_closures(path: Path, entries: list[dict], verified: bool = True) -> dict:
    commune = copy.deepcopy(load_commune(path))
    commune["closures"] = {"value": entries, "verified": verified,
                           "source": "délibération fictive" if verified else None,
                           "date": "2026-11" if verified else None}
    return commune


def test_a_closure_of_the_whole_town_shuts_the_team_and_it_says_the_next_open_day():
    hours = weekly_hours(with_closures(TEAM_FICTIVE, [MONDAY_30_NOV]))
    saturday = datetime(2026, 11, 28, 13, tzinfo=PARIS)
    assert say_moment(next_opening(hours, saturday), saturday) == "mardi 1er décembre à 9 h"
    assert open_until(hours, datetime(2026, 11, 30, 10, tzinfo=PARIS)) is None


def test_an_unverified_closure_list_changes_nothing():
    hours = weekly_hours(with_closures(TEAM_FICTIVE, [MONDAY_30_NOV], verified=False))
    assert open_until(hours, datetime(2026, 11, 30, 10, tzinfo=PARIS)) is not None


def test_a_closure_of_one_place_leaves_the_team_open_and_a_range_includes_its_last_day():
    commune = with_closures(TEAM_FICTIVE, [
        {"from": "2026-11-30", "to": "2026-12-01", "places": ["ecrivain_public"],
         "reason": "congés"}])
    hours = weekly_hours(commune)
    assert open_until(hours, datetime(2026, 11, 30, 10, tzinfo=PARIS)) is not None


def test_a_team_closed_for_more_than_a_year_has_no_next_opening():
    hours = weekly_hours(with_closures(TEAM_FICTIVE, [
        {"from": "2026-11-28", "to": "2028-01-01", "places": ["handoff_team"],
         "reason": "équipe dissoute"}]))
    assert next_opening(hours, datetime(2026, 11, 28, 13, tzinfo=PARIS)) is None


def test_no_slot_is_offered_on_a_day_the_place_is_closed_and_an_old_button_is_refused():
    tuesday = date(2026, 12, 1)  # the fictive écrivain public sits on Tuesdays and Sundays
    open_writer = bookable_permanences(load_commune(FICTIVE_COMMUNE), "ecrivain_public")
    [slot, *_] = slots_on(open_writer, tuesday)
    closed = with_closures(FICTIVE_COMMUNE, [
        {"from": "2026-12-01", "places": ["ecrivain_public"], "reason": "formation"}])
    writer = bookable_permanences(closed, "ecrivain_public")
    assert slots_on(writer, tuesday) == []
    assert slots_on(writer, date(2026, 12, 6)) != []  # the Sunday after is open
    assert find_slot(writer, "ecrivain_public", slot.start) is None
    now = datetime(2026, 11, 30, 8, 0)
    assert all(s.start.date() != tuesday for s in free_slots(writer, {}, now))


def test_a_closure_of_another_place_leaves_the_permanence_open():
    commune = with_closures(FICTIVE_COMMUNE, [
        {"from": "2026-12-01", "places": ["handoff_team"], "reason": "séminaire"}])
    assert slots_on(bookable_permanences(commune, "ecrivain_public"), date(2026, 12, 1)) != []


@pytest.mark.parametrize("entry, message", [
    ({"from": "2026-12-01", "places": ["ecrivain_publik"], "reason": "x"},
     "lieu inconnu « ecrivain_publik »"),
    ({"from": "2026-12-05", "to": "2026-12-01", "reason": "x"}, "« to » (2026-12-01) avant"),
    ({"from": "2026-02-30", "reason": "x"}, "date impossible"),
])
def test_a_closure_that_cannot_be_right_is_refused_when_the_file_is_read(
        tmp_path, entry, message):
    data = yaml.safe_load(FICTIVE_COMMUNE.read_text(encoding="utf-8"))
    data["closures"] = {"value": [entry], "verified": True, "source": "test", "date": "2026-11"}
    path = tmp_path / "commune.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CommuneFileError, match=re.escape(message)):
        load_commune(path)
