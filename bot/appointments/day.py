"""``/console/day``: an agent's appointments of the day (role-protected, like every page).

An agent sees the permanences of their speciality (a public writer the public writer's, a
social worker the CCAS's); a supervisor sees them all. Residents are shown by appointment
number only: the page is for planning the day, the conversation is in the queue.
"""

from __future__ import annotations

import html
from datetime import date, datetime, time, timedelta

from aiohttp import web

from bot.appointments.french import time_words
from bot.appointments.permanences import (
    KIND_LABELS,
    KINDS,
    paris_to_utc,
    place,
    utc_to_paris,
)
from bot.console import auth
from bot.console.page import html_page, topbar
from bot.store.handoff import ConsoleSession
from commune.hours import DAYS

DAY_PATH = "/console/day"
STATUS_LABELS = {"booked": "Confirmé", "cancelled": "Annulé par le résident",
                 "moved": "Déplacé"}
REMINDER_LABELS = {None: "Pas encore envoyé", "claimed": "En cours d'envoi", "sent": "Envoyé",
                   "template": "Envoyé (modèle WhatsApp)",
                   "window_closed": "Non envoyé : fenêtre WhatsApp fermée",
                   "opted_out": "Non envoyé : le résident a écrit STOP",
                   "failed": "Échec de l'envoi",
                   "no_channel": "Non envoyé : chat web, pas de canal",
                   "shown_web": "Vu sur le chat web"}


def setup_day(app: web.Application) -> None:
    app.router.add_get(DAY_PATH, day_page)


def _kinds_for(session: ConsoleSession) -> tuple[str, ...] | None:
    """None (every kind) for a supervisor; the speciality's permanences for an agent."""
    if session.user.role == "supervisor":
        return None
    return tuple(k for k, speciality in KINDS.items() if speciality == session.user.speciality)


@auth.page(auth.AGENT_ROLES)
async def day_page(request: web.Request) -> web.Response:
    session: ConsoleSession = request["console"]
    appointments = request.app["appointments"]
    today = utc_to_paris(appointments.clock()).date()
    try:
        day = date.fromisoformat(request.query.get("date", "")) if "date" in request.query \
            else today
    except ValueError:
        day = today
    start = paris_to_utc(datetime.combine(day, time(0, 0)))
    end = paris_to_utc(datetime.combine(day + timedelta(days=1), time(0, 0)))
    kinds = _kinds_for(session)
    rows = await request.app["store"].run(lambda _r: appointments.between(start, end, kinds))
    commune = request.app["commune"]
    lines = []
    for a in rows:
        where = place(commune, a.place_id)
        name = where.name if where and where.name else KIND_LABELS.get(a.kind, a.place_id)
        lines.append(
            f'<tr class="status-{a.status}"><td class="time">{time_words(a.start_at)}</td>'
            f"<td>{html.escape(KIND_LABELS.get(a.kind, a.kind))}</td>"
            f"<td>{html.escape(name)}</td><td>Rendez-vous n° {a.id}</td>"
            f"<td>{STATUS_LABELS.get(a.status, a.status)}</td>"
            f"<td>{REMINDER_LABELS.get(a.reminder, a.reminder)}</td></tr>")
    table = (
        '<table class="day-table"><thead><tr><th>Heure</th><th>Permanence</th><th>Lieu</th>'
        "<th>Résident</th><th>Statut</th><th>Rappel la veille</th></tr></thead><tbody>"
        + "".join(lines) + "</tbody></table>"
        if lines else '<p class="empty">Aucun rendez-vous ce jour-là.</p>')
    previous, following = day - timedelta(days=1), day + timedelta(days=1)
    title = f"{DAYS[day.weekday()]} {day.day:02d}/{day.month:02d}/{day.year}"
    body = (
        f'<body class="app">{topbar(session)}<main class="day"><nav class="day-nav">'
        f'<a href="{DAY_PATH}?date={previous.isoformat()}">← Veille</a>'
        f"<h2>Rendez-vous du {html.escape(title)}</h2>"
        f'<a href="{DAY_PATH}?date={following.isoformat()}">Lendemain →</a></nav>'
        f'<p class="muted">Heure de Paris · <a href="{DAY_PATH}">Aujourd\'hui</a></p>'
        f"{table}</main></body>"
    )
    return html_page(body, "Rendez-vous du jour")
