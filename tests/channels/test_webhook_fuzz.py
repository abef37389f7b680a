"""Hostile or broken calls to a real gateway on loopback: never a 5xx, never a crash.

1,000 webhook calls (random bytes, wrong content types, truncated or tampered forms, huge
fields, malformed Telegram updates) store nothing; then 10,000 calls across every public
endpoint (bench/fuzz.py's generator: web, Twilio, Telegram, console login, unknown paths,
raw TCP) leave the gateway answering residents as before.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from urllib.parse import quote

from bench.fuzz import Secrets, hostile_calls, send_all, summary, webhook_call
from tests.channels.conftest import (
    PUBLIC_URL,
    SMS_PATH,
    TELEGRAM_PATH,
    TELEGRAM_SECRET,
    new_sid,
    twilio_form,
)
from tests.channels.fakes import TWILIO_SID, TWILIO_TOKEN
from tests.processes import http, post_json, wait_until

CALLS = 1000
SECRETS = Secrets(PUBLIC_URL, TWILIO_TOKEN, TELEGRAM_SECRET, TWILIO_SID)


def test_a_thousand_hostile_calls_get_no_5xx_and_store_nothing(gateway):
    before = gateway.repo.stats()
    rasa_before = len(gateway.rasa.calls)
    rng = random.Random(20261122)
    requests = [webhook_call(rng, SECRETS) for _ in range(CALLS)]
    statuses = asyncio.run(send_all(gateway.url, requests))

    # 200 only for updates Telegram could really send that hold nothing to answer
    # ({"update_id": n, "message": null}); everything else is a clear 4xx.
    ok = [call for call, status in zip(requests, statuses, strict=True) if status == 200]
    assert all(c.path == TELEGRAM_PATH and b'"message": null' in c.body for c in ok)
    assert all(400 <= s < 500 for s in statuses if s != 200), sorted(set(statuses))
    assert {400, 403, 413, 422} <= set(statuses)  # unsigned Twilio calls: 403 before 415
    after = gateway.repo.stats()
    assert after == before, (before, after)
    assert len(gateway.rasa.calls) == rasa_before
    assert "Traceback" not in gateway.log()


def _normal_turns(url: str, count: int = 30) -> list[float]:
    """Seconds per answer of an ordinary conversation on the web channel (all answered)."""
    took = []
    for n in range(count):
        began = time.perf_counter()
        status, body = post_json(f"{url}/web/messages", {"sender": "fuzz-neighbour",
                                                           "text": f"bonjour {n}"})
        took.append(time.perf_counter() - began)
        assert status == 200 and body["messages"], (status, body)
    return took


def test_ten_thousand_hostile_calls_on_every_endpoint_get_no_5xx_and_no_crash(gateway):
    calls = hostile_calls(10_000, SECRETS)
    assert len({c.endpoint for c in calls}) >= 12  # web, Twilio, Telegram, console, others
    alone = _normal_turns(gateway.url)

    async def fuzz_with_neighbour() -> tuple[list[int], list[float]]:
        fuzz = asyncio.create_task(send_all(gateway.url, calls))
        during = await asyncio.to_thread(_normal_turns, gateway.url)
        return await fuzz, during

    statuses, during = asyncio.run(fuzz_with_neighbour())
    classes, server_errors = summary(calls, statuses)
    # Without an action server nor an eligibility service, /health rightly says 503 here.
    server_errors = [e for e in server_errors if not e[0].endswith(" /health")]
    print(f"statuses {dict(classes)}; normal turn median during fuzz / alone: "
          f"x{sorted(during)[15] / sorted(alone)[15]:.2f}")
    assert server_errors == [], Counter(server_errors).most_common(10)
    assert classes["4xx"] > 5000 and classes["2xx"] > 200, classes
    assert "Traceback" not in gateway.log()
    _normal_turns(gateway.url, 3)  # and residents are still answered afterwards


def test_a_flood_of_first_messages_does_not_hold_back_a_resident_in_conversation(gateway):
    """bot/admission.py: 4 turns in Rasa at once, at most 2 of them first messages."""
    resident = "flood-neighbour"
    assert post_json(f"{gateway.url}/web/messages", {"sender": resident, "text": "bonjour"}
                     )[0] == 200  # in conversation from now on
    start = len(gateway.rasa.calls)
    flood = [f"+336120000{n:02d}" for n in range(6)]
    for phone in flood:  # each a slow turn ("lent": 3 s in the fake Rasa)
        assert gateway.twilio_post(SMS_PATH, twilio_form(new_sid(), phone, "lent"))[0] == 200
    assert wait_until(lambda: len(gateway.rasa.calls) >= start + 2, 15)

    status, body = post_json(f"{gateway.url}/web/messages",
                             {"sender": resident, "text": "et la suite ?"})

    assert status == 200 and body["messages"][0]["text"] == "Reçu : et la suite ?"
    order = [c.json["message"] for c in gateway.rasa.calls[start:]]
    # Answered while 4 of the 6 first messages were still waiting for room in Rasa...
    assert order[:3] == ["lent", "lent", "et la suite ?"], order
    for phone in flood:  # ...and none of them lost: each one answered in turn
        calls = gateway.twilio.wait_for(
            lambda c, p=phone: c.method == "POST" and c.form.get("To") == p, 1, timeout=30)
        assert calls[0].form["Body"] == "Reçu : lent"


def test_guessed_or_broken_file_links_are_404(gateway):
    rng = random.Random(7)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_%./é"
    for _ in range(100):
        token = "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 80)))
        status, body = http("GET", f"{gateway.url}/channels/files/{quote(token)}")
        assert status == 404, (token, status, body)
