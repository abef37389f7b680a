"""The handoff action: it queues through the gateway and says what happens next, honestly."""

from __future__ import annotations

import asyncio

from aiohttp import web
from aiohttp.test_utils import TestServer
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import request_human, say_what_happens_next, team_hours
from bot.identity import internal_token
from commune import load_commune


def _responses(dispatcher: CollectingDispatcher) -> list[str]:
    return [m["response"] for m in dispatcher.messages]


def test_unverified_hours_are_never_announced():
    assert team_hours(load_commune()) is None  # Pantin's hours are not verified yet
    commune = {"places": [{"id": "ccas", "opening_hours": {
        "value": "du lundi au vendredi, 9 h - 12 h", "verified": True}}]}
    assert team_hours(commune) == "du lundi au vendredi, 9 h - 12 h"
    commune["places"][0]["opening_hours"]["verified"] = False
    assert team_hours(commune) is None


def test_queued_says_who_then_when_and_a_crisis_says_priority():
    dispatcher = CollectingDispatcher()
    say_what_happens_next(dispatcher, queued=True, reason="asked")
    assert _responses(dispatcher) == ["utter_handoff_queued", "utter_handoff_when_unknown"]
    dispatcher = CollectingDispatcher()
    say_what_happens_next(dispatcher, queued=True, reason="crisis")
    assert _responses(dispatcher)[0] == "utter_handoff_crisis"


def test_when_the_gateway_is_down_the_resident_still_gets_the_places():
    dispatcher = CollectingDispatcher()
    say_what_happens_next(dispatcher, queued=False, reason="asked")
    assert _responses(dispatcher) == ["utter_ask_human_places", "utter_ask_human_confirm_place"]


def test_request_human_calls_the_gateway_with_the_internal_token(monkeypatch):
    seen: list[tuple[str, dict]] = []

    async def handoffs(request: web.Request) -> web.Response:
        seen.append((request.headers.get("Authorization", ""), await request.json()))
        return web.json_response({"handoff_id": 1}, status=201)

    async def main() -> tuple[bool, bool]:
        app = web.Application()
        app.router.add_post("/internal/handoffs", handoffs)
        server = TestServer(app, host="127.0.0.1")
        await server.start_server()
        try:
            monkeypatch.setenv("RELAIS_GATEWAY_URL", f"http://127.0.0.1:{server.port}")
            monkeypatch.setenv("RELAIS_SECRET_KEY", "k")
            queued = await request_human("a" * 32, "crisis")
            monkeypatch.setenv("RELAIS_GATEWAY_URL", "http://127.0.0.1:1")
            unreachable = await request_human("a" * 32, "crisis")
            return queued, unreachable
        finally:
            await server.close()

    assert asyncio.run(main()) == (True, False)
    assert seen == [("Bearer " + internal_token("k"),
                     {"conversation_id": "a" * 32, "reason": "crisis"})]
