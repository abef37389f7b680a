"""What the actions will call: the resident's PDF, the summary to confirm, the commission's copy.

Thin on purpose: the store, the definitions, the renderer and the anonymizer do the work; this
module only puts them together the same way for every caller.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.anonymizer import anonymize_dossier
from bot.dossiers.forms import RequestDefinition, load_requests
from bot.dossiers.pdf import DossierView, format_date, format_value, render_dossier
from bot.store.dossiers import Dossier, DossierStore
from commune import load_commune


def view_of(dossier: Dossier) -> DossierView:
    return DossierView(code=dossier.code, right=dossier.right, variant=dossier.variant,
                       answers=dossier.answers, documents_received=dossier.documents_received,
                       created_at=dossier.created_at)


def pdf_filename(dossier: Dossier) -> str:
    """``relais-css-D-7K3F9Q.pdf``: the code, never the resident's name, in a file name."""
    return f"relais-{dossier.right.replace('_', '-')}-{dossier.code}.pdf"


def resident_pdf(store: DossierStore, resident_id: str, dossier_id: str,
                 commune: dict[str, Any] | None = None, today: date | None = None
                 ) -> tuple[str, bytes]:
    """(file name, PDF bytes) of one of the resident's dossiers, for ``Outbox.send_document``."""
    dossier = store.get_for_resident(resident_id, dossier_id)
    definition = load_requests()[dossier.right]
    data = render_dossier(definition, view_of(dossier),
                          definition.where_to_submit(commune or load_commune()), today=today)
    return pdf_filename(dossier), data


def _person(person: dict[str, Any]) -> str:
    """"Moussa Diallo, né(e) le 12/03/2015, fils": each member as the resident confirms it."""
    parts = [" ".join(str(person[k]) for k in ("prenom", "nom") if person.get(k))]
    if person.get("date_naissance"):
        parts.append(f"né(e) le {format_date(person['date_naissance'])}")
    if person.get("lien"):
        parts.append(str(person["lien"]))
    return ", ".join(p for p in parts if p)


def summary(dossier: Dossier) -> list[tuple[str, str]]:
    """(label, value) of every answer, in the form's order: what the resident confirms."""
    definition: RequestDefinition = load_requests()[dossier.right]
    lines = []
    for item in definition.fields_for(dossier.variant):
        if item.id not in dossier.answers:
            continue
        value = dossier.answers[item.id]
        if item.type == "persons":
            people = value if isinstance(value, list) else []
            shown = "; ".join(_person(p) for p in people if isinstance(p, dict))
            lines.append((item.label, shown or "aucune"))
        else:
            lines.append((item.label, format_value(item, value)))
    return lines


def commission_pdf(store: DossierStore, dossier_id: str, reader: str, purpose: str,
                   today: date | None = None) -> bytes:
    """The anonymized PDF for a commission; the read is logged as ``anonymise``."""
    dossier = store.read(dossier_id, reader=reader, purpose=purpose, view="anonymise")
    definition = load_requests()[dossier.right]
    anonymous = anonymize_dossier(definition, view_of(dossier))
    return render_dossier(definition, anonymous, [], today=today)
