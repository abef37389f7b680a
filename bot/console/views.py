"""The console's pages and JSON API (``/console``), served by the gateway.

Pages are plain HTML with one script (``static/console.js``) that polls the queue, so the
list updates without reloading. Every opening or change of a conversation goes to the audit
log. Commission members only review anonymized dossiers: conversations are never anonymized,
so every conversation endpoint refuses them (and logs the attempt).
"""

from __future__ import annotations

import asyncio
import html
import logging
import secrets
from datetime import datetime
from pathlib import Path

import aiohttp
import yaml
from aiohttp import web

from bot.console import auth
from bot.http_errors import dumps, json_error
from bot.rasa_client import BotMessage
from bot.store.handoff import (
    DUMMY_HASH,
    OUTCOMES,
    ConsoleSession,
    Handoff,
    Handoffs,
    check_password,
)

log = logging.getLogger("relais.console")

STATIC_DIR = Path(__file__).parent / "static"
CANNED_PATH = Path(__file__).parent / "canned.yml"
MAX_REPLY_CHARS = 1600  # ten SMS segments: an agent's answer, not a letter
ROLE_LABELS = {"agent": "Agent", "supervisor": "Superviseur·e", "commission": "Commission"}
SPECIALITY_LABELS = {"ecrivain_public": "Écrivain public",
                     "france_services": "Conseiller France services",
                     "travailleur_social": "Travailleur social"}
REASON_LABELS = {"crisis": "Crise", "asked": "Demande une personne",
                 "misunderstood": "Incompréhensions", "flow": "Dossier complexe"}
OUTCOME_LABELS = {"resolved": "Réglé", "dossier_started": "Dossier commencé",
                  "appointment_needed": "Rendez-vous à prendre", "redirected": "Orienté ailleurs",
                  "no_answer": "Sans réponse du résident", "handed_back": "Rendu à l'assistant"}
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


PASSWORD_CHECKS = web.AppKey("password_checks", asyncio.Semaphore)


def setup_console(app: web.Application) -> None:
    app[PASSWORD_CHECKS] = asyncio.Semaphore(1)
    add = app.router
    add.add_get("/console", console_page)
    add.add_get(auth.LOGIN_PATH, login_page)
    add.add_post(auth.LOGIN_PATH, login)
    add.add_post("/console/logout", logout)
    add.add_get("/console/dossiers", dossiers_page)
    add.add_get("/console/api/me", api_me)
    add.add_get("/console/api/queue", api_queue)
    add.add_get("/console/api/colleagues", api_colleagues)
    add.add_get("/console/api/canned", api_canned)
    handoff = "/console/api/handoffs/{handoff_id:\\d{1,18}}"  # ids fit SQLite's integers
    add.add_get(handoff, api_handoff)
    for action in ("take", "reply", "note", "transfer", "handback", "close"):
        add.add_post(f"{handoff}/{action}", _ACTIONS[action])
    add.add_static("/console/static/", STATIC_DIR)


def _html(body: str, title: str, status: int = 200, head: str = "") -> web.Response:
    document = (
        '<!doctype html><html lang="fr"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)} — Relais console</title>"
        f'<link rel="stylesheet" href="/console/static/console.css">{head}</head>'
        f"{body}</html>"
    )
    return web.Response(text=document, content_type="text/html", status=status,
                        headers=SECURITY_HEADERS)


def _topbar(session: ConsoleSession) -> str:
    user = session.user
    role = ROLE_LABELS[user.role]
    if user.speciality:
        role += " · " + SPECIALITY_LABELS[user.speciality]
    links = ('<a href="/console/statistics">Statistiques</a>'
             if user.role == "supervisor" else "")
    return (
        '<header class="topbar"><span class="brand">Relais <small>console</small></span>'
        f'{links}<span class="who">{html.escape(user.display_name)} '
        f'<small>{html.escape(role)}</small>'
        '</span><form method="post" action="/console/logout">'
        f'<input type="hidden" name="csrf" value="{html.escape(session.csrf_token)}">'
        '<button type="submit" class="link">Se déconnecter</button></form></header>'
    )


# --- login -------------------------------------------------------------------------------


