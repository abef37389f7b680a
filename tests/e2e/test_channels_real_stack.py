"""SMS then WhatsApp with the real assistant: the conversation keeps its state across both.

The whole stack is started as `make run` starts it (real Rasa with the trained model, action
server, eligibility service, gateway); only Twilio's REST API is a fake on loopback, so the
test reads exactly what would be sent to the resident's phone.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
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
