"""The gateway: the one HTTP entry point for residents and agents (``python -m bot.gateway``).

It sits in front of Rasa rather than using Rasa's own connectors (see docs/architecture.md):
it validates everything that comes in, keys conversations by pseudonymous ids, and answers
with a clear JSON error, never a stack trace, when something behind it is down.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import aiohttp
from aiohttp import web

from bot import heap, json_logs
from bot.admission import Admission
from bot.appointments.setup import setup_appointments
from bot.channels.setup import setup_channels
from bot.config import ConfigError, Settings
from bot.console.internal import (
    ELIGIBILITY_PATH,
    HANDOFFS_PATH,
    create_handoff,
    record_eligibility,
)
from bot.console.statistics import setup_statistics
from bot.console.views import setup_console
from bot.dossiers.routes import setup_dossier_routes
from bot.health import RecentStates, overall_status
from bot.http_errors import dumps, json_error
from bot.http_writes import one_write
from bot.metrics import GatewayMetrics
from bot.observability import (
    AccessLogger,
    ClientProtocolErrors,
    metrics_page,
    observe_requests,
)
from bot.rasa_pool import RasaPool
from bot.web_channel import OfferedButtons, get_messages, post_message

log = logging.getLogger("relais.gateway")

STATIC_DIR = Path(__file__).parent / "static"
MAX_BODY_BYTES = 64 * 1024

_HTTP_ERROR_CODES = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}


@web.middleware
async def json_errors(request: web.Request, handler):
    """Every error leaves as JSON in the shape of bot.http_errors, whatever raised it."""
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        code = _HTTP_ERROR_CODES.get(exc.status, "invalid_request")
        return json_error(exc.status, code)
    except Exception:
        # The traceback is logged without the request body: it may hold personal data.
        log.exception("Unhandled error on %s %s", request.method, request.path)
        return json_error(500, "internal_error")


async def health(request: web.Request) -> web.Response:
    states = await request.app["health"].get(request.app["http"], request.app["settings"])
    status = overall_status(states)
    body = {
        "status": status,
        "services": {name: ("up" if up else "down") for name, up in states.items()},
    }
    return web.json_response(body, status=503 if status == "unavailable" else 200, dumps=dumps)


async def chat_page(request: web.Request) -> web.FileResponse:
    return web.FileResponse(STATIC_DIR / "index.html")


async def _http_session(app: web.Application):
    session = aiohttp.ClientSession()
    app["http"] = session
    settings = app["settings"]
    app["rasa"] = RasaPool(session, settings.rasa_urls, settings.rasa_token,
                           admission=Admission(slots=settings.rasa_slots_per_instance
                                               * len(settings.rasa_urls)))
    yield
    await session.close()


def create_app(settings: Settings, clock: Callable[[], datetime] | None = None
               ) -> web.Application:
    """The gateway; ``clock`` (naive UTC) is for tests that need time to pass without sleeping."""
    app = web.Application(middlewares=[one_write, observe_requests, json_errors],
                          client_max_size=MAX_BODY_BYTES)
    app["settings"] = settings
    app["metrics"] = GatewayMetrics()
    app["clock"] = clock
    app["offered_buttons"] = OfferedButtons()
    app["health"] = RecentStates()  # a flood of /health must not become one on Rasa
    app.cleanup_ctx.append(_http_session)
    app.router.add_get("/", chat_page)
    app.router.add_get("/health", health)
    app.router.add_get("/metrics", metrics_page)
    app.router.add_post("/web/messages", post_message)
    app.router.add_get("/web/messages", get_messages)
    app.router.add_post(HANDOFFS_PATH, create_handoff)
    app.router.add_post(ELIGIBILITY_PATH, record_eligibility)
    app.router.add_static("/static/", STATIC_DIR)
    setup_channels(app)  # SMS, WhatsApp, Telegram and the store (bot/channels/, bot/store/)
    setup_console(app)  # the agents' console (bot/console/)
    setup_dossier_routes(app)  # the action server's way to dossiers and erasure
    setup_appointments(app)  # appointments, reminders, follow-ups (bot/appointments/)
    setup_statistics(app)  # social-needs counts (bot/store/usage.py), after the store
    return app


def main() -> None:
    json_logs.configure()
    logging.getLogger("aiohttp.server").addFilter(ClientProtocolErrors())
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        print(f"relais gateway: {exc}", file=sys.stderr)
        sys.exit(2)
    app = create_app(settings)
    app.on_startup.append(heap.freeze_on_gateway_start)  # after every other start-up step
    web.run_app(
        app,
        host=settings.host,
        port=settings.gateway_port,
        access_log_class=AccessLogger,
        print=None,
    )


if __name__ == "__main__":
    main()
