"""Telegram through the Bot API with python-telegram-bot: webhook in, ``telegram.Bot`` out.

``POST /channels/telegram/webhook`` takes the updates Telegram sends once the gateway has
registered the webhook (``setWebhook`` at start when RELAIS_PUBLIC_URL is set); without a public
URL (a local run) the gateway polls with ``getUpdates`` instead. The secret
token Telegram echoes in ``X-Telegram-Bot-Api-Secret-Token`` proves the sender; the update is
parsed with ``telegram.Update.de_json`` and handled in the background, like Twilio's.
Only private chats are served: a group would mix several residents in one conversation.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import re

from aiohttp import web
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Message,
    Update,
)
from telegram.error import TelegramError
from telegram.request import HTTPXRequest

from bot.channels import messages as say
from bot.channels.conversation import Conversations
from bot.channels.linking import PhoneLinking
from bot.channels.media import MAX_DOCUMENT_BYTES, MediaKind, media_kind
from bot.channels.text import split_message
from bot.config import TelegramSettings
from bot.http_errors import json_error
from bot.rasa_client import BotMessage
from bot.store.repository import AsyncStore, ChannelIdentity

log = logging.getLogger("relais.channels.telegram")

WEBHOOK_PATH = "/channels/telegram/webhook"
MAX_TEXT_CHARS = 4096  # Telegram's limit for one message
MAX_CALLBACK_BYTES = 64  # Telegram's limit for a button's callback_data
MAX_CAPTION_CHARS = 1024  # Telegram's limit for a document's caption
GREET_INTENT = "/greet"
ALLOWED_UPDATES = ["message", "callback_query"]
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_START = re.compile(r"/start(@\w+)?(\s.*)?", re.DOTALL)


def keyboard(message: BotMessage) -> InlineKeyboardMarkup | None:
    """One button per row; the payload rides in callback_data, or its number when too long."""
    if not message.buttons:
        return None
    rows = []
    for number, button in enumerate(message.buttons, start=1):
        fits = len(button.payload.encode()) <= MAX_CALLBACK_BYTES
        data = button.payload if fits else str(number)
        rows.append([InlineKeyboardButton(button.title[:64], callback_data=data)])
    return InlineKeyboardMarkup(rows)


def _for_a_resident(update: Update) -> bool:
    """A private message or a pressed button; edits, groups and channels are not served."""
    if update.callback_query is not None:
        origin = update.callback_query.message
        return origin is None or origin.chat.type == "private"
    return update.message is not None and update.message.chat.type == "private"


class TelegramChannel:
    """The Telegram webhook and the sender of Telegram messages."""

    def __init__(self, settings: TelegramSettings, public_url: str | None, store: AsyncStore,
                 conversations: Conversations, linking: PhoneLinking | None = None):
        self.settings = settings
        self._linking = linking
        self._public_url = public_url
        self._store = store
        self._conversations = conversations
        self._requests = (HTTPXRequest(connection_pool_size=8, read_timeout=20.0),
                          HTTPXRequest(connection_pool_size=1))
        # Not Bot.initialize(): it calls getMe, and the gateway must start without Telegram.
        self.bot = Bot(
            settings.token,
            base_url=f"{settings.api_base_url}/bot",
            base_file_url=f"{settings.api_base_url}/file/bot",
            request=self._requests[0],
            get_updates_request=self._requests[1],
        )

    async def register_webhook(self) -> None:
        """Tells Telegram where to post updates, and the secret to prove it is Telegram."""
        try:
            await self.bot.set_webhook(
                url=self._public_url + WEBHOOK_PATH,
                secret_token=self.settings.webhook_secret,
                allowed_updates=ALLOWED_UPDATES,
            )
            log.info("telegram: webhook registered")
        except TelegramError as exc:
            log.warning("telegram: setWebhook failed: %s", type(exc).__name__)

    async def close(self) -> None:
        for request in self._requests:
            await request.shutdown()

    # --- inbound ---------------------------------------------------------------------------

    async def webhook(self, request: web.Request) -> web.Response:
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not hmac.compare_digest(given.encode("utf-8", "replace"),
                                   self.settings.webhook_secret.encode()):
            return json_error(403, "forbidden")
        if request.content_type != "application/json":
            return json_error(415, "unsupported_media_type")
        try:
            data = json.loads((await request.read()).decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return json_error(400, "invalid_json")
        update_id = data.get("update_id") if isinstance(data, dict) else None
        if not isinstance(update_id, int) or isinstance(update_id, bool):
            return json_error(422, "invalid_request", field="update_id")
        try:
            update = Update.de_json(data, self.bot)
        except Exception:  # noqa: BLE001 (any malformed update is the sender's fault)
            return json_error(422, "invalid_request")
        await self.accept(update)
        return web.json_response({"ok": True})

    async def accept(self, update: Update) -> None:
        """Schedules the turn of an update for a resident, once per update_id."""
        if _for_a_resident(update) and await self._store.run(
                lambda r: r.claim_inbound("telegram", str(update.update_id))):
            self._conversations.spawn(self._turn(update), "telegram turn")

    async def poll(self, long_poll_s: int = 25) -> None:
        """Local use without a public URL: fetches updates with getUpdates until cancelled.

        Telegram refuses getUpdates while a webhook is set, so the webhook is removed first.
        Errors (network down, Telegram busy) are retried with a growing delay, up to 30 s.
        """
        delay = 1.0
        offset: int | None = None
        while True:
            try:
                if offset is None:
                    await self.bot.delete_webhook()
                    offset = 0
                    log.info("telegram: polling for updates (no RELAIS_PUBLIC_URL)")
                updates = await self.bot.get_updates(
                    offset=offset or None, timeout=long_poll_s, allowed_updates=ALLOWED_UPDATES)
                delay = 1.0
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 (polling must outlive any one failure)
                log.warning("telegram: polling failed: %s; retrying in %.0f s",
                            type(exc).__name__, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)
                continue
            for update in updates:
                offset = max(offset or 0, update.update_id + 1)
                try:
                    await self.accept(update)
                except Exception as exc:  # noqa: BLE001
                    log.error("telegram: update not accepted: %s", type(exc).__name__)

    async def _turn(self, update: Update) -> None:
        query = update.callback_query
        message = update.message
        if query is not None:
            await self._answer_callback(query.id)
            chat_id, text = query.from_user.id, query.data or ""
        else:
            chat_id, text = message.chat.id, message.text or message.caption or ""
        identity = await self._store.run(lambda r: r.record_inbound("telegram", str(chat_id)))
        text = _CONTROL_CHARS.sub("", text).strip()
        async with self._conversations.lock(identity.resident_id):
            replies: list[BotMessage] = []
            if message is not None:
                notice = await self._receive_media(identity, message)
                if notice:
                    replies.append(BotMessage(notice))
            linked = await self._linking.handle(identity, text) if self._linking and text else None
            if linked is not None:
                replies.append(BotMessage(linked))
            elif _START.fullmatch(text):
                replies += await self._conversations.ask(identity.resident_id, text,
                                                         intent=GREET_INTENT, channel="telegram")
            elif len(text) > MAX_TEXT_CHARS:
                replies.append(BotMessage(say.TEXT_TOO_LONG))
            elif text:
                replies += await self._conversations.ask(identity.resident_id, text,
                                                         channel="telegram")
            await self._send(identity, chat_id, replies)

    async def _answer_callback(self, query_id: str) -> None:
        """Stops the spinner on the resident's button, even if the rest fails."""
        try:
            await self.bot.answer_callback_query(query_id)
        except TelegramError as exc:
            log.warning("telegram: answerCallbackQuery failed: %s", type(exc).__name__)

    async def _receive_media(self, identity: ChannelIdentity, message: Message) -> str | None:
        if message.voice or message.audio or message.video_note:
            return say.VOICE_NOTE
        if message.photo:
            largest = max(message.photo, key=lambda p: (p.width * p.height, p.file_size or 0))
            file_id, size, content_type = largest.file_id, largest.file_size, "image/jpeg"
            unique_id = largest.file_unique_id
        elif message.document:
            document = message.document
            content_type = (document.mime_type or "").lower()
            if media_kind(content_type) is not MediaKind.DOCUMENT:
                return say.UNSUPPORTED_MEDIA
            file_id, size, unique_id = document.file_id, document.file_size, document.file_unique_id
        elif (message.video or message.sticker or message.animation or message.location
              or message.contact or message.poll or message.venue):
            return say.UNSUPPORTED_MEDIA
        else:
            return None
        if size is not None and size > MAX_DOCUMENT_BYTES:
            return say.DOCUMENT_TOO_LARGE
        try:
            telegram_file = await self.bot.get_file(file_id)
            if (telegram_file.file_size or 0) > MAX_DOCUMENT_BYTES:
                return say.DOCUMENT_TOO_LARGE
            data = bytes(await telegram_file.download_as_bytearray())
        except TelegramError as exc:
            log.warning("telegram: file download failed: %s", type(exc).__name__)
            return say.DOCUMENT_FAILED
        if len(data) > MAX_DOCUMENT_BYTES:
            return say.DOCUMENT_TOO_LARGE
        await self._store.run(lambda r: r.save_document(
            identity.resident_id, "telegram", content_type, data, unique_id))
        return say.DOCUMENT_RECEIVED

    # --- outbound --------------------------------------------------------------------------

    async def _send(self, identity: ChannelIdentity, chat_id: int | str,
                    replies: list[BotMessage]) -> int:
        """Each bot message as a Telegram message; its buttons on the last piece of it."""
        sent = 0
        for reply in replies:
            pieces = split_message(reply.text, MAX_TEXT_CHARS) or ["…"]
            for index, piece in enumerate(pieces):
                markup = keyboard(reply) if index == len(pieces) - 1 else None
                try:
                    await self.bot.send_message(chat_id=chat_id, text=piece, reply_markup=markup)
                except TelegramError as exc:
                    log.warning("telegram: sendMessage failed: %s", type(exc).__name__)
                    return sent
                sent += 1
        if sent:
            await self._store.run(lambda r: r.count_outbound(identity.id, sent, 0))
        return sent

    async def send_document(self, identity_id: int, filename: str, data: bytes,
                            caption: str, during_turn: bool = False) -> bool:
        """A file (the PDF dossier) as a Telegram document, with a short caption.

        ``during_turn``: from inside the resident's own turn (``Conversations.lock_unless``).
        """
        chat_id = await self._store.run(lambda r: r.address_of(identity_id))
        identity = await self._store.run(lambda r: r.identity(identity_id))
        async with self._conversations.lock_unless(during_turn, identity.resident_id):
            try:
                await self.bot.send_document(
                    chat_id=chat_id, document=InputFile(data, filename=filename),
                    caption=caption[:MAX_CAPTION_CHARS] or None)
            except TelegramError as exc:
                log.warning("telegram: sendDocument failed: %s", type(exc).__name__)
                return False
            await self._store.run(lambda r: r.count_outbound(identity_id, 1, 0))
        return True

    async def send_first(self, identity_id: int, replies: list[BotMessage]) -> bool:
        """Sends a message the resident did not just ask for (agent reply, reminder)."""
        identity = await self._store.run(lambda r: r.identity(identity_id))
        if identity is None or identity.opted_out:
            return False
        chat_id = await self._store.run(lambda r: r.address_of(identity_id))
        async with self._conversations.lock(identity.resident_id):
            return await self._send(identity, chat_id, replies) > 0
