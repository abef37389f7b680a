"""Fake provider APIs on loopback, recording what the gateway sends them.

Each fake is a small aiohttp application run in its own thread and event loop, so a real
gateway process (started by the test) can call it while the test reads what it recorded.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.processes import free_port

TWILIO_SID = "AC" + "0" * 32
TWILIO_TOKEN = "twilio-test-auth-token"
TELEGRAM_TOKEN = "123456:TEST-telegram-token"
PHOTO_BYTES = b"\xff\xd8\xff\xe0 fake JPEG: AVIS D'IMPOSITION 2026 revenu fiscal 12345"


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    form: dict[str, Any] = field(default_factory=dict)
    json: Any = None


class FakeServer:
    """An aiohttp app in a thread; ``calls`` lists every request it received."""

    def __init__(self, app: web.Application):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.calls: list[Recorded] = []
        self._lock = threading.Lock()
        self._app = app
        self._loop = asyncio.new_event_loop()
        self._started = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def start(self) -> FakeServer:
        self._thread.start()
        assert self._started.wait(10)
        return self

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        runner = web.AppRunner(self._app, access_log=None)
        self._loop.run_until_complete(runner.setup())
        self._loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", self.port).start())
        self._runner = runner
        self._started.set()
        self._loop.run_forever()
        # Requests still waiting (a long poll) are cancelled rather than left pending.
        pending = [t for t in asyncio.all_tasks(self._loop) if not t.done()]
        for task in pending:
            task.cancel()
        self._loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        self._loop.close()

    def stop(self) -> None:
        cleanup = asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop)
        cleanup.result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def record(self, call: Recorded) -> None:
        with self._lock:
            self.calls.append(call)

    def matching(self, predicate: Callable[[Recorded], bool]) -> list[Recorded]:
        with self._lock:
            return [c for c in self.calls if predicate(c)]

    def wait_for(self, predicate: Callable[[Recorded], bool], count: int = 1,
                 timeout: float = 15) -> list[Recorded]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.matching(predicate)
            if len(found) >= count:
                return found
            time.sleep(0.05)
        raise AssertionError(f"expected {count} matching call(s), got {self.matching(predicate)}")

    def clear(self) -> None:
        with self._lock:
            self.calls.clear()


async def _recorded(request: web.Request) -> Recorded:
    call = Recorded(request.method, request.path, dict(request.headers))
    if request.content_type == "application/x-www-form-urlencoded":
        form = await request.post()
        call.form = {k: form.getall(k) if len(form.getall(k)) > 1 else form[k] for k in form}
    elif request.content_type == "application/json":
        call.json = await request.json()
    elif request.content_type.startswith("multipart/"):  # PTB's uploads (sendDocument)
        form = await request.post()
        call.form = {k: (v.file.read(), v.filename) if hasattr(v, "file") else v
                     for k, v in form.items()}
    return call


# --- Rasa --------------------------------------------------------------------------------

GREETING = [
    {"text": "Bonjour, je suis Relais. Je vous aide à connaître vos droits."},
    {"text": "Que puis-je faire pour vous ?",
     "buttons": [{"title": "Ce que vous savez faire", "payload": "/capabilities"},
                 {"title": "Parler à une personne", "payload": "/ask_human"},
                 {"title": "Complémentaire santé", "payload": "/css"}]},
]
LONG_ANSWER = " ".join(f"Phrase numéro {n} sur vos droits à la santé." for n in range(60))


def rasa_answer(message: str) -> list[dict]:
    if message in ("bonjour", "/greet"):
        return GREETING
    if message == "/capabilities":
        return [{"text": "Je peux vous dire à quelles aides vous avez droit."}]
    if message == "long":
        return [{"text": LONG_ANSWER}]
    return [{"text": f"Reçu : {message}"}]


def fake_rasa() -> FakeServer:
    """Rasa's REST channel: records (sender, message) and answers from ``rasa_answer``."""
    app = web.Application()
    server = FakeServer(app)

    async def webhook(request: web.Request) -> web.Response:
        call = await _recorded(request)
        server.record(call)
        if call.json["message"] == "lent":
            await asyncio.sleep(3)
        body = [{"recipient_id": call.json["sender"], **m}
                for m in rasa_answer(call.json["message"])]
        return web.json_response(body)

    app.router.add_post("/webhooks/rest/webhook", webhook)
    return server.start()


