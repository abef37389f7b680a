"""What the console shows of a resident's dossiers and eligibility, and who may read what.

Every open of a conversation or a dossier is in the audit log; the 3-second refresh of an
open conversation is not a new access. A commission member sees anonymized dossiers only.
"""

from __future__ import annotations

from bot.identity import internal_token
from tests.console.conftest import ELIGIBILITY_STEPS, ELIGIBILITY_SUMMARY, SECRET_KEY, Stack
from tests.dossiers.samples import CSS_ANSWERS, HLM_FIRST_ANSWERS

PHONE = "+33612345678"


async def _resident_with_dossiers(s: Stack) -> tuple[str, dict]:
    """An SMS resident in the queue with a ready CSS dossier and a draft housing one."""
    store = s.app["store"]
    dossiers = s.app["dossiers"]
    resident = (await store.run(lambda r: r.record_inbound("sms", PHONE))).resident_id

    def create() -> dict:
        css = dossiers.create(resident, "css")
        dossiers.update_answers(css.id, CSS_ANSWERS)
        dossiers.set_status(css.id, "pret")
        housing = dossiers.create(resident, "logement_social", "premiere_demande")
        dossiers.update_answers(housing.id, HLM_FIRST_ANSWERS)
        return {"css": dossiers.read(css.id, "test", "setup"),
                "housing": dossiers.read(housing.id, "test", "setup")}

    created = await store.run(lambda _r: create())
    response = await s.client.post("/internal/handoffs", json={
        "conversation_id": resident, "reason": "flow"},
        headers={"Authorization": "Bearer " + internal_token(SECRET_KEY)})
    assert response.status == 201
    return resident, created


def _audit(s: Stack) -> list[tuple[str, str, str, str, bool]]:
    return [(r.username, r.action, r.object_kind, r.object_id, r.allowed)
            for r in reversed(s.handoffs.audit_log())]


def test_an_agent_sees_the_residents_dossiers_and_the_last_eligibility_explanation(run_stack):
    async def scenario(s: Stack) -> None:
        _, created = await _resident_with_dossiers(s)
        await s.login("amina")
        detail = await (await s.client.get("/console/api/handoffs/1")).json()
        listed = {d["code"]: d for d in detail["dossiers"]}
        assert set(listed) == {created["css"].code, created["housing"].code}
        assert listed[created["css"].code]["title"] == "Complémentaire santé solidaire"
        assert listed[created["css"].code]["status_label"] == "Prêt"
        assert "Benali" not in str(detail["dossiers"])  # a list, not the answers
        assert detail["eligibility"]["messages"] == [
            ELIGIBILITY_SUMMARY, "Voici le calcul :\n" + ELIGIBILITY_STEPS]
        assert detail["eligibility"]["at"].startswith("2025-11-22")
    run_stack(scenario)


def test_opening_a_dossier_is_logged_every_time_but_the_live_refresh_is_not(run_stack):
    async def scenario(s: Stack) -> None:
        _, created = await _resident_with_dossiers(s)
        await s.login("amina")
        # A refresh of a conversation never opened in this session is refused.
        assert (await s.client.get("/console/api/handoffs/1/updates")).status == 409
        assert (await s.client.get("/console/api/handoffs/1")).status == 200
        for _ in range(5):  # the console's 3-second poll
            assert (await s.client.get("/console/api/handoffs/1/updates")).status == 200
        css = created["css"]
        opened = await (await s.client.get(f"/console/api/handoffs/1/dossiers/{css.id}")).json()
        lines = {line["label"]: line["value"] for section in opened["dossier"]["sections"]
                 for line in section["lines"]}
        assert lines["Nom"] == "Benali"  # the agent's view is complete
        assert any(d["label"] and not d["received"] for d in opened["dossier"]["documents"])
        assert _audit(s) == [("amina", "view", "handoff", "1", True),
                             ("amina", "view", "dossier", css.code, True)]
        reads = s.app["dossiers"].reads_of(css.id)
        assert [(r.reader, r.purpose, r.view) for r in reads][-1] == (
            "amina", "handoff 1", "complet")
        # After logging in again, the refresh needs a new (logged) open.
        s.clock.advance(minutes=1)
        await s.login("amina")
        assert (await s.client.get("/console/api/handoffs/1/updates")).status == 409
    run_stack(scenario)


