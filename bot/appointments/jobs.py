"""The scheduled messages: appointment reminders and dossier follow-ups.

Every gateway runs ``Jobs.run_due`` each minute. Whatever the number of gateways, a reminder
or a follow-up is sent by the one that inserts its claim row first (``bot.store.appointments``,
``bot.store.followups``); one the provider refused is tried again by the next run, three
tries at most (``bot.store.claims``). A reminder goes out the day before the appointment
from 10:00 Paris time, on the channel the resident last wrote from, through the Outbox (STOP,
WhatsApp's 24-hour window). A resident of the local web chat has no channel the town can
write to first: the claim records ``no_channel``, and the chat page shows the reminder the next
time it polls (``web_reminders``) while the appointment is still to come.
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from bot.appointments.french import day_words, time_words
from bot.appointments.permanences import KIND_LABELS, paris_to_utc, place, utc_to_paris
from bot.rasa_client import BotMessage
from bot.responses import render
from bot.store.appointments import Appointment, Appointments
from bot.store.followups import Followups
from bot.store.repository import AsyncStore

log = logging.getLogger("relais.jobs")

REMINDER_TIME = time(10, 0)  # Paris time, the day before
RIGHT_LABELS = {"css": "complémentaire santé solidaire", "logement_social": "logement social",
                "mutuelle_communale": "mutuelle communale",
                "caisse_sociale_alimentaire": "caisse sociale alimentaire"}


def worker_name() -> str:
    """Which process claimed a row: enough to tell two gateways apart in the store."""
    return f"{socket.gethostname()}:{os.getpid()}"[:64]


@dataclass
class JobReport:
    reminders: dict[str, int] = field(default_factory=dict)
    followups: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict:
        return {"reminders": self.reminders, "followups": self.followups}


def reminder_window(now: datetime) -> tuple[datetime, datetime, datetime] | None:
    """(tomorrow's start, its end, today's reminder moment), all naive UTC, once it is 10:00
    in Paris; None before."""
    local = utc_to_paris(now)
    if local.time() < REMINDER_TIME:
        return None
    today = local.date()
    tomorrow = today + timedelta(days=1)
    start = paris_to_utc(datetime.combine(tomorrow, time(0, 0)))
    end = paris_to_utc(datetime.combine(tomorrow + timedelta(days=1), time(0, 0)))
    moment = paris_to_utc(datetime.combine(today, REMINDER_TIME))
    return start, end, moment


def appointment_values(appointment: Appointment, commune: dict[str, Any]) -> dict[str, str]:
    """What the reminder and the confirmation fill in: the day, the time, the place."""
    where = place(commune, appointment.place_id)
    return {"day": day_words(appointment.start_at), "time": time_words(appointment.start_at),
            "place": (where.name if where and where.name else "")
            or KIND_LABELS.get(appointment.kind, appointment.place_id),
            "appointment_id": str(appointment.id)}


class Jobs:
    def __init__(self, store: AsyncStore, appointments: Appointments, followups: Followups,
                 outbox: Any, offered_buttons: Any, commune: dict[str, Any],
                 followup_days: int, worker: str | None = None):
        self._store = store
        self._appointments = appointments
        self._followups = followups
        self._outbox = outbox
        self._offered = offered_buttons
        self._commune = commune
        self._followup_days = followup_days
        self._worker = worker or worker_name()

    async def run_due(self, now: datetime) -> JobReport:
        """Sends every reminder and follow-up due at ``now`` (naive UTC) that no one claimed."""
        report = JobReport()
        window = reminder_window(now)
        if window is not None:
            start, end, moment = window
            due = await self._store.run(
                lambda _r: self._appointments.reminder_candidates(start, end, moment, now))
            for appointment in due:
                claimed = await self._store.run(
                    lambda _r, a=appointment: self._appointments.claim_reminder(
                        a, self._worker, now))
                if not claimed:
                    continue
                status = await self._remind(appointment)
                await self._store.run(lambda _r, a=appointment, s=status:
                                      self._appointments.finish_reminder(a.id, s))
                report.reminders[status] = report.reminders.get(status, 0) + 1
        due_followups = await self._store.run(
            lambda _r: self._followups.due(self._followup_days, now))
        for item in due_followups:
            claimed = await self._store.run(
                lambda _r, i=item: self._followups.claim(i, self._worker, now))
            if not claimed:
                continue
            message = render("utter_followup_question", right=RIGHT_LABELS.get(item.right,
                                                                               item.right),
                             dossier_id=item.dossier_id)
            status = await self._send(item.resident_id, [message])
            await self._store.run(lambda _r, i=item, s=status: self._followups.delivered(
                i.dossier_id, s))
            report.followups[status] = report.followups.get(status, 0) + 1
        if report.reminders or report.followups:
            log.info("jobs: reminders %s, follow-ups %s", report.reminders, report.followups)
        return report

    async def _remind(self, appointment: Appointment) -> str:
        values = appointment_values(appointment, self._commune)
        messages = [render("utter_appointment_reminder", **values),
                    render("utter_appointment_reminder_choices", **values)]
        return await self._send(appointment.resident_id, messages)

    async def web_reminders(self, resident_id: str) -> list[BotMessage]:
        """Reminders that found no channel, for the web chat's next poll; each shown once."""
        due = await self._store.run(
            lambda _r: self._appointments.pending_web_reminders(resident_id))
        messages: list[BotMessage] = []
        for appointment in due:
            shown = await self._store.run(
                lambda _r, a=appointment: self._appointments.mark_shown_on_web(a.id))
            if shown:
                values = appointment_values(appointment, self._commune)
                messages += [render("utter_appointment_reminder_web", **values),
                             render("utter_appointment_reminder_choices", **values)]
        if messages:
            self._offered.remember(resident_id, messages)
        return messages

    async def _send(self, resident_id: str, messages: list[BotMessage]) -> str:
        """On the channel the resident last wrote from; ``no_channel`` for the web chat."""
        identities = await self._store.run(lambda r: r.identities_of(resident_id))
        if not identities:
            return "no_channel"
        latest = max(identities, key=lambda i: i.last_inbound_at or datetime.min)
        try:
            delivery = await self._outbox.send_first(latest.id, messages)
        except Exception as exc:  # noqa: BLE001 (one resident's failure must not stop the rest)
            log.warning("scheduled message failed: %s", type(exc).__name__)
            return "failed"
        if delivery.status == "sent":
            # The resident may answer "1" or "Annuler": their reply maps to these buttons.
            self._offered.remember(resident_id, messages)
        return delivery.status
