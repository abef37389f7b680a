"""Asks each process of the assistant whether it is up, for the gateway's /health."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import aiohttp

from bot.config import Settings

PROBE_TIMEOUT = aiohttp.ClientTimeout(total=2.0)


async def _probe(session: aiohttp.ClientSession, url: str, params: dict | None = None) -> bool:
    try:
        async with session.get(url, params=params, timeout=PROBE_TIMEOUT) as resp:
            return resp.status == 200
    except (aiohttp.ClientError, asyncio.TimeoutError):
        return False


def _names(kind: str, count: int) -> list[str]:
    return [kind] if count == 1 else [f"{kind}-{i + 1}" for i in range(count)]


async def service_states(session: aiohttp.ClientSession, settings: Settings) -> dict[str, bool]:
    """True for each service that answers now ("rasa-1", "rasa-2"… with several instances).

    Rasa's /status needs the API token and answers only once a model is loaded, so a
    Rasa server still loading, or one whose token does not match ours, counts as down.
    """
    names = (_names("rasa", settings.rasa_instances)
             + _names("actions", settings.actions_instances) + ["eligibility"])
    checks = (
        [_probe(session, f"{url}/status", {"token": settings.rasa_token})
         for url in settings.rasa_urls]
        + [_probe(session, f"{settings.url(port)}/health") for port in settings.actions_ports]
        + [_probe(session, f"{settings.eligibility_url}/health")]
    )
    return dict(zip(names, await asyncio.gather(*checks), strict=True))


class RecentStates:
    """The services' states for ``max_age_s``, and one probe at a time however many ask.

    ``GET /health`` is public: without this, each call made one request to every Rasa
    instance, action server and the eligibility service, so a flood of health checks
    became a flood on the processes that answer residents.
    """

    def __init__(self, max_age_s: float = 1.0, clock: Callable[[], float] = time.monotonic):
        self._max_age_s = max_age_s
        self._clock = clock
        self._states: dict[str, bool] | None = None
        self._taken_at = 0.0
        self._probing: asyncio.Task | None = None

    async def get(self, session: aiohttp.ClientSession, settings: Settings) -> dict[str, bool]:
        if self._states is not None and self._clock() - self._taken_at < self._max_age_s:
            return self._states
        if self._probing is None:
            self._probing = asyncio.create_task(service_states(session, settings))
            self._probing.add_done_callback(self._keep)
        return dict(await asyncio.shield(self._probing))

    def _keep(self, probing: asyncio.Task) -> None:
        self._probing = None
        if not probing.cancelled() and probing.exception() is None:
            self._states, self._taken_at = probing.result(), self._clock()


def overall_status(states: dict[str, bool]) -> str:
    """"ok" when all answer; "degraded" when one instance of each kind still does (residents
    are answered); "unavailable" otherwise."""
    if all(states.values()):
        return "ok"
    kinds = {name.split("-")[0] for name in states}
    up = {name.split("-")[0] for name, ok in states.items() if ok}
    return "degraded" if up == kinds else "unavailable"
