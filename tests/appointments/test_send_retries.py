"""A reminder or a follow-up the provider refused is sent again by the next run, at most
three tries, and never again once it went out.

Real gateways (in-process) share one store; the fake Twilio API refuses the next messages when
told to (an outage), and records only what reached the resident's phone.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from sqlalchemy import create_engine, text

from bot.store import migrations
from bot.store.appointments import Appointments
from bot.store.claims import MAX_SENDS
from tests.appointments.test_followups import PHONE as FOLLOWUP_PHONE
from tests.appointments.test_followups import produced_dossier
from tests.appointments.test_followups import run_jobs as run_followups
from tests.appointments.test_reminders import BOOKED_AT, PHONE, book, run_jobs, sms_resident


def paris_monday(minute: int) -> str:
    return f"2026-11-30T10:{minute:02d}:00+01:00"


async def reminder_status(stack, appointment: dict) -> str | None:
    appointments = stack.gateway.app["appointments"]
    return await stack.gateway.store(lambda _r: appointments.reminder_status(appointment["id"]))


def test_a_refused_reminder_goes_out_at_the_next_run_and_only_once(run_stack):
    async def scenario(stack):
        appointment = await book(stack, await sms_resident(stack))
        stack.twilio.refusals = 1
        assert (await run_jobs(stack.gateway, paris_monday(0)))["reminders"] == {"failed": 1}
        assert stack.sms_to(PHONE) == [] and len(stack.twilio.refused) == 1
        assert (await run_jobs(stack.gateway, paris_monday(1)))["reminders"] == {"sent": 1}
        assert len(stack.sms_to(PHONE)) == 1
        assert (await run_jobs(stack.gateway, paris_monday(2)))["reminders"] == {}
        assert len(stack.sms_to(PHONE)) == 1
        assert await reminder_status(stack, appointment) == "sent"
    run_stack(scenario, BOOKED_AT)


def test_a_reminder_is_tried_three_times_then_given_up(run_stack):
    async def scenario(stack):
        appointment = await book(stack, await sms_resident(stack))
        stack.twilio.refusals = 100
        reports = [await run_jobs(stack.gateway, paris_monday(minute)) for minute in range(5)]
        assert [r["reminders"] for r in reports] == [{"failed": 1}] * MAX_SENDS + [{}] * 2
        assert len(stack.twilio.refused) == MAX_SENDS and stack.sms_to(PHONE) == []
        stack.twilio.refusals = 0  # the provider is back: the reminder was given up
        assert (await run_jobs(stack.gateway, paris_monday(6)))["reminders"] == {}
        assert await reminder_status(stack, appointment) == "failed"
        assert stack.sms_to(PHONE) == []
    run_stack(scenario, BOOKED_AT)


def test_two_gateways_retrying_a_refused_reminder_send_it_once(run_stack):
    async def scenario(stack):
        await book(stack, await sms_resident(stack))
        stack.twilio.refusals = 1
        await run_jobs(stack.gateway, paris_monday(0))
        reports = await asyncio.gather(*(run_jobs(g, paris_monday(1)) for g in stack.gateways
                                         for _ in range(3)))
        assert sum(r["reminders"].get("sent", 0) for r in reports) == 1
        assert len(stack.sms_to(PHONE)) == 1
    run_stack(scenario, BOOKED_AT, gateways=2)


def test_a_refused_followup_is_asked_at_the_next_run_and_only_once(run_stack):
    async def scenario(stack):
        start = datetime.utcnow()
        await produced_dossier(stack)
        stack.twilio.refusals = 1
        later = start + timedelta(days=6)
        assert await run_followups(stack.gateway, later) == {"failed": 1}
        assert stack.sms_to(FOLLOWUP_PHONE) == []
        assert await run_followups(stack.gateway, later + timedelta(minutes=1)) == {"sent": 1}
        assert await run_followups(stack.gateway, later + timedelta(minutes=2)) == {}
        assert len(stack.sms_to(FOLLOWUP_PHONE)) == 1
    run_stack(scenario, datetime.utcnow())


def test_a_store_from_before_the_attempts_column_gets_it_and_counts_old_failures_once(
        database_url):
    engine = create_engine(database_url, future=True)
    migrations.migrate(engine, target=5)
    with engine.begin() as connection:  # the two tables as migration 4 built them
        connection.execute(text("ALTER TABLE appointment_reminders DROP COLUMN attempts"))
        connection.execute(text("ALTER TABLE dossier_followups DROP COLUMN attempts"))
    clock = lambda: datetime(2026, 11, 30, 9, 0)  # noqa: E731
    appointments = Appointments(engine, clock)
    appointment = appointments.book("r" * 32, "ecrivain_public", "ecrivain_public",
                                    datetime(2026, 12, 1, 13, 0), datetime(2026, 12, 1, 13, 30), 1)
    with engine.begin() as connection:  # a reminder that failed before version 6
        connection.execute(text(
            "INSERT INTO appointment_reminders (appointment_id, resident_id, claimed_by, "
            "claimed_at, status) VALUES (:a, :r, 'old', '2026-11-30 09:00:00', 'failed')"),
            {"a": appointment.id, "r": appointment.resident_id})
    assert migrations.migrate(engine) == [6]
    assert appointments.claim_reminder(appointment, "new") is True  # the second try
    assert appointments.claim_reminder(appointment, "other") is False  # held until it ends
    appointments.finish_reminder(appointment.id, "failed")
    assert appointments.claim_reminder(appointment, "new") is True  # the third and last
    appointments.finish_reminder(appointment.id, "failed")
    assert appointments.claim_reminder(appointment, "new") is False
    with engine.connect() as connection:
        assert connection.execute(text("SELECT attempts FROM appointment_reminders")).scalar() \
            == MAX_SENDS
    engine.dispose()
