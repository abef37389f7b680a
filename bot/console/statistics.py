"""``GET /console/statistics``: the town's social-needs figures, read-only, for supervisors.

Counts by month of what residents asked, the rights the calculations found, handoffs to a
person and how they ended; and, since the start, what residents answered when the bot asked
whether they had submitted their dossier (bot/store/followups.py). A count under 10 shows as
"< 10", and no column has a total: a small group must not be recognisable, and subtracting a
row from a total would reveal it.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging

from aiohttp import web

from bot.console import auth
from bot.console.page import html_page, topbar
from bot.console.views import OUTCOME_LABELS, REASON_LABELS
from bot.dossiers.erasure import tracker_database_url
from bot.store.followups import followup_counts
from bot.store.models import utcnow
from bot.store.usage import Statistics, last_months

log = logging.getLogger("relais.statistics")

STATISTICS_PATH = "/console/statistics"
SMALLEST_SHOWN = 10
MONTHS_SHOWN = 6
COLLECT_EVERY_S = 600.0
SUPERVISORS = frozenset({"supervisor"})
MONTH_NAMES = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.",
               "oct.", "nov.", "déc.")
TOPIC_LABELS = {
    "css": "Complémentaire santé solidaire", "mutuelle_communale": "Mutuelle communale",
    "food_aid": "Aide alimentaire", "social_housing_request": "Demande de logement social",
    "social_housing_renewal": "Renouvellement de demande de logement",
    "social_housing_status": "Suivi d'une demande de logement",
    "social_housing_delay": "Délai d'attribution d'un logement",
    "eviction_prevention": "Expulsion, impayés de loyer",
    "substandard_housing": "Logement insalubre", "quotient_familial": "Quotient familial",
    "rsa": "RSA", "prime_activite": "Prime d'activité", "housing_aid": "Aide au logement",
    "aah": "AAH (handicap)", "domiciliation": "Domiciliation",
    "mental_health_support": "Soutien psychologique", "crisis": "Crise suicidaire (3114)",
    "ask_human": "Demande à parler à une personne", "book_appointment": "Prise de rendez-vous",
    "delete_my_data": "Suppression des données",
    "out_of_scope": "Hors du champ de Relais", "nlu_fallback": "Message non compris",
}
FOLLOWUP_LABELS = {"deja_fait": "Demande déposée", "pas_reussi": "N'a pas réussi à la déposer",
                   "besoin_aide": "Demande de l'aide pour la déposer",
                   "sans_reponse": "Pas encore de réponse"}
RIGHT_LABELS = {
    "css": "Complémentaire santé solidaire", "logement_social": "Logement social",
    "rsa": "RSA", "prime_activite": "Prime d'activité", "aide_logement": "Aide au logement",
    "quotient_familial": "Quotient familial", "tarif_municipal": "Tarif municipal",
    "mutuelle_communale": "Mutuelle communale",
    "caisse_sociale_alimentaire": "Caisse sociale alimentaire",
}


def shown(count: int) -> str:
    """The count as the page shows it: hidden under 10, thin space between thousands."""
    return f"< {SMALLEST_SHOWN}" if count < SMALLEST_SHOWN else f"{count:,}".replace(",", "\u202f")


def _month_label(period: str) -> str:
    if period == "total":
        return "Depuis le début"
    year, number = period.split("-")
    return f"{MONTH_NAMES[int(number) - 1]} {year}"


def _table(caption: str, rows: dict[str, dict[str, int]], labels: dict[str, str],
           periods: list[str], empty: str) -> str:
    head = "".join(f'<th scope="col">{_month_label(p)}</th>' for p in periods)
    ordered = sorted(rows, key=lambda k: (-sum(rows[k].values()), labels.get(k, k)))
    body = "".join(
        f'<tr><th scope="row">{html.escape(labels.get(key, key))}</th>'
        + "".join(f"<td>{shown(rows[key].get(p, 0))}</td>" for p in periods) + "</tr>"
        for key in ordered)
    if not ordered:
        body = f'<tr><td colspan="{len(periods) + 1}" class="muted">{html.escape(empty)}</td></tr>'
    return (f'<table class="stats"><caption>{html.escape(caption)}</caption><thead><tr>'
            f'<th scope="col"></th>{head}</tr></thead><tbody>{body}</tbody></table>')


@auth.page(SUPERVISORS)
async def statistics_page(request: web.Request) -> web.Response:
    statistics: Statistics = request.app["statistics"]
    periods = last_months(statistics.clock(), MONTHS_SHOWN)
    store = request.app["store"]
    await store.run(lambda _r: statistics.collect_topics())
    topics = await store.run(lambda _r: statistics.counts("topic", periods))
    checked = await store.run(lambda _r: statistics.counts("right_checked", periods))
    found = await store.run(lambda _r: statistics.counts("right_found", periods))
    reasons, outcomes = await store.run(lambda _r: statistics.handoff_counts(periods))
    engine = store.repository.engine
    followups = await store.run(lambda _r: followup_counts(engine))
    # All-time answers (the follow-ups keep no month of their own); "asked" is left out: it
    # is the sum of the others and would reveal a hidden one.
    followed = {key: {"total": followups.get(key, 0)} for key in FOLLOWUP_LABELS}
    body = (
        f'<body class="app">{topbar(request["console"])}<main class="statistics">'
        "<h2>Statistiques des besoins sociaux</h2>"
        f'<p class="muted">Nombres par mois. Un nombre inférieur à {SMALLEST_SHOWN} est '
        "affiché « &lt; 10 » pour qu'aucune personne ne puisse être reconnue. Aucune donnée "
        "personnelle n'est conservée pour ces chiffres.</p>"
        + _table("Sujets des questions posées", topics, TOPIC_LABELS, periods,
                 "Aucune question pour l'instant.")
        + _table("Droits vérifiés (calculs faits)", checked, RIGHT_LABELS, periods,
                 "Aucun calcul pour l'instant.")
        + _table("Droits trouvés (résultat : éligible)", found, RIGHT_LABELS, periods,
                 "Aucun droit trouvé pour l'instant.")
        + _table("Passages à une personne, par motif", reasons, REASON_LABELS, periods,
                 "Aucun passage à une personne pour l'instant.")
        + _table("Conversations closes par les agents, par issue", outcomes, OUTCOME_LABELS,
                 periods, "Aucune conversation close pour l'instant.")
        + _table("Suivi des dossiers : réponses des résidents, depuis le début", followed,
                 FOLLOWUP_LABELS, ["total"], "Aucun suivi pour l'instant.")
        + "</main></body>"
    )
    return html_page(body, "Statistiques")


async def _collector(app: web.Application):
    """Creates the counts and brings the topics up to date every ten minutes."""
    settings = app["settings"]
    statistics = Statistics(app["store"].repository.engine,
                            tracker_database_url(settings.data_dir), app.get("clock") or utcnow)
    app["statistics"] = statistics

    async def every_ten_minutes() -> None:
        while True:
            try:
                await app["store"].run(lambda _r: statistics.collect_topics())
            except Exception as exc:  # noqa: BLE001 (the tracker may be busy; next round)
                log.warning("topic counting failed: %s", type(exc).__name__)
            await asyncio.sleep(COLLECT_EVERY_S)

    task = asyncio.create_task(every_ten_minutes())
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    statistics.close()


def setup_statistics(app: web.Application) -> None:
    """After setup_channels: the counts live in the gateway's store."""
    app.router.add_get(STATISTICS_PATH, statistics_page)
    app.cleanup_ctx.append(_collector)
