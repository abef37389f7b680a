"""The gateway's pool of Rasa instances: sticky, and no message lost or answered twice.

The Rasa instances here are small servers on loopback that share one tracker, as real
instances share PostgreSQL; each can refuse, cut the connection before or after saving the
turn, or fail inside (answer 200 with nothing and save nothing), as Rasa does when its
database or action server is down. The real instances are killed in test_faults.py.
"""

from __future__ import annotations

import asyncio

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.rasa_client import AssistantTimeout, AssistantUnavailable, BotMessage, Button
from bot.rasa_pool import MESSAGE_ID_KEY, RasaPool
from tests.processes import free_port


class SharedTracker:
    """What PostgreSQL holds for every instance: the events of each conversation."""

    def __init__(self):
        self.events: dict[str, list[dict]] = {}
        self.unreadable = False  # the database restarting: reading the tracker fails

    def user_messages(self, sender: str) -> list[str]:
        return [e["text"] for e in self.events.get(sender, []) if e["event"] == "user"]


class FakeRasa:
    """One instance. ``mode``: ok, cut_after_save, cut_before_save, fail_inside, slow."""

    def __init__(self, tracker: SharedTracker):
        self.tracker = tracker
        self.mode = "ok"
        self.received: list[str] = []
        self.senders: set[str] = set()
        self.server: TestServer | None = None
        self.port = free_port()

    async def start(self):
        app = web.Application()
        app.router.add_post("/webhooks/rest/webhook", self.webhook)
        app.router.add_get("/conversations/{sender}/tracker", self.get_tracker)
        self.server = TestServer(app, host="127.0.0.1", port=self.port)
        await self.server.start_server()

    async def stop(self):
        await self.server.close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def webhook(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        self.received.append(body["message"])
        self.senders.add(body["sender"])
        if self.mode == "cut_before_save":
            request.transport.close()
            return web.Response()
        if self.mode == "fail_inside":
            return web.json_response([])
        answer = [{"text": f"Reçu : {body['message']}",
                   "buttons": [{"title": "Oui", "payload": "/affirm"}]}]
        self.tracker.events.setdefault(body["sender"], []).extend([
            {"event": "user", "text": body["message"], "metadata": body.get("metadata")},
            {"event": "bot", "text": answer[0]["text"], "data": {"buttons": answer[0]["buttons"]}},
        ])
        if self.mode == "slow":  # the turn is saved, the reply comes too late
            await asyncio.sleep(2)
        if self.mode == "cut_after_save":
            request.transport.close()
            return web.Response()
        return web.json_response(answer)

    async def get_tracker(self, request: web.Request) -> web.Response:
        if request.query.get("token") != "token":
            return web.json_response({}, status=401)
        if self.tracker.unreadable:
            return web.json_response({}, status=500)
        return web.json_response({"events": self.tracker.events.get(request.match_info["sender"],
                                                                     [])})


def answer(text: str) -> list[BotMessage]:
    return [BotMessage(f"Reçu : {text}", (Button("Oui", "/affirm"),))]


def run(scenario, instances: int = 2, **pool_options):
    async def main():
        tracker = SharedTracker()
        rasas = [FakeRasa(tracker) for _ in range(instances)]
        for rasa in rasas:
            await rasa.start()
        try:
            async with aiohttp.ClientSession() as http:
                pool = RasaPool(http, [r.url for r in rasas], "token", **pool_options)
                return await scenario(pool, rasas, tracker)
        finally:
            for rasa in rasas:
                await rasa.stop()
    return asyncio.run(main())


def test_a_conversation_stays_on_one_instance_and_conversations_spread_over_both():
    async def scenario(pool, rasas, tracker):
        for n in range(20):
            for turn in range(3):
                assert await pool.send(f"r{n}", f"m{turn}") == answer(f"m{turn}")
        for n in range(20):
            serving = [r for r in rasas if f"r{n}" in r.senders]
            assert len(serving) == 1
            assert tracker.user_messages(f"r{n}") == ["m0", "m1", "m2"]
        assert all(len(r.senders) >= 5 for r in rasas)  # both take a share
    run(scenario)


def test_a_dead_instance_s_conversations_move_to_the_other_one():
    async def scenario(pool, rasas, tracker):
        who = "resident-moving"
        home = pool.order(who)[0]
        await rasas[home].stop()
        assert await pool.send(who, "bonjour") == answer("bonjour")
        assert rasas[1 - home].received == ["bonjour"]
        assert tracker.user_messages(who) == ["bonjour"]
    run(scenario)


def test_a_connection_cut_after_the_turn_was_saved_gives_the_saved_answer_not_a_second_turn():
    async def scenario(pool, rasas, tracker):
        who = "resident-cut-late"
        rasas[pool.order(who)[0]].mode = "cut_after_save"
        assert await pool.send(who, "bonjour") == answer("bonjour")
        assert tracker.user_messages(who) == ["bonjour"]  # handled once
        assert sum(r.received.count("bonjour") for r in rasas) == 1
    run(scenario)


def test_a_connection_cut_before_saving_sends_the_message_to_the_other_instance_once():
    async def scenario(pool, rasas, tracker):
        who = "resident-cut-early"
        home = pool.order(who)[0]
        rasas[home].mode = "cut_before_save"
        assert await pool.send(who, "bonjour") == answer("bonjour")
        assert rasas[1 - home].received == ["bonjour"]
        assert tracker.user_messages(who) == ["bonjour"]
    run(scenario)


def test_an_instance_failing_inside_answers_empty_and_the_other_instance_answers():
    async def scenario(pool, rasas, tracker):
        who = "resident-db-down"
        rasas[pool.order(who)[0]].mode = "fail_inside"
        assert await pool.send(who, "bonjour") == answer("bonjour")
        assert tracker.user_messages(who) == ["bonjour"]
    run(scenario)


def test_when_every_instance_fails_inside_the_resident_is_told_to_retry_and_nothing_is_saved():
    async def scenario(pool, rasas, tracker):
        for rasa in rasas:
            rasa.mode = "fail_inside"
        with pytest.raises(AssistantUnavailable):
            await pool.send("resident-x", "bonjour")
        assert tracker.user_messages("resident-x") == []
        for rasa in rasas:
            rasa.mode = "ok"
        assert await pool.send("resident-x", "bonjour") == answer("bonjour")
    run(scenario, patience_s=1.5)


def test_when_no_instance_listens_the_answer_is_at_once_a_clear_unavailable():
    async def scenario(pool, rasas, tracker):
        for rasa in rasas:
            await rasa.stop()
        with pytest.raises(AssistantUnavailable):
            await pool.send("resident-y", "bonjour")
    run(scenario)


def test_a_message_resent_after_a_timeout_is_answered_from_the_tracker_not_twice():
    async def scenario(pool, rasas, tracker):
        who = "resident-slow"
        rasas[pool.order(who)[0]].mode = "slow"
        with pytest.raises(AssistantTimeout):
            await pool.send(who, "bonjour", message_id="client-1")
        assert await pool.send(who, "bonjour", message_id="client-1") == answer("bonjour")
        assert tracker.user_messages(who) == ["bonjour"]
        assert tracker.events[who][0]["metadata"] == {MESSAGE_ID_KEY: "client-1"}
    run(scenario, timeout_s=0.5)


def test_while_the_tracker_cannot_be_read_a_message_perhaps_handled_is_not_sent_again():
    async def scenario(pool, rasas, tracker):
        who = "resident-db-restarting"
        rasas[pool.order(who)[0]].mode = "cut_after_save"
        tracker.unreadable = True

        async def database_back():
            await asyncio.sleep(2.5)
            tracker.unreadable = False
        back = asyncio.create_task(database_back())
        assert await pool.send(who, "bonjour") == answer("bonjour")
        await back
        assert tracker.user_messages(who) == ["bonjour"]  # handled once, not resent
        assert sum(r.received.count("bonjour") for r in rasas) == 1
    run(scenario)
