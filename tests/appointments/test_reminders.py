"""The reminder the day before at 10:00 Paris time: once, on the resident's channel, answerable.

Real gateways (in-process) share one store; Twilio's REST API is a fake that records what
would reach the resident's phone.
"""

from __future__ import annotations

import asyncio
import re
from datetime import datetime
from urllib.parse import urlencode

from twilio.request_validator import RequestValidator

from bot.identity import conversation_id
from tests.appointments.conftest import PUBLIC_URL, SECRET_KEY, WEB_RESIDENT
from tests.channels.conftest import twilio_form
from tests.channels.fakes import TWILIO_TOKEN

BOOKED_AT = datetime(2026, 11, 27, 9, 0)  # Friday, before the reminders of Monday
SLOT = "ecrivain_public@20261201T1300Z"  # Tuesday 1 December, 14:00 in Paris
MONDAY_0959 = "2026-11-30T09:59:00+01:00"
MONDAY_1000 = "2026-11-30T10:00:00+01:00"
PHONE = "+33612000001"


async def sms_resident(stack, phone: str = PHONE) -> str:
    identity = await stack.gateway.store(lambda r: r.record_inbound("sms", phone))
    return identity.resident_id


async def book(stack, resident: str, slot: str = SLOT) -> dict:
    status, data = await stack.gateway.api("POST", "/internal/appointments",
                                           {"conversation_id": resident, "slot": slot})
    assert status == 201, data
    return data["appointment"]


async def run_jobs(gateway, now: str) -> dict:
    status, report = await gateway.api("POST", "/internal/jobs/run", {"now": now})
    assert status == 200
    return report


def test_the_reminder_goes_out_at_ten_the_day_before_and_only_once(run_stack):
    async def scenario(stack):
        resident = await sms_resident(stack)
        appointment = await book(stack, resident)
        assert appointment["reminder"] is True
        assert (await run_jobs(stack.gateway, MONDAY_0959))["reminders"] == {}
        assert stack.sms_to(PHONE) == []
        assert (await run_jobs(stack.gateway, MONDAY_1000))["reminders"] == {"sent": 1}
        [body] = stack.sms_to(PHONE)
        assert body.startswith("Rappel : vous avez rendez-vous demain, mardi 1er décembre à "
                               "14 h. Lieu : Écrivain public de la maison de quartier des Tests.")
        assert body.endswith("Vous ne pouvez pas venir ?\n\n1. Annuler\n2. Changer l'heure\n"
                             "Répondez 1 ou 2.")
        assert (await run_jobs(stack.gateway, "2026-11-30T15:00:00+01:00"))["reminders"] == {}
        assert len(stack.sms_to(PHONE)) == 1
    run_stack(scenario, BOOKED_AT)


def test_two_gateways_running_the_job_at_once_send_one_reminder(run_stack):
    async def scenario(stack):
        residents = [await sms_resident(stack, f"+3361200001{i}") for i in range(3)]
        for resident, slot in zip(residents, ("20261201T1300Z", "20261201T1330Z",
                                              "20261201T1400Z"), strict=True):
            await book(stack, resident, f"ecrivain_public@{slot}")
        reports = await asyncio.gather(*(run_jobs(g, MONDAY_1000) for g in stack.gateways
                                         for _ in range(3)))
        assert sum(r["reminders"].get("sent", 0) for r in reports) == 3
        for i in range(3):
            assert len(stack.sms_to(f"+3361200001{i}")) == 1
    run_stack(scenario, BOOKED_AT, gateways=2)


def test_a_web_chat_resident_sees_the_reminder_once_on_their_next_visit(run_stack):
    async def scenario(stack):
        visitor = conversation_id(SECRET_KEY, "web", "visitor-1")
        appointment = await book(stack, visitor)
        assert appointment["reminder"] is False
        assert (await run_jobs(stack.gateway, MONDAY_1000))["reminders"] == {"no_channel": 1}
        assert stack.twilio.calls == []
        stack.clock.now = datetime(2026, 11, 30, 17, 0)  # Monday evening, the chat is opened

        async def poll(sender: str) -> list[dict]:
            response = await stack.gateway.client.get(
                "/web/messages", params={"after": "0"}, headers={"X-Relais-Sender": sender})
            assert response.status == 200
            return (await response.json())["messages"]

        assert await poll("someone-else") == []
        reminder, choices = await poll("visitor-1")
        assert reminder == {"from": "bot", "text": "Rappel : vous avez rendez-vous le mardi "
                            "1er décembre à 14 h. Lieu : Écrivain public de la maison de "
                            "quartier des Tests."}
        assert [b["title"] for b in choices["buttons"]] == ["Annuler", "Changer l'heure"]
        assert await poll("visitor-1") == []  # shown once
        status = await stack.gateway.store(
            lambda _r: stack.gateway.app["appointments"].reminder_status(appointment["id"]))
        assert status == "shown_web"
    run_stack(scenario, BOOKED_AT)


