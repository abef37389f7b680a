"""The gateway's internal API for dossiers and erasure: the action server's only way to the store.

The action server never opens the database: it asks here (loopback, internal token, see
``bot.console.internal.authorised``) to open, read and fill a resident's dossier, to deliver its
PDF through the resident's own channel (``Outbox``), and to erase a resident. Every body is
JSON and names the conversation; a dossier is only ever reached through its own resident.

Erasure is asked during a Rasa turn but done after it: Rasa saves the conversation when its
turn ends, and would write back the events deleted in the middle of it. So ``/internal/
erasures`` only marks the conversation; the channel erases once Rasa has answered
(``Erasures.after_turn``) and adds to the reply what was erased.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from functools import lru_cache, wraps
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.console.internal import internal_body
from bot.dossiers.erasure import ErasureReport, erase_resident, tracker_database_url
from bot.dossiers.forms import load_requests
from bot.dossiers.service import resident_pdf, summary
from bot.http_errors import dumps, json_error
from bot.rasa_client import BotMessage
from bot.store.dossiers import RIGHTS, VARIANTS, Dossier, DossierStore
from bot.store.repository import AsyncStore

log = logging.getLogger("relais.dossiers")

DOMAIN_PATH = Path(__file__).resolve().parents[2] / "domain.yml"
# Answers in progress: the bot may go on filling them. A confirmed dossier ("pret") is done.
IN_PROGRESS = ("en_cours", "a_confirmer")
# What a new dossier takes from the resident's latest other dossier: asked once, not per form.
SHARED_IDENTITY = ("nom", "prenom", "date_naissance", "adresse", "telephone", "nationalite")
PDF_TYPE = "application/pdf"


@lru_cache(maxsize=1)
def _responses() -> dict[str, str]:
    """The first text of each response in domain.yml: the bot's sentences stay in one place."""
    import yaml

    with DOMAIN_PATH.open(encoding="utf-8") as handle:
        domain = yaml.safe_load(handle)
    return {name: variants[0]["text"] for name, variants in domain["responses"].items()}


def sentence(name: str, **values: Any) -> str:
    return _responses()[name].format(**values)


def dossier_json(dossier: Dossier) -> dict[str, Any]:
    return {"id": dossier.id, "code": dossier.code, "right": dossier.right,
            "variant": dossier.variant, "status": dossier.status, "answers": dossier.answers,
            "summary": [list(line) for line in summary(dossier)]}


class Erasures:
    """Conversations whose resident asked to be erased, erased when Rasa's turn is over."""

    def __init__(self, store: AsyncStore, dossiers: DossierStore, tracker_url: str):
        self._store = store
        self._dossiers = dossiers
        self._tracker_url = tracker_url
        self._pending: set[str] = set()

    def request(self, conversation: str) -> None:
        self._pending.add(conversation)

    async def after_turn(self, conversation: str) -> list[BotMessage]:
        """Erases the resident if they asked in this turn; the sentences saying what went."""
        if conversation not in self._pending:
            return []
        self._pending.discard(conversation)
        report: ErasureReport = await self._store.run(
            lambda _r: erase_resident(self._dossiers, conversation, self._tracker_url))
        return [BotMessage(sentence("utter_erasure_done", dossiers=report.dossiers,
                                    documents=report.documents)),
                BotMessage(sentence("utter_erasure_forgotten"))]


def setup_dossier_routes(app: web.Application) -> None:
    """Registers the routes; the store comes from ``setup_channels`` at start."""
    app.router.add_post("/internal/dossiers/open", open_dossier)
    app.router.add_post("/internal/dossiers/current", current_dossier)
    app.router.add_post("/internal/dossiers/get", get_dossier)
    app.router.add_post("/internal/dossiers/answers", update_answers)
    app.router.add_post("/internal/dossiers/status", set_status)
    app.router.add_post("/internal/dossiers/deliver", deliver)
    app.router.add_post("/internal/erasures", request_erasure)
    app.cleanup_ctx.append(_dossier_store)


