"""Appointments with a person, booked in the chat; the answer to a dossier's follow-up.

The actions are thin: the gateway computes free slots from the commune file's verified
permanences and keeps the bookings (``/internal/appointments…``, bot/appointments/internal.py).
When no permanence is verified the bot says so and offers a person instead — it never
proposes an hour the town has not confirmed.
"""

from __future__ import annotations

import asyncio
import logging
import os
import unicodedata
from typing import Any

import aiohttp
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import gateway_url, hand_to_person
from bot.identity import internal_token

log = logging.getLogger(__name__)

TIMEOUT = aiohttp.ClientTimeout(total=10)
SLOTS_SHOWN = 4  # a short list of buttons; SMS numbers them
# Who the resident meets, as the confirmation names them (filled into domain.yml's responses).
PERSON = {"ecrivain_public": "un écrivain public",
          "france_services": "un conseiller France services",
          "ccas": "un travailleur social du CCAS"}
# Words that name the person in a typed request ("rendez-vous avec l'écrivain public").
_KIND_WORDS = (("ecrivain", "ecrivain_public"), ("france service", "france_services"),
               ("conseiller", "france_services"), ("numerique", "france_services"),
               ("assistante sociale", "ccas"), ("assistant social", "ccas"),
               ("travailleur social", "ccas"), ("travailleuse sociale", "ccas"),
               ("ccas", "ccas"))


class GatewayUnavailable(Exception):
    """The gateway did not answer: the bot says to try again later."""


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def kind_named(text: str) -> str | None:
    plain = _plain(text)
    for words, kind in _KIND_WORDS:
        if words in plain:
            return kind
    return None


def _entity(tracker: Tracker, name: str) -> str | None:
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == name and entity.get("value") not in (None, ""):
            return str(entity["value"])
    return None


async def call_gateway(method: str, path: str, body: dict | None = None,
                       params: dict | None = None) -> tuple[int, dict]:
    secret = os.environ.get("RELAIS_SECRET_KEY", "")
    if not secret:
        raise GatewayUnavailable("no RELAIS_SECRET_KEY")
    headers = {"Authorization": "Bearer " + internal_token(secret)}
    try:
        async with aiohttp.ClientSession(timeout=TIMEOUT) as session:
            async with session.request(method, f"{gateway_url()}{path}", json=body,
                                       params=params, headers=headers) as response:
                data = await response.json(content_type=None)
                return response.status, data if isinstance(data, dict) else {}
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
        log.warning("appointments: gateway unreachable (%s)", type(exc).__name__)
        raise GatewayUnavailable(type(exc).__name__) from exc


def slot_buttons(slots: list[dict], appointment_id: str | None = None) -> list[dict]:
    """One button per slot: "mardi 1er décembre à 14 h"; the payload names the slot."""
    buttons = []
    for slot in slots[:SLOTS_SHOWN]:
        entities = {"appointment_slot": slot["slot"]}
        if appointment_id:
            entities["appointment_id"] = appointment_id
        payload = "/appointment_pick" + _json(entities)
        buttons.append({"title": f"{slot['day']} à {slot['time']}", "payload": payload})
    return buttons


def _json(entities: dict[str, str]) -> str:
    return "{" + ",".join(f'"{k}":"{v}"' for k, v in entities.items()) + "}"


def offer_person(dispatcher: CollectingDispatcher) -> None:
    dispatcher.utter_message(response="utter_appointment_offer_person")


async def offer_slots(dispatcher: CollectingDispatcher, kind: str,
                      appointment_id: str | None = None, taken: bool = False) -> None:
    """The next free slots as buttons, or why there are none and a person instead."""
    status, data = await call_gateway("GET", "/internal/appointments/slots",
                                      params={"kind": kind})
    if status != 200:
        raise GatewayUnavailable(f"HTTP {status}")
    person = PERSON[kind]
    if not data.get("verified"):
        dispatcher.utter_message(response="utter_appointment_none_verified", person=person)
        offer_person(dispatcher)
        return
    slots = data.get("slots") or []
    if not slots:
        dispatcher.utter_message(response="utter_appointment_full", person=person)
        offer_person(dispatcher)
        return
    if taken:
        dispatcher.utter_message(response="utter_appointment_slot_taken")
    dispatcher.utter_message(
        response="utter_appointment_move_slots" if appointment_id else "utter_appointment_slots",
        person=person, buttons=slot_buttons(slots, appointment_id))


def confirm(dispatcher: CollectingDispatcher, appointment: dict, moved: bool = False) -> None:
    values = {"person": PERSON.get(appointment["kind"], ""), "day": appointment["day"],
              "time": appointment["time"]}
    dispatcher.utter_message(
        response="utter_appointment_moved" if moved else "utter_appointment_confirmed", **values)
    place = appointment.get("place_name") or PERSON.get(appointment["kind"], "")
    if appointment.get("place_address"):
        dispatcher.utter_message(response="utter_appointment_place", place=place,
                                 address=appointment["place_address"])
    else:
        dispatcher.utter_message(response="utter_appointment_place_unconfirmed", place=place)
    dispatcher.utter_message(response="utter_appointment_reminder_promise"
                             if appointment.get("reminder") else "utter_appointment_no_reminder")


