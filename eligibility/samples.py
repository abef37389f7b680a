"""Typical households, used to warm the engine up and by the benchmark."""

from __future__ import annotations

import datetime as dt

from eligibility.models import EvaluateRequest


def sample_household(index: int = 0) -> dict:
    """A small family whose figures vary with ``index`` (so batches are not all identical)."""
    kinds = index % 4
    members: list[dict] = [
        {
            "role": "demandeur",
            "age": 30 + index % 40,
            "resources": {"salaire": 900 + 37 * (index % 25)},
        }
    ]
    if kinds in (1, 3):
        members.append({"role": "conjoint", "age": 32 + index % 30, "resources": {"chomage": 600}})
    for child in range(kinds):
        members.append({"role": "enfant", "age": 3 + 4 * child})
    return {
        "members": members,
        "housing": {"status": "locataire", "rent": 550 + 10 * (index % 20)},
        "benefits": {"prestations_familiales": 140 if kinds >= 2 else 0},
        "revenu_fiscal_reference_n2": 11_000 + 1_300 * (index % 30),
    }


def sample_request(
    index: int = 0, date: dt.date = dt.date(2026, 11, 22), rights: list[str] | None = None
) -> EvaluateRequest:
    return EvaluateRequest.model_validate(
        {
            "date": date,
            "commune_insee": "93055",
            "rights": rights,
            "household": sample_household(index),
        }
    )


def warmup_requests() -> list[EvaluateRequest]:
    """Every right on both dates the tests pin, several household shapes."""
    return [
        sample_request(i, date)
        for date in (dt.date(2025, 5, 1), dt.date(2026, 11, 22))
        for i in range(4)
    ]
