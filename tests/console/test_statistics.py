"""The statistics page: counts of needs for the town, small counts hidden, supervisors only."""

from __future__ import annotations

import html
import re
from datetime import timezone

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.dossiers.erasure import tracker_database_url
from bot.identity import conversation_id, internal_token
from bot.store.usage import last_months
from tests.console.conftest import SECRET_KEY

SECRET_WORDS = "Zorglub loyer impayé"


async def rasa_conversations(stack, intents: dict[str, int]) -> list[str]:
    """Conversations saved by Rasa's own SQL tracker store, one per message."""
    url = tracker_database_url(stack.app["settings"].data_dir)
    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=url.removeprefix("sqlite:///"))
    moment = stack.clock().replace(tzinfo=timezone.utc).timestamp()
    senders = []
    for intent, count in intents.items():
        for n in range(count):
            sender = conversation_id(SECRET_KEY, "web", f"{intent}-{n}")
            events = [ActionExecuted("action_listen", timestamp=moment),
                      UserUttered(SECRET_WORDS, {"name": intent, "confidence": 0.9},
                                  timestamp=moment)]
            await store.save(DialogueStateTracker.from_events(sender, events))
            senders.append(sender)
    return senders


def cells(page: str, label: str) -> list[str]:
    """The cells of the row headed ``label`` (current month first)."""
    row = re.search(r"<tr><th scope=\"row\">" + re.escape(label) + r"</th>(.*?)</tr>", page)
    assert row, f"no row {label!r}"
    return re.findall(r"<td>(.*?)</td>", row.group(1))


async def report(stack, results: list[dict], token: str | None = None):
    headers = {"Authorization": "Bearer " + (token or internal_token(SECRET_KEY))}
    return await stack.client.post("/internal/eligibility", json={"results": results},
                                   headers=headers)


def test_supervisors_see_topics_rights_and_handoffs_with_small_counts_hidden(run_stack):
    async def scenario(stack):
        senders = await rasa_conversations(stack, {"css": 12, "food_aid": 3, "greet": 20})
        for _ in range(11):
            assert (await report(stack, [{"right": "css", "status": "eligible"}])).status == 200
        await report(stack, [{"right": "logement_social", "status": "not_eligible"}])
        for sender in ("a", "b"):
            await stack.escalate(sender, "asked")
        await stack.login("chef")
        response = await stack.client.get("/console/statistics")
        page = await response.text()
        assert response.status == 200
        this_month = len(last_months(stack.clock(), 6)) * ["< 10"]
        assert cells(page, "Complémentaire santé solidaire")[0] == "12"  # topics asked
        assert cells(page, "Aide alimentaire") == this_month
        assert "greet" not in page and "Bonjour" not in page  # greetings are not needs
        found = page.split("Droits trouvés")[1]
        assert cells(found, "Complémentaire santé solidaire")[0] == "11"
        assert "Logement social" not in found  # checked, not found
        assert cells(page, "Logement social") == this_month
        assert cells(page, "Demande une personne") == this_month
        assert cells(page, "Demande déposée") == ["< 10"]  # dossiers' follow-ups, all time
        # Nothing about a person: no conversation id, no words of a resident.
        assert not [s for s in senders if s in page] and SECRET_WORDS not in page

        metrics = await (await stack.client.get("/metrics")).text()
        assert 'relais_eligibility_calls_total{right="css",outcome="eligible"} 11' in metrics

    run_stack(scenario)


def test_agents_and_the_commission_cannot_open_the_statistics(run_stack):
    async def scenario(stack):
        for user in ("amina", "commission"):
            await stack.login(user)
            response = await stack.client.get("/console/statistics", allow_redirects=False)
            assert response.status == 403
        stack.client.session.cookie_jar.clear()
        response = await stack.client.get("/console/statistics", allow_redirects=False)
        assert response.status == 302  # to the login page

    run_stack(scenario)


def test_only_the_action_server_reports_calculations_and_only_known_rights(run_stack):
    async def scenario(stack):
        assert (await report(stack, [{"right": "css", "status": "eligible"}], "x")).status == 403
        for bad in ([{"right": "css"}], [{"right": "../x", "status": "eligible"}], "css"):
            response = await stack.client.post(
                "/internal/eligibility", json={"results": bad},
                headers={"Authorization": "Bearer " + internal_token(SECRET_KEY)})
            assert response.status == 422
        assert (await report(stack, [{"right": "css", "status": "unavailable"}])).status == 200
        metrics = await (await stack.client.get("/metrics")).text()
        assert 'relais_eligibility_calls_total{right="css",outcome="unavailable"} 1' in metrics
        await stack.login("chef")
        page = await (await stack.client.get("/console/statistics")).text()
        # A failed call checked nothing.
        assert "Aucun calcul pour l'instant." in html.unescape(page)

    run_stack(scenario)
