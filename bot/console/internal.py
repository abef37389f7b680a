"""The action server's calls to the gateway: ``POST /internal/handoffs`` puts a conversation
in the agents' queue; ``POST /internal/eligibility`` reports a calculation's outcome (counts
for /metrics and the statistics page; nothing about the resident).

Only loopback callers holding the internal token (derived from RELAIS_SECRET_KEY, see
``bot.identity.internal_token``) are heard: a resident's browser must not be able to queue or
silence a conversation.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
from typing import Any

from aiohttp import web

from bot.http_errors import dumps, json_error
from bot.identity import internal_token
from bot.store.handoff import NEEDS, REASONS, Handoffs

log = logging.getLogger("relais.handoff")

HANDOFFS_PATH = "/internal/handoffs"
ELIGIBILITY_PATH = "/internal/eligibility"
RIGHTS = frozenset({"css", "logement_social", "rsa", "prime_activite", "aide_logement",
                    "quotient_familial", "tarif_municipal", "mutuelle_communale",
                    "caisse_sociale_alimentaire"})
OUTCOMES = frozenset({"eligible", "eligible_with_participation", "not_eligible", "unknown",
                      "unavailable"})
_LOOPBACK = {"127.0.0.1", "::1", "::ffff:127.0.0.1"}
CONVERSATION_ID = re.compile(r"[0-9a-f]{32}")


def authorised(request: web.Request) -> bool:
    """Loopback, no proxy header, and the internal token: the action server and nothing else."""
    if request.remote not in _LOOPBACK or "X-Forwarded-For" in request.headers:
        return False
    expected = "Bearer " + internal_token(request.app["settings"].secret_key)
    given = request.headers.get("Authorization", "")
    return hmac.compare_digest(given.encode(), expected.encode())


async def internal_body(request: web.Request) -> tuple[dict[str, Any], str] | web.Response:
    """An action server's call: its JSON body and the conversation it names, or the error to
    answer (403 for anyone but the action server)."""
    if not authorised(request):
        return json_error(403, "forbidden")
    try:
        body = json.loads(await request.read())
    except ValueError:
        return json_error(400, "invalid_json")
    if not isinstance(body, dict):
        return json_error(422, "invalid_request")
    conversation = body.get("conversation_id")
    if not isinstance(conversation, str) or not CONVERSATION_ID.fullmatch(conversation):
        return json_error(422, "invalid_request", field="conversation_id")
    return body, conversation


async def create_handoff(request: web.Request) -> web.Response:
    """Queues ``{"conversation_id", "reason", "need"?}``; answers its place in the queue.

    ``need`` (``cannot_write``, ``no_documents``, ``complex_case``) goes with reason ``flow``.
    """
    parsed = await internal_body(request)
    if isinstance(parsed, web.Response):
        return parsed
    body, conversation = parsed
    reason = body.get("reason")
    if reason not in REASONS:
        return json_error(422, "invalid_request", field="reason")
    need = body.get("need")
    if need is not None and (reason != "flow" or need not in NEEDS):
        return json_error(422, "invalid_request", field="need")
    store = request.app["store"]
    handoffs: Handoffs = request.app["handoffs"]
    identities = await store.run(lambda r: r.identities_of(conversation))
    channel = "channels" if identities else "web"
    handoff, created = await store.run(
        lambda _r: handoffs.escalate(conversation, channel, reason, need))
    position = await store.run(lambda _r: handoffs.position(handoff.id))
    if created:
        request.app["metrics"].handoffs.inc(reason=handoff.reason)
    # No conversation id in the log: the reason and the queue are enough to follow the load.
    log.info("handoff %d %s (reason %s%s, position %d)", handoff.id,
             "queued" if created else "already open", handoff.reason,
             f" {handoff.need}" if handoff.need else "", position)
    return web.json_response({"handoff_id": handoff.id, "status": handoff.status,
                              "position": position, "created": created},
                             status=201 if created else 200, dumps=dumps)


async def record_eligibility(request: web.Request) -> web.Response:
    """Counts ``{"results": [{"right", "status"}…]}``; status "unavailable" when it failed."""
    if not authorised(request):
        return json_error(403, "forbidden")
    try:
        body = json.loads(await request.read())
    except ValueError:
        return json_error(400, "invalid_json")
    results = body.get("results") if isinstance(body, dict) else None
    if not isinstance(results, list) or not all(
            isinstance(r, dict) and r.get("right") in RIGHTS and r.get("status") in OUTCOMES
            for r in results):
        return json_error(422, "invalid_request", field="results")
    metrics = request.app["metrics"]
    statistics = request.app["statistics"]
    for result in results:
        metrics.eligibility_calls.inc(right=result["right"], outcome=result["status"])
    computed = [(r["right"], r["status"]) for r in results if r["status"] != "unavailable"]
    if computed:  # one trip to the store's thread for the whole calculation
        await request.app["store"].run(lambda _r: statistics.record_eligibility(computed))
    return web.json_response({"recorded": len(results)}, dumps=dumps)