async def login_page(request: web.Request, error: str = "") -> web.Response:
    if await auth.current_session(request) is not None and not error:
        raise web.HTTPFound("/console")
    token = secrets.token_urlsafe(32)
    message = f'<p class="error" role="alert">{html.escape(error)}</p>' if error else ""
    body = (
        '<body class="login"><main class="login-card"><h1>Relais <small>console</small></h1>'
        f'{message}<form method="post" action="{auth.LOGIN_PATH}">'
        f'<input type="hidden" name="csrf" value="{token}">'
        '<label for="username">Identifiant</label>'
        '<input id="username" name="username" autocomplete="username" required autofocus>'
        '<label for="password">Mot de passe</label>'
        '<input id="password" name="password" type="password" '
        'autocomplete="current-password" required>'
        '<button type="submit" class="primary">Se connecter</button></form></main></body>'
    )
    response = _html(body, "Connexion", status=401 if error else 200)
    response.set_cookie(auth.LOGIN_CSRF_COOKIE, token, httponly=True, samesite="Strict",
                        path=auth.LOGIN_PATH, max_age=3600)
    return response


async def login(request: web.Request) -> web.StreamResponse:
    form = await auth.read_form(request)
    if form is None:
        return json_error(400, "invalid_form")
    if not auth.csrf_ok(request.cookies.get(auth.LOGIN_CSRF_COOKIE, ""), form.get("csrf")):
        return json_error(403, "csrf_failed")
    username = str(form.get("username", ""))[:64]
    password = str(form.get("password", ""))[:256]
    handoffs: Handoffs = request.app["handoffs"]
    store = request.app["store"]
    stored = await store.run(lambda _r: handoffs.password_hash(username))
    # scrypt runs beside the store's thread, one check at a time: a flood of logins uses one
    # core at most and never delays residents' messages, which wait on the store's thread.
    async with request.app[PASSWORD_CHECKS]:
        ok = await asyncio.get_running_loop().run_in_executor(
            None, check_password, password, stored or DUMMY_HASH)
    result = None
    if ok and stored:
        result = await store.run(
            lambda _r: handoffs.open_session(username, auth.SESSION_LIFETIME))
    if result is None:
        return await login_page(request, error="Identifiant ou mot de passe incorrect.")
    token, session = result
    target = "/console/dossiers" if session.user.role == "commission" else "/console"
    response = web.HTTPFound(target)
    auth.set_session_cookie(response, request, token)
    response.del_cookie(auth.LOGIN_CSRF_COOKIE, path=auth.LOGIN_PATH)
    raise response


@auth.page()
async def logout(request: web.Request) -> web.StreamResponse:
    handoffs: Handoffs = request.app["handoffs"]
    token = request.cookies.get(auth.COOKIE, "")
    await request.app["store"].run(lambda _r: handoffs.logout(token))
    response = web.HTTPFound(auth.LOGIN_PATH)
    response.del_cookie(auth.COOKIE, path="/console")
    raise response


# --- pages -------------------------------------------------------------------------------


@auth.page(auth.AGENT_ROLES)
async def console_page(request: web.Request) -> web.Response:
    session: ConsoleSession = request["console"]
    head = f'<meta name="csrf-token" content="{html.escape(session.csrf_token)}">'
    body = (
        f'<body class="app">{_topbar(session)}<div class="layout">'
        '<aside class="queue" aria-label="File d\'attente"><div class="pane-title">'
        '<h2>File d\'attente</h2><span id="queue-count" class="count">…</span></div>'
        '<ol id="queue" aria-live="polite"></ol><p id="queue-status" class="muted"></p></aside>'
        '<main id="conversation" class="conversation"><p class="empty">Choisissez une '
        'conversation dans la file. Les crises sont en tête.</p></main></div>'
        '<script src="/console/static/console.js"></script></body>'
    )
    return _html(body, "File d'attente", head=head)


@auth.page(frozenset({"commission", "supervisor"}))
async def dossiers_page(request: web.Request) -> web.Response:
    session: ConsoleSession = request["console"]
    body = (
        f'<body class="app">{_topbar(session)}<main class="dossiers"><h2>Dossiers anonymisés'
        '</h2><p class="empty">Aucun dossier à examiner pour l\'instant. Les dossiers soumis à '
        'la commission apparaîtront ici sans nom, adresse ni numéro.</p></main></body>'
    )
    return _html(body, "Dossiers")


# --- JSON API ----------------------------------------------------------------------------


def _json(data: object, status: int = 200) -> web.Response:
    return web.json_response(data, status=status, dumps=dumps, headers={"Cache-Control":
                                                                        "no-store"})


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") + "Z" if moment else None


