"""A town's exceptional closures: the days a service is shut although its weekly hours say open.

Public holidays are fixed by law (``commune/holidays.py``); a "pont", a strike day, a staff
training day or a summer closure are the town's own decision, so they live in the commune file
under ``closures``: ``{from, to, places, reason}``, dates in Paris time, ``to`` included and
optional (one day), ``places`` the ids of the places concerned and ``handoff_team`` for the
console team, absent for the whole town. Only a verified list is used, like every fact: the bot
then neither sends a resident to that door nor says a person will answer that day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from commune import verified_value

HANDOFF_TEAM = "handoff_team"  # the console team, in a closure's ``places``


@dataclass(frozen=True)
class Closure:
    first: date
    last: date  # included
    places: frozenset[str] | None  # None: every place and the console team

    def closes(self, day: date, place_id: str) -> bool:
        return (self.first <= day <= self.last
                and (self.places is None or place_id in self.places))


@dataclass(frozen=True)
class Closures:
    entries: tuple[Closure, ...] = ()

    def closes(self, day: date, place_id: str) -> bool:
        """Whether ``place_id`` (a place's id, or ``HANDOFF_TEAM``) is shut on that date."""
        return any(entry.closes(day, place_id) for entry in self.entries)


NO_CLOSURES = Closures()


def closures(commune: dict[str, Any]) -> Closures:
    """The commune file's verified closures (none when the list is absent or unverified)."""
    entries = verified_value(commune.get("closures")) or []
    return Closures(tuple(
        Closure(date.fromisoformat(entry["from"]),
                date.fromisoformat(entry.get("to") or entry["from"]),
                frozenset(entry["places"]) if entry.get("places") else None)
        for entry in entries))


def closure_problems(commune: dict[str, Any]) -> list[str]:
    """What the schema cannot check: a closure ending before it starts, an unknown place id
    (a typo there would leave a door open in the bot's answers while it is shut)."""
    known = {HANDOFF_TEAM} | {place.get("id") for place in commune.get("places") or []}
    problems = []
    for index, entry in enumerate((commune.get("closures") or {}).get("value") or []):
        where = f"closures.value.{index}"
        try:
            first = date.fromisoformat(entry["from"])
            last = date.fromisoformat(entry.get("to") or entry["from"])
        except ValueError as error:
            problems.append(f"{where} : date impossible ({error})")
            continue
        if last < first:
            problems.append(f"{where} : « to » ({last}) avant « from » ({first})")
        for place_id in entry.get("places") or []:
            if place_id not in known:
                problems.append(f"{where} : lieu inconnu « {place_id} » (ids possibles : "
                                f"{', '.join(sorted(known))})")
    return problems
