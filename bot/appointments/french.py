"""Dates as a resident reads them: "mardi 1er décembre à 14 h 30" (Paris time)."""

from __future__ import annotations

from datetime import datetime

from bot.appointments.permanences import DAYS, utc_to_paris
from commune.hours import MONTHS, say_time


def day_words(moment_utc: datetime) -> str:
    local = utc_to_paris(moment_utc)
    day = "1er" if local.day == 1 else str(local.day)
    return f"{DAYS[local.weekday()]} {day} {MONTHS[local.month - 1]}"


def time_words(moment_utc: datetime) -> str:
    return say_time(utc_to_paris(moment_utc))


def when_words(moment_utc: datetime) -> str:
    return f"{day_words(moment_utc)} à {time_words(moment_utc)}"