async def _dossier_store(app: web.Application):
    store: AsyncStore = app["store"]
    repository = store.repository
    if "dossiers" not in app:  # the console's, when it is set up first: one store per app
        app["dossiers"] = DossierStore(repository.engine, repository.keys,
                                       app["settings"].data_dir)
    dossiers = app["dossiers"]
    app["erasures"] = Erasures(store, dossiers, tracker_database_url(app["settings"].data_dir))
    app["conversations"].erasures = app["erasures"]
    yield


async def _own_dossier(request: web.Request, body: dict[str, Any], conversation: str
                       ) -> Dossier | web.Response:
    dossier_id = body.get("dossier_id")
    if not isinstance(dossier_id, str):
        return json_error(422, "invalid_request", field="dossier_id")
    dossiers: DossierStore = request.app["dossiers"]
    try:
        return await request.app["store"].run(
            lambda _r: dossiers.get_for_resident(conversation, dossier_id))
    except KeyError:
        return json_error(404, "not_found")


ConversationHandler = Callable[[web.Request, dict[str, Any], str], Awaitable[web.Response]]
DossierHandler = Callable[[web.Request, dict[str, Any], str, Dossier], Awaitable[web.Response]]


def _for_conversation(handler: ConversationHandler) -> Callable[[web.Request],
                                                                 Awaitable[web.Response]]:
    """The route runs ``handler`` with the action server's body and the conversation it names
    (or answers the caller's error: 403, 400, 422)."""
    @wraps(handler)
    async def route(request: web.Request) -> web.Response:
        parsed = await internal_body(request)
        if isinstance(parsed, web.Response):
            return parsed
        body, conversation = parsed
        return await handler(request, body, conversation)
    return route


def _for_own_dossier(handler: DossierHandler) -> Callable[[web.Request],
                                                           Awaitable[web.Response]]:
    """As ``_for_conversation``, with the body's ``dossier_id`` found among that resident's
    own dossiers (422 without one, 404 for anyone else's)."""
    @_for_conversation
    @wraps(handler)
    async def route(request: web.Request, body: dict[str, Any], conversation: str
                    ) -> web.Response:
        dossier = await _own_dossier(request, body, conversation)
        if isinstance(dossier, web.Response):
            return dossier
        return await handler(request, body, conversation, dossier)
    return route


def _ok(dossier: Dossier | None, status: int = 200, **extra: Any) -> web.Response:
    body = {"dossier": dossier_json(dossier) if dossier else None, **extra}
    return web.json_response(body, status=status, dumps=dumps)


@_for_conversation
async def open_dossier(request: web.Request, body: dict[str, Any], conversation: str
                       ) -> web.Response:
    """``{conversation_id, right, variant?}``: the request in progress for that right, or a new
    one pre-filled with what the resident's latest other dossier already says of them."""
    right, variant = body.get("right"), body.get("variant")
    if right not in RIGHTS:
        return json_error(422, "invalid_request", field="right")
    if variant not in VARIANTS.get(right, (None,)):
        return json_error(422, "invalid_request", field="variant")
    dossiers: DossierStore = request.app["dossiers"]

    def open_or_create() -> tuple[Dossier, bool]:
        dossiers.ensure_resident(conversation)
        mine = dossiers.for_resident(conversation)
        for dossier in reversed(mine):
            if (dossier.right, dossier.variant) == (right, variant) \
                    and dossier.status in IN_PROGRESS:
                return dossier, False
        created = dossiers.create(conversation, right, variant)
        known = {}
        for earlier in reversed(mine):
            known = {k: v for k, v in earlier.answers.items() if k in SHARED_IDENTITY}
            if known:
                break
        fields = {f.id for f in load_requests()[right].fields_for(variant)}
        known = {k: v for k, v in known.items() if k in fields}
        if known:
            created = dossiers.update_answers(created.id, known, actor="relais")
        return created, True

    dossier, created = await request.app["store"].run(lambda _r: open_or_create())
    # The right, not the resident: the load per request is what operations need.
    log.info("dossier %s %s", "created" if created else "resumed", right)
    return _ok(dossier, 201 if created else 200, created=created)


