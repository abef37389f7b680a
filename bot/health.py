"""Asks each process of the assistant whether it is up, for the gateway's /health."""

from __future__ import annotations

import asyncio

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


def overall_status(states: dict[str, bool]) -> str:
    """"ok" when all answer; "degraded" when one instance of each kind still does (residents
    are answered); "unavailable" otherwise."""
    if all(states.values()):
        return "ok"
    kinds = {name.split("-")[0] for name in states}
    up = {name.split("-")[0] for name, ok in states.items() if ok}
    return "degraded" if up == kinds else "unavailable"
