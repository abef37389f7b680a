"""``GET /health`` is public: many calls at once probe the services once (bot/health.py)."""

from __future__ import annotations

import asyncio

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.config import Settings
from bot.health import RecentStates


def test_many_health_checks_at_once_probe_each_service_once(tmp_path, monkeypatch):
    async def scenario() -> tuple[int, list[bool]]:
        probes = []

        async def status(request: web.Request) -> web.Response:
            probes.append(request.path)
            await asyncio.sleep(0.05)
            return web.json_response({})

        service = web.Application()
        service.router.add_get("/status", status)
        service.router.add_get("/health", status)
        server = TestServer(service, host="127.0.0.1")
        await server.start_server()
        for name in ("RELAIS_RASA_PORT", "RELAIS_ACTIONS_PORT", "RELAIS_ELIGIBILITY_PORT"):
            monkeypatch.setenv(name, str(server.port))
        monkeypatch.setenv("RELAIS_DATA_DIR", str(tmp_path))
        settings = Settings.from_env()
        now = [0.0]
        recent = RecentStates(max_age_s=1.0, clock=lambda: now[0])
        async with aiohttp.ClientSession() as session:
            answers = await asyncio.gather(*(recent.get(session, settings) for _ in range(50)))
            first = len(probes)
            now[0] = 2.0  # older than a second: asked again
            await recent.get(session, settings)
        await server.close()
        return first, [all(a.values()) for a in answers], len(probes) - first

    first, all_up, again = asyncio.run(scenario())
    assert first == 3  # Rasa, the action server, the eligibility service: once each
    assert all(all_up)
    assert again == 3