@_for_conversation
async def current_dossier(request: web.Request, body: dict[str, Any], conversation: str
                          ) -> web.Response:
    """``{conversation_id}``: the resident's request in progress last touched, or null."""
    dossiers: DossierStore = request.app["dossiers"]
    mine = await request.app["store"].run(lambda _r: dossiers.for_resident(conversation))
    open_ones = [d for d in mine if d.status in IN_PROGRESS]
    return _ok(max(open_ones, key=lambda d: d.updated_at) if open_ones else None)


@_for_own_dossier
async def get_dossier(request: web.Request, body: dict[str, Any], conversation: str,
                      dossier: Dossier) -> web.Response:
    """``{conversation_id, dossier_id}``: one of the resident's dossiers (not audited: the bot
    talking to that resident, not a person reading it)."""
    return _ok(dossier)


@_for_own_dossier
async def update_answers(request: web.Request, body: dict[str, Any], conversation: str,
                         dossier: Dossier) -> web.Response:
    """``{conversation_id, dossier_id, answers}``: merges answers of fields of that request."""
    answers = body.get("answers")
    fields = {f.id for f in load_requests()[dossier.right].fields_for(dossier.variant)}
    if not isinstance(answers, dict) or not answers or not set(answers) <= fields:
        return json_error(422, "invalid_request", field="answers")
    dossiers: DossierStore = request.app["dossiers"]
    updated = await request.app["store"].run(
        lambda _r: dossiers.update_answers(dossier.id, answers, actor="resident"))
    return _ok(updated)


@_for_own_dossier
async def set_status(request: web.Request, body: dict[str, Any], conversation: str,
                     dossier: Dossier) -> web.Response:
    """``{conversation_id, dossier_id, status}``: the bot's steps (a_confirmer, abandonne)."""
    status = body.get("status")
    if status not in ("en_cours", "a_confirmer", "abandonne"):
        return json_error(422, "invalid_request", field="status")
    dossiers: DossierStore = request.app["dossiers"]
    updated = await request.app["store"].run(
        lambda _r: dossiers.set_status(dossier.id, status, actor="relais"))
    return _ok(updated)


@_for_own_dossier
async def deliver(request: web.Request, body: dict[str, Any], conversation: str,
                  dossier: Dossier) -> web.Response:
    """``{conversation_id, dossier_id}``: the PDF to the resident, and the dossier is ready.

    On the resident's own channel through the Outbox (Telegram carries the file, WhatsApp and
    SMS get it by link); the web chat, which has no channel identity, gets a download link.
    Answers ``delivery``: "sent", "link" (with ``link``) or "failed".
    """
    app = request.app
    dossiers: DossierStore = app["dossiers"]
    filename, data = await app["store"].run(
        lambda _r: resident_pdf(dossiers, conversation, dossier.id))
    identities = await app["store"].run(lambda r: r.identities_of(conversation))
    outbox = app["outbox"]
    link = None
    if identities:
        latest = max(identities, key=lambda i: (i.last_inbound_at or datetime.min, i.id))
        caption = sentence("utter_request_pdf_caption", code=dossier.code)
        # Only the action server calls this, inside the turn where the resident confirmed:
        # that turn holds the resident's lock, which the channel must not wait for.
        delivery = (await outbox.send_document(latest.id, filename, PDF_TYPE, data,
                                               caption, during_turn=True)).status
    else:
        link = await outbox.file_link(conversation, filename, PDF_TYPE, data)
        delivery = "link"
    if delivery in ("sent", "link"):
        dossier = await app["store"].run(lambda _r: dossiers.set_status(dossier.id, "pret"))
    log.info("dossier pdf %s: %s", dossier.right, delivery)
    return _ok(dossier, delivery=delivery, link=link)


@_for_conversation
async def request_erasure(request: web.Request, body: dict[str, Any], conversation: str
                          ) -> web.Response:
    """``{conversation_id}``: erase this resident once the current Rasa turn has answered."""
    request.app["erasures"].request(conversation)
    return web.json_response({"status": "scheduled"}, status=202, dumps=dumps)
