"""The four pre-filled requests, from the first message to the PDF, with the real assistant.

The whole stack is started as `make run` starts it (Rasa with the trained model, the action
server, the eligibility service, the gateway). A resident writes in the web chat, clicks the
buttons the bot offers (by their words, as on SMS), answers one question at a time, gets the
summary, confirms, and downloads the PDF; the test reads the PDF back and looks for every
answer. Then it scans every file the assistant wrote for the resident's name and phone number,
and erases a resident through the conversation.

One stack for the module (it takes a minute to start), but no test relies on another: each
has its own residents (a fresh web-chat sender per test) and makes the requests it checks,
so any test runs alone or in any order.
"""

from __future__ import annotations

import io
import json
import re
import sqlite3
import uuid
from pathlib import Path

import pytest
from pypdf import PdfReader

from bot.identity import conversation_id
from tests.processes import http, post_json, relais_env, running_relais

SECRET_KEY = "e2e-requests-secret"
NAME = "Kouyaté"
FIRST_NAME = "Fatoumata"
PHONE = "06 77 88 99 00"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("relais-requests")
    env = relais_env(data_dir)
    env.update({"RELAIS_SECRET_KEY": SECRET_KEY, "RELAIS_RASA_TOKEN": "e2e-rasa-token"})
    with running_relais(env, data_dir):
        yield env, data_dir


class Chat:
    """One resident in the web chat; ``say`` returns the bot's messages."""

    def __init__(self, env: dict[str, str], sender: str):
        self.base = f"http://127.0.0.1:{env['RELAIS_GATEWAY_PORT']}"
        self.sender = sender
        self.last: list[dict] = []

    def say(self, text: str) -> list[dict]:
        status, body = post_json(f"{self.base}/web/messages",
                                 {"sender": self.sender, "text": text}, timeout=90)
        assert status == 200, body
        self.last = body["messages"]
        return self.last

    def answer(self, steps: list[tuple[str, str]]) -> None:
        """Each (answer, words of the next question): the bot asks exactly that next."""
        for text, expected in steps:
            said = " | ".join(m["text"] for m in self.say(text))
            assert expected in said, f"after {text!r} expected {expected!r}, got: {said}"

    def pdf_text(self) -> str:
        """Confirms the summary and reads the PDF the link in the answer points at."""
        texts = [m["text"] for m in self.say("C'est juste")]
        link = re.search(r"(/channels/files/\S+)", texts[0])
        assert link, texts
        status, data = _get_bytes(self.base + link.group(1))
        assert status == 200 and data.startswith(b"%PDF")
        self.after_pdf = texts
        return " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
                        .split())


def new_chat(env: dict[str, str], label: str) -> Chat:
    """A resident no other test (nor an earlier run of this one) has written as."""
    return Chat(env, f"{label}-{uuid.uuid4().hex[:12]}")


def _get_bytes(url: str) -> tuple[int, bytes]:
    import urllib.request

    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.read()


def _in_pdf(text: str, *values: str) -> None:
    missing = [v for v in values if " ".join(v.split()) not in text]
    assert not missing, f"not in the PDF: {missing}"


