"""Hands a conversation to a person: the gateway's queue, then what happens next, honestly.

The queue and the conversation mode live in the gateway (``POST /internal/handoffs``), not in
Rasa's paused flag. The bot then says who will answer and when: the team's opening hours
when the commune file has them verified, otherwise "as soon as someone is available" — never
invented hours. If the gateway cannot be reached, the resident still gets the places where a
person can help.
"""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any

import aiohttp
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.identity import internal_token
from commune import CommuneFileError, load_commune, verified_value

log = logging.getLogger(__name__)

TIMEOUT = aiohttp.ClientTimeout(total=5)
# The people who answer in the console, in the order their hours are looked for.
TEAM_PLACES = ("ccas", "france_services", "ecrivain_public")
REASON_OF_INTENT = {"crisis": "crisis", "ask_human": "asked", "nlu_fallback": "misunderstood"}


def gateway_url() -> str:
    explicit = os.environ.get("RELAIS_GATEWAY_URL", "").strip().rstrip("/")
    if explicit:
        return explicit
    host = os.environ.get("RELAIS_HOST", "127.0.0.1")
    return f"http://{host}:{os.environ.get('RELAIS_GATEWAY_PORT', '8000')}"


def team_hours(commune: dict[str, Any]) -> str | None:
    """The verified opening hours of the team's first place that has them, else None."""
    places = {p.get("id"): p for p in commune.get("places") or []}
    for place_id in TEAM_PLACES:
        hours = verified_value((places.get(place_id) or {}).get("opening_hours"))
        if hours:
            return str(hours)
    return None


async def request_human(conversation_id: str, reason: str) -> bool:
    """Puts the conversation in the agents' queue; False when the gateway did not take it."""
    secret = os.environ.get("RELAIS_SECRET_KEY", "")
    if not secret:
        return False
    headers = {"Authorization": "Bearer " + internal_token(secret)}
    body = {"conversation_id": conversation_id, "reason": reason}
    try:
        async with aiohttp.ClientSession(timeout=TIMEOUT) as session:
            async with session.post(f"{gateway_url()}/internal/handoffs", json=body,
                                    headers=headers) as response:
                if response.status in (200, 201):
                    return True
                log.warning("handoff refused by the gateway: HTTP %d", response.status)
    except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
        log.warning("handoff: gateway unreachable (%s)", type(exc).__name__)
    return False


def say_what_happens_next(dispatcher: CollectingDispatcher, queued: bool, reason: str) -> None:
    """Who will answer and when; the places to go when the queue could not be reached."""
    if not queued:
        dispatcher.utter_message(response="utter_ask_human_places")
        dispatcher.utter_message(response="utter_ask_human_confirm_place")
        return
    dispatcher.utter_message(
        response="utter_handoff_crisis" if reason == "crisis" else "utter_handoff_queued")
    try:
        hours = team_hours(load_commune())
    except CommuneFileError:
        hours = None
    if hours:
        dispatcher.utter_message(response="utter_handoff_when_hours", hours=hours)
    else:
        dispatcher.utter_message(response="utter_handoff_when_unknown")


async def hand_to_person(dispatcher: CollectingDispatcher, tracker: Tracker, reason: str) -> None:
    queued = await request_human(tracker.sender_id, reason)
    say_what_happens_next(dispatcher, queued, reason)


class ActionRequestHuman(Action):
    """The resident asked for a person, or is in crisis: queue the conversation, say what next."""

    def name(self) -> str:
        return "action_request_human"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        await hand_to_person(dispatcher, tracker, REASON_OF_INTENT.get(intent, "asked"))
        return []
