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


async def service_states(session: aiohttp.ClientSession, settings: Settings) -> dict[str, bool]:
    """True for each service that answers now.

    Rasa's /status needs the API token and answers only once a model is loaded, so a
    Rasa server still loading, or one whose token does not match ours, counts as down.
    """
    names = ("rasa", "actions", "eligibility")
    checks = (
        _probe(session, f"{settings.rasa_url}/status", {"token": settings.rasa_token}),
        _probe(session, f"{settings.actions_url}/health"),
        _probe(session, f"{settings.eligibility_url}/health"),
    )
    return dict(zip(names, await asyncio.gather(*checks), strict=True))
