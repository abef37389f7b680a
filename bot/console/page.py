"""The frame every console page shares: the HTML document and the top bar.

The queue, the dossiers, the statistics and the agents' day (``bot.appointments.day``) are
separate modules; they build their ``<body>`` and wrap it here, so every page has the same
security headers, style sheet and navigation.
"""

from __future__ import annotations

import html

from aiohttp import web

from bot.console import auth
from bot.store.handoff import ConsoleSession

ROLE_LABELS = {"agent": "Agent", "supervisor": "Superviseur·e", "commission": "Commission"}
SPECIALITY_LABELS = {"ecrivain_public": "Écrivain public",
                     "france_services": "Conseiller France services",
                     "travailleur_social": "Travailleur social"}


def html_page(body: str, title: str, status: int = 200, head: str = "") -> web.Response:
    """A console page: ``body`` is the whole ``<body>`` element, ``head`` extra head tags."""
    document = (
        '<!doctype html><html lang="fr"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)} — Relais console</title>"
        f'<link rel="stylesheet" href="/console/static/console.css">{head}</head>'
        f"{body}</html>"
    )
    return web.Response(text=document, content_type="text/html", status=status,
                        headers=auth.SECURITY_HEADERS)


def topbar(session: ConsoleSession) -> str:
    """Who is logged in, the pages their role may open, and the logout button."""
    user = session.user
    role = ROLE_LABELS[user.role]
    if user.speciality:
        role += " · " + SPECIALITY_LABELS[user.speciality]
    links = {"agent": '<a href="/console">File d\'attente</a>'
                      '<a href="/console/day">Rendez-vous du jour</a>'}
    links["supervisor"] = links["agent"] + ('<a href="/console/dossiers">Dossiers</a>'
                                              '<a href="/console/statistics">Statistiques</a>')
    nav = f"<nav>{links[user.role]}</nav>" if user.role in links else ""
    return (
        '<header class="topbar"><span class="brand">Relais <small>console</small></span>'
        f'{nav}<span class="who">{html.escape(user.display_name)} '
        f'<small>{html.escape(role)}</small>'
        '</span><form method="post" action="/console/logout">'
        f'<input type="hidden" name="csrf" value="{html.escape(session.csrf_token)}">'
        '<button type="submit" class="link">Se déconnecter</button></form></header>'
    )
