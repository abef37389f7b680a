"""The console's pages and JSON API (``/console``), served by the gateway.

Pages are plain HTML with one script (``static/console.js``) that polls the queue, so the
list updates without reloading. Every opening or change of a conversation, and every opening
of a dossier, goes to the audit log; the poll that refreshes an open conversation does not
(it is not a new access, and it is refused for a conversation this session never opened).
Commission members only review anonymized dossiers: conversations are never anonymized, so
every conversation endpoint, and the full dossier, refuse them (and log the attempt).
"""

from __future__ import annotations

import asyncio
import html
import logging
import secrets
from datetime import datetime
from pathlib import Path

import yaml
from aiohttp import web

from bot.console import auth, tracker
from bot.console import dossiers as console_dossiers
from bot.console.login_throttle import LoginThrottle
from bot.console.page import ROLE_LABELS, SPECIALITY_LABELS, html_page, topbar
from bot.http_errors import dumps, json_error
from bot.rasa_client import AssistantUnavailable, BotMessage
from bot.store.dossiers import DossierStore
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
REASON_LABELS = {"crisis": "Crise", "asked": "Demande une personne",
                 "misunderstood": "Incompréhensions", "flow": "Besoin d'une personne"}
# Reason "flow": why the conversation could not go on without a person, and who fits best.
NEED_LABELS = {"cannot_write": "Ne peut pas écrire ou remplir seul — écrivain public",
               "no_documents": "Papiers manquants — France services",
               "complex_case": "Situation complexe — travailleur social"}
OUTCOME_LABELS = {"resolved": "Réglé", "dossier_started": "Dossier commencé",
                  "appointment_needed": "Rendez-vous à prendre", "redirected": "Orienté ailleurs",
                  "no_answer": "Sans réponse du résident", "handed_back": "Rendu à l'assistant"}


PASSWORD_CHECKS = web.AppKey("password_checks", asyncio.Semaphore)
LOGIN_THROTTLE = web.AppKey("login_throttle", LoginThrottle)
TOO_MANY_LOGINS = "Trop de tentatives de connexion. Réessayez dans une minute."


def setup_console(app: web.Application) -> None:
    app[PASSWORD_CHECKS] = asyncio.Semaphore(1)
    app[LOGIN_THROTTLE] = LoginThrottle()  # a budget of scrypt checks (login_throttle.py)
    add = app.router
    add.add_get("/console", console_page)
    add.add_get(auth.LOGIN_PATH, login_page)
    add.add_post(auth.LOGIN_PATH, login)
    add.add_post("/console/logout", logout)
    add.add_get("/console/dossiers", dossiers_page)
    add.add_get("/console/dossiers/{code:D-[A-Z0-9]{6}}", commission_dossier_page)
    add.add_get("/console/api/me", api_me)
    add.add_get("/console/api/queue", api_queue)
    add.add_get("/console/api/colleagues", api_colleagues)
    add.add_get("/console/api/canned", api_canned)
    handoff = "/console/api/handoffs/{handoff_id:\\d{1,18}}"  # ids fit SQLite's integers
    add.add_get(handoff, api_handoff)
    add.add_get(f"{handoff}/updates", api_handoff_updates)
    add.add_get(f"{handoff}/dossiers/{{dossier_id:[0-9a-f]{{32}}}}", api_dossier)
    for action in ("take", "reply", "note", "transfer", "handback", "close"):
        add.add_post(f"{handoff}/{action}", _ACTIONS[action])
    add.add_static("/console/static/", STATIC_DIR)
    app.cleanup_ctx.append(_dossier_store)


async def _dossier_store(app: web.Application):
    """The dossiers share the store's database and keys (set up by bot.channels.setup)."""
    repository = app["store"].repository
    app["dossiers"] = DossierStore(repository.engine, repository.keys, app["settings"].data_dir)
    yield


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
    response = html_page(body, "Connexion", status=401 if error else 200)
    response.set_cookie(auth.LOGIN_CSRF_COOKIE, token, httponly=True, samesite="Strict",
                        path=auth.LOGIN_PATH, max_age=3600)
    return response


