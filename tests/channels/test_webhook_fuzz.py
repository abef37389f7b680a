"""1,000 hostile or broken webhook calls: never a 5xx, never a crash, nothing stored.

Random bytes, wrong content types, truncated or tampered forms, huge fields and malformed
Telegram updates go to every channel route of a real gateway on loopback.
"""

from __future__ import annotations

import json
import random
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote, urlencode

from twilio.request_validator import RequestValidator

from tests.channels.conftest import (
    PUBLIC_URL,
    SMS_PATH,
    TELEGRAM_PATH,
    TELEGRAM_SECRET,
    WHATSAPP_PATH,
    raw_post,
    twilio_form,
)
from tests.channels.fakes import TWILIO_TOKEN
from tests.processes import http

CALLS = 1000
CONTENT_TYPES = ["application/x-www-form-urlencoded", "application/json", "text/plain",
                 "multipart/form-data; boundary=x", "application/xml", "",
                 "application/x-www-form-urlencoded; charset=latin-1"]


def signed(path: str, form: dict[str, str]) -> str:
    return RequestValidator(TWILIO_TOKEN).compute_signature(PUBLIC_URL + path, form)


def hostile_call(rng: random.Random) -> tuple[str, bytes, dict[str, str]]:
    """One request a broken client or an attacker could send (path, body, headers)."""
    kind = rng.randrange(9)
    path = rng.choice([SMS_PATH, WHATSAPP_PATH, TELEGRAM_PATH])
    headers = {"Content-Type": rng.choice(CONTENT_TYPES)}
    if kind == 0:  # random bytes under a random content type
        return path, rng.randbytes(rng.randrange(0, 4000)), headers
    if kind == 1:  # a real-looking form, unsigned or with a random signature
        form = twilio_form(f"SM{rng.getrandbits(128):032x}", "+33612345678", "bonjour")
        headers = {"Content-Type": "application/x-www-form-urlencoded",
                   "X-Twilio-Signature": rng.choice(["", "x", "A" * 28 + "=", "é"])}
        return rng.choice([SMS_PATH, WHATSAPP_PATH]), urlencode(form).encode(), headers
    if kind == 2:  # a correctly signed form, truncated on the way
        form = twilio_form(f"SM{rng.getrandbits(128):032x}", "+33612345678", "bonjour")
        body = urlencode(form).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded",
                   "X-Twilio-Signature": signed(SMS_PATH, form)}
        return SMS_PATH, body[: rng.randrange(len(body))], headers
    if kind == 3:  # huge fields
        form = {"Body": "é" * rng.randrange(40_000, 90_000), "From": "+33612345678"}
        return path, urlencode(form).encode(), {
            "Content-Type": "application/x-www-form-urlencoded"}
    if kind == 4:  # signed, but the fields are garbage: a provider bug must not be stored
        form = {"MessageSid": rng.choice(["", "SM1", "x" * 100, "../../etc"]),
                "From": rng.choice(["", "+", "whatsapp:", "alice", "+33" + "9" * 30]),
                "Body": rng.randbytes(50).decode("latin-1"),
                "NumMedia": rng.choice(["1", "-5", "many", "99999999999999"])}
        headers = {"Content-Type": "application/x-www-form-urlencoded",
                   "X-Twilio-Signature": signed(SMS_PATH, form)}
        return SMS_PATH, urlencode(form).encode(), headers
    if kind == 5:  # Telegram without or with a wrong secret
        headers = {"Content-Type": "application/json",
                   "X-Telegram-Bot-Api-Secret-Token": rng.choice(["", "nope", "é" * 3])}
        return TELEGRAM_PATH, json.dumps({"update_id": 1}).encode(), headers
    telegram_headers = {"Content-Type": "application/json",
                        "X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}
    if kind == 6:  # Telegram with the secret and a body that is not JSON or not an update
        body = rng.choice([rng.randbytes(200), b"[]", b"null", b'"x"', b"{",
                           b'{"update_id": "7"}', b'{"update_id": true}'])
        return TELEGRAM_PATH, body, telegram_headers
    if kind == 7:  # Telegram with the secret and a malformed message
        message = rng.choice([{"message_id": "x"}, {"chat": 5}, [], "text", None,
                              {"message_id": 1, "date": "hier", "chat": {"id": "a"}}])
        body = json.dumps({"update_id": -rng.randrange(1, 10**9), "message": message})
        return TELEGRAM_PATH, body.encode(), telegram_headers
    # kind 8: Telegram with the secret and an enormous body
    return TELEGRAM_PATH, b'{"update_id": 1, "x": "' + b"a" * 100_000 + b'"}', telegram_headers


def test_a_thousand_hostile_calls_get_no_5xx_and_store_nothing(gateway):
    before = gateway.repo.stats()
    rasa_before = len(gateway.rasa.calls)
    rng = random.Random(20261122)
    requests = [hostile_call(rng) for _ in range(CALLS)]

    def send(call: tuple[str, bytes, dict[str, str]]) -> int:
        path, body, headers = call
        return raw_post(f"{gateway.url}{path}", body, headers)[0]

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(send, requests))

    # 200 only for updates Telegram could really send that hold nothing to answer
    # ({"update_id": n, "message": null}); everything else is a clear 4xx.
    ok = [call for call, status in zip(requests, statuses, strict=True) if status == 200]
    assert all(path == TELEGRAM_PATH and b'"message": null' in body for path, body, _ in ok)
    assert all(400 <= s < 500 for s in statuses if s != 200), sorted(set(statuses))
    assert {403, 413, 415, 422} <= set(statuses)
    after = gateway.repo.stats()
    assert after == before, (before, after)
    assert len(gateway.rasa.calls) == rasa_before
    assert "Traceback" not in gateway.log()



def test_guessed_or_broken_file_links_are_404(gateway):
    rng = random.Random(7)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_%./é"
    for _ in range(100):
        token = "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 80)))
        status, body = http("GET", f"{gateway.url}/channels/files/{quote(token)}")
        assert status == 404, (token, status, body)
