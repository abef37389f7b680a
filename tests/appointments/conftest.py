"""Gateways in-process on one store, with the fictitious commune, a fake Rasa, a fake Twilio
API (the reminder's SMS is read there) and a clock the tests move."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.config import Settings
from bot.gateway import create_app
from bot.identity import internal_token
from tests.channels.fakes import TWILIO_SID, TWILIO_TOKEN, FakeServer, fake_twilio

FICTIVE_COMMUNE = Path(__file__).parent / "commune_fictive.yml"
SECRET_KEY = "appointment-tests-secret-key"
PASSWORD = "un mot de passe assez long"
PUBLIC_URL = "https://relais.example.org"
SMS_FROM = "+33700000001"
AUTH = {"Authorization": "Bearer " + internal_token(SECRET_KEY)}
WEB_RESIDENT = "a" * 32  # a conversation of the local web chat: no channel identity


class FakeClock:
    """Naive UTC that only moves when a test says so."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Gateway:
    client: TestClient
    app: web.Application

    async def api(self, method: str, path: str, body: dict | None = None, **params: str):
        response = await self.client.request(method, path, json=body, params=params,
                                             headers=AUTH)
        return response.status, await response.json()

    async def store(self, call):
        return await self.app["store"].run(call)


@dataclass
class Stack:
    gateways: list[Gateway]
    clock: FakeClock
    twilio: FakeServer
    rasa_messages: list[tuple[str, str]] = field(default_factory=list)

    @property
    def gateway(self) -> Gateway:
        return self.gateways[0]

    def sms_to(self, phone: str) -> list[str]:
        return [c.form["Body"] for c in self.twilio.matching(lambda c: c.form.get("To") == phone)]


def _fake_rasa(messages: list[tuple[str, str]]) -> web.Application:
    async def webhook(request: web.Request) -> web.Response:
        body = await request.json()
        messages.append((body["sender"], body["message"]))
        return web.json_response([{"recipient_id": body["sender"], "text": "D'accord."}])

    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", webhook)
    return app


@pytest.fixture
def run_stack(tmp_path, monkeypatch) -> Callable[..., None]:
    """``run_stack(scenario, now=…, gateways=1)``: gateways sharing one store and one clock."""
    for name in ("TELEGRAM_BOT_TOKEN", "RELAIS_DATABASE_URL", "RELAIS_ENV",
                 "TWILIO_WHATSAPP_FROM", "TWILIO_WHATSAPP_TEMPLATE_SID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RELAIS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("RELAIS_SECRET_KEY", SECRET_KEY)
    monkeypatch.setenv("RELAIS_RASA_TOKEN", "rasa-token")
    monkeypatch.setenv("RELAIS_COMMUNE_FILE", str(FICTIVE_COMMUNE))
    monkeypatch.setenv("RELAIS_PUBLIC_URL", PUBLIC_URL)
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", TWILIO_SID)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", TWILIO_TOKEN)
    monkeypatch.setenv("TWILIO_SMS_FROM", SMS_FROM)
    twilio = fake_twilio()
    monkeypatch.setenv("TWILIO_API_BASE_URL", twilio.url)

    def run(scenario: Callable[[Stack], Awaitable[None]], now: datetime,
            gateways: int = 1) -> None:
        async def main() -> None:
            messages: list[tuple[str, str]] = []
            rasa = TestServer(_fake_rasa(messages), host="127.0.0.1")
            await rasa.start_server()
            monkeypatch.setenv("RELAIS_RASA_PORT", str(rasa.port))
            clock = FakeClock(now)
            started: list[Gateway] = []
            try:
                for _ in range(gateways):
                    app = create_app(Settings.from_env(), clock=clock)
                    client = TestClient(TestServer(app, host="127.0.0.1"))
                    await client.start_server()
                    started.append(Gateway(client, app))
                await scenario(Stack(started, clock, twilio, messages))
            finally:
                for gateway in started:
                    await gateway.client.close()
                await rasa.close()
        asyncio.run(main())

    yield run
    twilio.stop()
