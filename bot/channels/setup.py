"""Plugs the store and the residents' channels into the gateway's application.

Routes exist whether a channel is configured or not: an unconfigured channel answers 503
``channel_disabled`` (a clear JSON), and the gateway's log says at start which channels are on.
"""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web

from bot.channels.conversation import Conversations
from bot.channels.linking import PhoneLinking
from bot.channels.outbox import FILES_PATH, Outbox, download_file
from bot.channels.telegram_channel import WEBHOOK_PATH, TelegramChannel
from bot.channels.twilio_channel import SMS_PATH, WHATSAPP_PATH, TwilioChannel
from bot.config import Settings
from bot.console.routing import HandoffRouter
from bot.http_errors import json_error
from bot.store.handoff import Handoffs
from bot.store.models import utcnow
from bot.store.repository import AsyncStore, open_repository, purge_horizon

log = logging.getLogger("relais.channels")


def setup_channels(app: web.Application) -> None:
    """Registers the webhooks and the start/stop of the store and the channels."""
    app.router.add_post(SMS_PATH, _twilio_webhook)
    app.router.add_post(WHATSAPP_PATH, _twilio_webhook)
    app.router.add_post(WEBHOOK_PATH, _telegram_webhook)
    app.router.add_get(FILES_PATH, download_file)
    app.cleanup_ctx.append(_channels)


async def _twilio_webhook(request: web.Request) -> web.Response:
    channel: TwilioChannel | None = request.app["twilio"]
    if channel is None:
        return json_error(503, "channel_disabled")
    return await channel.webhook(request)


async def _telegram_webhook(request: web.Request) -> web.Response:
    channel: TelegramChannel | None = request.app["telegram"]
    if channel is None:
        return json_error(503, "channel_disabled")
    return await channel.webhook(request)


def channel_states(settings: Settings) -> dict[str, str]:
    """"on", or "off (<the variable to set>)", per channel: what the start-up log says."""
    twilio = settings.twilio

    def twilio_state(sender: str | None, variable: str) -> str:
        if twilio is None:
            return "off (TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN not set)"
        return "on (webhook)" if sender else f"off ({variable} not set)"

    telegram = "off (TELEGRAM_BOT_TOKEN not set)"
    if settings.telegram is not None:
        telegram = "on (webhook)" if settings.public_url else "on (polling, no RELAIS_PUBLIC_URL)"
    return {
        "sms": twilio_state(twilio and twilio.sms_from, "TWILIO_SMS_FROM"),
        "whatsapp": twilio_state(twilio and twilio.whatsapp_from, "TWILIO_WHATSAPP_FROM"),
        "telegram": telegram,
    }


async def _housekeeping(store: AsyncStore, every_s: float = 3600.0) -> None:
    """Hourly: forgets provider ids older than a week, deletes expired download links."""
    while True:
        try:
            forgotten = await store.run(lambda r: r.forget_inbound_before(purge_horizon(7)))
            purged = await store.run(lambda r: r.purge_expired_files())
            if forgotten or purged:
                log.info("housekeeping: %d provider id(s) forgotten, %d expired file(s) deleted",
                         forgotten, purged)
        except Exception as exc:  # noqa: BLE001 (retried next hour)
            log.warning("housekeeping failed: %s", type(exc).__name__)
        await asyncio.sleep(every_s)


async def _channels(app: web.Application):
    settings: Settings = app["settings"]
    # The providers' libraries log request URLs, headers and parameters at INFO level:
    # a phone number, a message text or the Telegram token would end up in the logs.
    for noisy in ("twilio", "httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # python-telegram-bot logs a whole update (the resident's words) at CRITICAL when one does
    # not parse: its logs are off; the channel logs its own failures by exception class.
    logging.getLogger("telegram").propagate = False
    store = AsyncStore(open_repository(settings.database_url, settings.secret_key,
                                       settings.data_dir))
    repository = store.repository
    app["handoffs"] = Handoffs(repository.engine, repository.keys, app.get("clock") or utcnow)
    app["handoff_router"] = HandoffRouter(store, app["handoffs"])
    conversations = Conversations(app["rasa"], app["offered_buttons"], app["handoff_router"],
                                  app["metrics"])
    app["store"] = store
    app["conversations"] = conversations
    app["twilio"] = (
        TwilioChannel(settings.twilio, settings.public_url or "", store, conversations,
                      app["http"])
        if settings.twilio else None
    )
    twilio: TwilioChannel | None = app["twilio"]
    linking = PhoneLinking(store, twilio.send_sms if twilio and twilio.enabled("sms") else None)
    app["telegram"] = (
        TelegramChannel(settings.telegram, settings.public_url, store, conversations, linking)
        if settings.telegram else None
    )
    app["outbox"] = Outbox(store, settings.public_url, twilio, app["telegram"])
    for name, state in channel_states(settings).items():
        log.info("channel %s: %s", name, state)
    polling: asyncio.Task | None = None
    if app["telegram"] is not None and settings.public_url:
        conversations.spawn(app["telegram"].register_webhook(), "telegram webhook registration")
    elif app["telegram"] is not None:
        polling = asyncio.create_task(app["telegram"].poll())
    housekeeping = asyncio.create_task(_housekeeping(store))
    yield
    for task in (polling, housekeeping):
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
    await conversations.drain()
    if app["twilio"] is not None:
        await app["twilio"].close()
    if app["telegram"] is not None:
        await app["telegram"].close()
    store.close()