def test_an_agent_cannot_reach_another_residents_dossier_through_a_conversation(run_stack):
    async def scenario(s: Stack) -> None:
        await _resident_with_dossiers(s)
        other = (await s.app["store"].run(
            lambda r: r.record_inbound("sms", "+33698765432"))).resident_id
        stranger = await s.app["store"].run(
            lambda _r: s.app["dossiers"].create(other, "caisse_sociale_alimentaire"))
        await s.login("amina")
        response = await s.client.get(f"/console/api/handoffs/1/dossiers/{stranger.id}")
        assert response.status == 404
        assert s.app["dossiers"].reads_of(stranger.id) == []
    run_stack(scenario)


def test_a_commission_member_reads_anonymized_dossiers_only(run_stack):
    async def scenario(s: Stack) -> None:
        _, created = await _resident_with_dossiers(s)
        css, housing = created["css"], created["housing"]
        await s.login("commission")
        listing = await (await s.client.get("/console/dossiers")).text()
        assert css.code in listing and housing.code not in listing  # drafts stay out
        page = await s.client.get(f"/console/dossiers/{css.code}")
        text = await page.text()
        assert page.status == 200 and css.code in text and "conjoint" in text
        for secret in ("Benali", "Samira", "Hoche", "06 12 34 56 78", "2 86 04 93 055",
                       "17/04/1986", "Karim"):
            assert secret not in text, secret
        assert "[retiré]" in text
        assert (await s.client.get(f"/console/dossiers/{housing.code}")).status == 404
        # Whatever the way in: the full dossier, the conversation, its refresh, the queue.
        for path in (f"/console/api/handoffs/1/dossiers/{css.id}", "/console/api/handoffs/1",
                     "/console/api/handoffs/1/updates", "/console/api/queue"):
            assert (await s.client.get(path)).status == 403, path
        assert (await s.client.get("/console", allow_redirects=False)).status == 403
        audit = _audit(s)
        assert ("commission", "view_anonymized", "dossier", css.code, True) in audit
        assert ("commission", "get dossier", "dossier", css.id, False) in audit
        assert ("commission", "get handoff", "handoff", "1", False) in audit
        reads = s.app["dossiers"].reads_of(css.id)
        assert [(r.reader, r.view) for r in reads if r.reader != "test"] == [
            ("commission", "anonymise")]
    run_stack(scenario)


def test_every_console_route_without_a_session_redirects_or_answers_401(run_stack):
    """Walks the router itself, so a route added later is covered without editing this test."""
    async def scenario(s: Stack) -> None:
        _, created = await _resident_with_dossiers(s)
        values = {"handoff_id": "1", "dossier_id": created["css"].id,
                  "code": created["css"].code}
        public = {"/console/login", "/console/static"}
        checked = 0
        for route in s.app.router.routes():
            info = route.resource.get_info() if route.resource else {}
            path = info.get("path") or info.get("formatter") or info.get("prefix", "")
            if not path.startswith("/console") or path.rstrip("/") in public:
                continue
            for name, value in values.items():
                path = path.replace("{" + name + "}", value)
            assert "{" not in path, path
            method = route.method
            if method == "HEAD":
                continue
            response = await s.client.request(method, path, allow_redirects=False,
                                              json={"text": "x"},
                                              headers={"X-CSRF-Token": "guess"})
            if path.startswith("/console/api/"):
                assert response.status == 401, (method, path, response.status)
            else:
                assert response.status == 302, (method, path, response.status)
                assert response.headers["Location"] == "/console/login"
            checked += 1
        assert checked >= 17
        assert all(reads.reader == "test" for reads in
                   s.app["dossiers"].reads_of(created["css"].id))
    run_stack(scenario)
