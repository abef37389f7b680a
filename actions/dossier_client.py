"""The action server's client of the gateway's internal dossier API (bot/dossiers/routes.py).

The action server never opens the database: dossiers, PDFs and erasure all go through the
gateway, which owns the store and the residents' channels.
"""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any

import aiohttp

from actions.handoff import gateway_url
from bot.identity import internal_token

log = logging.getLogger(__name__)

TIMEOUT = aiohttp.ClientTimeout(total=20)  # a PDF is rendered during "deliver"


class GatewayUnavailable(Exception):
    """The gateway did not answer, or refused: the resident is told to try again later."""


async def call(path: str, conversation_id: str, **body: Any) -> dict[str, Any]:
    """POSTs ``{"conversation_id", **body}`` to ``/internal/<path>``; the JSON answer."""
    secret = os.environ.get("RELAIS_SECRET_KEY", "")
    if not secret:
        raise GatewayUnavailable("RELAIS_SECRET_KEY not set")
    headers = {"Authorization": "Bearer " + internal_token(secret)}
    try:
        async with aiohttp.ClientSession(timeout=TIMEOUT) as session:
            async with session.post(f"{gateway_url()}/internal/{path}", headers=headers,
                                    json={"conversation_id": conversation_id, **body}) as resp:
                if resp.status in (200, 201, 202):
                    return await resp.json()
                # The path and status only: the body may hold the resident's answers.
                log.warning("gateway refused %s: HTTP %d", path, resp.status)
                raise GatewayUnavailable(f"HTTP {resp.status}")
    except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
        log.warning("gateway unreachable for %s: %s", path, type(exc).__name__)
        raise GatewayUnavailable(type(exc).__name__) from exc
