"""SMS and WhatsApp through Twilio: signed webhooks in, REST API out.

``POST /channels/twilio/sms`` and ``POST /channels/twilio/whatsapp`` (Twilio's "A message comes
in" webhook; both routes behave the same, the channel is told by the ``whatsapp:`` prefix of
``From``). Every request's ``X-Twilio-Signature`` is checked against RELAIS_PUBLIC_URL + path
with the twilio library's validator; the webhook answers an empty TwiML at once and the
conversation turn, with its replies through the REST API, happens in the background.
"""

from __future__ import annotations

import asyncio
import logging
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from urllib.parse import parse_qsl

import aiohttp
from aiohttp import web
from multidict import MultiDict
from twilio.base.exceptions import TwilioException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from bot.channels import messages as say
from bot.channels.conversation import Conversations
from bot.channels.media import MediaKind, TooLarge, download, media_kind
from bot.channels.text import sms_plain, sms_segments, split_message, with_numbered_choices
from bot.config import TwilioSettings
from bot.http_errors import json_error
from bot.rasa_client import BotMessage
from bot.store.models import utcnow
from bot.store.repository import AsyncStore, ChannelIdentity
from bot.web_channel import MAX_TEXT_CHARS

log = logging.getLogger("relais.channels.twilio")

SMS_PATH = "/channels/twilio/sms"
WHATSAPP_PATH = "/channels/twilio/whatsapp"
MAX_BODY_CHARS = 1600  # Twilio's limit for one message, both ways
MAX_MEDIA = 10  # Twilio sends at most 10 media per message
WHATSAPP_WINDOW = timedelta(hours=24)
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'

_PHONE = re.compile(r"\+?[0-9]{6,15}")
_SID = re.compile(r"[A-Za-z]{2}[0-9a-fA-F]{32}")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_STOP_WORDS = frozenset({"STOP", "ARRET", "STOPSMS", "STOP SMS", "DESINSCRIRE", "DESABONNER"})


@dataclass(frozen=True)
class InboundMedia:
    url: str
    content_type: str
    sid: str | None


@dataclass(frozen=True)
class Inbound:
    """A checked Twilio message: who, on which channel, what text and which media."""

    sid: str
    channel: Literal["sms", "whatsapp"]
    address: str  # E.164 phone number, without the whatsapp: prefix
    text: str
    media: tuple[InboundMedia, ...]


@dataclass(frozen=True)
class Delivery:
    """What happened to a message the town sent first (agent reply, reminder).

    ``template``: WhatsApp's 24-hour window was closed, the approved template went instead of
    the text (the console must say so); ``window_closed``: closed and no template configured.
    """

    status: Literal["sent", "template", "window_closed", "opted_out", "failed"]


def is_stop(text: str) -> bool:
    """STOP / ARRET / Arrêt ! — the whole message, any case and accents."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^A-Za-z ]", " ", plain).upper().split()) in _STOP_WORDS


def whatsapp_window_open(last_inbound_at: datetime | None, now: datetime) -> bool:
    """WhatsApp accepts free-form business messages only within 24 h of the user's last one."""
    return last_inbound_at is not None and now - last_inbound_at < WHATSAPP_WINDOW


def parse_form(raw: bytes) -> MultiDict[str] | None:
    """Twilio's form body; None when it is not UTF-8 form data."""
    try:
        text = raw.decode("utf-8")
        return MultiDict(parse_qsl(text, keep_blank_values=True, strict_parsing=False,
                                   max_num_fields=200))
    except (UnicodeDecodeError, ValueError):
        return None


def read_inbound(params: MultiDict[str]) -> Inbound | None:
    """The message in a signed form, or None when a required field is missing or malformed."""
    sid = params.get("MessageSid") or params.get("SmsMessageSid") or ""
    sender = params.get("From") or ""
    if not _SID.fullmatch(sid):
        return None
    channel: Literal["sms", "whatsapp"] = "sms"
    if sender.startswith("whatsapp:"):
        channel, sender = "whatsapp", sender[len("whatsapp:"):]
    if not _PHONE.fullmatch(sender):
        return None
    address = sender if sender.startswith("+") else f"+{sender}"
    try:
        count = min(int(params.get("NumMedia") or "0"), MAX_MEDIA)
    except ValueError:
        return None
    media = tuple(
        InboundMedia(url=params.get(f"MediaUrl{i}", ""),
                     content_type=params.get(f"MediaContentType{i}", ""),
                     sid=(params.get(f"MediaUrl{i}", "").rstrip("/").rsplit("/", 1)[-1] or None))
        for i in range(max(count, 0))
        if params.get(f"MediaUrl{i}")
    )
    text = _CONTROL_CHARS.sub("", params.get("Body") or "").strip()
    return Inbound(sid=sid, channel=channel, address=address, text=text, media=media)