class ActionOfferAppointment(Action):
    """"Je veux un rendez-vous avec l'écrivain public": free slots, or a person instead."""

    def name(self) -> str:
        return "action_offer_appointment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        kind = _entity(tracker, "permanence_kind")
        if kind not in PERSON:
            kind = kind_named(tracker.latest_message.get("text") or "")
        if kind is None:
            dispatcher.utter_message(response="utter_appointment_which")
            return []
        try:
            await offer_slots(dispatcher, kind)
        except GatewayUnavailable:
            dispatcher.utter_message(response="utter_appointment_unavailable")
        return []


class ActionBookAppointment(Action):
    """A slot button was pressed: book it (or move the appointment the buttons were for)."""

    def name(self) -> str:
        return "action_book_appointment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        slot = _entity(tracker, "appointment_slot")
        moving = _entity(tracker, "appointment_id")
        if not slot:
            dispatcher.utter_message(response="utter_appointment_which")
            return []
        body = {"conversation_id": tracker.sender_id, "slot": slot}
        path = (f"/internal/appointments/{moving}/move" if moving and moving.isdigit()
                else "/internal/appointments")
        try:
            status, data = await call_gateway("POST", path, body)
            if status in (200, 201):
                confirm(dispatcher, data["appointment"], moved=bool(moving))
            elif status == 409:
                kind = slot.partition("@")[0]
                await offer_slots(dispatcher, kind if kind in PERSON else "ecrivain_public",
                                  moving, taken=True)
            elif status == 404:
                dispatcher.utter_message(response="utter_appointment_none_upcoming")
            else:
                raise GatewayUnavailable(f"HTTP {status}")
        except GatewayUnavailable:
            dispatcher.utter_message(response="utter_appointment_unavailable")
        return []


async def _target(tracker: Tracker) -> dict | None:
    """The appointment a button names, else the resident's next one."""
    status, data = await call_gateway("GET", "/internal/appointments",
                                      params={"conversation_id": tracker.sender_id})
    if status != 200:
        raise GatewayUnavailable(f"HTTP {status}")
    upcoming = data.get("appointments") or []
    wanted = _entity(tracker, "appointment_id")
    for appointment in upcoming:
        if wanted is None or str(appointment["id"]) == wanted:
            return appointment
    return None


class ActionCancelAppointment(Action):
    def name(self) -> str:
        return "action_cancel_appointment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        try:
            appointment = await _target(tracker)
            if appointment is None:
                dispatcher.utter_message(response="utter_appointment_none_upcoming")
                return []
            status, _ = await call_gateway("POST",
                                           f"/internal/appointments/{appointment['id']}/cancel",
                                           {"conversation_id": tracker.sender_id})
            if status != 200:
                raise GatewayUnavailable(f"HTTP {status}")
            dispatcher.utter_message(response="utter_appointment_cancelled",
                                     day=appointment["day"], time=appointment["time"])
        except GatewayUnavailable:
            dispatcher.utter_message(response="utter_appointment_unavailable")
        return []


class ActionMoveAppointment(Action):
    """"Changer l'heure": other free slots of the same permanence, as buttons."""

    def name(self) -> str:
        return "action_move_appointment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        try:
            appointment = await _target(tracker)
            if appointment is None:
                dispatcher.utter_message(response="utter_appointment_none_upcoming")
                return []
            await offer_slots(dispatcher, appointment["kind"], str(appointment["id"]))
        except GatewayUnavailable:
            dispatcher.utter_message(response="utter_appointment_unavailable")
        return []


FOLLOWUP_OUTCOME = {"followup_done": "deja_fait", "followup_failed": "pas_reussi",
                    "followup_help": "besoin_aide"}


class ActionFollowupAnswer(Action):
    """"Déjà fait / Pas réussi / Besoin d'aide": stored; the last two get a person."""

    def name(self) -> str:
        return "action_followup_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        outcome = FOLLOWUP_OUTCOME.get(intent or "")
        dossier = _entity(tracker, "dossier_id")
        if outcome and dossier:
            try:
                await call_gateway("POST", f"/internal/followups/{dossier}",
                                   {"conversation_id": tracker.sender_id, "outcome": outcome})
            except GatewayUnavailable:
                pass  # the resident's need comes first; the count misses one answer
        if outcome == "deja_fait":
            dispatcher.utter_message(response="utter_followup_done")
            return []
        dispatcher.utter_message(response="utter_followup_not_alone")
        await hand_to_person(dispatcher, tracker, "flow")
        return []
