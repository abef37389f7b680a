"""Console sessions, roles and CSRF.

The session cookie is HttpOnly and SameSite=Strict and expires after ``SESSION_LIFETIME``;
its server side lives in the store (only a hash of the token). Every POST must carry the
session's CSRF token (header ``X-CSRF-Token`` or form field ``csrf``); the login form, which
has no session yet, uses a double-submit cookie. Pages without a session redirect to the
login page, the JSON API answers 401.
"""

from __future__ import annotations

import functools
import hmac
import re
from collections.abc import Awaitable, Callable
from datetime import timedelta

from aiohttp import web
from multidict import MultiDictProxy

from bot.http_errors import json_error
from bot.store.handoff import ConsoleSession, Handoffs

COOKIE = "relais_console"
LOGIN_CSRF_COOKIE = "relais_login_csrf"
SESSION_LIFETIME = timedelta(hours=8)  # one working day; then log in again
LOGIN_PATH = "/console/login"
AGENT_ROLES = frozenset({"agent", "supervisor"})
ALL_ROLES = frozenset({"agent", "supervisor", "commission"})

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
DENIED_PAGE = (
    '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Accès refusé — Relais'
    ' console</title><link rel="stylesheet" href="/console/static/console.css"></head>'
    '<body class="login"><main class="login-card"><h1>Accès refusé</h1><p>Votre rôle ne '
    'permet pas d\'ouvrir cette page.</p><p><a href="{home}">Revenir à vos pages</a></p>'
    '</main></body></html>')


def home_of(role: str) -> str:
    """Where a role starts: the commission reviews dossiers, agents the queue."""
    return "/console/dossiers" if role == "commission" else "/console"


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


async def read_form(request: web.Request) -> MultiDictProxy | None:
    """The posted form; None when the body is not a readable form (broken multipart, bad
    bytes for the declared charset), which the caller answers with a 400, not a 500."""
    try:
        return await request.post()
    except (ValueError, UnicodeDecodeError, AssertionError):
        return None


# What secrets.token_urlsafe(32) gives (bot/store/handoff.py): anything else is no session,
# known without asking the store, whose one thread residents' messages wait on.
_SESSION_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")


async def current_session(request: web.Request) -> ConsoleSession | None:
    token = request.cookies.get(COOKIE)
    if not token or not _SESSION_TOKEN.fullmatch(token):
        return None
    handoffs: Handoffs = request.app["handoffs"]
    return await request.app["store"].run(lambda _r: handoffs.session(token))


def csrf_ok(expected: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(expected.encode(), given.encode())


def set_session_cookie(response: web.StreamResponse, request: web.Request, token: str) -> None:
    response.set_cookie(COOKIE, token, max_age=int(SESSION_LIFETIME.total_seconds()),
                        httponly=True, samesite="Strict", path="/console",
                        secure=_secure(request))


def _secure(request: web.Request) -> bool:
    public = request.app["settings"].public_url or ""
    return public.startswith("https://")


def page(roles: frozenset[str] = ALL_ROLES) -> Callable[[Handler], Handler]:
    """An HTML page: no session → the login page; a role without access → 403."""
    def decorate(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def wrapper(request: web.Request) -> web.StreamResponse:
            session = await current_session(request)
            if session is None:
                raise web.HTTPFound(LOGIN_PATH)
            if request.method == "POST":
                form = await read_form(request)
                if form is None:
                    return json_error(400, "invalid_form")
                if not csrf_ok(session.csrf_token, form.get("csrf")):
                    return json_error(403, "csrf_failed")
            request["console"] = session
            if session.user.role not in roles:
                await _audit_refusal(request)
                return web.Response(status=403, content_type="text/html",
                                    headers=SECURITY_HEADERS,
                                    text=DENIED_PAGE.format(home=home_of(session.user.role)))
            return await handler(request)
        return wrapper
    return decorate


def api(roles: frozenset[str] = AGENT_ROLES) -> Callable[[Handler], Handler]:
    """A JSON endpoint: no session → 401; wrong role → 403; POST without CSRF → 403."""
    def decorate(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def wrapper(request: web.Request) -> web.StreamResponse:
            session = await current_session(request)
            if session is None:
                return json_error(401, "unauthorized")
            if request.method == "POST" and not csrf_ok(
                    session.csrf_token, request.headers.get("X-CSRF-Token")):
                return json_error(403, "csrf_failed")
            request["console"] = session
            if session.user.role not in roles:
                return await denied(request)
            return await handler(request)
        return wrapper
    return decorate


async def denied(request: web.Request) -> web.Response:
    """403, and the attempt is in the audit log when it aimed at a conversation or a dossier."""
    await _audit_refusal(request)
    return json_error(403, "access_denied")


async def _audit_refusal(request: web.Request) -> None:
    session: ConsoleSession = request["console"]
    info = request.match_info
    # A dossier is named by its id in the API and by its code on pages.
    target = next(((kind, info[key]) for key, kind in (
        ("dossier_id", "dossier"), ("code", "dossier"), ("handoff_id", "handoff"))
        if key in info), None)
    if target is None:
        return
    handoffs: Handoffs = request.app["handoffs"]
    last = request.path.rsplit("/", 1)[-1]
    action = f"{request.method.lower()} {target[0] if last == target[1] else last}"
    await request.app["store"].run(lambda _r: handoffs.audit(
        session.user.username, action[:32], target[0], target[1], allowed=False))
