"""What the console reads of a conversation's Rasa tracker: the bot-mode history and the last
eligibility explanation.

The explanation is what ``action_eligibility_result`` told the resident (the result, then the
calculation line by line with dates and sources): the agent reads exactly what the resident
read, so nothing is re-computed or re-worded on the console's side.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import aiohttp

ELIGIBILITY_ACTION = "action_eligibility_result"
# What the resident saw of a result; the "also check" buttons that follow are not explanation.
ELIGIBILITY_RESPONSES = ("utter_eligibility_summary", "utter_css_household_left_out",
                         "utter_eligibility_calculation", "utter_css_suggest_mutuelle")


async def fetch_events(http: aiohttp.ClientSession, rasa_url: str, token: str,
                       conversation: str) -> list[dict[str, Any]] | None:
    """The tracker's events, or None when Rasa cannot say (down, unknown conversation)."""
    url = f"{rasa_url}/conversations/{conversation}/tracker"
    try:
        async with http.get(url, params={"token": token},
                            timeout=aiohttp.ClientTimeout(total=10)) as resp:
            if resp.status != 200:
                return None
            tracker = await resp.json(content_type=None)
    except (aiohttp.ClientError, TimeoutError, ValueError):
        return None
    events = tracker.get("events") if isinstance(tracker, dict) else None
    return [e for e in events if isinstance(e, dict)] if isinstance(events, list) else None


def _at(event: dict[str, Any]) -> str | None:
    moment = event.get("timestamp")
    if not isinstance(moment, int | float):
        return None
    return datetime.utcfromtimestamp(moment).isoformat(timespec="seconds") + "Z"


def history(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What the resident and the bot said to each other, oldest first."""
    said = []
    for event in events:
        kind, text = event.get("event"), event.get("text")
        if kind in ("user", "bot") and isinstance(text, str) and text:
            said.append({"from": "resident" if kind == "user" else "bot", "text": text,
                         "at": _at(event)})
    return said


def last_eligibility(events: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The messages of the last eligibility result, with when it was given; None if none."""
    result: dict[str, Any] | None = None
    collecting = False
    for event in events:
        kind = event.get("event")
        if kind == "action":
            collecting = event.get("name") == ELIGIBILITY_ACTION
            if collecting:
                result = {"at": _at(event), "messages": []}
        elif kind == "bot" and collecting and result is not None:
            response = (event.get("metadata") or {}).get("utter_action")
            text = event.get("text")
            if isinstance(text, str) and text and response in ELIGIBILITY_RESPONSES:
                result["messages"].append(text)
    return result if result and result["messages"] else None
