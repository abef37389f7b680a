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


@dataclass(frozen=True)
class CssAnswers:
    ages: list[int]
    couple: bool
    rsa: float
    other_resources: float
    housing_status: str
    housing_aid: float


@dataclass(frozen=True)
class CssHousehold:
    request: dict[str, Any]
    left_out: int  # people aged 25 or more who are neither the applicant nor the partner


def css_household(answers: CssAnswers) -> CssHousehold:
    applicant, *others = answers.ages
    members: list[dict[str, Any]] = [{
        "role": "demandeur",
        "age": applicant,
        "resources": {"salaire": answers.other_resources},
    }]
    if answers.couple and others:
        members.append({"role": "conjoint", "age": others.pop(0)})
    dependants = [age for age in others if age < CSS_DEPENDANT_MAX_AGE]
    members += [{"role": "enfant", "age": age} for age in dependants]
    return CssHousehold(
        request={
            "members": members,
            "housing": {"status": answers.housing_status},
            "benefits": {"rsa": answers.rsa, "aide_logement": answers.housing_aid},
        },
        left_out=len(others) - len(dependants),
    )
