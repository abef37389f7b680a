"""Slots from the commune file: only verified permanences, Paris time across changes of time."""

from __future__ import annotations

import copy
from datetime import date, datetime, timedelta

import pytest
import yaml

from bot.appointments.french import when_words
from bot.appointments.permanences import (
    KINDS,
    bookable_permanences,
    find_slot,
    free_slots,
    parse_token,
    slots_on,
)
from commune import CommuneFileError, load_commune
from tests.appointments.conftest import FICTIVE_COMMUNE

FICTIVE = load_commune(FICTIVE_COMMUNE)
WRITER = bookable_permanences(FICTIVE, "ecrivain_public")


def starts(slots) -> list[str]:
    return [f"{s.start:%H:%M}Z" for s in slots]


def test_pantin_offers_no_slot_until_the_town_confirms_its_permanences():
    pantin = load_commune()
    assert all(bookable_permanences(pantin, kind) == [] for kind in KINDS)


def test_only_verified_permanences_are_bookable():
    assert {p.weekday for p in WRITER} == {1, 6}  # Tuesday and Sunday; Saturday is unverified
    assert slots_on(WRITER, date(2026, 12, 5)) == []  # a Saturday
    assert bookable_permanences(FICTIVE, "ccas") == []


def test_a_tuesday_afternoon_in_winter_and_in_summer_keeps_its_paris_hours():
    assert starts(slots_on(WRITER, date(2026, 12, 1))) == ["13:00Z", "13:30Z", "14:00Z",
                                                           "14:30Z"]
    assert starts(slots_on(WRITER, date(2026, 6, 2))) == ["12:00Z", "12:30Z", "13:00Z",
                                                          "13:30Z"]
    second = slots_on(WRITER, date(2026, 12, 1))[1]
    assert when_words(second.start) == "mardi 1er décembre à 14 h 30"


def test_the_hour_skipped_in_march_is_not_offered():
    # 29 March 2026: 02:00 → 03:00. The 02:00 slot does not exist; 03:00 CEST is 01:00Z.
    assert starts(slots_on(WRITER, date(2026, 3, 29))) == ["01:00Z"]


def test_the_hour_repeated_in_october_is_offered_once():
    # 25 October 2026: 03:00 → 02:00. 02:00 CEST (00:00Z) once, then 03:00 CET (02:00Z).
    slots = slots_on(WRITER, date(2026, 10, 25))
    assert starts(slots) == ["00:00Z", "02:00Z"]
    assert slots[0].end == datetime(2026, 10, 25, 2, 0)  # that slot lasts two real hours


def test_free_slots_leave_out_the_past_the_too_soon_and_the_full():
    now = datetime(2026, 12, 1, 12, 0)  # Tuesday 13:00 in Paris
    slots = free_slots(WRITER, {("ecrivain_public", datetime(2026, 12, 1, 14, 0)): 1}, now,
                       days=0)
    assert starts(slots) == ["14:30Z"]  # 14:00 and 14:30 Paris too soon, 15:00 Paris booked
    france = bookable_permanences(FICTIVE, "france_services")
    thursday = datetime(2026, 12, 3, 8, 0)
    one_booked = free_slots(france, {("france_services", thursday): 1}, now, days=2)
    assert thursday in [s.start for s in one_booked]  # two seats: one is still free
    full = free_slots(france, {("france_services", thursday): 2}, now, days=2)
    assert thursday not in [s.start for s in full]


def test_a_slot_travels_in_a_payload_and_back():
    slot = slots_on(WRITER, date(2026, 12, 1))[0]
    assert slot.token == "ecrivain_public@20261201T1300Z"
    assert parse_token(slot.token) == ("ecrivain_public", slot.start)
    assert parse_token("ecrivain_public@demain") is None


def test_a_verified_permanence_needs_its_source(tmp_path):
    data = yaml.safe_load(FICTIVE_COMMUNE.read_text(encoding="utf-8"))
    broken = copy.deepcopy(data)
    broken["places"][1]["permanences"]["value"][0]["source"] = None
    path = tmp_path / "broken.yml"
    path.write_text(yaml.safe_dump(broken, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CommuneFileError, match="places.1.permanences"):
        load_commune(path)


def test_the_booking_horizon_is_two_weeks():
    now = datetime(2026, 11, 30, 8, 0)
    slots = free_slots(WRITER, {}, now)
    assert max(s.start for s in slots) - now < timedelta(days=15)
    assert len({s.start.date() for s in slots}) == 4  # two Tuesdays, two Sundays


def test_no_slot_on_a_public_holiday_even_in_an_old_button():
    assert slots_on(WRITER, date(2026, 7, 14)) == []  # a Tuesday, fête nationale
    now = datetime(2026, 7, 13, 8, 0)
    days = {s.start.date() for s in free_slots(WRITER, {}, now, days=8)}
    assert date(2026, 7, 14) not in days and date(2026, 7, 21) in days
    # A payload naming that slot, sent before this rule, no longer finds it.
    assert find_slot(WRITER, "ecrivain_public", datetime(2026, 7, 14, 12, 0)) is None
    assert find_slot(WRITER, "ecrivain_public", datetime(2026, 7, 21, 12, 0)) is not None
