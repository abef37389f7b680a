"""A real gateway process wired to fake Rasa, Twilio and Telegram APIs on loopback."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest
from telegram import Update
from twilio.request_validator import RequestValidator

from bot.store.repository import Repository, default_database_url, open_repository
from tests.channels.fakes import (
    TELEGRAM_TOKEN,
    TWILIO_SID,
    TWILIO_TOKEN,
    FakeServer,
    fake_rasa,
    fake_telegram,
    fake_twilio,
)
from tests.processes import free_port, http, relais_env, start_module, wait_until

PUBLIC_URL = "https://relais.example.org"
SECRET_KEY = "channel-tests-secret-key"
TELEGRAM_SECRET = "telegram-webhook-secret_42"
SMS_FROM = "+33700000001"
WHATSAPP_FROM = "whatsapp:+33700000002"
SMS_PATH = "/channels/twilio/sms"
WHATSAPP_PATH = "/channels/twilio/whatsapp"
TELEGRAM_PATH = "/channels/telegram/webhook"


@dataclass
class Gateway:
    url: str
    data_dir: Path
    rasa: FakeServer
    twilio: FakeServer
    telegram: FakeServer
    repo: Repository

    def log(self) -> str:
        return (self.data_dir / "gateway.log").read_text(errors="replace")

    # --- Twilio ------------------------------------------------------------------------

    def twilio_post(self, path: str, params: dict[str, str], *, signature: str | None = None,
                    signed_path: str | None = None) -> tuple[int, bytes]:
        """Posts a form as Twilio does, signed with the twilio library's own code."""
        if signature is None:
            signature = RequestValidator(TWILIO_TOKEN).compute_signature(
                PUBLIC_URL + (signed_path or path), params)
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if signature:
            headers["X-Twilio-Signature"] = signature
        return raw_post(f"{self.url}{path}", urlencode(params).encode(), headers)

    # --- Telegram ----------------------------------------------------------------------

    def telegram_post(self, update: Update | dict, secret: str | None = TELEGRAM_SECRET
                      ) -> tuple[int, bytes]:
        data = update.to_dict() if isinstance(update, Update) else update
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        return raw_post(f"{self.url}{TELEGRAM_PATH}", json.dumps(data).encode(), headers)

    def rasa_messages(self, sender: str | None = None) -> list[tuple[str, str]]:
        calls = self.rasa.matching(lambda c: sender is None or c.json["sender"] == sender)
        return [(c.json["sender"], c.json["message"]) for c in calls]


def raw_post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    """One POST; returns the status and the raw body, 4xx and 5xx included."""
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def twilio_form(sid: str, sender: str, body: str = "", **extra: str) -> dict[str, str]:
    """The fields Twilio posts for an incoming message (see Twilio's webhook reference)."""
    whatsapp = sender.startswith("whatsapp:")
    form = {
        "ToCountry": "FR", "SmsMessageSid": sid, "NumMedia": "0", "SmsSid": sid,
        "SmsStatus": "received", "Body": body, "FromCountry": "FR",
        "To": WHATSAPP_FROM if whatsapp else SMS_FROM, "NumSegments": "1",
        "MessageSid": sid, "AccountSid": TWILIO_SID, "From": sender, "ApiVersion": "2010-04-01",
    }
    if whatsapp:
        form.update(ProfileName="Résidente", WaId=sender.removeprefix("whatsapp:+"))
    form.update(extra)
    return form


_sids = iter(range(1, 10**9))


def new_sid(prefix: str = "SM") -> str:
    return f"{prefix}{time.time_ns() % 10**12:012x}{next(_sids):020x}"


@pytest.fixture(scope="session")
def gateway(tmp_path_factory) -> Gateway:
    data_dir = tmp_path_factory.mktemp("channels")
    rasa, twilio, telegram = fake_rasa(), fake_twilio(), fake_telegram()
    port = free_port()
    env = relais_env(data_dir, gateway=port, rasa=rasa.port)
    env.update({
        "RELAIS_SECRET_KEY": SECRET_KEY,
        "RELAIS_PUBLIC_URL": PUBLIC_URL,
        "TWILIO_ACCOUNT_SID": TWILIO_SID,
        "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
        "TWILIO_SMS_FROM": SMS_FROM,
        "TWILIO_WHATSAPP_FROM": WHATSAPP_FROM,
        "TWILIO_API_BASE_URL": twilio.url,
        "TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN,
        "TELEGRAM_WEBHOOK_SECRET": TELEGRAM_SECRET,
        "TELEGRAM_API_BASE_URL": telegram.url,
    })
    process = start_module("bot.gateway", env, data_dir / "gateway.log")
    url = f"http://127.0.0.1:{port}"
    try:
        assert wait_until(lambda: http("GET", f"{url}/health", timeout=5)[0] != 0, 30), (
            (data_dir / "gateway.log").read_text()
        )
        repo = open_repository(default_database_url(data_dir), SECRET_KEY, data_dir)
        yield Gateway(url, data_dir, rasa, twilio, telegram, repo)
    finally:
        process.terminate()
        process.wait(timeout=15)
        for server in (rasa, twilio, telegram):
            server.stop()
