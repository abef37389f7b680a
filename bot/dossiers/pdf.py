"""A dossier as a PDF the resident opens on a phone and a CCAS agent can work from.

A5 pages (readable on a phone without zooming, printable on A4), the form's sections in the
form's order, every answer under its label, "non renseigné" where the resident gave nothing,
then the place to sign, the checklist of documents and where to submit. fpdf2 with DejaVu Sans
(bundled in ``fonts/``, Bitstream Vera licence): it prints every French character, ``œ`` and
``’`` included, and the checkboxes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from bot.dossiers.forms import PERSON_FIELDS, FieldDefinition, RequestDefinition

FONTS = Path(__file__).resolve().parent / "fonts"
NOTICE = "Pré-rempli par Relais — à vérifier et signer"
NOT_ANSWERED = "non renseigné"
_INK = (20, 20, 20)
_GREY = (95, 95, 95)
_BAND = (226, 234, 244)
_ACCENT = (28, 64, 122)


@dataclass(frozen=True)
class DossierView:
    """What the PDF needs of a dossier (a stored ``Dossier`` or its anonymized copy)."""

    code: str
    right: str
    variant: str | None
    answers: dict[str, Any]
    documents_received: dict[str, list[str]] = field(default_factory=dict)
    created_at: datetime | None = None
    anonymized: bool = False


def format_value(definition: FieldDefinition, value: Any) -> str:
    """An answer as it is printed: dates in French order, amounts in euros, Oui/Non."""
    if value is None or value == "" or value == []:
        return NOT_ANSWERED
    if isinstance(value, str) and re.fullmatch(r"\[[^\]]+\]", value):
        return value  # removed by the anonymizer ("[retiré]"): never shown as "Non"
    if definition.type == "yes_no":
        return "Oui" if value in (True, "oui", "Oui", "yes") else "Non"
    if definition.type == "date":
        return format_date(value)
    if definition.type == "amount":
        return format_amount(value)
    return str(value)


def format_date(value: Any) -> str:
    if isinstance(value, (date, datetime)):
        return value.strftime("%d/%m/%Y")
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", str(value))
    return f"{match[3]}/{match[2]}/{match[1]}" if match else str(value)


def format_amount(value: Any) -> str:
    try:
        number = float(str(value).replace(",", ".").replace(" ", ""))
    except ValueError:
        return str(value)
    text = f"{number:,.2f}".replace(",", " ").replace(".", ",")
    return f"{text.removesuffix(',00')} €"


class _Document(FPDF):
    def __init__(self, footer_text: str):
        super().__init__(orientation="P", unit="mm", format=(148, 210))  # A5
        self._footer_text = footer_text
        self.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_margins(12, 12, 12)
        self.set_auto_page_break(True, margin=16)
        self.set_title("Dossier pré-rempli par Relais")
        self.set_creator("Relais")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("DejaVu", "", 7)
        self.set_text_color(*_GREY)
        self.cell(0, 5, f"{self._footer_text} — page {self.page_no()}/{{nb}}", align="C")

    # --- building blocks -------------------------------------------------------------------

    def line_of(self, text: str, size: float, bold: bool = False,
                color: tuple[int, int, int] = _INK, height: float | None = None) -> None:
        self.set_font("DejaVu", "B" if bold else "", size)
        self.set_text_color(*color)
        self.multi_cell(0, height or size * 0.5, text, align="L", new_x=XPos.LMARGIN,
                        new_y=YPos.NEXT)

    def section(self, number: int | None, title: str) -> None:
        if self.get_y() > self.h - 40:  # a heading never sits alone at the foot of a page
            self.add_page()
        self.ln(3)
        self.set_fill_color(*_BAND)
        self.set_font("DejaVu", "B", 11)
        self.set_text_color(*_ACCENT)
        heading = f"{number}. {title}" if number is not None else title
        self.multi_cell(0, 7, heading, fill=True, padding=(0, 2), new_x=XPos.LMARGIN,
                        new_y=YPos.NEXT)
        self.ln(1.5)

    def answer(self, label: str, value: str) -> None:
        if self.get_y() > self.h - 28:
            self.add_page()
        self.line_of(label, 8, color=_GREY, height=4)
        empty = value == NOT_ANSWERED
        self.line_of(value, 10.5, bold=not empty, color=_GREY if empty else _INK, height=5.2)
        self.ln(1.2)


def render_dossier(definition: RequestDefinition, dossier: DossierView,
                   where_to_submit: list[Any], today: date | None = None) -> bytes:
    """The PDF's bytes. ``where_to_submit`` is ``definition.where_to_submit(load_commune())``."""
    today = today or date.today()
    footer = (f"Dossier {dossier.code} — version anonymisée" if dossier.anonymized
              else f"Dossier {dossier.code} — pré-rempli par Relais, à vérifier et signer")
    pdf = _Document(footer)
    pdf.add_page()

    pdf.line_of("Relais — accès aux droits, Pantin", 8, color=_GREY, height=4)
    pdf.ln(1)
    pdf.line_of(definition.title, 15, bold=True, color=_ACCENT, height=7)
    variant = definition.variants.get(dossier.variant or "", "")
    subtitle = definition.form + (f" — {variant}" if variant else "")
    pdf.line_of(subtitle, 9.5, height=5)
    created = (dossier.created_at.date() if dossier.created_at else today)
    pdf.line_of(f"Dossier {dossier.code} — préparé le {format_date(created)}", 9, color=_GREY,
                height=5)
    pdf.ln(2)

    pdf.set_draw_color(*_ACCENT)
    pdf.set_line_width(0.6)
    pdf.set_font("DejaVu", "B", 11)
    pdf.set_text_color(*_ACCENT)
    notice = "Version anonymisée — examen en commission" if dossier.anonymized else NOTICE
    pdf.multi_cell(0, 8, notice, border=1, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_line_width(0.2)
    pdf.ln(1)
    explanation = ("Ce document reprend les réponses données à Relais. Ce n'est pas encore la "
                   "demande officielle : relisez chaque réponse, corrigez-la si besoin, puis "
                   f"reportez-la sur le formulaire ({definition.form}) ou faites la démarche "
                   "en ligne.")
    if dossier.anonymized:
        explanation = ("Version anonymisée pour une commission : noms, adresses, numéros, dates "
                       "de naissance, nationalité et lieux ont été retirés. Le dossier est "
                       f"désigné par son code {dossier.code}.")
    pdf.line_of(explanation, 8.5, height=4.3)
    if definition.intro:
        pdf.ln(1)
        pdf.line_of(definition.intro, 8.5, color=_GREY, height=4.3)

    number = 0
    for section in definition.sections_for(dossier.variant):
        number += 1
        pdf.section(number, section.title)
        for item in section.fields:
            value = dossier.answers.get(item.id)
            if item.type == "persons":
                _persons(pdf, item, value)
            else:
                pdf.answer(item.label, format_value(item, value))

    if dossier.anonymized:  # a commission neither signs nor submits the request
        _checklist(pdf, definition, dossier)
        return bytes(pdf.output())
    pdf.section(None, "Vérification et signature")
    pdf.line_of("Je certifie l'exactitude des renseignements ci-dessus.", 9, height=4.6)
    pdf.ln(2)
    pdf.line_of("Date : ......................      Signature :", 9.5, height=6)
    pdf.ln(10)
    _checklist(pdf, definition, dossier)
    _where(pdf, definition, where_to_submit)
    return bytes(pdf.output())


def _persons(pdf: _Document, item: FieldDefinition, value: Any) -> None:
    people = value if isinstance(value, list) else []
    if not people:
        pdf.answer(item.label, "aucune personne indiquée")
        return
    pdf.line_of(item.label, 8, color=_GREY, height=4)
    for index, person in enumerate(people, start=1):
        parts = []
        for key, label in PERSON_FIELDS:
            raw = person.get(key) if isinstance(person, dict) else None
            if raw:
                shown = format_date(raw) if key == "date_naissance" else str(raw)
                parts.append(f"{label} : {shown}")
        if pdf.get_y() > pdf.h - 45:  # a person's lines stay together
            pdf.add_page()
        pdf.line_of(f"Personne {index}", 9, bold=True, height=5)
        pdf.line_of("   " + "\n   ".join(parts) if parts else NOT_ANSWERED, 9.5, height=5)
        pdf.ln(0.8)
    pdf.ln(0.8)


def _checklist(pdf: _Document, definition: RequestDefinition, dossier: DossierView) -> None:
    pdf.section(None, "Documents à joindre")
    for document in definition.documents_for(dossier.variant):
        received = bool(dossier.documents_received.get(document.id))
        box = "☑" if received else "☐"
        note = [] if document.required else ["si vous en avez"]
        if received:
            note.append("déjà envoyé à Relais")
        if not document.verified:
            note.append("liste à confirmer auprès du CCAS")
        suffix = f" ({', '.join(note)})" if note else ""
        pdf.line_of(f"{box}  {document.label}{suffix}", 9.5, height=5.2)
        pdf.ln(0.8)


def _where(pdf: _Document, definition: RequestDefinition, options: list[Any]) -> None:
    pdf.section(None, "Où déposer votre demande")
    for option in options:
        pdf.line_of(option.label, 9.5, bold=True, height=5)
        if option.url:
            pdf.set_font("DejaVu", "", 9.5)
            pdf.set_text_color(*_ACCENT)
            pdf.cell(0, 5, option.url, link=option.url, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if option.address:
            pdf.line_of(f"Adresse : {option.address}", 9, height=4.8)
        if option.hours:
            pdf.line_of(f"Horaires : {option.hours}", 9, height=4.8)
        pdf.ln(1.5)
    delay = definition.submit.get("delay")
    if delay:
        pdf.line_of(delay, 8.5, color=_GREY, height=4.4)
