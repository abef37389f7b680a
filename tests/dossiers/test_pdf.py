"""The PDF of each request: every answer in it, the notice, the checklist and where to go."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from bot.dossiers.forms import TO_CONFIRM, load_requests
from bot.dossiers.pdf import DossierView, format_value, render_dossier
from commune import load_commune
from tests.dossiers.samples import (
    CAISSE_ANSWERS,
    CSS_ANSWERS,
    HLM_FIRST_ANSWERS,
    HLM_RENEWAL_ANSWERS,
    MUTUELLE_ANSWERS,
)

SAMPLES = Path(__file__).resolve().parents[2] / "var" / "test-results" / "dossiers"
CASES = [
    ("css", None, CSS_ANSWERS),
    ("logement_social", "renouvellement", HLM_RENEWAL_ANSWERS),
    ("logement_social", "premiere_demande", HLM_FIRST_ANSWERS),
    ("mutuelle_communale", None, MUTUELLE_ANSWERS),
    ("caisse_sociale_alimentaire", None, CAISSE_ANSWERS),
]


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def render(right: str, variant: str | None, answers: dict, received: dict | None = None
           ) -> bytes:
    definition = load_requests()[right]
    view = DossierView("D-7K3F9Q", right, variant, answers, received or {})
    return render_dossier(definition, view, definition.where_to_submit(load_commune()),
                          today=date(2026, 11, 22))


@pytest.mark.parametrize(("right", "variant", "answers"), CASES)
def test_every_answered_field_is_printed_under_its_label(right, variant, answers):
    data = render(right, variant, answers)
    SAMPLES.mkdir(parents=True, exist_ok=True)
    (SAMPLES / f"sample-{right}{'-' + variant if variant else ''}.pdf").write_bytes(data)
    text = pdf_text(data)
    definition = load_requests()[right]
    fields = {f.id: f for f in definition.fields_for(variant)}
    assert set(answers) <= set(fields), "a sample answers a field the form does not have"
    for name, value in answers.items():
        item = fields[name]
        if item.type == "persons":
            for person in value:
                for key in ("nom", "prenom", "lien"):
                    assert person[key] in text, (name, key)
        else:
            assert item.label in text, name
            assert format_value(item, value) in text, name
    assert "Pré-rempli par Relais — à vérifier et signer" in text
    assert definition.form in text
    assert "Documents à joindre" in text and "Où déposer votre demande" in text
    for document in definition.documents_for(variant):
        assert document.label in text
    assert "Signature" in text


def test_unanswered_fields_say_so_and_nothing_is_invented_about_places():
    text = pdf_text(render("css", None, {"nom": "Benali"}))
    assert "non renseigné" in text
    assert "https://www.ameli.fr" in text
    # The commune file has no CPAM or CCAS address: the PDF says to confirm, it does not guess.
    assert f"Adresse : {TO_CONFIRM}" in text and f"Horaires : {TO_CONFIRM}" in text


def test_a_renewal_asks_for_the_numero_unique_and_a_first_request_does_not():
    renewal = pdf_text(render("logement_social", "renouvellement", HLM_RENEWAL_ANSWERS))
    first = pdf_text(render("logement_social", "premiere_demande", {"nom": "Traoré"}))
    assert "Numéro unique d'enregistrement" in renewal and "093122400123456" in renewal
    assert "Numéro unique d'enregistrement" not in first
    assert "demande-logement-social.gouv.fr" in first


def test_documents_already_sent_are_ticked():
    text = pdf_text(render("css", None, CSS_ANSWERS, {"avis_imposition": ["abc"]}))
    assert "☑ Avis d'imposition" in text and "déjà envoyé à Relais" in text
    assert "☐ Justificatifs des ressources" in text


def test_a_long_free_text_answer_wraps_over_pages_without_losing_words():
    story = " ".join(f"mot{index}" for index in range(1500))
    text = pdf_text(render("caisse_sociale_alimentaire", None, {"situation": story}))
    assert "mot0 " in text and "mot1499" in text


def test_the_address_and_hours_of_a_place_come_from_the_commune_file():
    commune = load_commune()
    ccas = next(p for p in commune["places"] if p["id"] == "ccas")
    ccas["address"] = {"value": "1 place Exemple", "verified": True, "source": "test",
                       "date": "2026-11"}
    ccas["opening_hours"] = {"value": "du lundi au vendredi, 9 h – 12 h", "verified": True,
                             "source": "test", "date": "2026-11"}
    options = load_requests()["caisse_sociale_alimentaire"].where_to_submit(commune)
    assert options[0].address.endswith("1 place Exemple")
    assert options[0].hours == "du lundi au vendredi, 9 h – 12 h"
