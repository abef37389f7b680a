"""The action server's API for appointments and follow-ups (``/internal/…``, token-protected).

The action server asks for free slots, books, cancels and moves on behalf of the resident
whose conversation it is running, and stores a follow-up answer. Every call names the
conversation: an action can only touch that resident's appointments.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta, timezone
from typing import Any

from aiohttp import web

from bot.appointments.french import day_words, time_words
from bot.appointments.permanences import (
    BOOKING_HORIZON_DAYS,
    KINDS,
    bookable_permanences,
    find_slot,
    free_slots,
    parse_token,
    place,
    places_of,
    utc_to_paris,
)
from bot.console.internal import CONVERSATION_ID, authorised, internal_body
from bot.http_errors import dumps, json_error
from bot.store.appointments import Appointment, Appointments
from bot.store.followups import OUTCOMES, Followups

log = logging.getLogger("relais.appointments")

MAX_SLOTS = 20
HORIZON = timedelta(days=BOOKING_HORIZON_DAYS + 2)


def setup_internal(app: web.Application) -> None:
    add = app.router
    add.add_get("/internal/appointments/slots", api_slots)
    add.add_get("/internal/appointments", api_upcoming)
    add.add_post("/internal/appointments", api_book)
    add.add_post("/internal/appointments/{appointment_id:\\d+}/cancel", api_cancel)
    add.add_post("/internal/appointments/{appointment_id:\\d+}/move", api_move)
    add.add_post("/internal/followups/{dossier_id:[0-9a-zA-Z_-]{1,32}}", api_followup)
    add.add_post("/internal/jobs/run", api_run_jobs)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="minutes") + "Z"


def appointment_json(appointment: Appointment, commune: dict[str, Any]) -> dict:
    where = place(commune, appointment.place_id)
    return {"id": appointment.id, "kind": appointment.kind, "place_id": appointment.place_id,
            "place_name": where.name if where else None,
            "place_address": where.address if where else None,
            "start": _iso(appointment.start_at), "end": _iso(appointment.end_at),
            "local_start": utc_to_paris(appointment.start_at).isoformat(timespec="minutes"),
            "day": day_words(appointment.start_at), "time": time_words(appointment.start_at),
            "status": appointment.status}


async def _with_reminder(request: web.Request, appointment: Appointment) -> dict:
    """The appointment, and whether a reminder can reach the resident (not on the web chat)."""
    identities = await request.app["store"].run(
        lambda r: r.identities_of(appointment.resident_id))
    return {**appointment_json(appointment, request.app["commune"]),
            "reminder": bool(identities)}


async def _body(request: web.Request) -> dict | web.Response:
    parsed = await internal_body(request)
    return parsed if isinstance(parsed, web.Response) else parsed[0]


def _ctx(request: web.Request) -> tuple[Any, Appointments, dict[str, Any]]:
    return request.app["store"], request.app["appointments"], request.app["commune"]


async def _chosen_slot(request: web.Request, body: dict, kind: str | None = None):
    """The slot a ``slot`` token names, if it is a verified, future, bookable one."""
    token = body.get("slot")
    parsed = parse_token(token) if isinstance(token, str) else None
    if parsed is None:
        return json_error(422, "invalid_request", field="slot")
    place_id, start = parsed
    _, appointments, commune = _ctx(request)
    where = place(commune, place_id)
    if where is None or where.kind not in KINDS or (kind and where.kind != kind):
        return json_error(422, "invalid_request", field="slot")
    slot = find_slot(bookable_permanences(commune, where.kind), place_id, start)
    if slot is None or slot.start <= appointments.clock():
        return json_error(409, "slot_unavailable")
    return where, slot


async def api_slots(request: web.Request) -> web.Response:
    """``?kind=ecrivain_public``: the free verified slots of the next two weeks."""
    if not authorised(request):
        return json_error(403, "forbidden")
    kind = request.query.get("kind", "")
    if kind not in KINDS:
        return json_error(422, "invalid_request", field="kind")
    store, appointments, commune = _ctx(request)
    permanences = bookable_permanences(commune, kind)
    now = appointments.clock()
    slots = []
    if permanences:
        booked = await store.run(lambda _r: appointments.booked_counts(
            now, now + HORIZON))
        slots = free_slots(permanences, booked, now)[:MAX_SLOTS]
    places = {p.id: p for p in places_of(commune, kind)}
    return web.json_response({
        "kind": kind, "verified": bool(permanences),
        "slots": [{"slot": s.token, "place_id": s.place_id,
                   "place_name": places[s.place_id].name, "start": _iso(s.start),
                   "day": day_words(s.start), "time": time_words(s.start)} for s in slots],
    }, dumps=dumps)


async def api_upcoming(request: web.Request) -> web.Response:
    if not authorised(request):
        return json_error(403, "forbidden")
    conversation = request.query.get("conversation_id", "")
    if not CONVERSATION_ID.fullmatch(conversation):
        return json_error(422, "invalid_request", field="conversation_id")
    store, appointments, commune = _ctx(request)
    upcoming = await store.run(lambda _r: appointments.upcoming(conversation))
    return web.json_response({"appointments": [appointment_json(a, commune) for a in upcoming]},
                             dumps=dumps)


async def api_book(request: web.Request) -> web.Response:
    body = await _body(request)
    if isinstance(body, web.Response):
        return body
    chosen = await _chosen_slot(request, body)
    if isinstance(chosen, web.Response):
        return chosen
    where, slot = chosen
    store, appointments, commune = _ctx(request)
    booked = await store.run(lambda _r: appointments.book(
        body["conversation_id"], slot.place_id, where.kind, slot.start, slot.end, slot.seats))
    if booked is None:
        return json_error(409, "slot_taken")
    log.info("appointment %d booked (%s)", booked.id, where.kind)
    return web.json_response({"appointment": await _with_reminder(request, booked)},
                             status=201, dumps=dumps)


async def api_cancel(request: web.Request) -> web.Response:
    body = await _body(request)
    if isinstance(body, web.Response):
        return body
    store, appointments, commune = _ctx(request)
    appointment_id = int(request.match_info["appointment_id"])
    cancelled = await store.run(lambda _r: appointments.cancel(appointment_id,
                                                               body["conversation_id"]))
    if cancelled is None:
        return json_error(404, "not_found")
    log.info("appointment %d cancelled", appointment_id)
    return web.json_response({"appointment": appointment_json(cancelled, commune)}, dumps=dumps)


async def api_move(request: web.Request) -> web.Response:
    body = await _body(request)
    if isinstance(body, web.Response):
        return body
    store, appointments, commune = _ctx(request)
    appointment_id = int(request.match_info["appointment_id"])
    old = await store.run(lambda _r: appointments.get(appointment_id))
    if old is None or old.resident_id != body["conversation_id"] or old.status != "booked":
        return json_error(404, "not_found")
    chosen = await _chosen_slot(request, body, kind=old.kind)
    if isinstance(chosen, web.Response):
        return chosen
    _, slot = chosen
    moved = await store.run(lambda _r: appointments.move(
        appointment_id, body["conversation_id"], slot.start, slot.end, slot.seats))
    if moved is None:
        return json_error(409, "slot_taken")
    log.info("appointment %d moved to %d", appointment_id, moved.id)
    return web.json_response({"appointment": await _with_reminder(request, moved)}, dumps=dumps)


async def api_followup(request: web.Request) -> web.Response:
    """``{"conversation_id", "outcome": deja_fait|pas_reussi|besoin_aide}``."""
    body = await _body(request)
    if isinstance(body, web.Response):
        return body
    outcome = body.get("outcome")
    if outcome not in OUTCOMES:
        return json_error(422, "invalid_request", field="outcome")
    followups: Followups = request.app["followups"]
    dossier_id = request.match_info["dossier_id"]
    stored = await request.app["store"].run(
        lambda _r: followups.answer(dossier_id, body["conversation_id"], outcome))
    if not stored:
        return json_error(404, "not_found")
    log.info("follow-up answered: %s", outcome)
    return web.json_response({"outcome": outcome}, dumps=dumps)


async def api_run_jobs(request: web.Request) -> web.Response:
    """Runs the scheduled messages now (``python -m bot.appointments.jobs``, or cron).

    ``{"now": "2026-12-01T10:00:00+01:00"}`` runs them as of that moment: what a test or an
    operator replaying a missed morning needs; claims still make each message go out once.
    """
    if not authorised(request):
        return json_error(403, "forbidden")
    try:
        body = json.loads(await request.read() or b"{}")
        now = _utc(body.get("now")) if isinstance(body, dict) and body.get("now") else None
    except ValueError:
        return json_error(422, "invalid_request", field="now")
    jobs = request.app["jobs"]
    report = await jobs.run_due(now or request.app["appointments"].clock())
    return web.json_response(report.as_json(), dumps=dumps)


def _utc(text: object) -> datetime:
    if not isinstance(text, str):
        raise ValueError("now must be a string")
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("now needs its time zone")
    return moment.astimezone(timezone.utc).replace(tzinfo=None)
