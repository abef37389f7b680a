"""A resident books a public-service appointment by SMS with the real assistant, and the
reminder job, run as of the day before at 10:00, reminds them; "1" then cancels it.

The whole stack is started as `make run` starts it, with the fictitious commune file (its
permanences are verified); only Twilio's REST API is a fake on loopback.
"""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from datetime import date, datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from twilio.request_validator import RequestValidator

from bot.appointments.french import MONTHS
from tests.appointments.conftest import FICTIVE_COMMUNE
from tests.channels.conftest import new_sid, raw_post, twilio_form
from tests.channels.fakes import TWILIO_SID, TWILIO_TOKEN, fake_twilio
from tests.e2e.browser import Browser, chromium_path
from tests.processes import REPO_ROOT, relais_env, running_relais

PUBLIC_URL = "https://relais.example.org"
PHONE = "+33633000077"
PARIS = ZoneInfo("Europe/Paris")
PASSWORD = "mot de passe de test 2026"
SHOTS = REPO_ROOT / "var" / "test-results" / "console"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("relais-appointments")
    twilio = fake_twilio()
    env = relais_env(data_dir)
    env.update({
        "RELAIS_SECRET_KEY": "e2e-appointments-secret", "RELAIS_RASA_TOKEN": "e2e-rasa-token",
        "RELAIS_PUBLIC_URL": PUBLIC_URL, "RELAIS_COMMUNE_FILE": str(FICTIVE_COMMUNE),
        "TWILIO_ACCOUNT_SID": TWILIO_SID, "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
        "TWILIO_SMS_FROM": "+33700000001", "TWILIO_API_BASE_URL": twilio.url,
    })
    env.pop("TWILIO_WHATSAPP_FROM", None)
    add_user = subprocess.run(
        [sys.executable, "-m", "bot.console.users", "add", "farid", "--name", "Farid Haddad",
         "--role", "agent", "--speciality", "france_services", "--password-stdin"],
        cwd=REPO_ROOT, env=env, input=PASSWORD + "\n", text=True, capture_output=True)
    assert add_user.returncode == 0, add_user.stderr
    try:
        with running_relais(env, data_dir):
            yield env, twilio
    finally:
        twilio.stop()


def sms(env, twilio, text: str) -> str:
    """Sends an SMS from the resident; returns the bot's answer (one SMS body per turn)."""
    before = len(twilio.matching(lambda c: c.form.get("To") == PHONE))
    form = twilio_form(new_sid(), PHONE, text)
    path = "/channels/twilio/sms"
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(PUBLIC_URL + path, form)
    status, _ = raw_post(f"http://127.0.0.1:{env['RELAIS_GATEWAY_PORT']}{path}",
                         urlencode(form).encode(), {
                             "Content-Type": "application/x-www-form-urlencoded",
                             "X-Twilio-Signature": signature})
    assert status == 200
    calls = twilio.wait_for(lambda c: c.form.get("To") == PHONE, before + 1, timeout=90)
    return calls[before].form["Body"]


def offered_dates(body: str) -> list[tuple[int, date]]:
    """The numbered choices "2. jeudi 3 décembre à 9 h 45" as (number, date)."""
    today = datetime.now(PARIS).date()
    found = []
    for number, day, month in re.findall(r"^(\d)\. \w+ (\d+)(?:er)? (\w+) à", body, re.M):
        moment = date(today.year, MONTHS.index(month) + 1, int(day))
        if moment < today:
            moment = moment.replace(year=today.year + 1)
        found.append((int(number), moment))
    return found


def test_a_resident_books_by_sms_and_is_reminded_the_day_before(stack):
    env, twilio = stack
    body = sms(env, twilio, "je veux un rendez-vous avec un conseiller france services")
    assert body.startswith("Voici les prochains créneaux libres avec un conseiller France "
                           "services. Lequel vous convient ?")
    choices = offered_dates(body)
    assert choices, body
    # A slot at least two days ahead, so that its reminder moment is still to come.
    today = datetime.now(PARIS).date()
    number, day = next((n, d) for n, d in choices if d >= today + timedelta(days=2))
    confirmation = sms(env, twilio, str(number))
    assert confirmation.startswith("C'est noté : rendez-vous avec un conseiller France "
                                   f"services le {day_text(day)} à ")
    assert "Lieu : France services de Fictiville. L'adresse est à confirmer auprès du CCAS." \
        in confirmation
    assert "Je vous enverrai un rappel la veille." in confirmation

    eve = datetime.combine(day - timedelta(days=1), datetime.min.time(), PARIS)
    sent_before = len(twilio.matching(lambda c: c.form.get("To") == PHONE))
    for _ in range(2):  # run twice: the second run finds the reminder already claimed
        job = subprocess.run([sys.executable, "-m", "bot.appointments.run_jobs", "--now",
                              eve.replace(hour=10).isoformat()], cwd=REPO_ROOT, env=env,
                             capture_output=True, text=True, timeout=120)
        assert job.returncode == 0, job.stderr
    reminders = twilio.matching(lambda c: c.form.get("To") == PHONE)[sent_before:]
    assert len(reminders) == 1
    assert reminders[0].form["Body"].startswith(
        f"Rappel : vous avez rendez-vous demain, {day_text(day)} à ")
    assert "1. Annuler\n2. Changer l'heure" in reminders[0].form["Body"]

    if chromium_path() is not None:
        page = asyncio.run(agents_day(env, day))
        assert "Envoyé" in page and "Rendez-vous n°" in page and PHONE not in page

    cancelled = sms(env, twilio, "1")
    assert cancelled.startswith(f"Votre rendez-vous du {day_text(day)} à ")
    assert cancelled.rstrip().endswith("est annulé.")


async def agents_day(env, day: date) -> str:
    """The France services advisor's day, in a real Chromium; kept as a screenshot."""
    url = f"http://127.0.0.1:{env['RELAIS_GATEWAY_PORT']}"
    async with Browser() as browser:
        page = await browser.new_page()
        await page.goto(url + "/console/login")
        await page.js("document.getElementById('username').value = 'farid';"
                      f"document.getElementById('password').value = {PASSWORD!r};"
                      "document.querySelector('form').requestSubmit(); true")
        await page.wait_for("location.pathname !== '/console/login'", 20)
        await page.goto(f"{url}/console/day?date={day.isoformat()}")
        assert await page.wait_for("document.querySelector('.day-table') !== null", 20)
        SHOTS.mkdir(parents=True, exist_ok=True)
        await page.screenshot(SHOTS / "12-agents-day.png")
        return await page.js("document.body.innerText")


def day_text(day: date) -> str:
    weekdays = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
    number = "1er" if day.day == 1 else str(day.day)
    return f"{weekdays[day.weekday()]} {number} {MONTHS[day.month - 1]}"
