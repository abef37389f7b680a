"""Weekly permanences from the commune file, turned into bookable slots in Paris time.

Only permanences marked ``verified`` are offered: a resident must never walk to a door on an
hour the town has not confirmed. Slots are computed per local date, so a permanence at 14:00
stays at 14:00 on both sides of a change of time; a wall time that does not exist that day
(02:30 on the last Sunday of March) is skipped, and one that happens twice (02:30 on the last
Sunday of October) is offered once, at its first occurrence. No slot on a public holiday
(``commune/holidays.py``) nor on a closure of the place in the commune file
(``commune/closures.py``). Times are stored as naive UTC, like every timestamp of the store.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from commune import verified_value
from commune.closures import NO_CLOSURES, Closures, closures
from commune.holidays import is_public_holiday
from commune.hours import DAYS, PARIS

# The people a resident can book, and the console speciality that receives them.
KINDS = {"ecrivain_public": "ecrivain_public", "france_services": "france_services",
         "ccas": "travailleur_social"}
# How a permanence is named when its place's name is not verified (console and reminder).
KIND_LABELS = {"ecrivain_public": "Écrivain public", "france_services": "France services",
               "ccas": "CCAS"}
BOOKING_HORIZON_DAYS = 14
MIN_NOTICE = timedelta(hours=2)  # nobody books a slot that starts before they could get there


@dataclass(frozen=True)
class Permanence:
    """One verified weekly permanence of one place."""

    place_id: str
    kind: str
    weekday: int  # 0 = Monday
    start: time
    end: time
    slot_minutes: int
    seats: int
    closures: Closures = field(default=NO_CLOSURES)  # the commune file's, for every place


@dataclass(frozen=True)
class Place:
    id: str
    kind: str
    name: str | None  # verified only
    address: str | None  # verified only


@dataclass(frozen=True)
class Slot:
    place_id: str
    start: datetime  # naive UTC
    end: datetime
    seats: int

    @property
    def token(self) -> str:
        """``ecrivain_public@20261201T1300Z``: a slot in a button's payload."""
        return f"{self.place_id}@{self.start:%Y%m%dT%H%M}Z"


def parse_token(token: str) -> tuple[str, datetime] | None:
    place_id, _, when = token.partition("@")
    try:
        return place_id, datetime.strptime(when, "%Y%m%dT%H%MZ")
    except ValueError:
        return None


def _hhmm(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def places_of(commune: dict[str, Any], kind: str) -> list[Place]:
    return [Place(p["id"], p["kind"], verified_value(p.get("name")),
                  verified_value(p.get("address")))
            for p in commune.get("places") or [] if p.get("kind") == kind]


def place(commune: dict[str, Any], place_id: str) -> Place | None:
    for p in commune.get("places") or []:
        if p.get("id") == place_id:
            return Place(p["id"], p["kind"], verified_value(p.get("name")),
                         verified_value(p.get("address")))
    return None


def bookable_permanences(commune: dict[str, Any], kind: str) -> list[Permanence]:
    """The verified weekly permanences of every place of that kind (none when unknown)."""
    shut = closures(commune)
    found = []
    for entry in commune.get("places") or []:
        if entry.get("kind") != kind:
            continue
        for weekly in (entry.get("permanences") or {}).get("value") or []:
            if not weekly.get("verified"):
                continue
            found.append(Permanence(entry["id"], kind, DAYS.index(weekly["day"]),
                                    _hhmm(weekly["start"]), _hhmm(weekly["end"]),
                                    int(weekly["slot_minutes"]), int(weekly.get("seats", 1)),
                                    shut))
    return found


def paris_to_utc(local: datetime) -> datetime | None:
    """Naive UTC of a Paris wall time; None when that wall time does not exist that day."""
    aware = local.replace(tzinfo=PARIS, fold=0)
    utc = aware.astimezone(timezone.utc)
    if utc.astimezone(PARIS).replace(tzinfo=None) != local:
        return None  # skipped by the spring change of time
    return utc.replace(tzinfo=None)


def utc_to_paris(moment: datetime) -> datetime:
    """Naive Paris wall time of a naive UTC moment."""
    return moment.replace(tzinfo=timezone.utc).astimezone(PARIS).replace(tzinfo=None)


def slots_on(permanences: Iterable[Permanence], day: date) -> list[Slot]:
    """Every slot of that Paris date, in time order (none on a public holiday nor on a day
    the commune file closes the place)."""
    if is_public_holiday(day):
        return []
    slots = []
    for perm in permanences:
        if perm.weekday != day.weekday() or perm.closures.closes(day, perm.place_id):
            continue
        step = timedelta(minutes=perm.slot_minutes)
        local = datetime.combine(day, perm.start)
        closing = datetime.combine(day, perm.end)
        while local + step <= closing:
            start = paris_to_utc(local)
            end = paris_to_utc(local + step)
            if start is not None and end is not None and end > start:
                slots.append(Slot(perm.place_id, start, end, perm.seats))
            local += step
    return sorted(slots, key=lambda s: (s.start, s.place_id))


def free_slots(permanences: Iterable[Permanence], booked: Mapping[tuple[str, datetime], int],
               now: datetime, days: int = BOOKING_HORIZON_DAYS,
               notice: timedelta = MIN_NOTICE) -> list[Slot]:
    """Slots from ``now + notice`` over ``days`` Paris dates that still have a seat."""
    permanences = list(permanences)
    first_day = utc_to_paris(now).date()
    found = []
    for offset in range(days + 1):
        for slot in slots_on(permanences, first_day + timedelta(days=offset)):
            taken = booked.get((slot.place_id, slot.start), 0)
            if slot.start >= now + notice and taken < slot.seats:
                found.append(slot)
    return found


def find_slot(permanences: Iterable[Permanence], place_id: str, start: datetime) -> Slot | None:
    """The slot a payload names, if the commune file still offers it."""
    for slot in slots_on([p for p in permanences if p.place_id == place_id],
                         utc_to_paris(start).date()):
        if slot.start == start:
            return slot
    return None
