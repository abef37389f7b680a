"""The OpenFisca side: one loaded tax-benefit system, many households per simulation.

Two kinds of simulation are built, because one OpenFisca simulation holds one value per variable
and month:

* the *declared* simulation (CSS, social housing): the benefits the household says it received
  are inputs, as the CSS counts what was actually received over the last 12 months. Setting them,
  and the few inputs OpenFisca would otherwise derive through the whole income-tax chain
  (``boursier``), keeps a CSS evaluation to a few milliseconds instead of a second;
* the *estimate* simulation (RSA, prime d'activité, housing aid): OpenFisca computes those
  benefits from the declared resources; they are estimates, the CAF decides.

Households evaluated together are laid side by side in the same arrays: OpenFisca computes a
thousand households about as fast as one.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass, field
from importlib.metadata import version
from typing import Any

import numpy as np
from openfisca_core.periods import period as make_period
from openfisca_core.simulation_builder import SimulationBuilder
from openfisca_france.model.base import TypesStatutOccupationLogement

from eligibility.models import EvaluateRequest, HousingStatus, Member, RightId, Role
from eligibility.reform import build_tax_benefit_system

# Resource keys of the API → OpenFisca individual variables.
INDIVIDUAL_RESOURCES = {
    "salaire": "salaire_net",
    "chomage": "chomage_net",
    "retraite": "retraite_nette",
    "pension_alimentaire": "pensions_alimentaires_percues",
    "indemnites_journalieres": "indemnites_journalieres",
    "pension_invalidite": "pensions_invalidite",
    "aah": "aah",
}
# Individual variables the CSS resource base reads that the API does not collect: set to zero so
# OpenFisca does not derive them (some pull in the whole income-tax chain).
INDIVIDUAL_ZEROS_DECLARED = (
    "asi",
    "ass",
    "allocation_securisation_professionnelle",
    "bourse_recherche",
    "caah",
    "dedommagement_victime_amiante",
    "gains_exceptionnels",
    "indemnites_chomage_partiel",
    "indemnites_stage",
    "indemnites_compensatrices_conges_payes",
    "prestation_compensatoire",
    "prime_forfaitaire_mensuelle_reprise_activite",
    "retraite_combattant",
    "revenus_stage_formation_pro",
    "rsa_base_ressources_patrimoine_individu",
    "rente_accident_travail",
    "bourse_enseignement_sup",
    "indemnites_journalieres_maladie",
    "pensions_alimentaires_versees_individu",
)
INDIVIDUAL_ZEROS_ESTIMATE = ("asi", "ass", "bourse_enseignement_sup", "gains_exceptionnels")
# Household-level benefits, as declared (declared simulation only).
FAMILY_DECLARED = {
    "prestations_familiales": "af",
    "aide_logement": "aide_logement",
    "rsa": "rsa",
    "aspa": "aspa",
}
FAMILY_ZEROS_DECLARED = ("asf", "cf", "paje_clca", "paje_prepare")

HOUSING_STATUS = {
    HousingStatus.locataire: TypesStatutOccupationLogement.locataire_vide,
    HousingStatus.proprietaire: TypesStatutOccupationLogement.proprietaire,
    HousingStatus.heberge_gratuitement: TypesStatutOccupationLogement.loge_gratuitement,
    HousingStatus.sans_domicile: TypesStatutOccupationLogement.sans_domicile,
}

DECLARED_FAMILY_OUTPUTS = (
    "cmu_c",
    "css_participation_forfaitaire",
    "cmu_c_plafond",
    "acs_plafond",
    "css_cmu_base_ressources",
    "cmu_nbp_foyer",
    "css_cmu_forfait_logement_base",
    "css_cmu_forfait_logement_al",
)
DECLARED_PERSON_OUTPUTS = ("css_participation_forfaitaire_montant_i", "relais_age_1er_janvier")
HOUSING_OUTPUTS = (
    "relais_plafond_plus",
    "relais_plafond_plai",
    "relais_plafond_pls",
    "relais_logement_social_rang_categorie",
    "relais_zone_paris_limitrophes",
)
ESTIMATE_OUTPUTS = {
    RightId.rsa: "rsa",
    RightId.prime_activite: "ppa",
    RightId.aide_logement: "aide_logement",
}

DECLARED_RIGHTS = {RightId.css, RightId.logement_social}
ESTIMATE_RIGHTS = set(ESTIMATE_OUTPUTS)
# Months of history set as inputs: 12 for the CSS; the CAF benefits look back up to two years.
DECLARED_HISTORY_MONTHS = 12
ESTIMATE_HISTORY_MONTHS = 24


@dataclass
class Computed:
    """OpenFisca's raw figures for one household, keyed by variable name."""

    family: dict[str, Any] = field(default_factory=dict)
    persons: dict[str, list[Any]] = field(default_factory=dict)


def ordered_members(members: list[Member]) -> list[Member]:
    """Applicant first, then partner, then dependants: OpenFisca's roles are positional."""
    rank = {Role.demandeur: 0, Role.conjoint: 1, Role.enfant: 2}
    return sorted(members, key=lambda member: rank[member.role])


