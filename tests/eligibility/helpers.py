"""Small builders shared by the eligibility tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from commune import load_commune
from eligibility.engine import Engine
from eligibility.models import EvaluateRequest, RightResult
from eligibility.rights import explain

COMMUNE = load_commune()


def request(
    members: list[dict], date: str = "2026-11-22", rights: list[str] | None = None, **household: Any
) -> EvaluateRequest:
    body = {
        "date": date,
        "commune_insee": household.pop("commune_insee", "93055"),
        "rights": rights,
        "household": {
            "members": members,
            "housing": household.pop("housing", {"status": "locataire", "rent": 500}),
            **household,
        },
    }
    return EvaluateRequest.model_validate(body)


def evaluate(engine: Engine, req: EvaluateRequest) -> dict[str, RightResult]:
    results = explain(engine.tax_benefit_system, req, engine.compute([req])[0], COMMUNE)
    return {result.right.value: result for result in results}


def monthly(annual: float) -> float:
    return annual / 12


def step(result: RightResult, starts_with: str):
    return next(s for s in result.steps if s.label.startswith(starts_with))


__all__ = ["request", "evaluate", "monthly", "step", "COMMUNE", "dt"]