async def login(request: web.Request) -> web.StreamResponse:
    form = await auth.read_form(request)
    if form is None:
        return json_error(400, "invalid_form")
    if not auth.csrf_ok(request.cookies.get(auth.LOGIN_CSRF_COOKIE, ""), form.get("csrf")):
        return json_error(403, "csrf_failed")
    if not request.app[LOGIN_THROTTLE].allow(request.remote):
        refused = await login_page(request, error=TOO_MANY_LOGINS)
        refused.set_status(429)
        refused.headers["Retry-After"] = "60"
        return refused
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
    response = web.HTTPFound(auth.home_of(session.user.role))
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
        f'<body class="app">{topbar(session)}<div class="layout">'
        '<aside class="queue" aria-label="File d\'attente"><div class="pane-title">'
        '<h2>File d\'attente</h2><span id="queue-count" class="count">…</span></div>'
        '<ol id="queue" aria-live="polite"></ol><p id="queue-status" class="muted"></p></aside>'
        '<main id="conversation" class="conversation"><p class="empty">Choisissez une '
        'conversation dans la file. Les crises sont en tête.</p></main></div>'
        '<script src="/console/static/console.js"></script></body>'
    )
    return html_page(body, "File d'attente", head=head)


def _dossier_rows(listed: list[dict]) -> str:
    rows = "".join(
        f'<tr><td><a href="/console/dossiers/{html.escape(d["code"])}">'
        f'{html.escape(d["code"])}</a></td><td>{html.escape(d["title"])}</td>'
        f'<td><span class="badge badge-status">{html.escape(d["status_label"])}</span></td>'
        f'<td>{_day(d["updated_at"])}</td></tr>' for d in listed)
    return (
        '<table class="dossier-list"><thead><tr><th>Dossier</th><th>Demande</th>'
        f'<th>État</th><th>Mis à jour</th></tr></thead><tbody>{rows}</tbody></table>')


def _day(iso: str | None) -> str:
    return datetime.fromisoformat(iso.rstrip("Z")).strftime("%d/%m/%Y") if iso else ""


@auth.page(frozenset({"commission", "supervisor"}))
async def dossiers_page(request: web.Request) -> web.Response:
    """The commission's list: codes, kinds of request and states; no name, no answer."""
    session: ConsoleSession = request["console"]
    dossiers = request.app["dossiers"]
    listed = await request.app["store"].run(
        lambda _r: console_dossiers.commission_list(dossiers))
    content = _dossier_rows(listed) if listed else (
        '<p class="empty">Aucun dossier à examiner pour l\'instant.</p>')
    body = (
        f'<body class="app">{topbar(session)}<main class="dossiers"><div class="pane-title">'
        f'<h2>Dossiers à examiner</h2><span class="count">{len(listed)}</span></div>'
        '<p class="muted">Dossiers prêts ou déposés, anonymisés : chaque dossier est désigné '
        'par son code, sans nom, adresse ni numéro. Chaque ouverture est enregistrée.</p>'
        f'{content}</main></body>'
    )
    return html_page(body, "Dossiers")


def _dossier_sections(dossier: dict) -> str:
    parts = []
    for section in dossier["sections"]:
        lines = "".join(f'<dt>{html.escape(line["label"])}</dt>'
                        f'<dd>{html.escape(line["value"])}</dd>' for line in section["lines"])
        parts.append(f'<section class="dossier-section"><h3>{html.escape(section["title"])}'
                     f'</h3><dl>{lines}</dl></section>')
    documents = "".join(
        f'<li class="{"received" if d["received"] else "missing"}">'
        f'{"Reçu" if d["received"] else "Manquant"} — {html.escape(d["label"])}</li>'
        for d in dossier["documents"])
    parts.append('<section class="dossier-section"><h3>Pièces justificatives</h3>'
                 f'<ul class="checklist">{documents}</ul></section>')
    return "".join(parts)


@auth.page(frozenset({"commission", "supervisor"}))
async def commission_dossier_page(request: web.Request) -> web.Response:
    """One anonymized dossier, by its code; the read is logged (``anonymise``)."""
    session: ConsoleSession = request["console"]
    code = request.match_info["code"]
    dossiers = request.app["dossiers"]
    reader = session.user.username
    dossier = await request.app["store"].run(
        lambda _r: console_dossiers.commission_dossier(dossiers, code, reader))
    if dossier is None:
        raise web.HTTPNotFound(text="Dossier introuvable.")
    await _audit(request, "view_anonymized", code, kind="dossier")
    body = (
        f'<body class="app">{topbar(session)}<main class="dossiers">'
        '<p><a href="/console/dossiers">← Tous les dossiers</a></p>'
        f'<div class="pane-title"><h2>{html.escape(dossier["code"])} — '
        f'{html.escape(dossier["title"])}</h2><span class="badge badge-status">'
        f'{html.escape(dossier["status_label"])}</span></div>'
        f'<p class="muted">{html.escape(dossier["form"])} · version anonymisée pour la '
        'commission : les noms, adresses, numéros et dates de naissance sont retirés.</p>'
        f'<article class="dossier">{_dossier_sections(dossier)}</article></main></body>'
    )
    return html_page(body, dossier["code"])


# --- JSON API ----------------------------------------------------------------------------