def test_css_after_the_eligibility_check_asks_only_what_it_does_not_know(stack):
    env, _ = stack
    chat = new_chat(env, "resident-css")
    chat.say("c'est quoi la complémentaire santé solidaire")
    chat.answer([("Oui, vérifier", "Quel âge"), ("34, 36, 8", "couple"), ("Oui", "RSA"),
                 ("0", "combien votre foyer"), ("0", "logement"), ("Locataire", "aide au logement"),
                 ("250", "préparer la demande")])
    chat.answer([
        ("Demande de Complémentaire santé solidaire", "nom de famille"),
        (NAME, "prénom"), (FIRST_NAME, "date de naissance"),
        ("17 avril 1986", "sécurité sociale"),
        ("2 86 04 93 055 123 45", "les 2 derniers ne correspondent pas"),  # a wrong key
        ("2 86 04 93 055 123 02", "adresse"),
        # A question typed instead of the address is answered, and not stored as the address.
        ("c'est quoi la CSS ?", "adresse"),
        ("8 rue Hoche, 93500 Pantin", "Personne n° 2"),
        ("Ibrahim Kouyaté, 02/05/1984, mari", "Personne n° 3"),
        ("Awa Kouyaté, 12/03/2018, fille", "Qui gérera"),
        ("Ma caisse d'assurance maladie", "Vérifiez-les"),
    ])
    summary = chat.last[-1]["text"]
    # Pre-filled from the eligibility answers, never asked: couple, RSA, housing, resources.
    assert "en couple" in summary and "locataire avec aide au logement" in summary
    assert "c'est quoi" not in summary
    text = chat.pdf_text()
    _in_pdf(text, "cerfa n° 12504*10", "Pré-rempli par Relais", NAME, FIRST_NAME, "17/04/1986",
            "2 86 04 93 055 123 02", "8 rue Hoche, 93500 Pantin", "en couple", "Ibrahim",
            "02/05/1984", "Awa", "12/03/2018", "locataire avec aide au logement",
            "ma caisse d'assurance maladie", "Avis d'imposition")
    assert "Avis d'imposition" in chat.after_pdf[1]  # the checklist, in the chat too
    assert "ameli" in chat.after_pdf[2]


def test_css_a_lodged_parent_counts_neither_in_the_check_nor_in_the_request(stack):
    env, _ = stack
    chat = new_chat(env, "resident-css-parent")
    chat.say("c'est quoi la complémentaire santé solidaire")
    # The resident (45), her mother (72, lodged), her partner (43), their son (12).
    chat.answer([("Oui, vérifier", "Quel âge"), ("45, 72, 43, 12", "couple"), ("Oui", "RSA"),
                 ("0", "combien votre foyer"), ("0", "logement"),
                 ("Locataire", "aide au logement")])
    result = " | ".join(m["text"] for m in chat.say("250"))
    assert "ne comptent pas dans votre foyer pour la CSS" in result, result
    assert "Personnes comptées dans le foyer CSS (vous, votre conjoint, les personnes à " \
        "charge de moins de 25 ans) : 3 personnes" in result, result
    assert "préparer la demande" in result
    chat.answer([
        ("Demande de Complémentaire santé solidaire", "nom de famille"),
        ("Camara", "prénom"), ("Aminata", "date de naissance"),
        ("02/02/1981", "sécurité sociale"), ("2 81 02 93 055 321 17", "adresse"),
        ("14 rue Courtois, 93500 Pantin", "Personne n° 2"),
        ("Sekou Camara, 10/10/1983, mari", "Personne n° 3"),
        # Listed anyway, the mother is not added, and the same question comes again.
        ("Fatou Camara, 01/01/1954, mère", "ne compte pas dans votre foyer pour la CSS"),
        ("Ismaël Camara, 05/06/2014, fils", "Qui gérera"),  # no 4th person: not the mother
        ("Ma caisse d'assurance maladie", "Vérifiez-les"),
        # Corrected to 4 people, the mother again: "c'est tout" ends the household.
        ("Corriger", "Quelle réponse"),
        ("Conjoint(e) et personnes à charge de moins de 25 ans", "Combien de personnes"),
        ("4", "Personne n° 2"), ("Sekou Camara, 10/10/1983, mari", "Personne n° 3"),
        ("Ismaël Camara, 05/06/2014, fils", "Personne n° 4"),
        ("Fatou Camara, 01/01/1954, mère", "c'est tout"),
        ("c'est tout", "Vérifiez-les"),
    ])
    assert "Fatou" not in chat.last[-1]["text"]
    text = chat.pdf_text()
    _in_pdf(text, "Sekou", "10/10/1983", "Ismaël", "05/06/2014")
    assert "Fatou" not in text


