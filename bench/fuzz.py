"""Random and hostile requests to every public endpoint of the gateway.

What a broken client, a scanner or an attacker sends: random bytes under every content type,
forged, truncated or tampered Twilio forms, Telegram updates without or with a wrong secret,
malformed updates, huge bodies, odd Unicode in real messages, console logins with injection
strings and no CSRF, guessed cookies and ids, unknown paths and methods, and raw bytes that
are not HTTP at all. The expectation is the same for each: a clear 2xx/3xx/4xx, never a 5xx,
and the gateway still serving residents normally.

    python -m bench.fuzz [--calls 10000] [--residents 4] [--pause 0] [--fuzz-process]

starts the whole assistant (as bench/benchmark.py does), measures normal traffic alone, then
the same traffic while the hostile calls run, and prints the status counts, the 5xx (there
must be none) and the latency ratio. With ``--pause 0`` the residents write flat out and use
all of Rasa's throughput, so any other work slows them; ``--pause 3 --residents 16`` is
ordinary traffic (a resident reads, then types) beside the attack.
``tests/channels/test_webhook_fuzz.py`` runs the same generator against a gateway with fake
Rasa and providers.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import string
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
from twilio.request_validator import RequestValidator

TELEGRAM_SECRET = "benchmark-telegram-secret"
SMS_PATH = "/channels/twilio/sms"
WHATSAPP_PATH = "/channels/twilio/whatsapp"
TELEGRAM_PATH = "/channels/telegram/webhook"
CONTENT_TYPES = ["application/x-www-form-urlencoded", "application/json", "text/plain",
                 "multipart/form-data; boundary=x", "application/xml", "",
                 "application/x-www-form-urlencoded; charset=latin-1"]
# Texts that have broken chat systems before: Unicode edge cases, injections, very long words.
NASTY_TEXTS = [
    "", " ", "\u200b", "\u202e\u0644\u0627", "é" * 3999, "a" * 4001, "🙂" * 500, "\x00\x01",
    "/restart", "/crisis", "//", "/", "%s%s%n", "{{7*7}}", "${jndi:ldap://x/a}", "' OR 1=1 --",
    "<script>alert(1)</script>", "\ud800".encode("utf-8", "surrogatepass").decode("latin-1"),
    "Ｓｔｏｐ", "STOP", "1", "99", "-1", "1e309", "NaN", "null", "[]", "{}", "\\", "\n\n\n",
    "ÉCRIVEZ EN MAJUSCULES", "j'ai   \t plein   d'espaces", "ﬁ ﬂ ǅ ŉ", "\u0301\u0301\u0301",
]


@dataclass(frozen=True)
class Secrets:
    """What the gateway under test was configured with, so some calls can be well signed."""

    public_url: str
    twilio_token: str
    telegram_secret: str
    twilio_sid: str = "AC" + "0" * 32


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None  # sent as is over TCP: not even HTTP

    @property
    def endpoint(self) -> str:
        return self.path.split("?")[0] if self.raw is None else "raw TCP"


def _sid(rng: random.Random) -> str:
    return f"SM{rng.getrandbits(128):032x}"


def twilio_form(sid: str, sender: str, body: str = "", **extra: str) -> dict[str, str]:
    """The fields Twilio posts for an incoming message (Twilio's webhook reference)."""
    form = {"SmsMessageSid": sid, "NumMedia": "0", "SmsSid": sid, "SmsStatus": "received",
            "Body": body, "To": "+33700000001", "MessageSid": sid,
            "AccountSid": "AC" + "0" * 32, "From": sender, "ApiVersion": "2010-04-01"}
    form.update(extra)
    return form


def _random_text(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return rng.choice(NASTY_TEXTS)
    alphabet = string.printable + "éèàçœ€«»’…—\u00a0🙂🏠"
    return "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 300)))


def webhook_call(rng: random.Random, secrets: Secrets) -> Call:
    """A broken or forged provider webhook call (Twilio or Telegram); stores nothing."""
    def signed(path: str, form: dict[str, str]) -> str:
        return RequestValidator(secrets.twilio_token).compute_signature(
            secrets.public_url + path, form)

    kind = rng.randrange(9)
    path = rng.choice([SMS_PATH, WHATSAPP_PATH, TELEGRAM_PATH])
    headers = {"Content-Type": rng.choice(CONTENT_TYPES)}
    form_headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if kind == 0:  # random bytes under a random content type
        return Call("POST", path, rng.randbytes(rng.randrange(0, 4000)), headers)
    if kind == 1:  # a real-looking form, unsigned or with a random signature
        form = twilio_form(_sid(rng), "+33612345678", "bonjour")
        signature = rng.choice(["", "x", "A" * 28 + "=", "é"])
        return Call("POST", rng.choice([SMS_PATH, WHATSAPP_PATH]), urlencode(form).encode(),
                    {**form_headers, "X-Twilio-Signature": signature})
    if kind == 2:  # a correctly signed form, truncated on the way
        form = twilio_form(_sid(rng), "+33612345678", "bonjour")
        body = urlencode(form).encode()
        return Call("POST", SMS_PATH, body[: rng.randrange(len(body))],
                    {**form_headers, "X-Twilio-Signature": signed(SMS_PATH, form)})
    if kind == 3:  # huge fields
        form = {"Body": "é" * rng.randrange(40_000, 90_000), "From": "+33612345678"}
        return Call("POST", path, urlencode(form).encode(), form_headers)
    if kind == 4:  # signed, but the fields are garbage: a provider bug must not be stored
        form = {"MessageSid": rng.choice(["", "SM1", "x" * 100, "../../etc"]),
                "From": rng.choice(["", "+", "whatsapp:", "alice", "+33" + "9" * 30]),
                "Body": rng.randbytes(50).decode("latin-1"),
                "NumMedia": rng.choice(["1", "-5", "many", "99999999999999"])}
        return Call("POST", SMS_PATH, urlencode(form).encode(),
                    {**form_headers, "X-Twilio-Signature": signed(SMS_PATH, form)})
    if kind == 5:  # Telegram without or with a wrong secret
        return Call("POST", TELEGRAM_PATH, json.dumps({"update_id": 1}).encode(), {
            "Content-Type": "application/json",
            "X-Telegram-Bot-Api-Secret-Token": rng.choice(["", "nope", "é" * 3])})
    telegram_headers = {"Content-Type": "application/json",
                        "X-Telegram-Bot-Api-Secret-Token": secrets.telegram_secret}
    if kind == 6:  # Telegram with the secret and a body that is not JSON or not an update
        body = rng.choice([rng.randbytes(200), b"[]", b"null", b'"x"', b"{",
                           b'{"update_id": "7"}', b'{"update_id": true}'])
        return Call("POST", TELEGRAM_PATH, body, telegram_headers)
    if kind == 7:  # Telegram with the secret and a malformed message
        message = rng.choice([{"message_id": "x"}, {"chat": 5}, [], "text", None,
                              {"message_id": 1, "date": "hier", "chat": {"id": "a"}}])
        body = json.dumps({"update_id": -rng.randrange(1, 10**9), "message": message})
        return Call("POST", TELEGRAM_PATH, body.encode(), telegram_headers)
    # kind 8: Telegram with the secret and an enormous body
    return Call("POST", TELEGRAM_PATH, b'{"update_id": 1, "x": "' + b"a" * 100_000 + b'"}',
                telegram_headers)


def resident_message_call(rng: random.Random, secrets: Secrets) -> Call:
    """A well-formed, correctly signed message whose text is hostile: it reaches the bot."""
    text = _random_text(rng)
    channel = rng.randrange(3)
    if channel == 0:
        body = json.dumps({"sender": f"fuzz-{rng.randrange(50)}", "text": text})
        return Call("POST", "/web/messages", body.encode(), {"Content-Type": "application/json"})
    if channel == 1:
        sender = rng.choice(["+3369900", "whatsapp:+3369900"]) + f"{rng.randrange(10**5):05d}"
        path = WHATSAPP_PATH if sender.startswith("whatsapp:") else SMS_PATH
        form = twilio_form(_sid(rng), sender, text)
        signature = RequestValidator(secrets.twilio_token).compute_signature(
            secrets.public_url + path, form)
        return Call("POST", path, urlencode(form).encode(), {
            "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature})
    chat = 990_000 + rng.randrange(50)
    update = {"update_id": rng.randrange(10**9), "message": {
        "message_id": rng.randrange(10**6), "date": 1764500000, "text": text,
        "chat": {"id": chat, "type": "private"},
        "from": {"id": chat, "is_bot": False, "first_name": "Fuzz"}}}
    return Call("POST", TELEGRAM_PATH, json.dumps(update).encode(), {
        "Content-Type": "application/json",
        "X-Telegram-Bot-Api-Secret-Token": secrets.telegram_secret})


def web_call(rng: random.Random) -> Call:
    """The web channel's API with bodies and headers no chat page would send."""
    kind = rng.randrange(6)
    json_headers = {"Content-Type": "application/json"}
    if kind == 0:
        return Call("POST", "/web/messages", rng.randbytes(rng.randrange(0, 2000)),
                    {"Content-Type": rng.choice(CONTENT_TYPES)})
    if kind == 1:
        body = rng.choice([{}, [], None, 7, "x", {"sender": 5, "text": "a"},
                           {"sender": "a" * 200, "text": "a"}, {"sender": "", "text": "a"},
                           {"sender": "a", "text": None}, {"sender": "a", "text": ["a"]},
                           {"sender": "a", "text": "a" * 70_000}, {"sender": {"$gt": ""}}])
        return Call("POST", "/web/messages", json.dumps(body).encode(), json_headers)
    if kind == 2:
        return Call("POST", "/web/messages", b'{"sender": "a", "text": "\\ud800"}', json_headers)
    if kind == 3:
        after = rng.choice(["", "-1", "x", "9" * 40, "1e9", "0x10", "%00"])
        sender = rng.choice(["", "a" * 200, "fuzz", "é", "\t"])
        return Call("GET", f"/web/messages?after={after}", b"",
                    {"X-Relais-Sender": sender} if sender else {})
    if kind == 4:
        return Call("POST", "/web/messages", b"[" * 50_000 + b"]" * 50_000, json_headers)
    return Call("POST", "/web/messages",
                json.dumps({"sender": "a", "text": "\x00\x07\x1b\x7f"}).encode(), json_headers)


CONSOLE_PATHS = ["/console", "/console/dossiers", "/console/api/me", "/console/api/queue",
                 "/console/api/colleagues", "/console/api/canned", "/console/statistics"]
HANDOFF_IDS = ["0", "1", "-1", "99999999999999999999999999", "1" * 400, "007"]


def console_call(rng: random.Random) -> Call:
    """Logins without CSRF or with injections, guessed cookies, ids and actions."""
    kind = rng.randrange(5)
    if kind == 0:
        form = {"username": rng.choice(["admin", "' OR '1'='1", "a" * 5000, "é\x00", ""]),
                "password": rng.choice(["", "x" * 100_000, "' --", "🙂"]),
                "csrf": rng.choice(["", "x", "a" * 300])}
        cookie = rng.choice(["", "relais_login_csrf=x", "relais_login_csrf=" + form["csrf"]])
        headers = {"Content-Type": rng.choice(CONTENT_TYPES)}
        if cookie:
            headers["Cookie"] = cookie
        return Call("POST", "/console/login", urlencode(form).encode()[:60_000], headers)
    if kind == 1:
        return Call("POST", "/console/login", rng.randbytes(rng.randrange(0, 3000)),
                    {"Content-Type": rng.choice(CONTENT_TYPES)})
    cookie = "relais_console=" + rng.choice(["", "x", "a" * 200, "%00", "é", "0" * 64])
    if kind == 2:
        return Call("GET", rng.choice(CONSOLE_PATHS), b"", {"Cookie": cookie})
    handoff = rng.choice(HANDOFF_IDS)
    if kind == 3:
        return Call("GET", f"/console/api/handoffs/{handoff}", b"", {"Cookie": cookie})
    action = rng.choice(["take", "reply", "note", "transfer", "handback", "close", "delete"])
    return Call("POST", f"/console/api/handoffs/{handoff}/{action}", rng.randbytes(100), {
        "Cookie": cookie, "X-CSRF-Token": rng.choice(["", "x"]),
        "Content-Type": "application/json"})


def other_call(rng: random.Random) -> Call:
    """Unknown paths and methods, traversal, file links, internal API from outside, raw TCP."""
    kind = rng.randrange(6)
    if kind == 0:
        path = rng.choice(["/static/../../etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd",
                           "/console/static/../../bot/config.py", "/.env", "/admin", "/%00",
                           "/" + "a" * 3000, "/health?x=" + "é" * 100, "/web/messages/1"])
        return Call(rng.choice(["GET", "HEAD", "DELETE", "PUT", "OPTIONS", "PATCH"]), path)
    if kind == 1:
        alphabet = string.ascii_letters + "-_%."
        token = "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 90)))
        return Call("GET", f"/channels/files/{token}")
    if kind == 2:
        return Call("POST", "/internal/handoffs", rng.randbytes(80), {
            "Authorization": rng.choice(["", "Bearer x"]), "X-Forwarded-For": "203.0.113.9",
            "Content-Type": "application/json"})
    if kind == 3:
        return Call("GET", "/metrics", b"", {"X-Forwarded-For": "203.0.113.9"})
    if kind == 4:
        return Call("GET", "/health")
    raw = rng.choice([rng.randbytes(rng.randrange(1, 500)), b"GET / HTTP/9.9\r\n\r\n",
                      b"POST /web/messages HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
                      b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n",
                      b"GET / HTTP/1.1\r\nHost: x\r\nX: " + b"y" * 20_000 + b"\r\n\r\n",
                      b"POST /web/messages HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"])
    return Call("RAW", "", raw=raw)


def hostile_calls(count: int, secrets: Secrets, seed: int = 20261130,
                  with_messages: bool = True) -> list[Call]:
    """``count`` calls mixed across every public endpoint; ``with_messages=False`` leaves out
    the well-formed messages, the calls that become real Rasa turns."""
    rng = random.Random(seed)
    # Few well-formed messages: each one is real work for Rasa, and a flood of them is load,
    # not hostility (bench/benchmark.py measures load).
    makers = [(0.35, lambda: webhook_call(rng, secrets)),
              (0.05 if with_messages else 0.0, lambda: resident_message_call(rng, secrets)),
              (0.22, lambda: web_call(rng)),
              (0.23, lambda: console_call(rng)),
              (0.15, lambda: other_call(rng))]
    weights = [w for w, _ in makers]
    return [rng.choices(makers, weights)[0][1]() for _ in range(count)]


# --- sending ---------------------------------------------------------------------------------

async def _raw(host: str, port: int, data: bytes) -> int:
    """Sends bytes that may not be HTTP; the status of the answer, or 0 when it closed."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(data)
        await writer.drain()
        line = await asyncio.wait_for(reader.readline(), 10)
    except (ConnectionError, asyncio.TimeoutError):
        return 0
    finally:
        writer.close()
    parts = line.split()
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0


async def send_all(base_url: str, calls: list[Call], workers: int = 8) -> list[int]:
    """Every call's status: 0 when the connection was closed without an answer (fine for
    garbage), -1 when nothing answered within a minute (a hang: a failure)."""
    host, port = base_url.removeprefix("http://").split(":")
    statuses = [0] * len(calls)
    queue: asyncio.Queue[int] = asyncio.Queue()
    for index in range(len(calls)):
        queue.put_nowait(index)
    connector = aiohttp.TCPConnector(limit=workers, force_close=True)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(
            total=60), skip_auto_headers=("Content-Type",)) as session:
        async def worker() -> None:
            while not queue.empty():
                index = queue.get_nowait()
                call = calls[index]
                try:
                    if call.raw is not None:
                        statuses[index] = await _raw(host, int(port), call.raw)
                        continue
                    async with session.request(call.method, base_url + call.path,
                                               data=call.body or None, headers=call.headers,
                                               allow_redirects=False) as response:
                        await response.read()
                        statuses[index] = response.status
                except (aiohttp.ClientError, ValueError, ConnectionError):
                    statuses[index] = 0  # refused by the client library or closed: not a 5xx
                except asyncio.TimeoutError:
                    statuses[index] = -1  # no answer in 60 s: as bad as a 5xx

        await asyncio.gather(*(worker() for _ in range(workers)))
    return statuses


def summary(calls: list[Call], statuses: list[int]) -> tuple[Counter, list[tuple[str, int]]]:
    """Counts by status class and the (endpoint, status) of every 5xx or hang (-1)."""
    names = {0: "closed", -1: "timeout"}
    classes = Counter(names.get(s) or f"{s // 100}xx" for s in statuses)
    server_errors = [(c.method + " " + c.endpoint, s)
                     for c, s in zip(calls, statuses, strict=True) if s >= 500 or s == -1]
    return classes, server_errors


# --- the command: fuzz a whole running assistant, with normal traffic beside it ----------------

PROCESSES = {"gateway": "bot.gateway", "rasa": "bot.rasa_server", "actions": "rasa_sdk",
             "eligibility": "eligibility"}


def cpu_seconds(data_dir: Path) -> dict[str, float]:
    """User + system CPU seconds so far of each Relais process, and of this script (the
    fuzzer and the normal residents share its one event loop): who pays for a flood."""
    from tests.processes import pids_of

    tick = os.sysconf("SC_CLK_TCK")
    spent = {}
    for name, module in PROCESSES.items():
        total = 0.0
        for pid in pids_of(module, data_dir):
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
        spent[name] = total
    own = os.times()
    spent["client"] = own.user + own.system + own.children_user + own.children_system
    return spent


def _send_generated(url: str, count: int, secrets: Secrets, with_messages: bool) -> list[int]:
    """``--fuzz-process``: the same calls (same seed), made and sent in another process."""
    return asyncio.run(send_all(url, hostile_calls(count, secrets, with_messages=with_messages)))


def turns_counted(url: str) -> dict[str, float]:
    """The gateway's count of residents' messages (each one a Rasa turn), by channel."""
    import urllib.request
    with urllib.request.urlopen(f"{url}/metrics", timeout=10) as response:  # noqa: S310
        text = response.read().decode()
    counts: dict[str, float] = {}
    for line in text.splitlines():
        if line.startswith("relais_messages_total{"):
            channel = line.split('channel="', 1)[1].split('"', 1)[0]
            counts[channel] = counts.get(channel, 0.0) + float(line.rsplit(" ", 1)[1])
    return counts

def main(argv: list[str] | None = None) -> int:
    from bench.benchmark import Figures, relais
    from bench.load import Plan, run_load

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=10_000)
    parser.add_argument("--residents", type=int, default=4, help="normal conversations beside")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of normal traffic")
    parser.add_argument("--pause", type=float, default=0.0, help=(
        "seconds each resident takes before the next message (0.5-1.5x at random); 0, the "
        "default, has them write flat out, using all of Rasa's throughput"))
    parser.add_argument("--fuzz-process", action="store_true", help=(
        "send the hostile calls from a process of their own, not from the event loop that "
        "times the residents' answers (an attacker does not share the residents' client)"))
    parser.add_argument("--without-messages", action="store_true", help=(
        "leave out the well-formed messages (5 %%): only the calls the gateway refuses, to "
        "tell their cost from that of the Rasa turns the others become"))
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="relais-fuzz-"))
    with relais(work, Figures(), telegram_secret=TELEGRAM_SECRET) as (url, twilio, data_dir):
        secrets = Secrets(twilio.public_url, twilio.auth_token, TELEGRAM_SECRET,
                          twilio.account_sid)
        calls = hostile_calls(args.calls, secrets, with_messages=not args.without_messages)
        plan = Plan(args.residents, duration_s=args.duration, warmup_messages=2,
                    pause_s=args.pause)
        quiet = asyncio.run(run_load(url, plan, twilio=twilio))
        print("normal traffic alone:        " + quiet.line(), flush=True)

        async def both():
            started = time.perf_counter()
            fuzz = (asyncio.get_running_loop().run_in_executor(
                        pool, _send_generated, url, len(calls), secrets,
                        not args.without_messages)
                    if pool else asyncio.create_task(send_all(url, calls)))
            loaded = await run_load(url, plan, twilio=twilio)
            statuses = await fuzz
            return loaded, statuses, time.perf_counter() - started

        pool = (ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
                if args.fuzz_process else None)
        if pool:
            pool.submit(hostile_calls, 1, secrets).result()  # started and imported: ready
        turns_before, cpu_before = turns_counted(url), cpu_seconds(data_dir)
        loaded, statuses, elapsed = asyncio.run(both())
        if pool:
            pool.shutdown()  # its CPU time counts as this script's children's below
        turns_after, cpu_after = turns_counted(url), cpu_seconds(data_dir)
        print("normal traffic during fuzz:  " + loaded.line(), flush=True)
        print(f"fuzz and normal traffic took {elapsed:.1f} s; CPU seconds spent meanwhile: "
              + ", ".join(f"{name} {cpu_after[name] - cpu_before[name]:.1f}"
                          for name in cpu_after))
        print("residents' messages counted by the gateway meanwhile (normal + hostile): "
              + ", ".join(f"{channel} {count - turns_before.get(channel, 0):.0f}"
                          for channel, count in sorted(turns_after.items())))
        classes, server_errors = summary(calls, statuses)
        print(f"{len(calls)} hostile calls: " + ", ".join(
            f"{k} {v}" for k, v in sorted(classes.items())))
        print(f"5xx answers: {len(server_errors)} {Counter(server_errors).most_common(5)}")
        tracebacks = sum(p.read_text(errors="replace").count("Traceback")
                         for p in (data_dir / "logs").glob("*.log"))
        print(f"tracebacks in the logs: {tracebacks}")
        ratio50 = loaded.percentile(50) / quiet.percentile(50)
        ratio95 = loaded.percentile(95) / quiet.percentile(95)
        print(f"normal traffic latency during fuzz / alone: p50 x{ratio50:.2f}, "
              f"p95 x{ratio95:.2f}")
    return 1 if server_errors or tracebacks else 0


if __name__ == "__main__":
    sys.exit(main())
