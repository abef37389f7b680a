"""When the team that answers in the console is there: the commune file's weekly hours.

Also the one place for Paris time and for days, months and times in French words, shared with
the appointments (``bot/appointments/``).

``handoff_team.opening_hours_weekly`` lists, per French day name, ranges ``"HH:MM-HH:MM"`` in
Paris time. Only a verified value is used: unknown hours are never guessed, the bot then says
"dès qu'une personne est disponible". The team is taken as closed on public holidays
(``commune/holidays.py``) and on the file's closures for ``handoff_team`` or the whole town
(``commune/closures.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from commune import verified_value
from commune.closures import HANDOFF_TEAM, NO_CLOSURES, Closures, closures
from commune.holidays import is_public_holiday

PARIS = ZoneInfo("Europe/Paris")
DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")


@dataclass(frozen=True)
class WeeklyHours:
    """Opening ranges per weekday (0 = Monday), in Paris time, sorted."""

    ranges: dict[int, tuple[tuple[time, time], ...]]
    closures: Closures = field(default=NO_CLOSURES)

    def on(self, day: date) -> tuple[tuple[time, time], ...]:
        """The ranges of that Paris date: none on a public holiday or a closure day."""
        if is_public_holiday(day) or self.closures.closes(day, HANDOFF_TEAM):
            return ()
        return self.ranges.get(day.weekday(), ())


def _time(text: str) -> time:
    hours, minutes = (int(part) for part in text.split(":"))
    return time(23, 59, 59) if hours == 24 else time(hours, minutes)


def weekly_hours(commune: dict[str, Any]) -> WeeklyHours | None:
    """The team's verified weekly hours, or None when the file does not vouch for them."""
    value = verified_value((commune.get("handoff_team") or {}).get("opening_hours_weekly"))
    if not isinstance(value, dict):
        return None
    ranges: dict[int, tuple[tuple[time, time], ...]] = {}
    for day, spans in value.items():
        parsed = []
        for span in spans or []:
            start, end = span.split("-")
            parsed.append((_time(start), _time(end)))
        ranges[DAYS.index(day)] = tuple(sorted(parsed))
    return WeeklyHours(ranges, closures(commune)) if any(ranges.values()) else None


def _paris(moment: datetime) -> datetime:
    return moment.astimezone(PARIS) if moment.tzinfo else moment.replace(tzinfo=PARIS)


def open_until(hours: WeeklyHours, moment: datetime) -> datetime | None:
    """When the current opening ends, or None if the team is not there at ``moment``."""
    here = _paris(moment)
    for start, end in hours.on(here.date()):
        if start <= here.time() < end:
            return here.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    return None


def next_opening(hours: WeeklyHours, moment: datetime) -> datetime | None:
    """The next moment the team is there (``moment`` itself when it is open now), or None when
    the file's closures shut it for the coming year (then nobody can say when)."""
    here = _paris(moment)
    if open_until(hours, here):
        return here
    for days_ahead in range(367):
        day = here.date() + timedelta(days=days_ahead)
        for start, _end in hours.on(day):
            candidate = datetime.combine(day, start, tzinfo=PARIS)
            if candidate > here:
                return candidate
    return None


def say_time(moment: time | datetime) -> str:
    """9 h, 13 h 30: how times are written to residents."""
    return f"{moment.hour} h" + (f" {moment.minute:02d}" if moment.minute else "")


def say_moment(moment: datetime, now: datetime) -> str:
    """"aujourd'hui à 14 h", "demain à 9 h", "lundi 1er décembre à 9 h 30"."""
    moment, today = _paris(moment), _paris(now).date()
    return f"{say_day(moment.date(), today)} à {say_time(moment)}"


def say_day(day: date, today: date) -> str:
    if day == today:
        return "aujourd'hui"
    if day == today + timedelta(days=1):
        return "demain"
    number = "1er" if day.day == 1 else str(day.day)
    return f"{DAYS[day.weekday()]} {number} {MONTHS[day.month - 1]}"
