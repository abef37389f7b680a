"""Plugs appointments, reminders and follow-ups into the gateway (after the channels)."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web

from bot.appointments.day import setup_day
from bot.appointments.internal import setup_internal
from bot.appointments.jobs import Jobs
from bot.store.appointments import Appointments
from bot.store.followups import Followups
from bot.store.models import utcnow
from commune import load_commune

log = logging.getLogger("relais.jobs")

JOBS_EVERY_S = 60.0


def setup_appointments(app: web.Application) -> None:
    setup_internal(app)
    setup_day(app)
    app.cleanup_ctx.append(_appointments)


async def _every_minute(app: web.Application) -> None:
    while True:
        try:
            await app["jobs"].run_due(app["appointments"].clock())
        except Exception as exc:  # noqa: BLE001 (retried next minute)
            log.warning("scheduled messages failed: %s", type(exc).__name__)
        await asyncio.sleep(JOBS_EVERY_S)


async def _appointments(app: web.Application):
    store = app["store"]
    clock = app.get("clock") or utcnow
    engine = store.repository.engine
    app["commune"] = load_commune()
    app["appointments"] = Appointments(engine, clock)
    app["followups"] = Followups(engine, clock)
    app["jobs"] = Jobs(store, app["appointments"], app["followups"], app["outbox"],
                       app["offered_buttons"], app["commune"], app["settings"].followup_days)
    # Tests drive the clock and run the jobs themselves (POST /internal/jobs/run).
    task = None if app.get("clock") else asyncio.create_task(_every_minute(app))
    yield
    if task is not None:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
