"""What the request conversation asks next, and how it reads each answer (no Rasa here).

One question per message, and only what the request needs and does not know yet: required
fields not answered, a few optional fields worth the resident's time (``OPTIONAL_ASKED``), and
the household members one by one when the form lists them. What the eligibility questionnaire
already learnt (``prefill``) and what another dossier of the resident already says (the
gateway copies it) is not asked again. The actions (``actions/requests.py``) only turn this
into Rasa events and responses.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.dossiers.answers import AnswerError, normalize, parse_amount, parse_date
from bot.dossiers.forms import FieldDefinition, RequestDefinition, load_requests
from bot.dossiers.household import members

# What residents pick from (button payloads): a request and, for social housing, its variant.
REQUEST_CHOICES = {
    "css": ("css", None),
    "logement_social": ("logement_social", "premiere_demande"),
    "logement_social_renouvellement": ("logement_social", "renouvellement"),
    "mutuelle_communale": ("mutuelle_communale", None),
    "caisse_sociale_alimentaire": ("caisse_sociale_alimentaire", None),
}
# Optional fields asked anyway because the people who examine the request need them; every
# other optional field (birth name, phone, remarks…) is left for the resident to add on paper.
OPTIONAL_ASKED = {
    "css": ("foyer", "ressources_salaires", "ressources_chomage", "ressources_pensions",
            "ressources_prestations_familiales", "ressources_pensions_alimentaires",
            "ressources_autres"),
    "logement_social": ("titre_sejour", "foyer", "handicap_foyer", "logement_actuel"),
    "mutuelle_communale": ("foyer",),
    "caisse_sociale_alimentaire": ("foyer", "loyer"),
}
HOUSEHOLD_FIELD = "foyer"
# The eligibility questionnaire asks for the revenu fiscal de référence of 2024's incomes
# (domain.yml, utter_ask_rfr_n2): the year printed on the request.
ELIGIBILITY_RFR_YEAR = 2024
CSS_RESOURCES = ("ressources_salaires", "ressources_chomage", "ressources_pensions",
                 "ressources_prestations_familiales", "ressources_pensions_alimentaires",
                 "ressources_autres")
FRENCH = {"francaise", "francais", "france", "fr"}
MAX_HOUSEHOLD = 15
# Said instead of a member: the household ends with those already listed (a size counted too
# high, or someone the CSS household leaves out).
NO_ONE_ELSE = {"c'est tout", "cest tout", "personne", "personne d'autre", "plus personne",
               "aucun", "aucune", "aucune autre", "fini", "termine", "c'est fini", "rien"}
RELATIONS = ("conjoint", "conjointe", "mari", "femme", "epoux", "epouse", "compagnon",
             "compagne", "fils", "fille", "enfant", "bebe", "mere", "pere", "frere", "soeur",
             "grand-mere", "grand-pere", "petit-fils", "petite-fille", "neveu", "niece",
             "oncle", "tante", "cousin", "cousine", "beau-fils", "belle-fille", "belle-mere",
             "beau-pere", "ami", "amie", "colocataire")


@dataclass(frozen=True)
class Question:
    """What to ask next: a field of the form, the household's size, or one household member."""

    kind: str  # "field" | "household_size" | "person"
    field: FieldDefinition | None = None
    number: int = 0  # for "person": the member's number in the household (2 = the first other)

    @property
    def key(self) -> str:
        """The name of the response that asks it, after ``utter_request_ask_``."""
        return self.field.id if self.kind == "field" else self.kind


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", str(text).lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip(" .!?")


def household_size(answers: dict[str, Any], known_size: int | None) -> int | None:
    """People in the household, the applicant included, when known."""
    if isinstance(answers.get("nombre_personnes"), int):
        return answers["nombre_personnes"]
    return known_size


def _asked(definition: RequestDefinition, item: FieldDefinition, answers: dict[str, Any]) -> bool:
    if item.required:
        return answers.get(item.id) in (None, "", [])
    if item.id not in OPTIONAL_ASKED.get(definition.right, ()) or item.id in answers:
        return False
    if item.id == "titre_sejour":
        nationality = answers.get("nationalite")
        return nationality is not None and _plain(nationality) not in FRENCH
    return True


def next_question(right: str, variant: str | None, answers: dict[str, Any],
                  known_size: int | None) -> Question | None:
    """The next thing to ask, in the form's order; None when the request can be summed up."""
    definition = load_requests()[right]
    for item in definition.fields_for(variant):
        if item.id == HOUSEHOLD_FIELD:
            size = household_size(answers, known_size)
            if size is None:
                if "nombre_personnes" in {f.id for f in definition.fields_for(variant)}:
                    continue  # asked as its own field, before the members
                return Question("household_size")
            people = answers.get(HOUSEHOLD_FIELD) or []
            if len(people) < size - 1:
                return Question("person", item, number=len(people) + 2)
            continue
        if _asked(definition, item, answers):
            return Question("field", item)
    return None


def field_of(right: str, variant: str | None, field_id: str) -> FieldDefinition | None:
    return next((f for f in load_requests()[right].fields_for(variant) if f.id == field_id),
                None)


def parse_household_size(text: str) -> int:
    value = parse_amount(text) if not str(text).strip().isdigit() else int(str(text).strip())
    if not isinstance(value, int) or not 1 <= value <= MAX_HOUSEHOLD:
        raise AnswerError("nombre_invalide")
    return value


