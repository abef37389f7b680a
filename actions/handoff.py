"""Hands a conversation to a person: the gateway's queue, then what happens next, honestly.

The queue and the conversation mode live in the gateway (``POST /internal/handoffs``), not in
Rasa's paused flag. The bot then says who will answer and when: from the team's weekly hours
when the commune file has them verified (``commune.hours``: "jusqu'à 17 h", or, when closed,
the next opening), else the team's hours as text, otherwise "as soon as someone is available"
— never invented hours. Outside the team's hours the resident is offered an appointment
instead, or to leave a message (then the conversation is queued); a crisis is queued at once.
When the resident's words show a need a chat cannot meet (``actions/needs.py``), the reason is
``flow`` and the bot names who can help. If the gateway cannot be reached, the resident still
gets the places where a person can help.
"""

from __future__ import annotations

import asyncio
import logging
import os
from datetime import datetime
from typing import Any

import aiohttp
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.needs import recent_need
from bot.identity import internal_token
from commune import CommuneFileError, load_commune, verified_value
from commune.hours import PARIS, next_opening, open_until, say_moment, say_time, weekly_hours

log = logging.getLogger(__name__)

TIMEOUT = aiohttp.ClientTimeout(total=5)
# The people who answer in the console, in the order their hours are looked for.
TEAM_PLACES = ("ccas", "france_services", "ecrivain_public")
REASON_OF_INTENT = {"crisis": "crisis", "ask_human": "asked", "nlu_fallback": "misunderstood",
                    "wait_for_person": "asked"}


def now_in_paris() -> datetime:
    """The action server's clock (tests replace it to be inside or outside the hours)."""
    return datetime.now(PARIS)


def _commune() -> dict[str, Any]:
    try:
        return load_commune()
    except CommuneFileError:
        return {}


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


async def request_human(conversation_id: str, reason: str, need: str | None = None) -> bool:
    """Puts the conversation in the agents' queue; False when the gateway did not take it."""
    secret = os.environ.get("RELAIS_SECRET_KEY", "")
    if not secret:
        return False
    headers = {"Authorization": "Bearer " + internal_token(secret)}
    body: dict[str, str] = {"conversation_id": conversation_id, "reason": reason}
    if need:
        body["need"] = need
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


def say_who(dispatcher: CollectingDispatcher, reason: str, need: str | None) -> None:
    if reason == "crisis":
        dispatcher.utter_message(response="utter_handoff_crisis")
    elif need:
        dispatcher.utter_message(response=f"utter_handoff_flow_{need}")
    else:
        dispatcher.utter_message(response="utter_handoff_queued")


def say_when(dispatcher: CollectingDispatcher, reason: str, commune: dict[str, Any],
             now: datetime) -> None:
    """When a person will answer: never a guess, always what the commune file vouches for."""
    weekly = weekly_hours(commune)
    if weekly is not None:
        until = open_until(weekly, now)
        if until is not None:
            dispatcher.utter_message(response="utter_handoff_when_open", until=say_time(until))
            return
        back = next_opening(weekly, now)
        if back is None:  # the file's closures shut the team for the coming year
            dispatcher.utter_message(response="utter_handoff_when_unknown")
        else:
            dispatcher.utter_message(response="utter_handoff_when_closed",
                                     when=say_moment(back, now))
        if reason == "crisis":
            dispatcher.utter_message(response="utter_handoff_crisis_meanwhile")
        return
    hours = team_hours(commune)
    if hours:
        dispatcher.utter_message(response="utter_handoff_when_hours", hours=hours)
    else:
        dispatcher.utter_message(response="utter_handoff_when_unknown")


def say_what_happens_next(dispatcher: CollectingDispatcher, queued: bool, reason: str,
                          need: str | None = None, commune: dict[str, Any] | None = None,
                          now: datetime | None = None) -> None:
    """Who will answer and when; the places to go when the queue could not be reached."""
    if not queued:
        dispatcher.utter_message(response="utter_ask_human_places")
        dispatcher.utter_message(response="utter_ask_human_confirm_place")
        return
    say_who(dispatcher, reason, need)
    say_when(dispatcher, reason, _commune() if commune is None else commune,
             now or now_in_paris())


def offer_appointment_if_closed(dispatcher: CollectingDispatcher, commune: dict[str, Any],
                                now: datetime, need: str | None = None) -> bool:
    """Outside the team's verified hours: say when they are back, offer an appointment instead
    — with the person the need calls for (an écrivain public for someone who cannot write).

    Returns True when the offer was made (the conversation is then not queued yet: the
    resident chooses "Prendre rendez-vous" or "Laisser un message").
    """
    weekly = weekly_hours(commune)
    if weekly is None or open_until(weekly, now) is not None:
        return False
    back = next_opening(weekly, now)
    if back is None:  # closed for the coming year: queue, and say nobody knows when
        return False
    dispatcher.utter_message(response="utter_handoff_closed_now", when=say_moment(back, now))
    dispatcher.utter_message(response=f"utter_handoff_offer_appointment_{need}" if need
                             else "utter_handoff_offer_appointment")
    return True


async def hand_to_person(dispatcher: CollectingDispatcher, tracker: Tracker, reason: str,
                         need: str | None = None, offer_appointment: bool = True) -> None:
    """Queues the conversation and says who and when — or, outside the team's hours, offers
    an appointment first (never for a crisis, which is queued at once)."""
    commune, now = _commune(), now_in_paris()
    if offer_appointment and reason != "crisis" and offer_appointment_if_closed(
            dispatcher, commune, now, need):
        return
    queued = await request_human(tracker.sender_id, reason, need)
    say_what_happens_next(dispatcher, queued, reason, need, commune, now)


def reason_and_need(tracker: Tracker) -> tuple[str, str | None]:
    """Why the conversation goes to a person: a crisis, or a need the words show, or asked."""
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    reason = REASON_OF_INTENT.get(intent, "asked")
    if reason == "crisis":
        return reason, None
    need = recent_need(tracker.events)
    return ("flow", need) if need else (reason, None)


class ActionRequestHuman(Action):
    """The resident asked for a person, needs one, or is in crisis: queue, say what next."""

    def name(self) -> str:
        return "action_request_human"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        reason, need = reason_and_need(tracker)
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        # "Laisser un message" answers the outside-hours offer: queue it, do not offer again.
        await hand_to_person(dispatcher, tracker, reason, need,
                             offer_appointment=intent != "wait_for_person")
        return []
