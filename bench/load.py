"""Many residents at once, writing to Relais through the web and Twilio (SMS) channels.

Each virtual resident runs whole French conversations one after the other — the CSS
questionnaire to its calculation, a social-housing check, food aid, small talk — and sends
its next message as soon as the answer to the previous one has arrived (a closed loop: the
concurrency is the number of conversations in progress). A web resident's answer is the HTTP
response; an SMS resident's answer is the gateway's call to the Twilio API, which this script
serves itself (``--twilio-port``: the gateway's ``TWILIO_API_BASE_URL`` must point at it).

    python -m bench.load --url http://127.0.0.1:8000 --concurrency 16 --duration 30

prints messages per second and the p50/p95 latency. ``bench/benchmark.py`` uses the same
code to compare Relais with the stock ``rasa init`` assistant, whose REST channel it drives.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import random
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

import aiohttp
from aiohttp import web
from twilio.request_validator import RequestValidator

# Each step is what the resident types; "/…" steps are buttons the bot has just offered.
CONVERSATIONS: dict[str, list[str]] = {
    "css_questionnaire": [
        "bonjour", "je voudrais la cmu", "/css_check", "34 et 6", "Non", "0", "1 100 €", "1",
        "150", "merci beaucoup",
    ],
    "social_housing": [
        "comment faire une demande de logement social", "/social_housing_check", "38 et 9",
        "non", "Non", "16 400 €", "merci",
    ],
    "housing_trouble": [
        "bonjour", "mon propriétaire veut m'expulser", "j'ai des moisissures dans l'appartement",
        "ma demande hlm est en attente depuis 3 ans", "merci",
    ],
    "food": [
        "bonjour", "on a plus rien a manger avec mes enfants", "c'est quoi la caisse alimentaire",
        "et la mutuelle communale ?", "au revoir",
    ],
    "small_talk": [
        "salut", "tu sais faire quoi ?", "c'est quoi le rsa", "et la prime d'activité",
        "donne moi les resultats du foot", "merci bcp", "aurevoir",
    ],
}

# The stock ``rasa init`` assistant (moodbot) speaks English about moods.
STOCK_CONVERSATIONS: dict[str, list[str]] = {
    "happy": ["hello", "I am great", "are you a bot?", "bye"],
    "sad": ["hi there", "I am sad", "no", "very sad", "yes", "goodbye"],
    "chat": ["good morning", "perfect", "am I talking to a human?", "see you later"],
}

# A conversation repeated to measure whether a turn costs more as the conversation grows:
# the 1st-10th messages and the 291st-300th are then the same texts in the same states.
LONG_CONVERSATION = CONVERSATIONS["housing_trouble"] + CONVERSATIONS["food"]

REPLY_TIMEOUT_S = 30.0
SMS_QUIET_S = 0.03  # an SMS answer may come in pieces: the next message waits for the last one


@dataclass
class Sample:
    """One message: where it was in its resident's stream, how long its answer took."""

    position: int  # 1 for the resident's first message of the run
    seconds: float
    ok: bool


@dataclass
class LoadResult:
    concurrency: int
    elapsed_s: float
    samples: list[Sample] = field(default_factory=list)

    @property
    def answered(self) -> list[float]:
        return [s.seconds for s in self.samples if s.ok]

    @property
    def errors(self) -> int:
        return sum(not s.ok for s in self.samples)

    @property
    def rate(self) -> float:
        return len(self.answered) / self.elapsed_s if self.elapsed_s else 0.0

    def percentile(self, q: float, positions: range | None = None) -> float:
        values = [s.seconds for s in self.samples
                  if s.ok and (positions is None or s.position in positions)]
        return percentile(values, q)

    def line(self) -> str:
        p50, p95 = self.percentile(50) * 1000, self.percentile(95) * 1000
        return (f"{self.concurrency:>3} concurrent: {self.rate:7.1f} msg/s  p50 {p50:7.0f} ms  "
                f"p95 {p95:7.0f} ms  ({len(self.answered)} answered, {self.errors} errors)")


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank, inclusive); NaN for no values."""
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


# --- the two ways of writing to Relais, and the stock assistant's REST channel -------------

class Channel:
    async def send(self, resident: int, text: str) -> bool:
        """Sends one message and waits for its answer; False on an error or no answer."""
        raise NotImplementedError


class WebChannel(Channel):
    """``POST /web/messages``: the answer is the response."""

    def __init__(self, session: aiohttp.ClientSession, url: str, run_id: str):
        self._session, self._url, self._run = session, f"{url}/web/messages", run_id

    async def send(self, resident: int, text: str) -> bool:
        body = {"sender": f"load-{self._run}-{resident}", "text": text}
        async with self._session.post(self._url, json=body) as response:
            await response.read()
            return response.status == 200


class RestChannel(Channel):
    """Rasa's own REST channel (the stock assistant has no gateway in front)."""

    def __init__(self, session: aiohttp.ClientSession, url: str, run_id: str):
        self._session, self._url = session, f"{url}/webhooks/rest/webhook"
        self._run = run_id

    async def send(self, resident: int, text: str) -> bool:
        body = {"sender": f"load-{self._run}-{resident}", "message": text}
        async with self._session.post(self._url, json=body) as response:
            await response.read()
            return response.status == 200


