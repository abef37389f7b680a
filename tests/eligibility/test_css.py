"""CSS: households whose answer is known from the official tables (rights.md)."""

from __future__ import annotations

import pytest
from helpers import evaluate, monthly, request, step

# date → (free ceiling, with-participation ceiling) for one person
SINGLE = {"2025-05-01": (10339, 13957), "2026-11-22": (10422, 14069)}


def single(date: str, annual: float, age: int = 40):
    return request(
        [{"role": "demandeur", "age": age, "resources": {"salaire": monthly(annual)}}],
        date=date,
        rights=["css"],
    )


@pytest.mark.parametrize("date", SINGLE)
@pytest.mark.parametrize(
    "offset, expected_free, expected_paid",
    [
        (-1, "eligible", "not_eligible"),
        (0, "eligible", "not_eligible"),
        (1, "eligible_with_participation", "not_eligible"),
    ],
)
def test_single_person_around_each_ceiling(engine, date, offset, expected_free, expected_paid):
    """Just under and at a ceiling are under it; one euro over is over it."""
    free, paid = SINGLE[date]
    assert evaluate(engine, single(date, free + offset))["css"].status.value == expected_free
    paid_status = evaluate(engine, single(date, paid + offset))["css"].status.value
    assert paid_status == ("eligible_with_participation" if offset <= 0 else expected_paid)


def test_participation_is_14_euros_at_40(engine):
    result = evaluate(engine, single("2025-05-01", 12_000))["css"]
    assert result.status.value == "eligible_with_participation"
    assert result.amount.value == 14


def test_2025_ceiling_is_official_and_2026_is_labelled_an_estimate(engine):
    verified = evaluate(engine, single("2025-05-01", 12_000))["css"]
    ceiling = step(verified, "Plafond de la CSS gratuite pour 1")
    assert (ceiling.value, ceiling.statut, str(ceiling.date_of_effect)) == (
        10339,
        "verifie",
        "2025-04-01",
    )
    assert ceiling.source and ceiling.source.href
    estimated = evaluate(engine, single("2026-11-22", 12_000))["css"]
    ceiling = step(estimated, "Plafond de la CSS gratuite pour 1")
    assert (ceiling.value, ceiling.statut, str(ceiling.date_of_effect)) == (
        10422,
        "estimation",
        "2026-04-01",
    )
    assert estimated.estimate and "estimation" in estimated.summary


def test_family_of_three_2025(engine):
    """Couple + one child: 3 persons, 18 609 / 25 123 € (official 2025 table)."""

    def family(annual):
        return request(
            [
                {"role": "demandeur", "age": 35, "resources": {"salaire": monthly(annual)}},
                {"role": "conjoint", "age": 33},
                {"role": "enfant", "age": 4},
            ],
            date="2025-05-01",
            rights=["css"],
        )

    assert evaluate(engine, family(18_609))["css"].status.value == "eligible"
    paid = evaluate(engine, family(18_610))["css"]
    assert paid.status.value == "eligible_with_participation"
    assert paid.amount.value == 14 + 14 + 8  # two adults in their thirties, one child
    assert evaluate(engine, family(25_124))["css"].status.value == "not_eligible"


def test_family_of_five_2025(engine):
    """Five persons: 21 711 + 4 135 = 25 846 € free, 29 311 + 5 583 = 34 894 € paid."""

    def family(annual):
        return request(
            [{"role": "demandeur", "age": 45, "resources": {"salaire": monthly(annual)}}]
            + [{"role": "enfant", "age": age} for age in (3, 8, 12, 16)],
            date="2025-05-01",
            rights=["css"],
        )

    result = evaluate(engine, family(25_846))["css"]
    assert result.status.value == "eligible"
    assert step(result, "Plafond de la CSS gratuite pour votre foyer").value == 25_846
    assert evaluate(engine, family(25_847))["css"].status.value == "eligible_with_participation"
    assert evaluate(engine, family(34_895))["css"].status.value == "not_eligible"


def test_rsa_recipients_get_the_free_css(engine):
    req = request(
        [{"role": "demandeur", "age": 40, "resources": {"salaire": monthly(13_000)}}],
        date="2025-05-01",
        rights=["css"],
        benefits={"rsa": 100},
    )
    assert evaluate(engine, req)["css"].status.value == "eligible"


def test_forfait_logement_is_added_for_a_person_housed_free(engine):
    """Housed free, 1 person: 12 % of 12 RSA amounts is added (646.52 × 12 × 0.12 = 930.99 €)."""
    req = request(
        [{"role": "demandeur", "age": 40, "resources": {"salaire": monthly(9_600)}}],
        date="2025-05-01",
        rights=["css"],
        housing={"status": "heberge_gratuitement"},
    )
    result = evaluate(engine, req)["css"]
    total = step(result, "Total des ressources retenues").value
    assert total == pytest.approx(9_600 + 646.52 * 12 * 0.12, abs=0.05)
    assert result.status.value == "eligible_with_participation"  # 10 530.99 > 10 339


def test_participation_age_on_first_of_january(engine):
    """Born 2 January 1996: 30 on the date but 29 on 1 January 2026 → 8 €, not 14 €."""
    req = request(
        [
            {
                "role": "demandeur",
                "age": 30,
                "birth_date": "1996-01-02",
                "resources": {"salaire": monthly(12_000)},
            }
        ],
        date="2026-11-22",
        rights=["css"],
    )
    assert evaluate(engine, req)["css"].amount.value == 8


def test_a_ceiling_older_than_a_year_is_flagged_as_unverified(engine):
    """In June 2027 the April 2026 figure has probably been revalued: never shown as official."""
    result = evaluate(engine, single("2027-06-01", 12_000))["css"]
    ceiling = step(result, "Plafond de la CSS gratuite pour 1")
    assert ceiling.statut == "non_verifie" and "revalorisation" in ceiling.note
    assert result.estimate


def test_disputed_forfait_rate_is_shown_as_unverified(engine):
    """Owner, 2 persons: OpenFisca's 14 % disagrees with the rights reference's 16 %."""
    req = request(
        [
            {"role": "demandeur", "age": 40, "resources": {"salaire": monthly(9_000)}},
            {"role": "enfant", "age": 8},
        ],
        date="2025-05-01",
        rights=["css"],
        housing={"status": "proprietaire"},
    )
    result = evaluate(engine, req)["css"]
    rate = step(result, "Taux du forfait logement")
    assert (rate.value, rate.statut) == (0.14, "non_verifie")
    assert result.estimate


def test_a_child_of_25_is_not_in_the_css_household(engine):
    """Dependants are under 25 (R861-2): a 25-year-old is neither counted nor charged."""
    req = request(
        [
            {"role": "demandeur", "age": 52, "resources": {"salaire": monthly(12_000)}},
            {"role": "enfant", "age": 25},
            {"role": "enfant", "age": 24},
        ],
        date="2025-05-01",
        rights=["css"],
    )
    result = evaluate(engine, req)["css"]
    assert step(result, "Personnes comptées").value == 2
    assert result.status.value == "eligible"  # 12 000 ≤ 15 508, the 2-person ceiling
    paid = request(
        [
            {"role": "demandeur", "age": 52, "resources": {"salaire": monthly(16_000)}},
            {"role": "enfant", "age": 25},
            {"role": "enfant", "age": 24},
        ],
        date="2025-05-01",
        rights=["css"],
    )
    assert evaluate(engine, paid)["css"].amount.value == 21 + 8
