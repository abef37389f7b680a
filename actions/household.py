"""From the questionnaire's answers to the household the eligibility service expects.

The questionnaire asks one total of monthly resources (besides RSA and housing aid): it is
counted as the applicant's earned income. For the CSS every net resource counts alike, so
the result is the same; RSA and housing aid are asked apart because the CSS treats them
apart (free CSS with the RSA; a housing flat-rate replaces housing aid).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

CSS_DEPENDANT_MAX_AGE = 25  # dependants under 25 belong to the CSS household (rights.md [V])
# The service requires a housing status; social housing and the quotient familial do not
# read it, so an unknown one is sent as "locataire" rather than asked for nothing.
HOUSING_NOT_ASKED = "locataire"


@dataclass(frozen=True)
class Answers:
    """What the resident answered; None for a question this right did not ask."""

    ages: list[int]
    couple: bool
    rsa: float = 0.0
    other_resources: float = 0.0
    housing_status: str | None = None
    housing_aid: float = 0.0
    disability: bool = False
    rfr_n2: float | None = None
    family_benefits: float = 0.0


@dataclass(frozen=True)
class Household:
    request: dict[str, Any]
    left_out: int  # people the right's household does not count (CSS: 25 or more)


def _members(answers: Answers, others_max_age: int | None) -> tuple[list[dict[str, Any]], int]:
    applicant, *others = answers.ages
    members: list[dict[str, Any]] = [{"role": "demandeur", "age": applicant}]
    if answers.couple and others:
        members.append({"role": "conjoint", "age": others.pop(0)})
    kept = [age for age in others if others_max_age is None or age < others_max_age]
    members += [{"role": "enfant", "age": age} for age in kept]
    return members, len(others) - len(kept)


def household(answers: Answers, right: str) -> Household:
    """The household as ``right`` counts it: the CSS leaves out adults of 25 or more."""
    members, left_out = _members(answers, CSS_DEPENDANT_MAX_AGE if right == "css" else None)
    members[0]["resources"] = {"salaire": answers.other_resources}
    if answers.disability:
        members[0]["disability"] = True  # one member with a disability moves the category up
    request: dict[str, Any] = {
        "members": members,
        "housing": {"status": answers.housing_status or HOUSING_NOT_ASKED},
        "benefits": {
            "rsa": answers.rsa,
            "aide_logement": answers.housing_aid,
            "prestations_familiales": answers.family_benefits,
        },
    }
    if answers.rfr_n2 is not None:
        request["revenu_fiscal_reference_n2"] = answers.rfr_n2
    return Household(request=request, left_out=left_out)