class TwilioChannel:
    """The Twilio webhooks and the senders of SMS and WhatsApp messages."""

    def __init__(self, settings: TwilioSettings, public_url: str, store: AsyncStore,
                 conversations: Conversations, http: aiohttp.ClientSession):
        self.settings = settings
        self._public_url = public_url
        self._store = store
        self._conversations = conversations
        self._http = http
        self._validator = RequestValidator(settings.auth_token)
        self._client_http = AsyncTwilioHttpClient(timeout=20)
        self._client = Client(settings.account_sid, settings.auth_token,
                              http_client=self._client_http)
        # twilio 8.2 has no option for the API host: its domain object keeps it in base_url.
        self._client.api.base_url = settings.api_base_url
        self._media_auth = aiohttp.BasicAuth(settings.account_sid, settings.auth_token)

    def enabled(self, channel: str) -> bool:
        return bool(self.settings.whatsapp_from if channel == "whatsapp"
                    else self.settings.sms_from)

    async def close(self) -> None:
        await self._client_http.close()

    # --- inbound ---------------------------------------------------------------------------

    async def webhook(self, request: web.Request) -> web.Response:
        signature = request.headers.get("X-Twilio-Signature", "")
        if not signature:  # refused before the body is even read
            return json_error(403, "forbidden")
        if request.content_type != "application/x-www-form-urlencoded":
            return json_error(415, "unsupported_media_type_form")
        params = parse_form(await request.read())
        if params is None:
            return json_error(400, "invalid_form")
        url = self._public_url + request.path_qs
        if not self._validator.validate(url, params, signature):
            return json_error(403, "forbidden")
        inbound = read_inbound(params)
        if inbound is None:
            return json_error(422, "invalid_request")
        if not self.enabled(inbound.channel):
            return json_error(503, "channel_disabled")
        # One trip to the store's thread: the claim, then (first time only) who wrote.
        identity = await self._store.run(
            lambda r: r.record_inbound(inbound.channel, inbound.address)
            if r.claim_inbound("twilio", inbound.sid) else None)
        if identity is not None:
            self._conversations.spawn(self._turn(inbound, identity),
                                      f"twilio {inbound.channel} turn")
        return web.Response(text=EMPTY_TWIML, content_type="text/xml")

    async def _turn(self, inbound: Inbound, identity: ChannelIdentity) -> None:
        async with self._conversations.lock(identity.resident_id):
            if is_stop(inbound.text) and not inbound.media:
                await self._store.run(lambda r: r.set_opted_out(identity.id, True))
                await self._reply(identity, inbound.address, [BotMessage(say.OPTED_OUT)])
                return
            if identity.opted_out:  # writing again is asking to be answered again
                await self._store.run(lambda r: r.set_opted_out(identity.id, False))
            replies = [BotMessage(n) for n in await self._receive_media(identity, inbound)]
            if len(inbound.text) > MAX_TEXT_CHARS:
                replies.append(BotMessage(say.TEXT_TOO_LONG))
            elif inbound.text:
                replies += await self._conversations.ask(identity.resident_id, inbound.text,
                                                         message_id=inbound.sid[:64],
                                                         channel=inbound.channel)
            await self._reply(identity, inbound.address, replies)

    async def _receive_media(self, identity: ChannelIdentity, inbound: Inbound) -> list[str]:
        """Keeps photos and PDFs; returns what to tell the resident, once per kind of outcome."""
        notices: list[str] = []
        for item in inbound.media:
            notice = await self._receive_one(identity, inbound.channel, item)
            if notice not in notices:
                notices.append(notice)
        return notices

    async def _receive_one(self, identity: ChannelIdentity, channel: str,
                           item: InboundMedia) -> str:
        kind = media_kind(item.content_type)
        if kind is MediaKind.VOICE:
            return say.VOICE_NOTE
        if kind is MediaKind.OTHER:
            return say.UNSUPPORTED_MEDIA
        if not item.url.startswith(self.settings.api_base_url + "/"):
            # Only Twilio's own media URLs are fetched (with our credentials): no SSRF.
            log.warning("media URL outside the Twilio API refused")
            return say.DOCUMENT_FAILED
        try:
            data = await download(self._http, item.url, auth=self._media_auth)
        except TooLarge:
            return say.DOCUMENT_TOO_LARGE
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            log.warning("media download failed: %s", type(exc).__name__)
            return say.DOCUMENT_FAILED
        content_type = item.content_type.split(";")[0].strip().lower()
        await self._store.run(lambda r: r.save_document(
            identity.resident_id, channel, content_type, data, item.sid))
        return say.DOCUMENT_RECEIVED

    # --- outbound --------------------------------------------------------------------------

    def _bodies(self, channel: str, replies: list[BotMessage]) -> list[str]:
        """SMS: one body per turn (fewer segments); WhatsApp: one bubble per bot message."""
        rendered: list[str] = []
        number = 1
        for message in replies:
            rendered.append(with_numbered_choices(message, start=number))
            number += len(message.buttons)
        if channel == "sms":
            rendered = [sms_plain("\n\n".join(rendered))] if rendered else []
        return [piece for text in rendered for piece in split_message(text, MAX_BODY_CHARS)]

    async def _reply(self, identity: ChannelIdentity, address: str,
                     replies: list[BotMessage], media_url: str | None = None) -> None:
        """Answers a message the resident just sent: always inside WhatsApp's window."""
        messages: list[dict[str, str | list[str]]] = [
            {"body": body} for body in self._bodies(identity.channel, replies)]
        if media_url:
            # Twilio carries no caption with a WhatsApp document (its "Guidance on WhatsApp
            # Media Messages"): the text goes first, the file alone after it.
            messages.append({"media_url": [media_url]})
        sent, segments = 0, 0
        for content in messages:
            if not await self._create(identity.channel, address, **content):
                break
            sent += 1
            if identity.channel == "sms":
                segments += sms_segments(content["body"])
        if sent:
            counted = await self._store.run(
                lambda r: r.count_outbound(identity.id, sent, segments))
            if identity.channel == "sms" and counted is not None:
                log.info("sms reply: %d message(s), %d segment(s); conversation total %d",
                         sent, segments, counted.segments_out)

    async def _create(self, channel: str, address: str, **content: str | list[str]) -> bool:
        sender = self.settings.whatsapp_from if channel == "whatsapp" else self.settings.sms_from
        to = f"whatsapp:{address}" if channel == "whatsapp" else address
        try:
            await self._client.messages.create_async(to=to, from_=sender, **content)
        except (TwilioException, aiohttp.ClientError, asyncio.TimeoutError) as exc:
            # Twilio's error text quotes the number: keep the class and the code only.
            log.warning("twilio send failed: %s %s", type(exc).__name__,
                        getattr(exc, "code", "") or "")
            return False
        return True

    async def send_sms(self, phone: str, text: str) -> bool:
        """One SMS to a number that may not be a resident yet (a linking code)."""
        if not self.enabled("sms"):
            return False
        return await self._create("sms", phone, body=sms_plain(text))

    async def send_first(self, identity_id: int, replies: list[BotMessage],
                         media_url: str | None = None, during_turn: bool = False) -> Delivery:
        """Sends a message the resident did not just ask for (agent reply, reminder, a file).

        Refused after STOP. On WhatsApp more than 24 h after the resident's last message, only
        the approved template (TWILIO_WHATSAPP_TEMPLATE_SID) may go; the text does not.
        ``media_url`` (WhatsApp) is a file Twilio fetches, sent alone after the texts.
        ``during_turn``: asked from inside the resident's own turn (the PDF of the request they
        just confirmed), which already holds their lock: taking it again would wait forever.
        """
        identity = await self._store.run(lambda r: r.identity(identity_id))
        if identity is None or identity.opted_out:
            return Delivery("opted_out")
        address = await self._store.run(lambda r: r.address_of(identity_id))
        if identity.channel == "whatsapp" and not whatsapp_window_open(
                identity.last_inbound_at, utcnow()):
            template = self.settings.whatsapp_template_sid
            if template is None:
                return Delivery("window_closed")
            ok = await self._create("whatsapp", address, content_sid=template)
            return Delivery("template" if ok else "failed")
        async with self._conversations.lock_unless(during_turn, identity.resident_id):
            before = await self._store.run(lambda r: r.identity(identity_id))
            await self._reply(identity, address, replies, media_url)
            after = await self._store.run(lambda r: r.identity(identity_id))
        return Delivery("sent" if after.messages_out > before.messages_out else "failed")