# --- Twilio ------------------------------------------------------------------------------

def media_path(message_sid: str, media_sid: str) -> str:
    return f"/2010-04-01/Accounts/{TWILIO_SID}/Messages/{message_sid}/Media/{media_sid}"


def fake_twilio() -> FakeServer:
    """Twilio's REST API: message creation (recorded) and media downloads.

    ``refusals``: how many of the next message creations fail as in an outage (HTTP 500);
    those calls go to ``refused``, not ``calls``: nothing reached the resident.
    """
    app = web.Application()
    server = FakeServer(app)
    server.refusals, server.refused = 0, []
    counter = iter(range(10**6))

    async def create_message(request: web.Request) -> web.Response:
        call = await _recorded(request)
        if server.refusals > 0:
            server.refusals -= 1
            server.refused.append(call)
            return web.json_response({"code": 20500, "message": "Internal Server Error",
                                      "status": 500}, status=500)
        server.record(call)
        sid = f"SM{next(counter):032x}"
        return web.json_response({
            "sid": sid, "account_sid": TWILIO_SID, "status": "queued",
            "to": call.form.get("To"), "from": call.form.get("From"),
            "body": call.form.get("Body"), "num_segments": "1",
        }, status=201)

    async def media(request: web.Request) -> web.Response:
        server.record(await _recorded(request))
        if request.match_info["media"].startswith("MEbig"):
            return web.Response(body=b"x" * (17 * 1024 * 1024), content_type="image/jpeg")
        return web.Response(body=PHOTO_BYTES, content_type="image/jpeg")

    app.router.add_post(f"/2010-04-01/Accounts/{TWILIO_SID}/Messages.json", create_message)
    app.router.add_get(f"/2010-04-01/Accounts/{TWILIO_SID}/Messages/{{msg}}/Media/{{media}}",
                       media)
    return server.start()


# --- Telegram ----------------------------------------------------------------------------

def fake_telegram() -> FakeServer:
    """The Bot API: records each method call with its parameters, serves one photo file."""
    app = web.Application()
    server = FakeServer(app)
    server.updates = []  # what getUpdates serves (polling mode)
    counter = iter(range(1, 10**6))

    async def method(request: web.Request) -> web.Response:
        call = await _recorded(request)
        call.path = request.match_info["method"]
        server.record(call)
        params = call.form or call.json or {}
        name = call.path
        if name == "getUpdates":
            offset = int(params.get("offset") or 0)
            result = [u for u in list(server.updates) if u["update_id"] >= offset]
            if not result:
                await asyncio.sleep(min(float(params.get("timeout") or 0), 0.5))
        elif name == "sendMessage":
            result: Any = {"message_id": next(counter), "date": int(time.time()),
                           "chat": {"id": int(params["chat_id"]), "type": "private"},
                           "text": params["text"]}
        elif name == "getFile":
            result = {"file_id": params["file_id"], "file_unique_id": "uniq-photo",
                      "file_size": len(PHOTO_BYTES), "file_path": "photos/file_1.jpg"}
        elif name == "getMe":
            result = {"id": 123456, "is_bot": True, "first_name": "Relais",
                      "username": "relais_test_bot"}
        else:
            result = True
        return web.json_response({"ok": True, "result": result})

    async def file(request: web.Request) -> web.Response:
        server.record(Recorded("GET", request.path, dict(request.headers)))
        if request.path != f"/file/bot{TELEGRAM_TOKEN}/photos/file_1.jpg":
            raise web.HTTPNotFound()
        return web.Response(body=PHOTO_BYTES, content_type="image/jpeg")

    app.router.add_post(f"/bot{TELEGRAM_TOKEN}/{{method}}", method)
    # PTB percent-encodes the file URL's path (the token's ":" becomes %3A).
    app.router.add_get("/file/{path:.*}", file)
    return server.start()


def telegram_params(call: Recorded) -> dict[str, Any]:
    """A Bot API call's parameters, with PTB's JSON-encoded values decoded."""
    params = dict(call.form or call.json or {})
    for key, value in params.items():
        if isinstance(value, str) and value[:1] in "{[":
            params[key] = json.loads(value)
    return params