class FakeTwilioApi:
    """Twilio's message-creation API on loopback: where the gateway's SMS answers arrive."""

    def __init__(self, account_sid: str, port: int):
        self.account_sid, self.port = account_sid, port
        self._waiting: dict[str, asyncio.Queue[float]] = defaultdict(asyncio.Queue)
        self._runner: web.AppRunner | None = None
        self._sids = itertools.count()

    def inbox(self, phone: str) -> asyncio.Queue[float]:
        return self._waiting[phone]

    async def _create(self, request: web.Request) -> web.Response:
        form = await request.post()
        self._waiting[str(form.get("To", ""))].put_nowait(time.perf_counter())
        return web.json_response({"sid": f"SM{next(self._sids):032x}", "status": "queued",
                                  "account_sid": self.account_sid}, status=201)

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post(f"/2010-04-01/Accounts/{self.account_sid}/Messages.json",
                            self._create)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


@dataclass(frozen=True)
class TwilioSetup:
    """What the gateway under test was started with (see bench/benchmark.py)."""

    public_url: str
    account_sid: str
    auth_token: str
    api_port: int
    sms_number: str = "+33700000001"


class SmsChannel(Channel):
    """A signed Twilio webhook in; the answer is the gateway's call to the (fake) Twilio API."""

    def __init__(self, session: aiohttp.ClientSession, url: str, run_id: str,
                 twilio: TwilioSetup, api: FakeTwilioApi):
        self._session, self._url, self._twilio, self._api = session, url, twilio, api
        self._validator = RequestValidator(twilio.auth_token)
        self._run = run_id
        self._sids = itertools.count()

    def phone(self, resident: int) -> str:
        # +33 6 99 …: a range no French operator assigns to residents (ARCEP fictional use).
        return f"+3369{abs(hash(self._run)) % 1000:03d}{resident:05d}"

    async def send(self, resident: int, text: str) -> bool:
        phone = self.phone(resident)
        sid = f"SM{abs(hash(self._run)) % 16**8:08x}{resident:08x}{next(self._sids):016x}"
        form = {"MessageSid": sid, "SmsMessageSid": sid, "AccountSid": self._twilio.account_sid,
                "From": phone, "To": self._twilio.sms_number, "Body": text, "NumMedia": "0"}
        path = "/channels/twilio/sms"
        signature = self._validator.compute_signature(self._twilio.public_url + path, form)
        inbox = self._api.inbox(phone)
        async with self._session.post(f"{self._url}{path}", data=urlencode(form), headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Twilio-Signature": signature}) as response:
            await response.read()
            if response.status != 200:
                return False
        try:
            await asyncio.wait_for(inbox.get(), REPLY_TIMEOUT_S)
        except asyncio.TimeoutError:
            return False
        return True

    async def settle(self, resident: int) -> None:
        """Waits until the pieces of a long SMS answer have all arrived."""
        inbox = self._api.inbox(self.phone(resident))
        while True:
            try:
                await asyncio.wait_for(inbox.get(), SMS_QUIET_S)
            except asyncio.TimeoutError:
                return


# --- the run -------------------------------------------------------------------------------

@dataclass
class Plan:
    """How long a run lasts: ``duration_s`` of wall time, or ``messages`` per resident."""

    concurrency: int
    duration_s: float | None = None
    messages: int | None = None
    warmup_messages: int = 0  # per resident, sent before the clock starts, not measured
    seed: int = 20261130
    cycle: list[str] | None = None  # the same messages over and over, instead of random scripts
    # Seconds a resident takes to read an answer and type the next message (0.5 to 1.5 times
    # this, at random): 0 is the closed loop that measures capacity; a few seconds is
    # ordinary traffic, which leaves the machine room (bench/fuzz.py --pause).
    pause_s: float = 0.0


@dataclass
class _Start:
    """Residents warm up, say they are ready, then all start measuring at once."""

    ready: int = 0
    go: asyncio.Event = field(default_factory=asyncio.Event)


def _texts(scripts: dict[str, list[str]], rng: random.Random):
    """Whole conversations, one after the other, chosen at random."""
    names = sorted(scripts)
    while True:
        yield from scripts[rng.choice(names)]


async def _resident(number: int, channel: Channel, scripts: dict[str, list[str]], plan: Plan,
                    rng: random.Random, samples: list[Sample], stop: Callable[[], bool],
                    start: _Start) -> None:
    position = 0
    texts = itertools.cycle(plan.cycle) if plan.cycle else _texts(scripts, rng)
    for _ in range(plan.warmup_messages):
        await _send(channel, number, next(texts))
    start.ready += 1
    await start.go.wait()
    while not stop() and (plan.messages is None or position < plan.messages):
        position += 1
        began = time.perf_counter()
        ok = await _send(channel, number, next(texts))
        samples.append(Sample(position, time.perf_counter() - began, ok))
        if plan.pause_s:
            await asyncio.sleep(plan.pause_s * rng.uniform(0.5, 1.5))


async def _send(channel: Channel, resident: int, text: str) -> bool:
    try:
        ok = await asyncio.wait_for(channel.send(resident, text), REPLY_TIMEOUT_S + 5)
    except (aiohttp.ClientError, asyncio.TimeoutError):
        ok = False
    if isinstance(channel, SmsChannel):
        await channel.settle(resident)
    return ok


async def run_load(url: str, plan: Plan, *, stock: bool = False, sms_share: float = 0.0,
                   twilio: TwilioSetup | None = None) -> LoadResult:
    """Plays ``plan.concurrency`` residents against Relais (or the stock assistant's REST API)."""
    rng = random.Random(plan.seed)
    run_id = f"{plan.seed:x}{time.time_ns() % 10**9:x}"
    connector = aiohttp.TCPConnector(limit=0)
    api = FakeTwilioApi(twilio.account_sid, twilio.api_port) if twilio and sms_share else None
    if api is not None:
        await api.start()
    samples: list[Sample] = []
    try:
        async with aiohttp.ClientSession(connector=connector,
                                         timeout=aiohttp.ClientTimeout(total=60)) as session:
            channels: list[Channel]
            if stock:
                channels = [RestChannel(session, url, run_id)]
            else:
                web_channel = WebChannel(session, url, run_id)
                sms = SmsChannel(session, url, run_id, twilio, api) if api else None
                channels = [web_channel, sms] if sms else [web_channel]
            scripts = STOCK_CONVERSATIONS if stock else CONVERSATIONS
            sms_residents = round(plan.concurrency * sms_share) if len(channels) > 1 else 0
            start = _Start()
            deadline = [float("inf")]

            def stop() -> bool:
                return time.perf_counter() >= deadline[0]

            tasks = [
                asyncio.create_task(_resident(
                    n, channels[1] if n < sms_residents else channels[0], scripts, plan,
                    random.Random(rng.random()), samples, stop, start))
                for n in range(plan.concurrency)
            ]
            while start.ready < plan.concurrency:
                await asyncio.sleep(0.01)
            began = time.perf_counter()
            if plan.duration_s is not None:
                deadline[0] = began + plan.duration_s
            start.go.set()
            await asyncio.gather(*tasks)
            elapsed = time.perf_counter() - began
    finally:
        if api is not None:
            await api.stop()
    return LoadResult(plan.concurrency, elapsed, samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="the gateway")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 16, 64])
    parser.add_argument("--duration", type=float, default=30.0, help="seconds per level")
    parser.add_argument("--sms-share", type=float, default=0.0,
                        help="share of residents writing by SMS (needs --twilio-* below)")
    parser.add_argument("--twilio-port", type=int, help="port of the fake Twilio API to serve")
    parser.add_argument("--public-url", default="", help="the gateway's RELAIS_PUBLIC_URL")
    parser.add_argument("--twilio-sid", default="")
    parser.add_argument("--twilio-token", default="")
    parser.add_argument("--stock", action="store_true",
                        help="drive a stock Rasa assistant's REST channel instead of Relais")
    args = parser.parse_args()
    twilio = None
    if args.sms_share:
        twilio = TwilioSetup(args.public_url, args.twilio_sid, args.twilio_token,
                             args.twilio_port)
    for level in args.concurrency:
        result = asyncio.run(run_load(args.url, Plan(level, duration_s=args.duration),
                                      stock=args.stock, sms_share=args.sms_share,
                                      twilio=twilio))
        print(result.line(), flush=True)


if __name__ == "__main__":
    main()
