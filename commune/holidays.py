"""French public holidays (jours fériés): fixed by law, so computed here rather than kept as data.

Code du travail, art. L3133-1: 1er janvier, lundi de Pâques, 1er mai, 8 mai, Ascension, lundi de
Pentecôte, 14 juillet, 15 août, 1er novembre, 11 novembre, 25 décembre (the extra days of
Alsace-Moselle and the overseas departments do not apply to a town of Seine-Saint-Denis). Town
services close on them; a resident must never be sent to a door on such a day, nor told that
someone will answer then (``commune/hours.py``, ``bot/appointments/permanences.py``).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache


def easter_sunday(year: int) -> date:
    """Gregorian Easter (the anonymous algorithm of Meeus, Jones and Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 — the algorithm's own name
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(year, month, day + 1)


@lru_cache(maxsize=8)
def public_holidays(year: int) -> dict[date, str]:
    """The eleven public holidays of ``year``, by date, with their French names."""
    easter = easter_sunday(year)
    return {
        date(year, 1, 1): "jour de l'An",
        easter + timedelta(days=1): "lundi de Pâques",
        date(year, 5, 1): "fête du Travail",
        date(year, 5, 8): "Victoire 1945",
        easter + timedelta(days=39): "Ascension",
        easter + timedelta(days=50): "lundi de Pentecôte",
        date(year, 7, 14): "fête nationale",
        date(year, 8, 15): "Assomption",
        date(year, 11, 1): "Toussaint",
        date(year, 11, 11): "Armistice 1918",
        date(year, 12, 25): "Noël",
    }


def is_public_holiday(day: date) -> bool:
    return day in public_holidays(day.year)