def _json(data: object, status: int = 200) -> web.Response:
    return web.json_response(data, status=status, dumps=dumps, headers={"Cache-Control":
                                                                        "no-store"})


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") + "Z" if moment else None


def _summary(handoff: Handoff, now: datetime, names: dict[str, str] | None = None) -> dict:
    return {
        "id": handoff.id, "reason": handoff.reason, "reason_label": REASON_LABELS[handoff.reason],
        "need": handoff.need, "need_label": NEED_LABELS.get(handoff.need or ""),
        "crisis": handoff.priority == 0, "status": handoff.status, "agent": handoff.agent,
        "agent_name": (names or {}).get(handoff.agent or "", handoff.agent),
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
    names = {u.username: u.display_name
             for u in await request.app["store"].run(lambda _r: handoffs.users())}
    return _json({"handoffs": [_summary(h, now, names) for h in queue]})


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


async def _load(request: web.Request) -> Handoff | None:
    handoffs: Handoffs = request.app["handoffs"]
    handoff_id = int(request.match_info["handoff_id"])
    return await request.app["store"].run(lambda _r: handoffs.get(handoff_id))


async def _audit(request: web.Request, action: str, object_id: int | str,
                 kind: str = "handoff") -> None:
    handoffs: Handoffs = request.app["handoffs"]
    username = request["console"].user.username
    await request.app["store"].run(
        lambda _r: handoffs.audit(username, action, kind, str(object_id)))


async def _conversation(request: web.Request, handoff: Handoff) -> web.Response:
    """Everything an agent sees of a conversation (dossiers as a list, no answer in it)."""
    handoffs: Handoffs = request.app["handoffs"]
    store = request.app["store"]
    dossiers = request.app["dossiers"]
    transcript = await store.run(lambda _r: handoffs.transcript(handoff.conversation_id))
    notes = await store.run(lambda _r: handoffs.notes(handoff.id))
    listed = await store.run(
        lambda _r: console_dossiers.dossiers_of_conversation(dossiers, handoff.conversation_id))
    try:  # through whichever Rasa instance answers
        events: list[dict] | None = await request.app["rasa"].tracker_events(
            handoff.conversation_id)
    except AssistantUnavailable:
        events = None
    agent = handoff.agent
    taker = await store.run(lambda _r: handoffs.user(agent)) if agent else None
    names = {taker.username: taker.display_name} if taker else {}
    return _json({
        "handoff": {**_summary(handoff, handoffs.clock(), names), "outcome": handoff.outcome},
        "history": tracker.history(events or []), "history_available": events is not None,
        "eligibility": tracker.last_eligibility(events or []),
        "transcript": [{"id": e.id, "from": e.author, "agent": e.agent, "text": e.text,
                        "at": _when(e.created_at)} for e in transcript],
        "notes": [{"agent": n.agent, "text": n.text, "at": _when(n.created_at)} for n in notes],
        "dossiers": listed,
    })


@auth.api()
async def api_handoff(request: web.Request) -> web.Response:
    """An agent opens a conversation: one ``view`` row in the audit log."""
    handoff = await _load(request)
    if handoff is None:
        return json_error(404, "not_found")
    await _audit(request, "view", handoff.id)
    return await _conversation(request, handoff)


@auth.api()
async def api_handoff_updates(request: web.Request) -> web.Response:
    """The 3-second refresh of a conversation the agent has opened in this session.

    Not a new access, so not a new audit row; a conversation never opened in this session
    (its ``view`` is not in the audit log) is refused, so the refresh cannot bypass the log.
    """
    handoff = await _load(request)
    if handoff is None:
        return json_error(404, "not_found")
    handoffs: Handoffs = request.app["handoffs"]
    session: ConsoleSession = request["console"]
    since = session.expires_at - auth.SESSION_LIFETIME
    opened = await request.app["store"].run(lambda _r: handoffs.viewed_since(
        session.user.username, "handoff", str(handoff.id), since))
    if not opened:
        return json_error(409, "conflict")
    return await _conversation(request, handoff)


@auth.api()
async def api_dossier(request: web.Request) -> web.Response:
    """An agent opens one dossier of the conversation's resident: audited every time."""
    handoff = await _load(request)
    if handoff is None:
        return json_error(404, "not_found")
    dossier_id = request.match_info["dossier_id"]
    username = request["console"].user.username
    dossiers = request.app["dossiers"]
    opened = await request.app["store"].run(lambda _r: console_dossiers.full_dossier(
        dossiers, handoff.conversation_id, dossier_id, reader=username,
        purpose=f"handoff {handoff.id}"))
    if opened is None:
        return json_error(404, "not_found")
    await _audit(request, "view", opened["code"], kind="dossier")
    return _json({"dossier": opened})


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
