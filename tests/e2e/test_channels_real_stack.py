"""SMS then WhatsApp with the real assistant: the conversation keeps its state across both.

The whole stack is started as `make run` starts it (real Rasa with the trained model, action
server, eligibility service, gateway); only Twilio's REST API is a fake on loopback, so the
test reads exactly what would be sent to the resident's phone.
"""

from __future__ import annotations

import io
import urllib.request
from urllib.parse import urlencode

import pytest
from pypdf import PdfReader
from twilio.request_validator import RequestValidator

from bot.store.repository import default_database_url, open_repository
from tests.channels.conftest import raw_post, twilio_form
from tests.channels.fakes import TWILIO_SID, TWILIO_TOKEN, fake_twilio
from tests.processes import http, relais_env, running_relais

PUBLIC_URL = "https://relais.example.org"
SECRET_KEY = "e2e-channels-secret"
PHONE = "+33633000001"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("relais-channels")
    twilio = fake_twilio()
    env = relais_env(data_dir)
    env.update({
        "RELAIS_SECRET_KEY": SECRET_KEY, "RELAIS_RASA_TOKEN": "e2e-rasa-token",
        "RELAIS_PUBLIC_URL": PUBLIC_URL,
        "TWILIO_ACCOUNT_SID": TWILIO_SID, "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
        "TWILIO_SMS_FROM": "+33700000001", "TWILIO_WHATSAPP_FROM": "whatsapp:+33700000002",
        "TWILIO_API_BASE_URL": twilio.url,
    })
    try:
        with running_relais(env, data_dir):
            yield env, data_dir, twilio
    finally:
        twilio.stop()


def post_signed(env, path: str, form: dict[str, str]) -> int:
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(PUBLIC_URL + path, form)
    url = f"http://127.0.0.1:{env['RELAIS_GATEWAY_PORT']}{path}"
    return raw_post(url, urlencode(form).encode(), {
        "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature,
    })[0]


def test_a_conversation_started_by_sms_continues_on_whatsapp(stack):
    env, data_dir, twilio = stack
    assert post_signed(env, "/channels/twilio/sms",
                       twilio_form("SM" + "1" * 32, PHONE, "bonjour")) == 200
    [sms] = twilio.wait_for(lambda c: c.form.get("To") == PHONE, 1, timeout=60)
    assert sms.form["Body"].startswith("Bonjour, je suis Relais.")
    assert sms.form["Body"].endswith("1. Ce que vous savez faire\nRépondez 1.")

    # The same person answers "1" from WhatsApp: the choice offered by SMS is understood.
    assert post_signed(env, "/channels/twilio/whatsapp",
                       twilio_form("SM" + "2" * 32, f"whatsapp:{PHONE}", "1")) == 200
    whatsapp = twilio.wait_for(lambda c: c.form.get("To") == f"whatsapp:{PHONE}", 1,
                               timeout=60)
    assert "à quelles aides vous avez droit" in whatsapp[0].form["Body"]
    assert all(c.form["From"] == "whatsapp:+33700000002" for c in whatsapp)

    # One Rasa conversation, under the resident's pseudonym, holds both messages.
    repo = open_repository(default_database_url(data_dir), SECRET_KEY, data_dir)
    resident = repo.find_identity("sms", PHONE).resident_id
    assert repo.find_identity("whatsapp", PHONE).resident_id == resident
    rasa = f"http://127.0.0.1:{env['RELAIS_RASA_PORT']}"
    status, tracker = http("GET", f"{rasa}/conversations/{resident}/tracker?token="
                                  f"{env['RELAIS_RASA_TOKEN']}")
    assert status == 200
    said = [e.get("text") for e in tracker["events"] if e.get("event") == "user"]
    assert said == ["bonjour", "/capabilities"]
    assert PHONE.encode() not in (data_dir / "rasa-tracker.db").read_bytes()


class SmsResident:
    """A resident writing by SMS; ``say`` waits for the answer Twilio is asked to send."""

    def __init__(self, env, twilio, phone: str):
        self.env, self.twilio, self.phone = env, twilio, phone
        self._sids = iter(range(10**6))

    def _sent(self) -> list[str]:
        to_me = self.twilio.matching(lambda c: c.form.get("To") == self.phone)
        return [c.form["Body"] for c in to_me]

    def say(self, text: str, expected: str) -> list[str]:
        before = len(self._sent())
        sid = f"SM{int(self.phone[1:]):020d}{next(self._sids):012d}"
        assert post_signed(self.env, "/channels/twilio/sms",
                           twilio_form(sid, self.phone, text)) == 200
        self.twilio.wait_for(lambda c: c.form.get("To") == self.phone
                             and expected in c.form.get("Body", ""), 1, timeout=90)
        return self._sent()[before:]


def test_by_sms_a_confirmed_request_sends_a_link_to_the_residents_pdf(stack):
    env, _, twilio = stack
    resident = SmsResident(env, twilio, "+33633000002")
    resident.say("je veux préparer ma demande", "Quelle demande")
    for text, expected in [("Mutuelle communale", "nom de famille"), ("Okafor", "prénom"),
                           ("Chidinma", "date de naissance"), ("04/07/1962", "adresse"),
                           ("9 rue Lépine 93500 Pantin", "Combien de personnes"),
                           ("1", "votre droit"), ("Oui", "Vérifiez-les")]:
        resident.say(text, expected)
    sent = resident.say("C'est juste", "Je vous ai envoyé")
    # The link comes in time (not after the action server gave up), with no failure said.
    assert not any("Je n'arrive pas" in body for body in sent), sent
    link = next(w for body in sent for w in body.split() if "/channels/files/" in w)
    assert link.startswith(PUBLIC_URL)
    local = f"http://127.0.0.1:{env['RELAIS_GATEWAY_PORT']}" + link.removeprefix(PUBLIC_URL)
    with urllib.request.urlopen(local, timeout=30) as response:
        data = response.read()
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "Okafor" in text and "Chidinma" in text and "04/07/1962" in text
