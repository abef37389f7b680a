"""What the console shows of dossiers: the agent's full view, the commission's anonymized one.

Reading a dossier's answers goes through ``DossierStore.read``, which logs the read (who, why,
which view) before it returns: no console page can show answers without leaving a trace. Lists
show only what sorts dossiers (code, right, status, dates), never an answer. A commission sees
the dossiers that are ready or submitted, named by their code, through ``bot.anonymizer``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from bot.anonymizer import anonymize_dossier
from bot.dossiers.forms import RequestDefinition, load_requests
from bot.dossiers.pdf import format_value
from bot.dossiers.service import view_of
from bot.store.dossiers import ConversationAliasRow, Dossier, DossierRow, DossierStore

RIGHT_LABELS = {"css": "Complémentaire santé solidaire", "logement_social": "Logement social",
                "mutuelle_communale": "Mutuelle communale",
                "caisse_sociale_alimentaire": "Caisse sociale alimentaire"}
VARIANT_LABELS = {"premiere_demande": "première demande", "renouvellement": "renouvellement"}
STATUS_LABELS = {"en_cours": "En cours", "a_confirmer": "À confirmer", "pret": "Prêt",
                 "envoye": "Envoyé", "depose": "Déposé", "abandonne": "Abandonné"}
# A commission examines complete requests: drafts stay between the resident and the agents.
COMMISSION_STATUSES = ("pret", "envoye", "depose")


def _when(moment: Any) -> str | None:
    return moment.isoformat(timespec="seconds") + "Z" if moment else None


def _heading(right: str, variant: str | None) -> str:
    label = RIGHT_LABELS.get(right, right)
    return f"{label} ({VARIANT_LABELS[variant]})" if variant in VARIANT_LABELS else label


def listing(row: DossierRow | Dossier) -> dict[str, Any]:
    """A dossier as a line of a list: nothing the resident answered."""
    return {"id": row.id, "code": row.code, "right": row.right,
            "title": _heading(row.right, row.variant), "status": row.status,
            "status_label": STATUS_LABELS.get(row.status, row.status),
            "created_at": _when(row.created_at), "updated_at": _when(row.updated_at)}


def dossiers_of_conversation(store: DossierStore, conversation_id: str) -> list[dict[str, Any]]:
    """The dossiers of the resident behind a conversation (their own id or an older alias)."""
    sessions = sessionmaker(bind=store.engine, future=True)
    with sessions() as session:
        resident = session.execute(select(ConversationAliasRow.resident_id).where(
            ConversationAliasRow.sender_id == conversation_id)).scalar_one_or_none()
        rows = session.execute(select(DossierRow).where(
            DossierRow.resident_id.in_({conversation_id, resident or conversation_id}))
            .order_by(DossierRow.updated_at.desc())).scalars().all()
        return [listing(row) for row in rows]


def _sections(definition: RequestDefinition, dossier: Dossier) -> list[dict[str, Any]]:
    sections = []
    for section in definition.sections_for(dossier.variant):
        lines = []
        for item in section.fields:
            if item.id not in dossier.answers:
                continue
            value = dossier.answers[item.id]
            if item.type == "persons":
                people = value if isinstance(value, list) else []
                shown = "; ".join(
                    " ".join(str(p[k]) for k in ("prenom", "nom", "lien") if p.get(k))
                    for p in people if isinstance(p, dict)) or "aucune"
                lines.append({"label": item.label, "value": shown})
            else:
                lines.append({"label": item.label, "value": format_value(item, value)})
        if lines:
            sections.append({"title": section.title, "lines": lines})
    return sections


def _checklist(definition: RequestDefinition, dossier: Dossier) -> list[dict[str, Any]]:
    received = dossier.documents_received
    return [{"label": document.label, "received": bool(received.get(document.id))}
            for document in definition.documents_for(dossier.variant)]


def full_dossier(store: DossierStore, conversation_id: str, dossier_id: str, reader: str,
                 purpose: str) -> dict[str, Any] | None:
    """An agent opens one dossier of the conversation's resident (logged as ``complet``).

    None when the dossier is not that resident's: an agent reaches dossiers through the
    conversation they work on, not by guessing ids.
    """
    if dossier_id not in {d["id"] for d in dossiers_of_conversation(store, conversation_id)}:
        return None
    dossier = store.read(dossier_id, reader=reader, purpose=purpose, view="complet")
    definition = load_requests()[dossier.right]
    return {**listing(dossier), "form": definition.form,
            "sections": _sections(definition, dossier),
            "documents": _checklist(definition, dossier),
            "unsorted_documents": len(dossier.documents_received.get("a_classer", []))}


def commission_list(store: DossierStore) -> list[dict[str, Any]]:
    """Dossiers a commission may examine, newest first: code, right, status, dates only."""
    sessions = sessionmaker(bind=store.engine, future=True)
    with sessions() as session:
        rows = session.execute(select(DossierRow).where(
            DossierRow.status.in_(COMMISSION_STATUSES))
            .order_by(DossierRow.updated_at.desc())).scalars().all()
        return [{key: value for key, value in listing(row).items() if key != "id"}
                for row in rows]


def commission_dossier(store: DossierStore, code: str, reader: str) -> dict[str, Any] | None:
    """A commission member opens one dossier by its code (logged as ``anonymise``)."""
    sessions = sessionmaker(bind=store.engine, future=True)
    with sessions() as session:
        dossier_id = session.execute(select(DossierRow.id).where(
            DossierRow.code == code, DossierRow.status.in_(COMMISSION_STATUSES))
        ).scalar_one_or_none()
    if dossier_id is None:
        return None
    dossier = store.read(dossier_id, reader=reader, purpose="commission", view="anonymise")
    definition = load_requests()[dossier.right]
    anonymous = anonymize_dossier(definition, view_of(dossier))
    shown = replace(dossier, answers=anonymous.answers)
    data = {key: value for key, value in listing(dossier).items() if key != "id"}
    return {**data, "form": definition.form, "sections": _sections(definition, shown),
            "documents": _checklist(definition, dossier)}