def test_social_housing_first_request_with_a_correction(stack):
    env, _ = stack
    chat = new_chat(env, "resident-hlm")
    chat.say("je veux préparer ma demande")
    chat.answer([
        ("Logement social : première demande", "nom de famille"),
        ("Benali", "prénom"), ("Karim", "date de naissance"), ("03/04/1979", "nationalité"),
        ("algérienne", "titre de séjour"), ("Oui", "adresse"),
        ("27 rue des Sept-Arpents 93500 Pantin", "Combien de personnes vivront"),
        ("2", "Personne n° 2"), ("Nadia Benali, 11/10/1982, épouse", "handicap"),
        ("Non", "revenu fiscal"), ("18 500", "quelle année"), ("2024", "Où vivez-vous"),
        ("locataire d'un studio", "Pourquoi demandez-vous"),
        ("Le studio est insalubre et trop petit pour deux.", "Vérifiez-les"),
        ("Corriger", "Quelle réponse"), ("Revenu fiscal de référence de l'avant-dernière "
                                         "année (total des personnes)", "revenu fiscal"),
        ("19 200", "Vérifiez-les"),
    ])
    text = chat.pdf_text()
    _in_pdf(text, "cerfa n° 14069*05", "Première demande", "Benali", "Karim", "03/04/1979",
            "algérienne", "27 rue des Sept-Arpents 93500 Pantin", "Nadia", "11/10/1982",
            "19 200 €", "2024", "locataire d'un studio",
            "Le studio est insalubre et trop petit pour deux.")
    assert "18 500" not in text


def test_social_housing_renewal_asks_the_numero_unique(stack):
    env, _ = stack
    chat = new_chat(env, "resident-renewal")
    chat.say("je veux préparer ma demande")
    chat.answer([
        ("Logement social : renouvellement", "numéro unique"),
        ("0930522401234", "nom de famille"), ("Martin", "prénom"), ("Sylvie", "date de naiss"),
        ("1er mars 1970", "nationalité"), ("française", "adresse"),
        ("5 rue Denis-Papin 93500 Pantin", "Combien de personnes vivront"),
        ("1", "handicap"), ("Oui", "revenu fiscal"), ("12 000", "quelle année"),
        ("2024", "Où vivez-vous"), ("hébergée chez ma fille", "Pourquoi"),
        ("Je suis hébergée depuis deux ans.", "Vérifiez-les"),
    ])
    text = chat.pdf_text()
    _in_pdf(text, "Renouvellement d'une demande en cours", "0930522401234", "Martin", "Sylvie",
            "01/03/1970", "française", "5 rue Denis-Papin 93500 Pantin", "12 000 €",
            "hébergée chez ma fille", "Je suis hébergée depuis deux ans.",
            "Attestation d'enregistrement")


def test_mutuelle_communale_paused_and_resumed(stack):
    env, _ = stack
    chat = new_chat(env, "resident-mutuelle")
    chat.say("je veux préparer ma demande")
    chat.answer([
        ("Mutuelle communale", "nom de famille"), ("Nguyen", "prénom"),
        ("Thi Lan", "date de naissance"), ("pause", "reprendre ma demande"),
    ])
    chat.say("merci")
    chat.answer([
        ("reprendre ma demande", "date de naissance"),
        ("12/12/1955", "adresse"), ("3 rue Méhul 93500 Pantin", "Combien de personnes"),
        ("1", "vérifié votre droit"), ("Oui", "Vérifiez-les"),
    ])
    text = chat.pdf_text()
    _in_pdf(text, "Adhésion à la mutuelle communale", "Nguyen", "Thi Lan", "12/12/1955",
            "3 rue Méhul 93500 Pantin", "Justificatif de domicile à Pantin")


def food_fund_request(chat: Chat, name: str, first_name: str, phone: str) -> str:
    """A food-fund request from the first message to the PDF; the PDF's text."""
    chat.say("je veux préparer ma demande")
    chat.answer([
        ("Caisse sociale alimentaire", "nom de famille"), (name, "prénom"),
        (first_name, "adresse"), ("8 rue Hoche 93500 Pantin", "Combien de personnes"),
        ("3", "Personne n° 2"), (f"Moussa {name}, 12/03/2015, fils", "Personne n° 3"),
        ("Awa", "Il me faut au moins"),
        (f"Awa {name} 01/02/2018 fille", "par mois, en tout"),
        ("850", "loyer"), ("450", "situation"),
        (f"Seule avec deux enfants, rappelez-moi au {phone}.", "Vérifiez-les"),
    ])
    return chat.pdf_text()


