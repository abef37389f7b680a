"""From a stored dossier to the resident's PDF, the summary, and the commission's copy."""

from __future__ import annotations

import io

from pypdf import PdfReader

from bot.dossiers.service import commission_pdf, resident_pdf, summary
from tests.dossiers.conftest import PHONE
from tests.dossiers.samples import CSS_ANSWERS


def text_of(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_a_stored_dossier_becomes_a_pdf_named_by_its_code(repo, store):
    resident = repo.record_inbound("sms", PHONE).resident_id
    dossier = store.create(resident, "css")
    store.update_answers(dossier.id, CSS_ANSWERS)
    filename, data = resident_pdf(store, resident, dossier.id)
    assert filename == f"relais-css-{dossier.code}.pdf" and "Benali" not in filename
    assert data.startswith(b"%PDF") and "Samira" in text_of(data)
    assert store.reads_of(dossier.id) == []  # the resident's own copy is not a person's read


def test_the_summary_lists_answers_in_the_forms_order_with_french_formats(repo, store):
    resident = repo.record_inbound("sms", PHONE).resident_id
    dossier = store.create(resident, "css")
    stored = store.update_answers(dossier.id, {"date_naissance": "1986-04-17", "nom": "Benali",
                                               "ressources_salaires": 9600})
    assert summary(stored) == [("Nom", "Benali"), ("Date de naissance", "17/04/1986"),
                               ("Salaires et revenus d'activité", "9 600 €")]


def test_the_commission_copy_is_anonymized_and_its_read_is_logged(repo, store):
    resident = repo.record_inbound("sms", PHONE).resident_id
    dossier = store.create(resident, "css")
    store.update_answers(dossier.id, CSS_ANSWERS)
    text = text_of(commission_pdf(store, dossier.id, reader="commission:css",
                                  purpose="commission"))
    for secret in ("Benali", "Samira", "Hoche", "06 12 34 56 78", "17/04/1986"):
        assert secret not in text
    assert dossier.code in text and "9 600 €" in text
    assert [(r.reader, r.view) for r in store.reads_of(dossier.id)] == [
        ("commission:css", "anonymise")]
