"""Benchmark of the eligibility service against naive OpenFisca, measured in the same run.

Run from the repository root:  .venvs/eligibility/bin/python bench/eligibility_bench.py [--quick]

* naive baseline: OpenFisca-France loaded once, then one simulation per household built from a
  situation dict, asking for the variables the rights need (a typical first integration);
* service: the real ``python -m eligibility`` process over HTTP — time to a 200 on /health, CSS +
  social housing and full evaluations one at a time, then 16 concurrent clients.

Prints p50/p95 per scenario. A benchmark, not a test: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eligibility.samples import sample_household  # noqa: E402

DATE = "2026-11-22"
CSS_HOUSING = ["css", "logement_social"]
NAIVE_CSS_HOUSING = ["cmu_c", "css_participation_forfaitaire", "logement_social_eligible"]
NAIVE_FULL = NAIVE_CSS_HOUSING + ["rsa", "ppa", "aide_logement"]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def line(name: str, samples: list[float], extra: str = "") -> None:
    ms = [s * 1000 for s in samples]
    p50, p95 = percentile(ms, 50), percentile(ms, 95)
    print(f"  {name:<46} n={len(ms):>4}  p50={p50:>8.1f} ms  p95={p95:>8.1f} ms  {extra}")


# -- naive baseline --------------------------------------------------------------------------


def naive_situation(index: int) -> dict:
    """The sample household as an OpenFisca situation dict, resources over the last 12 months."""
    household = sample_household(index)
    months = [f"2025-{m:02d}" for m in range(11, 13)] + [f"2026-{m:02d}" for m in range(1, 12)]
    individus, parents, enfants = {}, [], []
    for k, member in enumerate(household["members"]):
        pid = f"p{k}"
        person = {"date_naissance": {"ETERNITY": f"{2026 - member['age']}-01-01"}}
        for key, variable in (("salaire", "salaire_net"), ("chomage", "chomage_net")):
            amount = member.get("resources", {}).get(key)
            if amount:
                person[variable] = {m: amount for m in months}
        individus[pid] = person
        (enfants if member["role"] == "enfant" else parents).append(pid)
    return {
        "individus": individus,
        "familles": {"f": {"parents": parents, "enfants": enfants}},
        "foyers_fiscaux": {"ff": {"declarants": parents, "personnes_a_charge": enfants}},
        "menages": {
            "m": {
                "personne_de_reference": parents[:1],
                "conjoint": parents[1:],
                "enfants": enfants,
                "depcom": {"2026-11": "93055"},
                "statut_occupation_logement": {"2026-11": "locataire_vide"},
                "loyer": {"2026-11": household["housing"]["rent"]},
            }
        },
    }


def naive(households: int) -> None:
    from openfisca_core.simulation_builder import SimulationBuilder

    print("Naive OpenFisca (one household per simulation, no project inputs):")
    started = time.perf_counter()
    from openfisca_france import FranceTaxBenefitSystem

    tbs = FranceTaxBenefitSystem()
    print(f"  load of the tax-benefit system: {time.perf_counter() - started:.1f} s")

    def one(index: int, variables: list[str]) -> float:
        t = time.perf_counter()
        simulation = SimulationBuilder().build_from_entities(tbs, naive_situation(index))
        for variable in variables:
            simulation.calculate(variable, "2026-11")
        return time.perf_counter() - t

    print(f"  first calculation (all variables): {one(0, NAIVE_FULL):.1f} s")
    line("CSS + social housing", [one(i, NAIVE_CSS_HOUSING) for i in range(households)])
    line(
        "full evaluation (CSS, HLM, RSA, PPA, AL)", [one(i, NAIVE_FULL) for i in range(households)]
    )


# -- service ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def body(index: int, rights: list[str] | None) -> dict:
    return {
        "date": DATE,
        "commune_insee": "93055",
        "rights": rights,
        "household": sample_household(index),
    }


async def concurrent_clients(base: str, clients: int, rounds: int) -> tuple[list, float]:
    """``clients`` residents each sending ``rounds`` full evaluations back to back."""
    samples: list[tuple[float, int]] = []
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:

        async def resident(number: int) -> None:
            for k in range(rounds):
                t = time.perf_counter()
                response = await http.post("/v1/evaluate", json=body(number * 1000 + k, None))
                samples.append((time.perf_counter() - t, response.status_code))

        started = time.perf_counter()
        await asyncio.gather(*(resident(n) for n in range(clients)))
        return samples, time.perf_counter() - started


def service(requests: int, rounds: int) -> None:
    port = free_port()
    env = {**os.environ, "RELAIS_ELIGIBILITY_PORT": str(port), "RELAIS_LOG_LEVEL": "warning"}
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "eligibility"], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=30) as client:
            while True:
                try:
                    if client.get("/health").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if process.poll() is not None or time.perf_counter() - started > 120:
                    raise SystemExit("the service did not become ready")
                time.sleep(0.05)
            print("Service (python -m eligibility, HTTP, warm):")
            print(f"  /health ready after {time.perf_counter() - started:.1f} s")

            def timed(payload: dict) -> tuple[float, int]:
                t = time.perf_counter()
                status = client.post("/v1/evaluate", json=payload).status_code
                return time.perf_counter() - t, status

            for label, rights in (
                ("CSS + social housing", CSS_HOUSING),
                ("full evaluation (all 9 rights)", None),
            ):
                samples = [timed(body(i, rights)) for i in range(requests)]
                errors = sum(1 for _, status in samples if status != 200)
                line(label, [s for s, _ in samples], f"errors={errors}")

            samples, elapsed = asyncio.run(concurrent_clients(base, clients=16, rounds=rounds))
            errors = sum(1 for _, status in samples if status != 200)
            line(
                "16 concurrent clients, full evaluation",
                [s for s, _ in samples],
                f"errors={errors}  throughput={len(samples) / elapsed:.1f} evaluations/s",
            )
    finally:
        process.terminate()
        process.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer samples (about 1 minute)")
    args = parser.parse_args()
    households, requests, rounds = (5, 40, 4) if args.quick else (20, 200, 20)
    naive(households)
    service(requests, rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
