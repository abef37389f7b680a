"""Quotient familial, CAF estimates and the commune's local schemes."""

from __future__ import annotations

import pytest
from helpers import evaluate, request, step


def test_single_parent_has_two_parts_plus_half_per_child(engine):
    """Single parent + 2 children: 2 + 0.5 + 0.5 = 3 parts; QF = (24 000 / 12 + 150) / 3."""
    req = request(
        [
            {"role": "demandeur", "age": 38},
            {"role": "enfant", "age": 6},
            {"role": "enfant", "age": 9},
        ],
        rights=["quotient_familial"],
        revenu_fiscal_reference_n2=24_000,
        benefits={"prestations_familiales": 150},
    )
    result = evaluate(engine, req)["quotient_familial"]
    assert step(result, "Nombre total de parts").value == 3
    assert result.amount.value == pytest.approx((24_000 / 12 + 150) / 3, abs=0.01)


def test_third_child_counts_one_part(engine):
    req = request(
        [{"role": "demandeur", "age": 38}, {"role": "conjoint", "age": 38}]
        + [{"role": "enfant", "age": a} for a in (3, 6, 9)],
        rights=["quotient_familial"],
        revenu_fiscal_reference_n2=30_000,
    )
    assert step(evaluate(engine, req)["quotient_familial"], "Nombre total de parts").value == 4


def test_single_adult_parts_are_flagged_unverified(engine):
    req = request(
        [{"role": "demandeur", "age": 38}],
        rights=["quotient_familial"],
        revenu_fiscal_reference_n2=12_000,
    )
    result = evaluate(engine, req)["quotient_familial"]
    assert step(result, "Parts pour un adulte seul").statut == "non_verifie"
    assert result.estimate


def test_municipal_band_is_unknown_until_the_town_publishes_its_grid(engine):
    req = request(
        [{"role": "demandeur", "age": 38}],
        rights=["tarif_municipal"],
        revenu_fiscal_reference_n2=12_000,
    )
    result = evaluate(engine, req)["tarif_municipal"]
    assert result.status.value == "unknown"
    assert "commune.quotient_familial_municipal.bands" in result.missing


@pytest.mark.parametrize("right", ["mutuelle_communale", "caisse_sociale_alimentaire"])
def test_local_schemes_are_unknown_and_invent_nothing(engine, right):
    result = evaluate(engine, request([{"role": "demandeur", "age": 38}], rights=[right]))[right]
    assert result.status.value == "unknown"
    assert result.amount is None
    assert all(s.statut == "non_verifie" for s in result.steps)


def test_caf_estimates_are_labelled_and_computed(engine):
    """No income, rent 600 € in Pantin: RSA and housing aid are due, prime d'activité is not."""
    req = request(
        [{"role": "demandeur", "age": 40}],
        rights=["rsa", "prime_activite", "aide_logement"],
        housing={"status": "locataire", "rent": 600},
    )
    results = evaluate(engine, req)
    assert results["rsa"].status.value == "eligible" and results["rsa"].estimate
    assert 0 < results["rsa"].amount.value <= 651.69
    assert results["aide_logement"].status.value == "eligible"
    assert results["prime_activite"].status.value == "not_eligible"
    rsa_amount = step(results["rsa"], "Montant forfaitaire du RSA")
    assert (rsa_amount.value, str(rsa_amount.date_of_effect)) == (651.69, "2026-04-01")


def test_housing_aid_without_rent_is_unknown(engine):
    req = request(
        [{"role": "demandeur", "age": 40}],
        rights=["aide_logement"],
        housing={"status": "locataire"},
    )
    assert evaluate(engine, req)["aide_logement"].missing == ["household.housing.rent"]


def test_batch_gives_the_same_answers_as_one_by_one(engine):
    """Vectorising households into one simulation must not mix them up."""
    from eligibility.samples import sample_request

    reqs = [sample_request(i) for i in range(12)]
    together = engine.compute(reqs)
    for req, batched in zip(reqs, together, strict=True):
        alone = engine.compute([req])[0]
        assert batched.family == pytest.approx(alone.family)
