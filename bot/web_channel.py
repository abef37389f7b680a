"""The local web channel: ``POST /web/messages`` and the chat page that uses it.

Validation happens here, before anything reaches Rasa: a resident's client can send
anything, and every bad request gets a 4xx JSON answer that says what is wrong.
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
from collections import OrderedDict

from aiohttp import web

from bot.http_errors import dumps, json_error
from bot.identity import conversation_id
from bot.rasa_client import AssistantTimeout, AssistantUnavailable, BotMessage, Button
from bot.rasa_pool import RasaPool

MAX_TEXT_CHARS = 4000  # a long life story fits; WhatsApp's own limit is 4,096
MAX_SENDER_CHARS = 128
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A client's id for its message: sent again with a retry, it is answered once (bot/rasa_pool.py).
_MESSAGE_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
# JSON may carry "\ud800": a lone surrogate is no character, and no UTF-8 can encode it.
_SURROGATES = re.compile(r"[\ud800-\udfff]")
MAX_AFTER_ID = 2**62  # message ids are SQL integers (64-bit)


class OfferedButtons:
    """The buttons last offered to each conversation, bounded in memory.

    Rasa reads a message starting with "/" as an intent: typed by a resident, "/restart" or
    "/crisis" would drive the dialogue. Only a payload the bot itself just offered goes through
    as such; any other leading slash is removed and the text goes to Rasa as plain words.
    Channels without buttons (SMS, WhatsApp) show them as numbered choices: ``choose`` maps
    the resident's "2" or the button's words back to the payload.
    """

    def __init__(self, capacity: int = 10_000):
        self._capacity = capacity
        self._buttons: OrderedDict[str, tuple[Button, ...]] = OrderedDict()

    def remember(self, conversation: str, messages: list[BotMessage]) -> None:
        self._buttons[conversation] = tuple(b for m in messages for b in m.buttons)
        self._buttons.move_to_end(conversation)
        while len(self._buttons) > self._capacity:
            self._buttons.popitem(last=False)

    def offered(self, conversation: str) -> tuple[Button, ...]:
        return self._buttons.get(conversation, ())

    def sanitize(self, conversation: str, text: str) -> str:
        offered = {b.payload for b in self.offered(conversation)}
        if text.startswith("/") and text not in offered:
            return text.lstrip("/").strip() or text.replace("/", " ").strip()
        return text

    def choose(self, conversation: str, text: str) -> str | None:
        """The payload a reply designates: its number ("2", "2.") or its exact words."""
        buttons = self.offered(conversation)
        wanted = _comparable(text)
        if not buttons or not wanted:
            return None
        if wanted.isdigit():
            index = int(wanted) - 1
            return buttons[index].payload if 0 <= index < len(buttons) else None
        for button in buttons:
            if _comparable(button.title) == wanted:
                return button.payload
        return None


def _comparable(text: str) -> str:
    """Lower case, no accents, no punctuation, single spaces: "Oui !" and "oui" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w\s]", " ", letters).split())


def _validate(body: object) -> tuple[str, str, str | None] | web.Response:
    if not isinstance(body, dict):
        return json_error(422, "invalid_request")
    sender, text, message_id = body.get("sender"), body.get("text"), body.get("message_id")
    if message_id is not None and (not isinstance(message_id, str)
                                   or not _MESSAGE_ID.fullmatch(message_id)):
        return json_error(422, "invalid_request", field="message_id")
    if (not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS
            or _SURROGATES.search(sender)):
        return json_error(422, "invalid_request", field="sender")
    if not isinstance(text, str):
        return json_error(422, "invalid_request", field="text")
    text = _SURROGATES.sub("", _CONTROL_CHARS.sub("", text)).strip()
    if not text:
        return json_error(422, "empty_text", field="text")
    if len(text) > MAX_TEXT_CHARS:
        return json_error(413, "text_too_long", field="text")
    return sender.strip(), text, message_id


async def post_message(request: web.Request) -> web.Response:
    if request.content_type != "application/json":
        return json_error(415, "unsupported_media_type")
    try:
        raw = await request.read()
        body = json.loads(raw.decode("utf-8"))
    except web.HTTPRequestEntityTooLarge:
        return json_error(413, "payload_too_large")
    except (UnicodeDecodeError, ValueError):
        return json_error(400, "invalid_json")
    validated = _validate(body)
    if isinstance(validated, web.Response):
        return validated
    sender, text, message_id = validated

    app = request.app
    conversation = conversation_id(app["settings"].secret_key, "web", sender)
    buttons: OfferedButtons = app["offered_buttons"]
    rasa: RasaPool = app["rasa"]
    router = app.get("handoff_router")
    metrics = app["metrics"]
    metrics.messages.inc(channel="web")
    started = time.perf_counter()
    if router is not None and await router.divert(conversation, text):
        # Agent mode: the console has the message; the person replies through GET below.
        return web.json_response({"messages": [], "mode": "agent"}, dumps=dumps)
    # "2" or a button's words stand for that button, as on SMS (its numbered choices).
    message = buttons.choose(conversation, text) or buttons.sanitize(conversation, text)
    if not message:  # nothing left once a typed "/…" was disarmed
        return json_error(422, "empty_text", field="text")
    try:
        messages = await rasa.send(conversation, message, message_id)
    except AssistantUnavailable:
        metrics.assistant_errors.inc(kind="unavailable")
        return json_error(503, "assistant_unavailable")
    except AssistantTimeout:
        metrics.assistant_errors.inc(kind="timeout")
        return json_error(504, "assistant_timeout")
    metrics.turn_seconds.observe(time.perf_counter() - started, channel="web")
    buttons.remember(conversation, messages)
    erasures = app.get("erasures")
    if erasures is not None:  # "supprimer mes données", confirmed in this turn
        messages = messages + await erasures.after_turn(conversation)
    return web.json_response({"messages": [m.as_json() for m in messages]}, dumps=dumps)


SENDER_HEADER = "X-Relais-Sender"


async def get_messages(request: web.Request) -> web.Response:
    """``GET /web/messages?after=<id>``: what agents wrote to this chat since ``after``.

    The chat page polls it, so a person's reply shows up without the resident writing first.
    The sender travels in the ``X-Relais-Sender`` header, not the query: the access log
    prints the request line, and a sender id is the resident's identity on this channel.
    """
    sender = request.headers.get(SENDER_HEADER, "").strip()
    if not sender or len(sender) > MAX_SENDER_CHARS:
        return json_error(422, "invalid_request", field="sender")
    try:
        after = int(request.query.get("after", "0"))
    except ValueError:
        after = -1
    if not 0 <= after <= MAX_AFTER_ID:
        return json_error(422, "invalid_request", field="after")
    app = request.app
    conversation = conversation_id(app["settings"].secret_key, "web", sender)
    handoffs = app["handoffs"]
    entries, mode = await app["store"].run(lambda _r: (
        handoffs.transcript(conversation, after_id=after, author="agent"),
        handoffs.mode_of(conversation)))
    messages = [{"id": e.id, "text": e.text, "from": "agent"} for e in entries]
    if "jobs" in app:  # an appointment reminder that had no channel to go out on
        messages += [{"from": "bot", **m.as_json()}
                     for m in await app["jobs"].web_reminders(conversation)]
    return web.json_response({"mode": mode, "messages": messages}, dumps=dumps)