_DATE_IN_TEXT = re.compile(
    r"\b\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{2,4}\b|\b\d{4}-\d{1,2}-\d{1,2}\b"
    r"|\b(?:1er|\d{1,2})\s+[a-zA-Zéû]+\s+\d{4}\b")


def parse_person(text: str, today: date | None = None) -> dict[str, str]:
    """One household member from "Amina Diallo, 12/03/2015, fille" (any order, commas or not).

    A name and a birth date are needed (the forms ask both); the relation is kept when given.
    """
    raw = " ".join(str(text).split())
    match = _DATE_IN_TEXT.search(raw)
    if match is None:
        raise AnswerError("personne_incomplete")
    birth = parse_date(match.group(0), today)
    rest = (raw[:match.start()] + " , " + raw[match.end():]).replace(";", ",")
    parts = [p.strip(" ,.-") for p in rest.split(",")]
    relation = ""
    names: list[str] = []
    for part in parts:
        words = part.split()
        if not words:
            continue
        kept = []
        for word in words:
            if not relation and _plain(word) in RELATIONS:
                relation = word.lower()
            elif _plain(word) not in {"ne", "nee", "le", "sa", "son", "mon", "ma", "mes"}:
                kept.append(word)
        if kept:
            names.append(" ".join(kept))
    if not names:
        raise AnswerError("personne_incomplete")
    first, *others = names[0].split()
    person = {"prenom": first[:100], "date_naissance": birth}
    if others:
        person["nom"] = " ".join(others)[:100]
    if relation:
        person["lien"] = relation
    return person


_QUESTION_START = re.compile(
    r"^(c'?est quoi|qu'?est[- ]ce|est[- ]ce que|pourquoi|comment|combien|quand|ou est|"
    r"quel(le)?s? |a quoi|ca sert|je peux|on peut|puis[- ]je|vous pouvez)")


def looks_like_question(text: str) -> bool:
    """A question typed instead of an answer ("c'est quoi le numéro unique ?")."""
    stripped = str(text).strip()
    return stripped.endswith("?") or bool(_QUESTION_START.match(_plain(stripped)))


def read_answer(question: Question, text: str, today: date | None = None) -> dict[str, Any]:
    """The answers to store for what the resident wrote; ``AnswerError`` when it does not fit.

    Returns ``{"foyer_size": n}`` for the household's size (kept in the conversation, not on
    the form), ``{"person": {...}}`` for a member, ``{"household_complete": True}`` when the
    resident says there is no one else ("c'est tout"), ``{field id: value}`` for a field.
    """
    if question.kind == "household_size":
        return {"foyer_size": parse_household_size(text)}
    if question.kind == "person":
        if _plain(" ".join(str(text).split())) in NO_ONE_ELSE:
            return {"household_complete": True}
        return {"person": parse_person(text, today)}
    assert question.field is not None
    return {question.field.id: normalize(question.field, text, today)}


def prefill(right: str, variant: str | None, eligibility: dict[str, Any] | None,
            answers: dict[str, Any]) -> tuple[dict[str, Any], int | None]:
    """(answers to add, household size) from the eligibility questionnaire's answers.

    Only fields not answered yet are filled: the resident's own answer always wins.
    """
    facts = eligibility or {}
    found: dict[str, Any] = {}
    ages = facts.get("household_ages")
    size = len(ages) if isinstance(ages, list) and ages else None
    couple = facts.get("couple")
    if right == "css":
        if size is not None:  # the CSS household: not a lodged parent nor a child of 25+
            size = members([int(a) for a in ages], bool(couple)).css_size
        if couple is not None:
            found["situation_familiale"] = "en couple" if couple else "seul(e)"
        if facts.get("rsa_amount") is not None:
            found["beneficiaire_rsa"] = float(facts["rsa_amount"]) > 0
        housing = facts.get("housing_status")
        aid = facts.get("housing_aid_amount")
        if housing == "locataire" and aid is not None:
            found["situation_logement"] = ("locataire avec aide au logement" if float(aid) > 0
                                           else "locataire sans aide au logement")
        elif housing == "heberge_gratuitement":
            found["situation_logement"] = "hébergé(e) gratuitement"
        elif housing == "proprietaire":
            found["situation_logement"] = "propriétaire"
        if facts.get("other_resources") is not None and float(facts["other_resources"]) == 0:
            found.update({name: 0 for name in CSS_RESOURCES})
    elif right == "logement_social":
        if facts.get("rfr_n2") is not None:
            found["revenu_fiscal_reference"] = parse_amount(facts["rfr_n2"])
            found["revenu_fiscal_annee"] = ELIGIBILITY_RFR_YEAR
        if facts.get("disability") is not None:
            found["handicap_foyer"] = bool(facts["disability"])
        if variant == "premiere_demande":
            found["type_demande"] = "Première demande"
        elif variant == "renouvellement":
            found["type_demande"] = "Renouvellement d'une demande en cours"
    elif right == "mutuelle_communale":
        if facts.get("right") == "css":
            found["css_verifiee"] = True
    elif right == "caisse_sociale_alimentaire" and size is not None:
        found["nombre_personnes"] = size
    return {k: v for k, v in found.items() if k not in answers}, size
