"""What the town sends first — agents' replies, reminders, the PDF dossier — on the resident's
own channel, with each channel's rules (STOP, WhatsApp's 24-hour window, files as links).

Issues 5 and 7 use this (``request.app["outbox"]``) rather than the channels themselves.
"""

from __future__ import annotations

import re
from datetime import timedelta

from aiohttp import web

from bot.channels.telegram_channel import TelegramChannel
from bot.channels.twilio_channel import Delivery, TwilioChannel
from bot.http_errors import json_error
from bot.rasa_client import BotMessage
from bot.store.repository import AsyncStore, ChannelIdentity

FILES_PATH = "/channels/files/{token}"
FILE_LINK_LIFETIME = timedelta(days=7)
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32,64}")
_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")


class Outbox:
    """Sends to a channel identity whatever its channel; answers with a ``Delivery``."""

    def __init__(self, store: AsyncStore, public_url: str | None,
                 twilio: TwilioChannel | None, telegram: TelegramChannel | None):
        self._store = store
        self._public_url = public_url
        self._twilio = twilio
        self._telegram = telegram

    async def _reachable(self, identity_id: int
                         ) -> tuple[ChannelIdentity | None, Delivery | None]:
        """The identity when its channel can carry a message now, else why not (a Delivery)."""
        identity = await self._store.run(lambda r: r.identity(identity_id))
        if identity is None:
            return None, Delivery("failed")
        if identity.opted_out:
            return identity, Delivery("opted_out")
        if identity.channel == "telegram":
            return identity, None if self._telegram is not None else Delivery("failed")
        if self._twilio is None or not self._twilio.enabled(identity.channel):
            return identity, Delivery("failed")
        return identity, None

    async def send_first(self, identity_id: int, messages: list[BotMessage]) -> Delivery:
        identity, refused = await self._reachable(identity_id)
        if refused is not None:
            return refused
        if identity.channel == "telegram":
            return Delivery("sent" if await self._telegram.send_first(identity_id, messages)
                            else "failed")
        return await self._twilio.send_first(identity_id, messages)

    async def send_document(self, identity_id: int, filename: str, content_type: str,
                            data: bytes, caption: str, during_turn: bool = False) -> Delivery:
        """Telegram carries the file; WhatsApp gets it as media, SMS as a download link.

        Links (``/channels/files/<token>``, valid 7 days) need RELAIS_PUBLIC_URL.
        ``during_turn``: called from inside the resident's own conversation turn (see
        ``Conversations.lock_unless``).
        """
        identity, refused = await self._reachable(identity_id)
        if refused is not None:
            return refused
        if identity.channel == "telegram":
            sent = await self._telegram.send_document(identity_id, filename, data, caption,
                                                      during_turn)
            return Delivery("sent" if sent else "failed")
        if not self._public_url:
            return Delivery("failed")
        link = await self.file_link(identity.resident_id, filename, content_type, data)
        if identity.channel == "whatsapp":
            return await self._twilio.send_first(identity_id, [BotMessage(caption)],
                                                 media_url=link, during_turn=during_turn)
        return await self._twilio.send_first(identity_id, [BotMessage(f"{caption}\n{link}")],
                                             during_turn=during_turn)


    async def file_link(self, resident_id: str, filename: str, content_type: str,
                        data: bytes) -> str:
        """A download link (valid 7 days) for a channel that cannot carry the file itself.

        Absolute with RELAIS_PUBLIC_URL; otherwise relative to the gateway, which is what the
        local web chat, served by the gateway, needs.
        """
        token = await self._store.run(lambda r: r.save_outbound_file(
            resident_id, filename, content_type, data, FILE_LINK_LIFETIME))
        return f"{self._public_url or ''}/channels/files/{token}"


async def download_file(request: web.Request) -> web.StreamResponse:
    """``GET /channels/files/<token>``: the file, while the link is valid; 404 otherwise."""
    token = request.match_info["token"]
    if not _TOKEN.fullmatch(token):
        return json_error(404, "not_found")
    store: AsyncStore = request.app["store"]
    found = await store.run(lambda r: r.read_outbound_file(token))
    if found is None:
        return json_error(404, "not_found")
    filename, content_type, data = found
    safe_name = _UNSAFE_FILENAME.sub("_", filename) or "document"
    return web.Response(body=data, content_type=content_type, headers={
        "Content-Disposition": f'attachment; filename="{safe_name}"',
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
    })
