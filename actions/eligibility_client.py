"""Calls the eligibility service (eligibility/, HTTP + JSON) on behalf of the actions.

A slow or absent service must never leave a resident without an answer: every failure
becomes EligibilityUnavailable, and the action says the calculation is unavailable and
offers a person.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp

from actions.usage_report import report_eligibility

TIMEOUT = aiohttp.ClientTimeout(total=float(os.environ.get("RELAIS_ELIGIBILITY_TIMEOUT", "5")))
PARIS = ZoneInfo("Europe/Paris")


class EligibilityUnavailable(Exception):
    """The service did not answer, answered late, or could not compute."""


def eligibility_url() -> str:
    return os.environ.get("RELAIS_ELIGIBILITY_URL", "http://127.0.0.1:8100").rstrip("/")


def today_in_france() -> dt.date:
    return dt.datetime.now(PARIS).date()


async def evaluate(household: dict[str, Any], rights: list[str], commune_insee: str,
                   on: dt.date | None = None) -> dict[str, dict[str, Any]]:
    """The service's result for each requested right, keyed by right id."""
    body = {
        "date": (on or today_in_france()).isoformat(),
        "commune_insee": commune_insee,
        "rights": rights,
        "household": household,
    }
    try:
        async with aiohttp.ClientSession(timeout=TIMEOUT) as session:
            async with session.post(f"{eligibility_url()}/v1/evaluate", json=body) as response:
                if response.status != 200:
                    raise EligibilityUnavailable(f"HTTP {response.status}")
                payload = await response.json()
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
        report_eligibility(rights, None)
        raise EligibilityUnavailable(type(exc).__name__) from exc
    except EligibilityUnavailable:
        report_eligibility(rights, None)
        raise
    results = {result["right"]: result for result in payload.get("results", [])}
    report_eligibility(rights, results)
    return results
