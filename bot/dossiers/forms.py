"""The requests Relais pre-fills (``requests.yml``): sections, fields, documents, where to go.

The conversation asks for the fields a request still misses (``RequestDefinition.missing``); the
PDF prints them section by section; the anonymizer removes those marked ``personal``. Where to
submit comes from the commune file: an address or opening hours not there are never invented,
the text says "à confirmer auprès du CCAS" instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

REQUESTS_PATH = Path(__file__).resolve().parent / "requests.yml"
TO_CONFIRM = "à confirmer auprès du CCAS"
FIELD_TYPES = ("text", "text_long", "date", "phone", "choice", "amount", "number", "yes_no",
               "persons", "nir")
# What each person of a "persons" field carries (household members on every form).
PERSON_FIELDS = (("nom", "Nom"), ("prenom", "Prénom"), ("date_naissance", "Date de naissance"),
                 ("lien", "Lien avec vous"))


@dataclass(frozen=True)
class FieldDefinition:
    id: str
    label: str
    type: str
    required: bool
    personal: bool
    free_text: bool
    source: str
    verified: bool
    choices: tuple[str, ...] = ()
    only_variant: str | None = None


@dataclass(frozen=True)
class Section:
    title: str
    fields: tuple[FieldDefinition, ...]


@dataclass(frozen=True)
class DocumentDefinition:
    id: str
    label: str
    required: bool
    source: str
    verified: bool
    only_variant: str | None = None


@dataclass(frozen=True)
class SubmitOption:
    """One way to submit, ready to print: what, and where or a link, and when (or to confirm)."""

    label: str
    url: str | None
    address: str
    hours: str


@dataclass(frozen=True)
class RequestDefinition:
    right: str
    title: str
    form: str
    form_verified: bool
    intro: str
    variants: dict[str, str]
    sections: tuple[Section, ...]
    documents: tuple[DocumentDefinition, ...]
    submit: dict[str, Any]
    sources: dict[str, str]

    def sections_for(self, variant: str | None) -> list[Section]:
        """Sections with the fields of this variant (a renewal adds the numéro unique)."""
        result = []
        for section in self.sections:
            fields = tuple(f for f in section.fields
                           if f.only_variant is None or f.only_variant == variant)
            if fields:
                result.append(Section(section.title, fields))
        return result

    def fields_for(self, variant: str | None) -> list[FieldDefinition]:
        return [f for section in self.sections_for(variant) for f in section.fields]

    def documents_for(self, variant: str | None) -> list[DocumentDefinition]:
        return [d for d in self.documents if d.only_variant is None or d.only_variant == variant]

    def missing(self, answers: dict[str, Any], variant: str | None) -> list[FieldDefinition]:
        """Required fields not answered yet, in the form's order: what the bot asks next."""
        return [f for f in self.fields_for(variant)
                if f.required and answers.get(f.id) in (None, "", [])]

    def where_to_submit(self, commune: dict[str, Any]) -> list[SubmitOption]:
        """Online link and paper counter, with address and hours from the commune file only."""
        options = []
        online = self.submit.get("online")
        if online:
            options.append(SubmitOption(online["label"], online.get("url"), "", ""))
        paper = self.submit.get("paper")
        if paper:
            address, hours = _place_address(commune, paper.get("place"))
            scheme_where = _commune_value(commune, paper.get("commune_key"))
            label = paper["label"] if not scheme_where else f"{paper['label']} : {scheme_where}"
            options.append(SubmitOption(label, None, address, hours))
        return options


def _commune_value(commune: dict[str, Any], key: list[str] | None) -> str | None:
    if not key:
        return None
    node: Any = commune
    for part in key:
        node = node.get(part) if isinstance(node, dict) else None
    value = node.get("value") if isinstance(node, dict) else None
    return str(value) if value else None


def _place_address(commune: dict[str, Any], place_id: str | None) -> tuple[str, str]:
    """(address, hours) of a commune place; each one "à confirmer auprès du CCAS" when null."""
    place = next((p for p in commune.get("places", []) if p.get("id") == place_id), None)
    if place is None:
        return TO_CONFIRM, TO_CONFIRM
    address = (place.get("address") or {}).get("value")
    hours = (place.get("opening_hours") or {}).get("value")
    name = (place.get("name") or {}).get("value")
    where = f"{name}, {address}" if name and address else TO_CONFIRM
    return where, hours or TO_CONFIRM


def _field(raw: dict[str, Any], sources: dict[str, str]) -> FieldDefinition:
    if raw["type"] not in FIELD_TYPES:
        raise ValueError(f"field {raw['id']}: unknown type {raw['type']!r}")
    if raw["source"] not in sources:
        raise ValueError(f"field {raw['id']}: unknown source {raw['source']!r}")
    return FieldDefinition(
        id=raw["id"], label=raw["label"], type=raw["type"], required=bool(raw["required"]),
        personal=bool(raw.get("personal", False)), free_text=bool(raw.get("free_text", False)),
        source=raw["source"], verified=bool(raw.get("verified", True)),
        choices=tuple(raw.get("choices", ())), only_variant=raw.get("only_variant"),
    )


@lru_cache(maxsize=4)
def load_requests(path: Path = REQUESTS_PATH) -> dict[str, RequestDefinition]:
    """Every request definition, keyed by right (css, logement_social, …)."""
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    sources = data["sources"]
    result = {}
    for right, raw in data["requests"].items():
        result[right] = RequestDefinition(
            right=right, title=raw["title"], form=raw["form"],
            form_verified=bool(raw["form_verified"]), intro=raw["intro"],
            variants=dict(raw.get("variants") or {}),
            sections=tuple(Section(s["title"], tuple(_field(f, sources) for f in s["fields"]))
                           for s in raw["sections"]),
            documents=tuple(DocumentDefinition(
                id=d["id"], label=d["label"], required=bool(d["required"]), source=d["source"],
                verified=bool(d.get("verified", False)), only_variant=d.get("only_variant"))
                for d in raw["documents"]),
            submit=raw["submit"], sources=sources,
        )
    return result
