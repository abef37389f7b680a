"""Tells the gateway the outcome of each eligibility calculation, as counts only.

The gateway keeps them for its /metrics and for the statistics page of the town's social-needs
analysis (bot/store/usage.py). Only the right and its status travel: nothing about the resident.
The report leaves in the background and its failure is ignored: a resident never waits on it.
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

TIMEOUT = aiohttp.ClientTimeout(total=2)
_pending: set[asyncio.Task] = set()


async def _post(results: list[dict[str, str]]) -> None:
    secret = os.environ.get("RELAIS_SECRET_KEY", "")
    if not secret:
        return
    headers = {"Authorization": "Bearer " + internal_token(secret)}
    try:
        async with aiohttp.ClientSession(timeout=TIMEOUT) as session:
            async with session.post(f"{gateway_url()}/internal/eligibility",
                                    json={"results": results}, headers=headers) as response:
                if response.status != 200:
                    log.warning("eligibility report refused: HTTP %d", response.status)
    except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
        log.warning("eligibility report: gateway unreachable (%s)", type(exc).__name__)


def report_eligibility(rights: list[str], results: dict[str, dict[str, Any]] | None) -> None:
    """Schedules the report: each right's status, or "unavailable" when the call failed."""
    outcome = [{"right": r, "status": str((results or {}).get(r, {}).get("status")
                                          or "unavailable")} for r in rights]
    task = asyncio.get_running_loop().create_task(_post(outcome))
    _pending.add(task)
    task.add_done_callback(_pending.discard)