def _summary(handoff: Handoff, now: datetime) -> dict:
    return {
        "id": handoff.id, "reason": handoff.reason, "reason_label": REASON_LABELS[handoff.reason],
        "crisis": handoff.priority == 0, "status": handoff.status, "agent": handoff.agent,
        "channel": handoff.channel, "created_at": _when(handoff.created_at),
        "waiting_minutes": int((now - handoff.created_at).total_seconds() // 60),
        "last_resident_at": _when(handoff.last_resident_at),
        # A short label, never the conversation id in full: it is enough to tell two apart.
        "label": f"Résident n° {handoff.id}",
    }


@auth.api(auth.ALL_ROLES)
async def api_me(request: web.Request) -> web.Response:
    session: ConsoleSession = request["console"]
    user = session.user
    return _json({"username": user.username, "display_name": user.display_name,
                  "role": user.role, "speciality": user.speciality,
                  "outcomes": {k: OUTCOME_LABELS[k] for k in OUTCOMES}})


@auth.api()
async def api_queue(request: web.Request) -> web.Response:
    handoffs: Handoffs = request.app["handoffs"]
    queue = await request.app["store"].run(lambda _r: handoffs.queue())
    now = handoffs.clock()
    return _json({"handoffs": [_summary(h, now) for h in queue]})


@auth.api()
async def api_colleagues(request: web.Request) -> web.Response:
    handoffs: Handoffs = request.app["handoffs"]
    users = await request.app["store"].run(lambda _r: handoffs.users())
    me = request["console"].user.username
    return _json({"colleagues": [
        {"username": u.username, "display_name": u.display_name,
         "speciality": SPECIALITY_LABELS.get(u.speciality or "", ROLE_LABELS[u.role])}
        for u in users if u.role in auth.AGENT_ROLES and u.username != me]})


@auth.api()
async def api_canned(request: web.Request) -> web.Response:
    with CANNED_PATH.open(encoding="utf-8") as handle:
        canned = yaml.safe_load(handle) or []
    name = request["console"].user.display_name
    return _json({"canned": [{"title": c["title"], "text": c["text"].replace("{agent}", name)}
                             for c in canned]})


async def _bot_history(request: web.Request, conversation: str) -> list[dict] | None:
    """What the resident and the bot said before the handoff, from Rasa's tracker."""
    settings = request.app["settings"]
    url = f"{settings.rasa_url}/conversations/{conversation}/tracker"
    try:
        async with request.app["http"].get(
                url, params={"token": settings.rasa_token},
                timeout=aiohttp.ClientTimeout(total=10)) as resp:
            if resp.status != 200:
                return None
            tracker = await resp.json(content_type=None)
    except (aiohttp.ClientError, TimeoutError, ValueError):
        return None
    history = []
    for event in tracker.get("events") or []:
        kind, text = event.get("event"), event.get("text")
        if kind in ("user", "bot") and isinstance(text, str) and text:
            moment = event.get("timestamp")
            history.append({
                "from": "resident" if kind == "user" else "bot", "text": text,
                "at": (datetime.utcfromtimestamp(moment).isoformat(timespec="seconds") + "Z")
                if isinstance(moment, int | float) else None,
            })
    return history


async def _load(request: web.Request) -> Handoff | None:
    handoffs: Handoffs = request.app["handoffs"]
    handoff_id = int(request.match_info["handoff_id"])
    return await request.app["store"].run(lambda _r: handoffs.get(handoff_id))


async def _audit(request: web.Request, action: str, handoff_id: int) -> None:
    handoffs: Handoffs = request.app["handoffs"]
    username = request["console"].user.username
    await request.app["store"].run(
        lambda _r: handoffs.audit(username, action, "handoff", str(handoff_id)))


@auth.api()
async def api_handoff(request: web.Request) -> web.Response:
    handoff = await _load(request)
    if handoff is None:
        return json_error(404, "not_found")
    await _audit(request, "view", handoff.id)
    handoffs: Handoffs = request.app["handoffs"]
    store = request.app["store"]
    transcript = await store.run(lambda _r: handoffs.transcript(handoff.conversation_id))
    notes = await store.run(lambda _r: handoffs.notes(handoff.id))
    history = await _bot_history(request, handoff.conversation_id)
    return _json({
        "handoff": {**_summary(handoff, handoffs.clock()), "outcome": handoff.outcome},
        "history": history or [], "history_available": history is not None,
        "transcript": [{"id": e.id, "from": e.author, "agent": e.agent, "text": e.text,
                        "at": _when(e.created_at)} for e in transcript],
        "notes": [{"agent": n.agent, "text": n.text, "at": _when(n.created_at)} for n in notes],
        "dossier": None,  # dossiers come with issue 5's store; none is linked yet
    })


async def _body_text(request: web.Request, field: str, limit: int) -> str | web.Response:
    try:
        body = await request.json()
    except ValueError:
        return json_error(400, "invalid_json")
    value = body.get(field) if isinstance(body, dict) else None
    if not isinstance(value, str) or not value.strip():
        return json_error(422, "empty_text", field=field)
    if len(value) > limit:
        return json_error(413, "text_too_long", field=field)
    return value.strip()


def _mine(request: web.Request, handoff: Handoff) -> bool:
    user = request["console"].user
    return handoff.status == "taken" and (handoff.agent == user.username
                                          or user.role == "supervisor")


@auth.api()
async def api_take(request: web.Request) -> web.Response:
    handoff = await _load(request)
    if handoff is None:
        return json_error(404, "not_found")
    handoffs: Handoffs = request.app["handoffs"]
    me = request["console"].user.username
    taken = await request.app["store"].run(lambda _r: handoffs.take(handoff.id, me))
    if taken is None:
        return json_error(409, "conflict")
    await _audit(request, "take", handoff.id)
    return _json({"status": taken.status, "agent": taken.agent})


async def _deliver(request: web.Request, handoff: Handoff, text: str) -> str:
    """Sends an agent's reply on the resident's channel; the web chat polls the transcript."""
    if handoff.channel == "web":
        return "sent"
    identities = await request.app["store"].run(lambda r: r.identities_of(handoff.conversation_id))
    if not identities:
        return "failed"
    latest = max(identities, key=lambda i: i.last_inbound_at or datetime.min)
    delivery = await request.app["outbox"].send_first(latest.id, [BotMessage(text)])
    return delivery.status


@auth.api()
async def api_reply(request: web.Request) -> web.Response:
    handoff = await _load(request)
    if handoff is None:
        return json_error(404, "not_found")
    if not _mine(request, handoff):
        return json_error(409, "conflict")
    text = await _body_text(request, "text", MAX_REPLY_CHARS)
    if isinstance(text, web.Response):
        return text
    handoffs: Handoffs = request.app["handoffs"]
    me = request["console"].user.username
    entry = await request.app["store"].run(
        lambda _r: handoffs.record(handoff.id, "agent", text, agent=me))
    delivery = await _deliver(request, handoff, text)
    await _audit(request, "reply", handoff.id)
    log.info("handoff %d: agent reply %s", handoff.id, delivery)
    return _json({"id": entry.id, "delivery": delivery}, status=201)


@auth.api()
async def api_note(request: web.Request) -> web.Response:
    handoff = await _load(request)
    if handoff is None:
        return json_error(404, "not_found")
    text = await _body_text(request, "text", 4000)
    if isinstance(text, web.Response):
        return text
    handoffs: Handoffs = request.app["handoffs"]
    me = request["console"].user.username
    await request.app["store"].run(lambda _r: handoffs.add_note(handoff.id, me, text))
    await _audit(request, "note", handoff.id)
    return _json({"status": "ok"}, status=201)


@auth.api()
async def api_transfer(request: web.Request) -> web.Response:
    handoff = await _load(request)
    if handoff is None:
        return json_error(404, "not_found")
    target = await _body_text(request, "to", 64)
    if isinstance(target, web.Response):
        return target
    handoffs: Handoffs = request.app["handoffs"]
    store = request.app["store"]
    colleague = await store.run(lambda _r: handoffs.user(target))
    if colleague is None or colleague.role not in auth.AGENT_ROLES:
        return json_error(422, "invalid_request", field="to")
    if handoff.status == "taken" and not _mine(request, handoff):
        return json_error(409, "conflict")
    moved = await store.run(lambda _r: handoffs.transfer(handoff.id, colleague.username))
    if moved is None:
        return json_error(409, "conflict")
    await _audit(request, f"transfer:{colleague.username}", handoff.id)
    return _json({"status": moved.status, "agent": moved.agent})


async def _finish(request: web.Request, outcome: str) -> web.Response:
    handoff = await _load(request)
    if handoff is None:
        return json_error(404, "not_found")
    if not _mine(request, handoff):
        return json_error(409, "conflict")
    handoffs: Handoffs = request.app["handoffs"]
    closed = await request.app["store"].run(lambda _r: handoffs.close(handoff.id, outcome))
    if closed is None:
        return json_error(409, "conflict")
    await _audit(request, f"close:{outcome}", handoff.id)
    return _json({"status": closed.status, "outcome": closed.outcome, "mode": "bot"})


@auth.api()
async def api_handback(request: web.Request) -> web.Response:
    """Back to the bot: the handoff ends, the resident's next message goes to Rasa again."""
    return await _finish(request, "handed_back")


@auth.api()
async def api_close(request: web.Request) -> web.Response:
    try:
        body = await request.json()
    except ValueError:
        return json_error(400, "invalid_json")
    outcome = body.get("outcome") if isinstance(body, dict) else None
    if outcome not in OUTCOMES:
        return json_error(422, "invalid_request", field="outcome")
    return await _finish(request, outcome)


_ACTIONS = {"take": api_take, "reply": api_reply, "note": api_note, "transfer": api_transfer,
            "handback": api_handback, "close": api_close}

__all__ = ["setup_console"]
