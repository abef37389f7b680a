"""Dates as a resident reads them: "mardi 1er décembre à 14 h 30" (Paris time)."""

from __future__ import annotations

from datetime import datetime

from bot.appointments.permanences import DAYS, utc_to_paris

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")


def day_words(moment_utc: datetime) -> str:
    local = utc_to_paris(moment_utc)
    day = "1er" if local.day == 1 else str(local.day)
    return f"{DAYS[local.weekday()]} {day} {MONTHS[local.month - 1]}"


def time_words(moment_utc: datetime) -> str:
    local = utc_to_paris(moment_utc)
    return f"{local.hour} h" if local.minute == 0 else f"{local.hour} h {local.minute:02d}"


def when_words(moment_utc: datetime) -> str:
    return f"{day_words(moment_utc)} à {time_words(moment_utc)}"