def birth_date_for(member: Member, on: dt.date) -> dt.date:
    """The birth date if given; else 1 January of (year − age), so that both the age at the date
    and the age on 1 January equal the declared age."""
    if member.birth_date is not None:
        return member.birth_date
    return dt.date(on.year - member.age, 1, 1)


def _months_back(month: dt.date, count: int) -> list[str]:
    """The month of the calculation and the ``count`` months before it, as OpenFisca periods."""
    periods = []
    year, mon = month.year, month.month
    for _ in range(count + 1):
        periods.append(f"{year:04d}-{mon:02d}")
        mon -= 1
        if mon == 0:
            year, mon = year - 1, 12
    return periods


class Engine:
    """Owns the reformed tax-benefit system and evaluates batches of households."""

    def __init__(self) -> None:
        started = time.perf_counter()
        self.tax_benefit_system = build_tax_benefit_system()
        self.load_seconds = time.perf_counter() - started
        self.versions = {
            "openfisca_france": version("OpenFisca-France"),
            "openfisca_core": version("OpenFisca-Core"),
            "reform": "relais",
        }
        # OpenFisca caches parameters lazily; one thread at a time keeps that cache consistent.
        self._lock = threading.Lock()

    # -- public API -------------------------------------------------------------------------
    def compute(self, requests: list[EvaluateRequest]) -> list[Computed]:
        """Run the simulations the requests need, one per kind and month, all households at once."""
        results = [Computed() for _ in requests]
        by_month: dict[dt.date, list[int]] = {}
        for index, request in enumerate(requests):
            by_month.setdefault(request.date.replace(day=1), []).append(index)
        with self._lock:
            for month, indexes in by_month.items():
                wanted = [set(requests[i].wanted()) for i in indexes]
                declared = [i for i, w in zip(indexes, wanted, strict=True) if w & DECLARED_RIGHTS]
                estimate = [i for i, w in zip(indexes, wanted, strict=True) if w & ESTIMATE_RIGHTS]
                if declared:
                    self._run_declared(
                        month, [requests[i] for i in declared], [results[i] for i in declared]
                    )
                if estimate:
                    self._run_estimate(
                        month, [requests[i] for i in estimate], [results[i] for i in estimate]
                    )
        return results

    def warm_up(self) -> float:
        """Evaluate a few typical households on two dates so the first resident does not wait."""
        from eligibility.samples import warmup_requests

        started = time.perf_counter()
        self.compute(warmup_requests())
        return time.perf_counter() - started

    # -- simulations ------------------------------------------------------------------------
    def _build(self, requests: list[EvaluateRequest], month: dt.date):
        """Lay the households side by side: persons, familles, foyers fiscaux and ménages."""
        tbs = self.tax_benefit_system
        builder = SimulationBuilder()
        builder.create_entities(tbs)
        person_ids: list[str] = []
        assignment: list[str] = []
        famille_roles: list[str] = []
        foyer_roles: list[str] = []
        menage_roles: list[str] = []
        members_by_household: list[list[Member]] = []
        for h, request in enumerate(requests):
            members = ordered_members(request.household.members)
            members_by_household.append(members)
            for p, member in enumerate(members):
                person_ids.append(f"h{h:06d}p{p:03d}")
                assignment.append(f"h{h:06d}")
                if member.role is Role.demandeur:
                    roles = ("demandeur", "declarant_principal", "personne_de_reference")
                elif member.role is Role.conjoint:
                    roles = ("conjoint", "conjoint", "conjoint")
                else:
                    roles = ("enfant", "personne_a_charge", "enfant")
                famille_roles.append(roles[0])
                foyer_roles.append(roles[1])
                menage_roles.append(roles[2])
        group_ids = [f"h{h:06d}" for h in range(len(requests))]
        builder.declare_person_entity("individu", person_ids)
        for key, roles in (
            ("famille", famille_roles),
            ("foyer_fiscal", foyer_roles),
            ("menage", menage_roles),
        ):
            population = builder.declare_entity(key, group_ids)
            builder.join_with_persons(population, np.array(assignment), roles)
        simulation = builder.build(tbs)

        people = [m for members in members_by_household for m in members]
        simulation.set_input(
            "date_naissance",
            "eternity",
            np.array([birth_date_for(m, requests[0].date) for m in people], dtype="datetime64[D]"),
        )
        period = f"{month:%Y-%m}"
        simulation.set_input("handicap", period, np.array([m.disability for m in people]))
        simulation.set_input(
            "depcom", period, np.array([r.commune_insee for r in requests], dtype="S5")
        )
        statuses = np.array(
            [HOUSING_STATUS[r.household.housing.status].index for r in requests], dtype=np.int16
        )
        rents = np.array([r.household.housing.rent or 0.0 for r in requests], dtype=np.float32)
        return simulation, people, statuses, rents

    def _set_history(
        self, simulation, people, requests, months, statuses, rents, zeros, family_declared
    ) -> None:
        """Monthly inputs for every month of the history, written straight into the holders
        (``Simulation.set_input`` re-parses the period and goes through the period-casting helpers,
        which was half the cost of a CSS evaluation)."""
        n_people = len(people)
        n_households = len(requests)
        resource_arrays = {
            variable: np.array([getattr(m.resources, key) for m in people], dtype=np.float32)
            for key, variable in INDIVIDUAL_RESOURCES.items()
        }
        family_arrays = {
            variable: np.array(
                [getattr(r.household.benefits, key) for r in requests], dtype=np.float32
            )
            for key, variable in FAMILY_DECLARED.items()
        }
        zero_people = np.zeros(n_people, dtype=np.float32)
        zero_households = np.zeros(n_households, dtype=np.float32)
        not_student = np.zeros(n_people, dtype=bool)
        inputs = [
            *resource_arrays.items(),
            *((v, zero_people) for v in zeros),
            ("boursier", not_student),
            ("statut_occupation_logement", statuses),
            ("loyer", rents),
        ]
        if family_declared:
            inputs += [
                *family_arrays.items(),
                *((v, zero_households) for v in FAMILY_ZEROS_DECLARED),
            ]
        holders = [(simulation.get_holder(variable), values) for variable, values in inputs]
        for month in months:
            month_period = make_period(month)
            for holder, values in holders:
                holder.put_in_cache(values, month_period)

    def _run_declared(
        self, month: dt.date, requests: list[EvaluateRequest], out: list[Computed]
    ) -> None:
        simulation, people, statuses, rents = self._build(requests, month)
        months = _months_back(month, DECLARED_HISTORY_MONTHS)
        self._set_history(
            simulation, people, requests, months, statuses, rents, INDIVIDUAL_ZEROS_DECLARED, True
        )
        period = months[0]
        family_vars = DECLARED_FAMILY_OUTPUTS + HOUSING_OUTPUTS
        family_values = {v: simulation.calculate(v, period) for v in family_vars}
        person_values = {v: simulation.calculate(v, period) for v in DECLARED_PERSON_OUTPUTS}
        self._scatter(requests, out, family_values, person_values)

    def _run_estimate(
        self, month: dt.date, requests: list[EvaluateRequest], out: list[Computed]
    ) -> None:
        simulation, people, statuses, rents = self._build(requests, month)
        # Back to January of year N-2: the CAF benefits read N-2 and rolling years.
        months = _months_back(month, ESTIMATE_HISTORY_MONTHS + month.month - 1)
        self._set_history(
            simulation, people, requests, months, statuses, rents, INDIVIDUAL_ZEROS_ESTIMATE, False
        )
        period = months[0]
        # The resident's declared AAH and ASPA are inputs; OpenFisca would otherwise derive them.
        aspa = np.array([r.household.benefits.aspa for r in requests], dtype=np.float32)
        # OpenFisca derives taxable income from gross pay, which the resident does not know: the
        # declared net amounts stand in for it (taxable pay is ~3 % above net, so housing aid is
        # slightly overestimated — one reason these figures are labelled estimates).
        taxable = {
            "salaire_imposable": "salaire",
            "chomage_imposable": "chomage",
            "retraite_imposable": "retraite",
        }
        taxable_arrays = {
            variable: np.array([getattr(m.resources, key) for m in people], dtype=np.float32)
            for variable, key in taxable.items()
        }
        holders = [(simulation.get_holder("aspa"), aspa)] + [
            (simulation.get_holder(variable), values) for variable, values in taxable_arrays.items()
        ]
        for m in months:
            month_period = make_period(m)
            for holder, values in holders:
                holder.put_in_cache(values, month_period)
        self._set_tax_reference_income(simulation, requests, month)
        family_values = {v: simulation.calculate(v, period) for v in ESTIMATE_OUTPUTS.values()}
        self._scatter(requests, out, family_values, {})

    @staticmethod
    def _set_tax_reference_income(
        simulation, requests: list[EvaluateRequest], month: dt.date
    ) -> None:
        """Use the declared revenu fiscal de référence (N-2, and N-1 if given) when every household
        of the batch gave it; otherwise OpenFisca estimates it from the resources."""
        n2 = [r.household.revenu_fiscal_reference_n2 for r in requests]
        if any(value is None for value in n2):
            return
        n1 = [r.household.revenu_fiscal_reference_n1 for r in requests]
        n1 = [b if a is None else a for a, b in zip(n1, n2, strict=True)]
        simulation.set_input("rfr", str(month.year - 2), np.array(n2, dtype=np.float32))
        simulation.set_input("rfr", str(month.year - 1), np.array(n1, dtype=np.float32))

    @staticmethod
    def _scatter(requests, out: list[Computed], family_values, person_values) -> None:
        offset = 0
        for h, request in enumerate(requests):
            size = len(request.household.members)
            for variable, values in family_values.items():
                value = values[h]
                out[h].family[variable] = value.item() if hasattr(value, "item") else value
            for variable, values in person_values.items():
                out[h].persons[variable] = [v.item() for v in values[offset : offset + size]]
            offset += size
