"""Who the CSS counts in a household: the applicant, a partner, dependants under 25.

The eligibility questionnaire asks everyone's age and the CSS request asks each member; both
must count the same people, or the ceiling checked and the request sent disagree. A lodged
parent or a grown-up child of 25 or more is not in the CSS household (rights.md [V], CSS
art. R861-2): they make their own request. Used by ``actions.household`` (the eligibility
call) and ``bot.dossiers.dialogue`` / ``actions.requests`` (the request's members).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

CSS_DEPENDANT_MAX_AGE = 25  # dependants under 25 belong to the CSS household (rights.md [V])
ADULT_AGE = 18  # a partner is an adult
PARTNER_RELATIONS = frozenset({"conjoint", "conjointe", "mari", "femme", "epoux", "epouse",
                               "compagnon", "compagne", "partenaire", "concubin", "concubine"})


@dataclass(frozen=True)
class Members:
    """Everyone's age, the applicant first, sorted into the roles a right counts."""

    applicant: int
    partner: int | None
    others: tuple[int, ...]  # in the order given

    @property
    def css_dependants(self) -> tuple[int, ...]:
        return tuple(age for age in self.others if age < CSS_DEPENDANT_MAX_AGE)

    @property
    def css_left_out(self) -> int:
        """People living there whom the CSS does not count (25 or more, not the partner)."""
        return len(self.others) - len(self.css_dependants)

    @property
    def css_size(self) -> int:
        return 1 + (self.partner is not None) + len(self.css_dependants)


def members(ages: list[int], couple: bool) -> Members:
    """The partner, for a couple, is the adult closest in age to the applicant.

    Residents list ages in any order ("34, 8, 36", or a lodged parent before the partner):
    taking the second age as the partner would count a child as the partner and leave the
    real one out.
    """
    applicant, *others = ages
    partner_index = None
    if couple:
        adults = [i for i, age in enumerate(others) if age >= ADULT_AGE]
        if adults:
            partner_index = min(adults, key=lambda i: (abs(others[i] - applicant), i))
    partner = others[partner_index] if partner_index is not None else None
    rest = tuple(age for i, age in enumerate(others) if i != partner_index)
    return Members(applicant, partner, rest)


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", str(text).lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


def age_on(birth_iso: str, today: date) -> int:
    born = date.fromisoformat(birth_iso)
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _is_partner(person: dict[str, Any], today: date) -> bool:
    """A member already listed who is the partner: named so, or an adult the CSS kept."""
    return _plain(person.get("lien", "")) in PARTNER_RELATIONS or \
        age_on(person["date_naissance"], today) >= CSS_DEPENDANT_MAX_AGE


def counts_for_css(person: dict[str, Any], listed: list[dict[str, Any]], couple: bool,
                   today: date | None = None) -> bool:
    """Whether a member typed in the CSS request belongs to its household.

    Under 25: yes (a dependant). 25 or more: only the partner — named so ("mari", "épouse"…),
    or, with no relation given, the first adult of a resident living in a couple.
    """
    today = today or date.today()
    if age_on(person["date_naissance"], today) < CSS_DEPENDANT_MAX_AGE:
        return True
    relation = _plain(person.get("lien", ""))
    if relation:
        return relation in PARTNER_RELATIONS
    return couple and not any(_is_partner(p, today) for p in listed)
