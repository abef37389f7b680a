"""From the questionnaire's answers to the household the eligibility service expects.

The questionnaire asks one total of monthly resources (besides RSA and housing aid): it is
counted as the applicant's earned income. For the CSS every net resource counts alike, so
the result is the same; RSA and housing aid are asked apart because the CSS treats them
apart (free CSS with the RSA; a housing flat-rate replaces housing aid). Who is the partner
and whom the CSS counts is ``bot.dossiers.household``'s rule, shared with the CSS request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.dossiers.household import members

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


def _members(answers: Answers, right: str) -> tuple[list[dict[str, Any]], int]:
    found = members(answers.ages, answers.couple)
    listed: list[dict[str, Any]] = [{"role": "demandeur", "age": found.applicant}]
    if found.partner is not None:
        listed.append({"role": "conjoint", "age": found.partner})
    if right == "css":
        listed += [{"role": "enfant", "age": age} for age in found.css_dependants]
        return listed, found.css_left_out
    return listed + [{"role": "enfant", "age": age} for age in found.others], 0


def household(answers: Answers, right: str) -> Household:
    """The household as ``right`` counts it: the CSS leaves out adults of 25 or more."""
    listed, left_out = _members(answers, right)
    listed[0]["resources"] = {"salaire": answers.other_resources}
    if answers.disability:
        listed[0]["disability"] = True  # one member with a disability moves the category up
    request: dict[str, Any] = {
        "members": listed,
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