def test_food_fund_with_the_household_members(stack):
    env, _ = stack
    text = food_fund_request(new_chat(env, "resident-food"), NAME, FIRST_NAME, PHONE)
    _in_pdf(text, "Demande à la caisse sociale alimentaire", NAME, FIRST_NAME,
            "8 rue Hoche 93500 Pantin", "3", "Moussa", "12/03/2015", "Awa", "01/02/2018",
            "850 €", "450 €", PHONE, "Au CCAS de Pantin", "à confirmer auprès du CCAS")


def _files(data_dir: Path) -> list[Path]:
    return [p for p in data_dir.rglob("*") if p.is_file()]


def _tracker_events(data_dir: Path, sender: str) -> int:
    cid = conversation_id(SECRET_KEY, "web", sender)
    with sqlite3.connect(data_dir / "rasa-tracker.db") as tracker:
        return tracker.execute("select count(*) from events where sender_id=?",
                               (cid,)).fetchone()[0]


def test_no_name_nor_phone_number_in_clear_in_any_database_file_or_log(stack):
    env, data_dir = stack
    # Values no other test uses: found anywhere, they came from this conversation.
    name, first_name, phone = "Diabaté", "Mariétou", "07 61 52 43 34"
    chat = new_chat(env, "resident-scan")
    _in_pdf(food_fund_request(chat, name, first_name, phone), name, first_name, phone)
    # The conversation is in Rasa's database (not in memory), and the PDF in the outbox.
    assert _tracker_events(data_dir, chat.sender) > 20
    files = _files(data_dir)
    assert any(p.name == "relais.db" for p in files)
    assert any(p.parent.name == "outbox" for p in files)
    for needle in (name, first_name, phone, phone.replace(" ", ""), "Hoche"):
        for encoded in {needle.encode(), needle.encode("utf-16-le")}:
            found = [p.name for p in files if encoded in p.read_bytes()]
            assert not found, f"{needle!r} in clear in {found}"


def test_supprimer_mes_donnees_leaves_nothing_about_the_resident(stack):
    env, data_dir = stack
    neighbour = new_chat(env, "resident-neighbour")  # another resident, who must keep theirs
    neighbour.say("je veux préparer ma demande")
    neighbour.answer([("Mutuelle communale", "nom de famille")])
    chat = new_chat(env, "resident-erased")
    food_fund_request(chat, "Sissoko", "Fanta", "06 55 44 33 22")
    cid = conversation_id(SECRET_KEY, "web", chat.sender)
    assert _tracker_events(data_dir, chat.sender)

    asked = chat.say("supprimer mes données")
    assert [b["title"] for b in asked[-1]["buttons"]] == ["Oui, tout effacer", "Non, garder"]
    said = [m["text"] for m in chat.say("Oui, tout effacer")]
    assert any("j'ai effacé 1 demande(s)" in t for t in said), said

    assert _tracker_events(data_dir, chat.sender) == 0
    store = sqlite3.connect(data_dir / "relais.db")
    for (table,) in store.execute("select name from sqlite_master where type='table'"):
        columns = [c[1] for c in store.execute(f"pragma table_info({table})")]
        for row in store.execute(f"select * from {table}"):
            assert cid not in json.dumps(row, default=str), f"{table} still holds the resident"
        for column in ("resident_id", "conversation_id", "sender_id"):
            if column in columns:
                count = store.execute(f"select count(*) from {table} where {column}=?",
                                      (cid,)).fetchone()[0]
                assert count == 0, table
    # The other resident's request and conversation are still there.
    other = conversation_id(SECRET_KEY, "web", neighbour.sender)
    assert store.execute("select count(*) from dossiers where resident_id=?",
                         (other,)).fetchone()[0] == 1
    assert _tracker_events(data_dir, neighbour.sender) > 0
    status, _ = http("GET", f"http://127.0.0.1:{env['RELAIS_GATEWAY_PORT']}/health")
    assert status == 200
