"""A resident's typed answer made into the value a dossier stores, or a reason it cannot be.

Residents write "17 avril 1986", "1 200,50 €", "mille deux cents", "oui", "2" for the second
button: ``normalize`` turns that into the stored form (ISO date, number, bool, the choice's
exact label) or raises ``AnswerError`` with a code. The sentence the bot then says belongs in
``domain.yml`` (one response per code); none is written here.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any

from text_to_num import alpha2digit

from bot.dossiers.forms import FieldDefinition

MAX_TEXT = 200
MAX_TEXT_LONG = 2000
MONTHS = {"janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
          "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12}
YES = {"oui", "o", "yes", "ouais", "bien sur", "exact", "vrai", "1"}
NO = {"non", "n", "no", "pas du tout", "faux", "aucun", "aucune", "2"}


class AnswerError(ValueError):
    """The answer does not fit the field; ``code`` names why (``date_invalide``…)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def _plain(text: str) -> str:
    """Lower case, no accents, single spaces, no end punctuation: for comparisons only."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", stripped).strip(" .!?")


def parse_date(raw: str, today: date | None = None) -> str:
    """ISO date from "17/04/1986", "17-4-86", "17 avril 1986", "1986-04-17" (not in the future)."""
    today = today or date.today()
    text = _plain(alpha2digit(str(raw), "fr"))
    text = re.sub(r"\b1er\b", "1", text)
    day = month = year = None
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
        year, month, day = (int(g) for g in match.groups())
    elif match := re.fullmatch(r"(\d{1,2})\s*[/.\- ]\s*(\d{1,2})\s*[/.\- ]\s*(\d{2}|\d{4})", text):
        day, month, year = (int(g) for g in match.groups())
    elif match := re.fullmatch(r"(?:le )?(\d{1,2}) ([a-z]+) (\d{4})", text):
        day, year = int(match[1]), int(match[3])
        month = MONTHS.get(match[2])
    if year is not None and year < 100:  # "86" is 1986, "12" is 2012
        year += 2000 if 2000 + year <= today.year else 1900
    try:
        value = date(year, month, day)  # type: ignore[arg-type]
    except (TypeError, ValueError) as error:
        raise AnswerError("date_invalide") from error
    if value > today or value.year < 1900:
        raise AnswerError("date_invalide")
    return value.isoformat()


def parse_amount(raw: Any) -> int | float:
    """Euros from "1 200,50 €", "1.200,50", "9600 euros", "mille deux cents"; never negative."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        number = float(raw)
    else:
        text = alpha2digit(str(raw), "fr").lower()
        text = re.sub(r"(€|euros?|eur)\b|€", "", text).strip()
        text = text.replace("\u202f", " ").replace("\xa0", " ")
        if re.fullmatch(r"\d{1,3}(?:[ .]\d{3})+(?:,\d{1,2})?", text):
            text = text.replace(" ", "").replace(".", "")
        text = text.replace(" ", "").replace(",", ".")
        if not re.fullmatch(r"\d+(?:\.\d{1,2})?", text):
            raise AnswerError("montant_invalide")
        number = float(text)
    if number < 0 or number > 10_000_000:
        raise AnswerError("montant_invalide")
    return int(number) if number.is_integer() else round(number, 2)


def parse_phone(raw: str) -> str:
    """A French number written as on a form: "06 12 34 56 78" (from +33, 0033 or 06…)."""
    digits = re.sub(r"[\s.\-()]", "", str(raw))
    digits = re.sub(r"^(?:\+|00)33", "0", digits)
    if not re.fullmatch(r"0[1-9]\d{8}", digits):
        raise AnswerError("telephone_invalide")
    return " ".join(digits[i:i + 2] for i in range(0, 10, 2))


# The NIR (numéro d'inscription au répertoire): sex, year, month, department (2A/2B in
# Corsica), commune, order number, then a 2-digit key = 97 - (the 13 digits mod 97), with
# 2A read as 19 and 2B as 18 for the key (INSEE's rule).
_NIR = re.compile(r"([1-478]\d{4}(?:\d{2}|2[AB])\d{6})(\d{2})")
_NIR_GROUPS = (1, 2, 2, 2, 3, 3, 2)
_CORSICA = {"2A": "19", "2B": "18"}


def parse_nir(raw: str) -> str:
    """A social-security number as on the carte Vitale: "2 86 04 93 055 123 02".

    Spaces, dots and dashes are ignored; the key must match the 13 characters before it,
    so a digit mistyped or two swapped are caught before the request goes to the CPAM.
    """
    typed = re.sub(r"[\s.\-]", "", str(raw)).upper()
    match = _NIR.fullmatch(typed)
    if match is None:
        raise AnswerError("nir_invalide")
    number, key = match.groups()
    digits = number[:5] + _CORSICA.get(number[5:7], number[5:7]) + number[7:]
    if int(key) != 97 - int(digits) % 97:
        raise AnswerError("nir_cle_invalide")
    parts, start = [], 0
    for size in _NIR_GROUPS:
        parts.append(typed[start:start + size])
        start += size
    return " ".join(parts)


def normalize(field: FieldDefinition, raw: Any, today: date | None = None) -> Any:
    """The value to store for ``field`` from what the resident typed (or a button's value)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise AnswerError("reponse_vide")
    if field.type == "persons":
        if not isinstance(raw, list):
            raise AnswerError("personnes_invalides")
        people = []
        for person in raw:
            if not isinstance(person, dict):
                raise AnswerError("personnes_invalides")
            cleaned = {k: " ".join(str(v).split())[:MAX_TEXT] for k, v in person.items()
                       if k in ("nom", "prenom", "lien") and v}
            if person.get("date_naissance"):
                cleaned["date_naissance"] = parse_date(person["date_naissance"], today)
            people.append(cleaned)
        return people
    if field.type == "date":
        return parse_date(raw, today)
    if field.type == "amount":
        return parse_amount(raw)
    if field.type == "number":
        value = parse_amount(raw)
        if not isinstance(value, int):
            raise AnswerError("nombre_invalide")
        return value
    if field.type == "phone":
        return parse_phone(raw)
    if field.type == "nir":
        return parse_nir(raw)
    if field.type == "yes_no":
        if isinstance(raw, bool):
            return raw
        plain = _plain(str(raw))
        if plain in YES:
            return True
        if plain in NO:
            return False
        raise AnswerError("oui_ou_non")
    if field.type == "choice":
        plain = _plain(str(raw))
        if plain.isdigit() and 1 <= int(plain) <= len(field.choices):
            return field.choices[int(plain) - 1]
        for choice in field.choices:
            if _plain(choice) == plain:
                return choice
        raise AnswerError("choix_inconnu")
    text = " ".join(str(raw).split()) if field.type == "text" else str(raw).strip()
    limit = MAX_TEXT if field.type == "text" else MAX_TEXT_LONG
    if len(text) > limit:
        raise AnswerError("trop_long")
    return text
