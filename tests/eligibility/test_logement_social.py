"""Social housing: categories 1–6 and the Paris + adjoining communes ceilings."""

from __future__ import annotations

import pytest
from helpers import evaluate, request, step

PLUS_2026 = [26920, 40233, 52740, 62968, 74919, 84304]


def adults(*ages):
    first, *others = ages
    return [{"role": "demandeur", "age": first}] + [
        {"role": "conjoint", "age": age} for age in others
    ]


CASES = [
    ("personne seule", adults(40), 1),
    ("couple de 80 ans cumulés", adults(40, 40), 2),
    ("personne seule handicapée", [{"role": "demandeur", "age": 40, "disability": True}], 2),
    ("jeune ménage", adults(25, 28), 3),
    ("parent seul + 1 enfant", adults(40) + [{"role": "enfant", "age": 5}], 3),
    ("couple + 2 enfants", adults(40, 40) + [{"role": "enfant", "age": a} for a in (5, 7)], 4),
    ("parent seul + 3 enfants", adults(40) + [{"role": "enfant", "age": a} for a in (5, 7, 9)], 5),
    (
        "couple + 4 enfants",
        adults(40, 40) + [{"role": "enfant", "age": a} for a in (3, 5, 7, 9)],
        6,
    ),
]


@pytest.mark.parametrize("label, members, category", CASES, ids=[c[0] for c in CASES])
def test_category_and_plus_ceiling_2026(engine, label, members, category):
    req = request(members, rights=["logement_social"], revenu_fiscal_reference_n2=20_000)
    result = evaluate(engine, req)["logement_social"]
    assert step(result, "Catégorie de ménage").value == category
    assert step(result, "Plafond PLUS pour votre ménage").value == PLUS_2026[category - 1]


def test_income_between_plus_and_pls_gives_pls_only(engine):
    req = request(adults(40), rights=["logement_social"], revenu_fiscal_reference_n2=30_000)
    result = evaluate(engine, req)["logement_social"]
    assert result.status.value == "eligible"
    assert step(result, "Logements auxquels").value == "PLS"


def test_income_over_pls_is_not_eligible(engine):
    req = request(
        adults(40), date="2025-05-01", rights=["logement_social"], revenu_fiscal_reference_n2=40_000
    )
    assert evaluate(engine, req)["logement_social"].status.value == "not_eligible"


def test_lower_n1_income_is_used_when_10_percent_lower(engine):
    req = request(
        adults(40),
        date="2025-05-01",
        rights=["logement_social"],
        revenu_fiscal_reference_n2=30_000,
        revenu_fiscal_reference_n1=26_000,
    )
    result = evaluate(engine, req)["logement_social"]
    assert step(result, "Logements auxquels").value == "PLUS, PLS"


def test_missing_tax_income_gives_unknown_with_the_field(engine):
    result = evaluate(engine, request(adults(40), rights=["logement_social"]))["logement_social"]
    assert result.status.value == "unknown"
    assert result.missing == ["household.revenu_fiscal_reference_n2"]
    assert step(result, "Plafond PLUS pour votre ménage").value == PLUS_2026[0]


def test_outside_paris_zone_is_unknown(engine):
    req = request(
        adults(40),
        rights=["logement_social"],
        commune_insee="93008",
        revenu_fiscal_reference_n2=10_000,
    )
    assert evaluate(engine, req)["logement_social"].status.value == "unknown"


def test_plai_2026_is_flagged_as_derived(engine):
    result = evaluate(
        engine, request(adults(40), rights=["logement_social"], revenu_fiscal_reference_n2=10_000)
    )["logement_social"]
    plai = step(result, "Plafond PLAI pour la catégorie 1")
    assert plai.statut == "derive" and result.estimate
