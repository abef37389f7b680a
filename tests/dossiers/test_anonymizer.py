"""The commission's view: identifiers gone (recall gate on the evaluation set), situation kept."""

from __future__ import annotations

import io
import sys
from datetime import date
from pathlib import Path

from pypdf import PdfReader

from bot.anonymizer import REMOVED, anonymize_dossier, anonymize_text
from bot.dossiers.forms import load_requests
from bot.dossiers.pdf import DossierView, render_dossier
from commune import load_commune
from tests.dossiers.samples import CSS_ANSWERS, HLM_RENEWAL_ANSWERS

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import anonymizer_eval  # noqa: E402


def test_recall_on_the_evaluation_set_is_at_least_98_percent_with_little_over_removal():
    cases = anonymizer_eval.load_set()
    assert len(cases) >= 50
    result = anonymizer_eval.evaluate(cases)
    assert result["recall"] >= 0.98, result["missed"]
    assert result["over_removal_rate"] <= 0.05, result["over_removed"]


def test_phone_numbers_emails_dates_and_streets_are_replaced_by_what_they_were():
    text = anonymize_text("Appelez le 06 12 34 56 78 ou ecrivez a a.b@mail.fr ; "
                          "je suis née le 03/04/1962 et j'habite 12 bis rue Hoche.")
    assert text == ("Appelez le [téléphone] ou ecrivez a [e-mail] ; je suis née le [date] "
                    "et j'habite [adresse].")


def test_the_situation_survives_amounts_durations_and_institutions():
    text = "Je touche le RSA et l'APL depuis 2019, loyer 540 euros, suivie par la CAF."
    assert anonymize_text(text) == text


def test_a_dossier_for_the_commission_has_no_name_address_phone_birth_date_or_nationality():
    definition = load_requests()["logement_social"]
    view = DossierView("D-7K3F9Q", "logement_social", "renouvellement", HLM_RENEWAL_ANSWERS)
    anonymous = anonymize_dossier(definition, view)
    answers = anonymous.answers
    for name in ("nom", "prenom", "date_naissance", "nationalite", "adresse", "telephone"):
        assert answers[name] == REMOVED
    assert answers["foyer"] == [{"lien": "épouse"}]
    assert answers["revenu_fiscal_reference"] == 21430  # the situation stays
    data = render_dossier(definition, anonymous, definition.where_to_submit(load_commune()),
                          today=date(2026, 11, 22))
    samples = Path(__file__).resolve().parents[2] / "var" / "test-results" / "dossiers"
    samples.mkdir(parents=True, exist_ok=True)
    (samples / "sample-logement_social-anonymise.pdf").write_bytes(data)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    for secret in ("Traoré", "Moussa", "Awa", "Pommiers", "07 81 22 33 44", "malienne",
                   "30/11/1979", "15/01/1985"):
        assert secret not in text, secret
    assert "D-7K3F9Q" in text and "Version anonymisée" in text
    assert "[retiré]" in text.split("Titre de séjour")[1][:80]  # not "Oui" nor "Non"


def test_free_text_in_a_css_dossier_loses_its_street():
    anonymous = anonymize_dossier(load_requests()["css"],
                                  DossierView("D-2", "css", None, CSS_ANSWERS))
    assert "Hoche" not in anonymous.answers["remarques"]
    assert "traiteur" in anonymous.answers["remarques"]


def test_on_answers_never_used_for_tuning_recall_stays_above_95_percent():
    result = anonymizer_eval.evaluate(anonymizer_eval.load_set(anonymizer_eval.HELDOUT_PATH))
    assert result["recall"] >= 0.95, result["missed"]
