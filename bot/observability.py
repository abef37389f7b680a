"""The gateway's HTTP side of observability: request counts, the access log, ``GET /metrics``.

Routes are logged and counted by their pattern (``/channels/files/{token}``), never by the
path itself: a file link's token or a query string must not end up in a log line or a label.
"""

from __future__ import annotations

import hmac
import logging
import os

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger
from aiohttp.http_exceptions import HttpProcessingError

from bot.http_errors import json_error
from bot.metrics import CONTENT_TYPE, GatewayMetrics

METRICS_TOKEN_VARIABLE = "RELAIS_METRICS_TOKEN"
_LOOPBACK = {"127.0.0.1", "::1", "::ffff:127.0.0.1"}


def route_of(request: web.BaseRequest) -> str:
    """The route's pattern, or "unmatched" (a 404 must not put any path into a label).

    A request too broken to be routed (not HTTP, a line too long) has no match_info at all.
    """
    try:
        resource = request.match_info.route.resource  # type: ignore[attr-defined]
    except (AttributeError, AssertionError):
        return "unmatched"
    return resource.canonical if resource is not None else "unmatched"


class ClientProtocolErrors(logging.Filter):
    """aiohttp logs a request that is not valid HTTP as an error with its traceback.

    It is the client's fault and aiohttp already answered 400: one warning line with the
    error's class, so that real errors stay visible and a scanner cannot fill the log.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, HttpProcessingError):
            record.msg, record.args = "request refused, not valid HTTP: %s", (type(exc).__name__,)
            record.exc_info, record.exc_text = None, None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


def _status_class(status: int) -> str:
    return f"{status // 100}xx"


@web.middleware
async def observe_requests(request: web.Request, handler):
    """Counts every answer by route and status class, redirects and errors included."""
    metrics: GatewayMetrics = request.app["metrics"]
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        metrics.http_requests.inc(route=route_of(request), status=_status_class(exc.status))
        raise
    metrics.http_requests.inc(route=route_of(request), status=_status_class(response.status))
    return response


class AccessLogger(AbstractAccessLogger):
    """One JSON line per request: method, route pattern, status, milliseconds."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        self.logger.info("%s %s %d", request.method, route_of(request), response.status,
                         extra={"method": request.method, "route": route_of(request),
                                "status": response.status, "ms": round(time * 1000, 1)})


def _allowed(request: web.Request) -> bool:
    """Prometheus on the server itself, or anyone holding RELAIS_METRICS_TOKEN."""
    token = os.environ.get(METRICS_TOKEN_VARIABLE, "")
    if token:
        given = request.headers.get("Authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())
    return request.remote in _LOOPBACK and "X-Forwarded-For" not in request.headers


async def metrics_page(request: web.Request) -> web.Response:
    """``GET /metrics`` in Prometheus's text format; gauges are read at the moment of the scrape."""
    if not _allowed(request):
        return json_error(403, "forbidden")
    app = request.app
    metrics: GatewayMetrics = app["metrics"]
    handoffs = app.get("handoffs")
    if handoffs is not None:
        queue = await app["store"].run(lambda _r: handoffs.queue())
        metrics.handoff_queue.set(len(queue))
    conversations = app.get("conversations")
    if conversations is not None:
        metrics.turns_in_progress.set(conversations.in_progress)
    rasa = app.get("rasa")
    if rasa is not None:
        metrics.rasa_turns_waiting.set(rasa.admission.waiting)
    return web.Response(body=metrics.render().encode(), headers={"Content-Type": CONTENT_TYPE})

