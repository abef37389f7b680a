"""A reminder or a follow-up the provider refused is sent again once a wait is over (longer
after each try), at most ``MAX_SENDS`` tries, and never again once it went out.

Real gateways (in-process) share one store; the fake Twilio API refuses the next messages when
told to (an outage), and records only what reached the resident's phone.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from sqlalchemy import create_engine, text

from bot.store import migrations
from bot.store.appointments import Appointments
from bot.store.claims import MAX_SENDS, RETRY_AFTER
from tests.appointments.test_followups import PHONE as FOLLOWUP_PHONE
from tests.appointments.test_followups import produced_dossier
from tests.appointments.test_followups import run_jobs as run_followups
from tests.appointments.test_reminders import BOOKED_AT, PHONE, book, run_jobs, sms_resident

MINUTE = timedelta(minutes=1)
TEN_PARIS = datetime.fromisoformat("2026-11-30T10:00:00+01:00")  # the reminders' moment


def paris_monday(after: timedelta = timedelta()) -> str:
    return (TEN_PARIS + after).isoformat()


def try_times() -> list[timedelta]:
    """When each try is due after the first one failed at 10:00: the waits add up."""
    times = [timedelta()]
    for wait in RETRY_AFTER:
        times.append(times[-1] + wait)
    return times


async def reminder_status(stack, appointment: dict) -> str | None:
    appointments = stack.gateway.app["appointments"]
    return await stack.gateway.store(lambda _r: appointments.reminder_status(appointment["id"]))


def test_a_refused_reminder_goes_out_once_the_wait_is_over_and_only_once(run_stack):
    async def scenario(stack):
        appointment = await book(stack, await sms_resident(stack))
        stack.twilio.refusals = 1
        assert (await run_jobs(stack.gateway, paris_monday()))["reminders"] == {"failed": 1}
        assert stack.sms_to(PHONE) == [] and len(stack.twilio.refused) == 1
        wait = RETRY_AFTER[0]
        assert (await run_jobs(stack.gateway, paris_monday(wait - MINUTE)))["reminders"] == {}
        assert (await run_jobs(stack.gateway, paris_monday(wait)))["reminders"] == {"sent": 1}
        assert len(stack.sms_to(PHONE)) == 1
        assert (await run_jobs(stack.gateway, paris_monday(4 * wait)))["reminders"] == {}
        assert len(stack.sms_to(PHONE)) == 1
        assert await reminder_status(stack, appointment) == "sent"
    run_stack(scenario, BOOKED_AT)


def test_a_reminder_is_tried_with_longer_and_longer_waits_then_given_up(run_stack):
    async def scenario(stack):
        appointment = await book(stack, await sms_resident(stack))
        stack.twilio.refusals = 100
        for number, due in enumerate(try_times(), start=1):
            if number > 1:  # a minute early: still waiting
                early = await run_jobs(stack.gateway, paris_monday(due - MINUTE))
                assert early["reminders"] == {}, f"try {number} came early"
            report = await run_jobs(stack.gateway, paris_monday(due))
            assert report["reminders"] == {"failed": 1}, f"try {number}"
        assert len(stack.twilio.refused) == MAX_SENDS and stack.sms_to(PHONE) == []
        stack.twilio.refusals = 0  # the provider is back: the reminder was given up
        last = try_times()[-1]
        assert (await run_jobs(stack.gateway, paris_monday(last + 3 * MINUTE)))["reminders"] == {}
        assert await reminder_status(stack, appointment) == "failed"
        assert stack.sms_to(PHONE) == []
    run_stack(scenario, BOOKED_AT)


def test_two_gateways_retrying_a_refused_reminder_send_it_once(run_stack):
    async def scenario(stack):
        await book(stack, await sms_resident(stack))
        stack.twilio.refusals = 1
        await run_jobs(stack.gateway, paris_monday())
        retry = paris_monday(RETRY_AFTER[0])
        reports = await asyncio.gather(*(run_jobs(g, retry) for g in stack.gateways
                                         for _ in range(3)))
        assert sum(r["reminders"].get("sent", 0) for r in reports) == 1
        assert len(stack.sms_to(PHONE)) == 1
    run_stack(scenario, BOOKED_AT, gateways=2)


def test_a_refused_followup_is_asked_once_the_wait_is_over_and_only_once(run_stack):
    async def scenario(stack):
        start = datetime.utcnow()
        await produced_dossier(stack)
        stack.twilio.refusals = 1
        later = start + timedelta(days=6)
        assert await run_followups(stack.gateway, later) == {"failed": 1}
        assert stack.sms_to(FOLLOWUP_PHONE) == []
        wait = RETRY_AFTER[0]
        assert await run_followups(stack.gateway, later + wait - MINUTE) == {}
        assert await run_followups(stack.gateway, later + wait) == {"sent": 1}
        assert await run_followups(stack.gateway, later + 4 * wait) == {}
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
            "claimed_at, status) VALUES (:a, :r, 'old', '2026-11-30 10:00:00', 'failed')"),
            {"a": appointment.id, "r": appointment.resident_id})
    assert migrations.migrate(engine) == [6]
    tries = [datetime(2026, 11, 30, 10, 0) + after for after in try_times()]
    assert appointments.claim_reminder(appointment, "new", tries[1]) is True  # the second try
    assert appointments.claim_reminder(appointment, "other", tries[1]) is False  # held
    appointments.finish_reminder(appointment.id, "failed")
    for moment in tries[2:]:
        assert appointments.claim_reminder(appointment, "new", moment) is True
        appointments.finish_reminder(appointment.id, "failed")
    assert appointments.claim_reminder(appointment, "new", tries[-1] + timedelta(days=1)) \
        is False
    with engine.connect() as connection:
        assert connection.execute(text("SELECT attempts FROM appointment_reminders")).scalar() \
            == MAX_SENDS
    engine.dispose()
