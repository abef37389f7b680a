"""An in-process gateway with a fake Rasa, a console user per role and a clock tests move."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.config import Settings
from bot.gateway import create_app
from bot.identity import conversation_id, internal_token

SECRET_KEY = "console-tests-secret-key"
PASSWORD = "un mot de passe assez long"
BOT_ANSWER = "Réponse de l'assistant."
ELIGIBILITY_SUMMARY = "Vous avez droit à la CSS gratuite."
ELIGIBILITY_STEPS = "• Plafond pour 3 personnes : 15 633 € par an (depuis le 01/04/2025)"
# What Rasa's tracker holds after an eligibility result, then a request for a person.
TRACKER_EVENTS = [
    {"event": "user", "text": "34, 8, 5", "timestamp": 1763800000.0},
    {"event": "action", "name": "action_eligibility_result", "timestamp": 1763800001.0},
    {"event": "bot", "text": ELIGIBILITY_SUMMARY, "timestamp": 1763800001.5,
     "metadata": {"utter_action": "utter_eligibility_summary"}},
    {"event": "bot", "text": "Voici le calcul :\n" + ELIGIBILITY_STEPS,
     "timestamp": 1763800001.6, "metadata": {"utter_action": "utter_eligibility_calculation"}},
    {"event": "bot", "text": "Vous pouvez aussi vérifier :",
     "timestamp": 1763800001.7, "metadata": {"utter_action": "utter_also_check"}},
    {"event": "action", "name": "action_listen", "timestamp": 1763800002.0},
    {"event": "user", "text": "je veux parler à quelqu'un", "timestamp": 1763800100.0},
    {"event": "bot", "text": "Je transmets votre demande.", "timestamp": 1763800101.0},
]


class FakeClock:
    """Naive UTC that only moves when a test says so."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 22, 9, 0, 0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Stack:
    client: TestClient
    app: web.Application
    clock: FakeClock
    rasa_messages: list[tuple[str, str]] = field(default_factory=list)

    @property
    def handoffs(self):
        return self.app["handoffs"]

    async def escalate(self, sender: str, reason: str, token: str | None = None,
                       headers: dict | None = None):
        cid = conversation_id(SECRET_KEY, "web", sender)
        auth = {"Authorization": "Bearer " + (token or internal_token(SECRET_KEY))}
        return await self.client.post("/internal/handoffs", json={
            "conversation_id": cid, "reason": reason}, headers={**auth, **(headers or {})})

    async def say(self, sender: str, text: str) -> dict:
        response = await self.client.post("/web/messages", json={"sender": sender, "text": text})
        assert response.status == 200, await response.text()
        return await response.json()

    async def login(self, username: str, password: str = PASSWORD) -> str:
        """Logs in through the form; returns the CSRF token of the new session."""
        self.client.session.cookie_jar.clear()
        page = await self.client.get("/console/login")
        form_token = re.search(r'name="csrf" value="([^"]+)"', await page.text()).group(1)
        response = await self.client.post("/console/login", data={
            "csrf": form_token, "username": username, "password": password},
            allow_redirects=False)
        assert response.status == 302, await response.text()
        console = await self.client.get("/console" if username != "commission"
                                        else "/console/dossiers")
        match = re.search(r'name="csrf(?:-token)?" (?:content|value)="([^"]+)"',
                          await console.text())
        return match.group(1)


def _fake_rasa(stack_messages: list[tuple[str, str]]) -> web.Application:
    async def webhook(request: web.Request) -> web.Response:
        body = await request.json()
        stack_messages.append((body["sender"], body["message"]))
        return web.json_response([{"recipient_id": body["sender"], "text": BOT_ANSWER}])

    async def tracker(request: web.Request) -> web.Response:
        return web.json_response({"events": TRACKER_EVENTS})

    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", webhook)
    app.router.add_get("/conversations/{cid}/tracker", tracker)
    return app


@pytest.fixture
def run_stack(tmp_path, monkeypatch) -> Callable[[Callable[[Stack], Awaitable[None]]], None]:
    """Runs a scenario against a fresh gateway; ``run_stack(scenario)``."""
    for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TELEGRAM_BOT_TOKEN",
                 "RELAIS_PUBLIC_URL", "RELAIS_DATABASE_URL", "RELAIS_ENV"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RELAIS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("RELAIS_SECRET_KEY", SECRET_KEY)
    monkeypatch.setenv("RELAIS_RASA_TOKEN", "rasa-token")

    def run(scenario: Callable[[Stack], Awaitable[None]]) -> None:
        async def main() -> None:
            messages: list[tuple[str, str]] = []
            rasa = TestServer(_fake_rasa(messages), host="127.0.0.1")
            await rasa.start_server()
            monkeypatch.setenv("RELAIS_RASA_PORT", str(rasa.port))
            clock = FakeClock()
            app = create_app(Settings.from_env(), clock=clock)
            client = TestClient(TestServer(app, host="127.0.0.1"))
            await client.start_server()
            try:
                handoffs = app["handoffs"]
                store = app["store"]
                for username, role, speciality in (
                        ("amina", "agent", "ecrivain_public"),
                        ("bruno", "agent", "travailleur_social"),
                        ("chef", "supervisor", None),
                        ("commission", "commission", None)):
                    await store.run(lambda _r, u=username, r=role, s=speciality:
                                    handoffs.add_user(u, u.capitalize(), r, s, PASSWORD))
                await scenario(Stack(client, app, clock, messages))
            finally:
                await client.close()
                await rasa.close()
        asyncio.run(main())
    return run