def test_an_appointment_booked_after_ten_the_day_before_gets_no_reminder(run_stack):
    async def scenario(stack):
        stack.clock.now = datetime(2026, 11, 30, 13, 0)  # Monday 14:00: just confirmed
        await book(stack, await sms_resident(stack))
        assert (await run_jobs(stack.gateway, "2026-11-30T14:01:00+01:00"))["reminders"] == {}
    run_stack(scenario, BOOKED_AT)


def test_a_cancelled_appointment_is_not_reminded(run_stack):
    async def scenario(stack):
        resident = await sms_resident(stack)
        appointment = await book(stack, resident)
        await stack.gateway.api("POST", f"/internal/appointments/{appointment['id']}/cancel",
                                {"conversation_id": resident})
        assert (await run_jobs(stack.gateway, MONDAY_1000))["reminders"] == {}
    run_stack(scenario, BOOKED_AT)


def test_answering_1_to_the_reminder_asks_rasa_to_cancel_that_appointment(run_stack):
    async def scenario(stack):
        resident = await sms_resident(stack)
        appointment = await book(stack, resident)
        await run_jobs(stack.gateway, MONDAY_1000)
        form = twilio_form("SM" + "7" * 32, PHONE, "1")
        path = "/channels/twilio/sms"
        signature = RequestValidator(TWILIO_TOKEN).compute_signature(PUBLIC_URL + path, form)
        response = await stack.gateway.client.post(path, data=urlencode(form), headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": signature})
        assert response.status == 200
        for _ in range(100):
            if stack.rasa_messages:
                break
            await asyncio.sleep(0.05)
        assert stack.rasa_messages == [
            (resident, f'/appointment_cancel{{"appointment_id":"{appointment["id"]}"}}')]
    run_stack(scenario, BOOKED_AT)


def test_the_day_page_is_for_agents_and_shows_their_permanence(run_stack):
    async def scenario(stack):
        gateway = stack.gateway
        handoffs = gateway.app["handoffs"]
        for username, role, speciality in (("amina", "agent", "ecrivain_public"),
                                           ("bruno", "agent", "travailleur_social"),
                                           ("chef", "supervisor", None),
                                           ("commission", "commission", None)):
            await gateway.store(lambda _r, u=username, r=role, s=speciality:
                                handoffs.add_user(u, u.capitalize(), r, s,
                                                  "un mot de passe assez long"))
        await book(stack, await sms_resident(stack))
        await book(stack, WEB_RESIDENT, "ecrivain_public@20261201T1330Z")
        await run_jobs(gateway, MONDAY_1000)
        client = gateway.client
        response = await client.get("/console/day?date=2026-12-01", allow_redirects=False)
        assert (response.status, response.headers["Location"]) == (302, "/console/login")

        async def page_for(username: str) -> tuple[int, str]:
            client.session.cookie_jar.clear()
            login = await client.get("/console/login")
            token = re.search(r'name="csrf" value="([^"]+)"', await login.text()).group(1)
            login = await client.post("/console/login", data={
                "csrf": token, "username": username, "password": "un mot de passe assez long"},
                allow_redirects=False)
            # The session cookie is Secure (RELAIS_PUBLIC_URL is https): sent by hand here.
            session = login.cookies["relais_console"].value
            client.session.cookie_jar.clear()
            response = await client.get("/console/day?date=2026-12-01",
                                        headers={"Cookie": f"relais_console={session}"})
            return response.status, await response.text()

        status, page = await page_for("amina")
        assert status == 200
        assert "Rendez-vous du mardi 01/12/2026" in page
        rows = re.findall(r"<tr class=\"status-booked\">(.*?)</tr>", page)
        assert len(rows) == 2
        assert ">14 h<" in rows[0] and "Envoyé" in rows[0]
        assert ">14 h 30<" in rows[1] and "Non envoyé : chat web, pas de canal" in rows[1]
        assert PHONE not in page
        status, page = await page_for("bruno")  # a social worker: the CCAS's day, empty
        assert status == 200 and "Aucun rendez-vous ce jour-là." in page
        status, page = await page_for("chef")
        assert len(re.findall(r"<tr class=\"status-booked\">", page)) == 2
        status, _ = await page_for("commission")
        assert status == 403
    run_stack(scenario, BOOKED_AT)
