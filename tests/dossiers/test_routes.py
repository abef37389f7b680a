"""The gateway's internal dossier API, as the action server uses it (in-process gateway)."""

from __future__ import annotations

from bot.identity import conversation_id, internal_token
from tests.console.conftest import SECRET_KEY

AUTH = {"Authorization": "Bearer " + internal_token(SECRET_KEY)}


def cid(sender: str) -> str:
    return conversation_id(SECRET_KEY, "web", sender)


async def call(stack, path: str, sender: str, **body):
    response = await stack.client.post(f"/internal/{path}", headers=AUTH,
                                       json={"conversation_id": cid(sender), **body})
    return response.status, await response.json()


def test_without_the_internal_token_nothing_is_opened_or_read(run_stack):
    async def scenario(s):
        response = await s.client.post("/internal/dossiers/open", json={
            "conversation_id": cid("amina"), "right": "css"})
        assert response.status == 403
        response = await s.client.post("/internal/erasures", json={
            "conversation_id": cid("amina")}, headers={"Authorization": "Bearer nope"})
        assert response.status == 403
    run_stack(scenario)


def test_a_request_is_opened_once_filled_and_summed_up_in_the_forms_order(run_stack):
    async def scenario(s):
        status, opened = await call(s, "dossiers/open", "amina", right="css")
        assert status == 201 and opened["created"]
        dossier = opened["dossier"]
        assert dossier["code"].startswith("D-") and dossier["status"] == "en_cours"
        status, again = await call(s, "dossiers/open", "amina", right="css")
        assert status == 200 and again["dossier"]["id"] == dossier["id"]

        status, _ = await call(s, "dossiers/answers", "amina", dossier_id=dossier["id"],
                               answers={"mot_de_passe": "x"})
        assert status == 422  # only fields of that request
        status, filled = await call(s, "dossiers/answers", "amina", dossier_id=dossier["id"],
                                    answers={"prenom": "Amina", "nom": "Diallo"})
        assert status == 200
        assert filled["dossier"]["summary"][:2] == [["Nom", "Diallo"], ["Prénom", "Amina"]]

        status, _ = await call(s, "dossiers/get", "bruno", dossier_id=dossier["id"])
        assert status == 404  # another resident never reaches it
        status, current = await call(s, "dossiers/current", "amina")
        assert current["dossier"]["id"] == dossier["id"]
    run_stack(scenario)


def test_a_second_request_knows_who_the_resident_is(run_stack):
    async def scenario(s):
        _, opened = await call(s, "dossiers/open", "amina", right="css")
        await call(s, "dossiers/answers", "amina", dossier_id=opened["dossier"]["id"],
                   answers={"prenom": "Amina", "nom": "Diallo", "beneficiaire_rsa": True})
        _, food = await call(s, "dossiers/open", "amina", right="caisse_sociale_alimentaire")
        answers = food["dossier"]["answers"]
        assert answers == {"prenom": "Amina", "nom": "Diallo"}  # identity only
    run_stack(scenario)


def test_the_web_chat_gets_a_download_link_to_the_pdf(run_stack):
    async def scenario(s):
        _, opened = await call(s, "dossiers/open", "amina", right="mutuelle_communale")
        dossier_id = opened["dossier"]["id"]
        await call(s, "dossiers/answers", "amina", dossier_id=dossier_id,
                   answers={"prenom": "Amina", "nom": "Diallo"})
        status, sent = await call(s, "dossiers/deliver", "amina", dossier_id=dossier_id)
        assert status == 200 and sent["delivery"] == "link"
        assert sent["dossier"]["status"] == "pret"
        pdf = await s.client.get(sent["link"])
        assert pdf.status == 200
        assert (await pdf.read()).startswith(b"%PDF")
        assert opened["dossier"]["code"] in pdf.headers["Content-Disposition"]
    run_stack(scenario)


def test_erasure_waits_for_the_turn_then_says_what_went(run_stack):
    async def scenario(s):
        _, opened = await call(s, "dossiers/open", "amina", right="css")
        status, _ = await call(s, "erasures", "amina")
        assert status == 202
        _, current = await call(s, "dossiers/current", "amina")
        assert current["dossier"] is not None  # nothing erased before the turn ends
        reply = await s.say("amina", "Oui, tout effacer")
        texts = [m["text"] for m in reply["messages"]]
        assert texts[0] == "Réponse de l'assistant."
        assert "1 demande(s)" in texts[1]
        _, current = await call(s, "dossiers/current", "amina")
        assert current["dossier"] is None
        stats = await s.app["store"].run(lambda r: r.stats())
        assert stats["residents"] == 0 and stats["dossiers"] == 0
        reply = await s.say("amina", "bonjour")  # erased once, not at every turn
        assert len(reply["messages"]) == 1
    run_stack(scenario)
