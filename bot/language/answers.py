"""Reading residents' answers to a questionnaire: ages, amounts, yes or no, housing.

Answers come as residents type them: "34 8 et 5", "1 100 €", "mille deux cents euros",
"ouais", "chez ma soeur". Each reader returns the value, or None when the answer does not
say it, so the form asks again rather than guessing. ``parse_correction`` recognises a
resident going back on an answer ("non en fait on est 3", "je me suis trompée pour le
loyer", "corriger"). Pure Python, tested without Rasa.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.language.normalize import normalize

__all__ = [
    "Correction",
    "is_dont_know",
    "parse_ages",
    "parse_amount",
    "parse_correction",
    "parse_monthly_amount",
    "parse_yearly_amount",
    "parse_yes_no",
    "parse_housing_status",
]

MAX_AGE = 120
MAX_MONTHLY_AMOUNT = 100_000
MAX_YEARLY_AMOUNT = 1_000_000

_DONT_KNOW = re.compile(
    r"\b(je (ne )?sais (pas|plus|rien)|sais pas|aucune idee|j'?en sais rien|je (ne )?connais pas"
    r"|je (ne )?me souviens (pas|plus)|pas sur|i don'?t know|idk|ch?ai pas)\b"
)
_YES = re.compile(r"^(oui|ouais|ouai|ouep|yes|yep|ok|d'accord|dac|bien sur|exact|c'est ca"
                  r"|tout a fait|absolument|voila)\b")
_NO = re.compile(r"^(non|nan|no|nope|pas du tout|jamais|aucun|aucune)\b")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
# "1 100", "1.100", "1 100,50": thousands separated by a space or a dot, then decimals.
_GROUPED_AMOUNT = re.compile(
    r"(?<![\d.,])(?:\d{1,3}(?:[ .]\d{3})+(?:,\d{1,2})?|\d+(?:[.,]\d{1,2})?)(?![\d.,]?\d)"
)
_K_AMOUNT = re.compile(r"\b(\d+(?:[.,]\d+)?)\s?k\b")

_HOUSING_WORDS: list[tuple[str, re.Pattern[str]]] = [
    ("sans_domicile", re.compile(r"\b(rue|sdf|sans (domicile|abri|logement)|dehors|voiture"
                                 r"|squat|115|hotel social|centre d'hebergement)\b")),
    ("heberge_gratuitement", re.compile(r"\b(heberge|hebergee|chez (mes|ma|mon|des|un|une)"
                                        r"|gratuitement|gratuit|sans payer)\b")),
    ("proprietaire", re.compile(r"\b(proprio|proprietaire|j'ai achete|mon appartement a moi"
                                r"|credit immobilier)\b(?! (veut|refuse|ne|me|m'))")),
    ("locataire", re.compile(r"\b(locataire|loyer|je loue|location|hlm|bailleur|bail)\b")),
]

# Saying one wants to correct, with nothing else needed: "corriger", "je me suis trompé".
_CORRECTION_CLEAR = re.compile(
    r"\b(corriger|correction|corrige|je me suis trompee?|je me suis gouree?|trompee? de"
    r"|erreur|rectifier|je rectifie|revenir en arriere|retour en arriere|c'est faux"
    r"|(modifier|changer) (ma|la|une|mon) (reponse|reponse d'avant)"
    r"|question (d'avant|precedente))\b"
)
# Words that correct only when the answer they correct is named: "non en fait on est 3".
_CORRECTION_SOFT = re.compile(r"\b(en fait|enfait|plutot|non pardon|pardon non|oups|oops"
                              r"|finalement|je voulais dire)\b")
# Which question a correction is about, from the words naming it; the most specific first.
_CORRECTED_QUESTION: list[tuple[str, re.Pattern[str]]] = [
    ("family_benefits", re.compile(r"\b(allocations? familiales?|prestations?"
                                   r"|complement familial|allocs?)\b")),
    ("rfr_n2", re.compile(r"\b(revenu fiscal|rfr|impots?|avis d'imposition)\b")),
    ("housing_aid_amount", re.compile(r"\b(apl|als|alf|aides? au logement|allocation logement)\b")),
    ("rsa_amount", re.compile(r"\brsa\b")),
    ("housing_status", re.compile(r"\b(locataire|proprietaire|heberge|hebergee|loyer"
                                  r"|sans domicile|logement|a la rue)\b")),
    ("other_resources", re.compile(r"\b(salaires?|chomage|retraites?|revenus?|ressources"
                                   r"|gagne|gagnons|pension|touche)\b")),
    ("disability", re.compile(r"\b(handicap|handicapee?|mdph)\b")),
    ("couple", re.compile(r"\b(couple|mari|femme|conjointe?|compagnon|compagne|celibataire"
                          r"|mariee?|pacsee?|divorcee?|separee?|seule?)\b")),
    ("household_ages", re.compile(r"\b(on est|nous sommes|ages?|ans|enfants?|personnes?"
                                  r"|foyer|bebe|fils|fille)\b")),
]


@dataclass(frozen=True)
class Correction:
    """The resident goes back on an answer; ``question`` is the slot of the answer named,
    or None when they did not say which one (the previous answer, then)."""

    question: str | None


def parse_correction(text: str) -> Correction | None:
    """A correction of an earlier answer, or None when the message is not one.

    "corriger" or "je me suis trompé" is a correction on its own; "en fait" or "plutôt" is
    one only with the answer it corrects named ("non en fait on est 3"), since "en fait
    1200" is just an answer.
    """
    plain = normalize(text, numbers=False)
    question = next((slot for slot, words in _CORRECTED_QUESTION if words.search(plain)), None)
    if _CORRECTION_CLEAR.search(plain):
        return Correction(question)
    if question and _CORRECTION_SOFT.search(plain):
        return Correction(question)
    return None


def is_dont_know(text: str) -> bool:
    """The resident says they do not know ("jsp", "aucune idée", "je ne sais pas")."""
    return bool(_DONT_KNOW.search(normalize(text, numbers=False)))


def parse_yes_no(text: str) -> bool | None:
    """True for yes, False for no, None when the answer is neither."""
    plain = normalize(text, numbers=False)
    if _NO.match(plain):
        return False
    if _YES.match(plain):
        return True
    return None


def parse_ages(text: str) -> list[int] | None:
    """Every age in the answer, in the order given ("34, 8 et 5 ans" → [34, 8, 5])."""
    plain = normalize(text)
    ages = []
    for match in _NUMBER.finditer(plain):
        value = float(match.group().replace(",", "."))
        if not value.is_integer() or not 0 <= value <= MAX_AGE:
            return None
        ages.append(int(value))
    return ages or None


def parse_amount(text: str, maximum: float) -> float | None:
    """One amount in euros ("1 100 €", "1100e", "1,2k", "mille deux cents") or None.

    Several different amounts are refused (None): "800 et 300" must be confirmed as a total.
    """
    lowered = text.casefold().replace("\u202f", " ").replace("\xa0", " ")
    kilo = _K_AMOUNT.search(lowered)
    if kilo:
        return _bounded(float(kilo.group(1).replace(",", ".")) * 1000, maximum)
    candidates = _GROUPED_AMOUNT.findall(lowered)
    if not candidates:
        candidates = _GROUPED_AMOUNT.findall(normalize(text))
    values = {_to_float(candidate) for candidate in candidates}
    if len(values) != 1:
        return None
    return _bounded(values.pop(), maximum)


def parse_monthly_amount(text: str) -> float | None:
    """A monthly amount in euros, or None (see parse_amount)."""
    return parse_amount(text, MAX_MONTHLY_AMOUNT)


def parse_yearly_amount(text: str) -> float | None:
    """A yearly amount in euros, such as a revenu fiscal de référence, or None."""
    return parse_amount(text, MAX_YEARLY_AMOUNT)


def parse_housing_status(text: str) -> str | None:
    """The housing status the eligibility service knows, from the resident's words."""
    plain = normalize(text, numbers=False)
    for status, pattern in _HOUSING_WORDS:
        if pattern.search(plain):
            return status
    return None


def _to_float(candidate: str) -> float:
    if re.fullmatch(r"\d{1,3}(?:[ .]\d{3})+(?:,\d{1,2})?", candidate):
        candidate = re.sub(r"[ .]", "", candidate)
    return float(candidate.replace(",", "."))


def _bounded(value: float, maximum: float) -> float | None:
    return value if 0 <= value <= maximum else None
