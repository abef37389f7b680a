"""HTTP API: bad input is refused with the field named; concurrent requests are batched safely."""

from __future__ import annotations

import copy
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from eligibility.api import create_app
from eligibility.models import RightId
from eligibility.openapi import OPENAPI_PATH, render

VALID = {
    "date": "2026-11-22",
    "commune_insee": "93055",
    "household": {
        "members": [{"role": "demandeur", "age": 40, "resources": {"salaire": 1000}}],
        "housing": {"status": "locataire", "rent": 600},
        "revenu_fiscal_reference_n2": 11000,
    },
}


@pytest.fixture(scope="module")
def client(engine):
    with TestClient(create_app(engine=engine)) as test_client:
        deadline = time.monotonic() + 60
        while test_client.get("/health").status_code != 200:
            assert time.monotonic() < deadline, "engine never became ready"
            time.sleep(0.05)
        yield test_client


def with_change(path: str, value):
    body = copy.deepcopy(VALID)
    target = body
    *parents, last = path.split(".")
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    if value is KeyError:
        del target[last]
    elif last.isdigit():
        target[int(last)] = value
    else:
        target[last] = value
    return body


@pytest.mark.parametrize(
    "path, value, field",
    [
        ("household.members.0.resources.salaire", -100, "household.members.0.resources.salaire"),
        ("household.members", [], "household.members"),
        ("household.members.0.role", "grand-oncle", "household.members.0.role"),
        ("date", "1990-05-01", "date"),
        ("household.housing", KeyError, "household.housing"),
        ("household.members.0.age", KeyError, "household.members.0.age"),
        (
            "household.members",
            [{"role": "demandeur", "age": 30}] + [{"role": "enfant", "age": 5}] * 9_999,
            "household.members",
        ),
        ("household.members.0.resources.loto", 5, "household.members.0.resources.loto"),
        ("commune_insee", "Pantin", "commune_insee"),
        ("household.members", [{"role": "enfant", "age": 5}], "household.members"),
        ("household.members.0.birth_date", "2030-01-01", "household.members.0.birth_date"),
        ("rights", [], "rights"),
    ],
    ids=[
        "negative income",
        "no member",
        "unknown role",
        "date in 1990",
        "missing housing",
        "missing age",
        "10 000 members",
        "unknown resource",
        "bad INSEE code",
        "no applicant",
        "born after the date",
        "empty rights list",
    ],
)
def test_bad_input_is_a_422_naming_the_field(client, path, value, field):
    response = client.post("/v1/evaluate", json=with_change(path, value))
    assert response.status_code == 422
    assert field in [error["field"] for error in response.json()["detail"]]


def test_not_json_is_a_422(client):
    response = client.post(
        "/v1/evaluate", content=b"\x00\xff", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422


def test_evaluate_returns_every_right_with_steps(client):
    response = client.post("/v1/evaluate", json=VALID)
    assert response.status_code == 200
    body = response.json()
    assert [r["right"] for r in body["results"]] == [right.value for right in RightId]
    css = body["results"][0]
    assert css["status"] == "eligible_with_participation"
    sourced = [s for s in css["steps"] if s["source"]]
    assert sourced and all(s["date_of_effect"] for s in sourced)


def test_catalogue_lists_every_right_with_forms(client):
    catalogue = {entry["id"]: entry for entry in client.get("/v1/rights").json()}
    assert set(catalogue) == {right.value for right in RightId}
    assert catalogue["css"]["form"].startswith("Cerfa n° 12504*10")
    assert catalogue["logement_social"]["form"] == "Cerfa n° 14069*05"


def test_health_reports_ok_when_ready(client):
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["openfisca_france"]


def test_sixteen_concurrent_evaluations_match_sequential_ones(client):
    """Concurrent requests are batched into one simulation: each still gets its own answer."""
    bodies = []
    for i in range(16):
        body = copy.deepcopy(VALID)
        body["household"]["members"][0]["resources"]["salaire"] = 700 + 40 * i
        bodies.append(body)

    with ThreadPoolExecutor(max_workers=16) as pool:
        concurrent = list(pool.map(lambda b: client.post("/v1/evaluate", json=b), bodies))
    assert all(r.status_code == 200 for r in concurrent)
    for body, response in zip(bodies, concurrent, strict=True):
        alone = client.post("/v1/evaluate", json=body).json()
        assert response.json()["results"] == alone["results"]


def test_checked_in_openapi_file_is_up_to_date():
    assert OPENAPI_PATH.read_text(encoding="utf-8") == render(), (
        "run: python -m eligibility.openapi"
    )


class BrokenEngine:
    """Loads fine, then fails every calculation."""

    tax_benefit_system = None
    versions = {"openfisca_france": "test"}

    def warm_up(self) -> float:
        return 0.0

    def compute(self, requests):
        raise RuntimeError("OpenFisca exploded")


def test_a_failed_calculation_is_a_clean_error_never_an_answer():
    with TestClient(create_app(engine=BrokenEngine())) as broken:
        deadline = time.monotonic() + 10
        while broken.get("/health").status_code != 200:
            assert time.monotonic() < deadline
            time.sleep(0.01)
        response = broken.post("/v1/evaluate", json=VALID)
    assert response.status_code == 500
    assert response.json()["detail"] == "le calcul est indisponible pour le moment"
