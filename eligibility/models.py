"""Request and response shapes of the eligibility API (the OpenAPI file is generated from them)."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

# Dates the parameter files cover with dated, sourced values. Earlier dates would silently use
# OpenFisca's stale tables; later ones would reuse 2026 values without saying so.
MIN_DATE = dt.date(2025, 1, 1)
MAX_DATE = dt.date(2027, 12, 31)
MAX_MEMBERS = 20
MAX_MONTHLY_AMOUNT = 100_000.0
MAX_YEARLY_AMOUNT = 2_000_000.0


class RightId(str, Enum):
    css = "css"
    logement_social = "logement_social"
    rsa = "rsa"
    prime_activite = "prime_activite"
    aide_logement = "aide_logement"
    quotient_familial = "quotient_familial"
    tarif_municipal = "tarif_municipal"
    mutuelle_communale = "mutuelle_communale"
    caisse_sociale_alimentaire = "caisse_sociale_alimentaire"


class Role(str, Enum):
    demandeur = "demandeur"
    conjoint = "conjoint"
    enfant = "enfant"


class HousingStatus(str, Enum):
    locataire = "locataire"
    proprietaire = "proprietaire"
    heberge_gratuitement = "heberge_gratuitement"
    sans_domicile = "sans_domicile"


def _amount(maximum: float, description: str) -> float:
    return Field(0.0, ge=0, le=maximum, description=description)


class Resources(BaseModel):
    """Net monthly resources of one person, as a monthly average over the last 12 months (€)."""

    model_config = ConfigDict(extra="forbid")

    salaire: float = _amount(MAX_MONTHLY_AMOUNT, "Salaire net mensuel")
    chomage: float = _amount(MAX_MONTHLY_AMOUNT, "Allocation chômage nette mensuelle")
    retraite: float = _amount(MAX_MONTHLY_AMOUNT, "Retraite nette mensuelle")
    pension_alimentaire: float = _amount(MAX_MONTHLY_AMOUNT, "Pension alimentaire reçue")
    indemnites_journalieres: float = _amount(
        MAX_MONTHLY_AMOUNT, "Indemnités journalières (maladie, maternité…)"
    )
    pension_invalidite: float = _amount(MAX_MONTHLY_AMOUNT, "Pension d'invalidité")
    aah: float = _amount(MAX_MONTHLY_AMOUNT, "Allocation aux adultes handicapés reçue")


class Member(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role
    age: int = Field(..., ge=0, le=120, description="Âge en années révolues à la date du calcul")
    birth_date: dt.date | None = Field(
        None,
        description="Date de naissance, si connue (l'âge au 1er janvier fixe la participation CSS)",
    )
    disability: bool = Field(
        False, description="Handicap reconnu (fait monter la catégorie HLM d'un rang)"
    )
    resources: Resources = Field(default_factory=Resources)


class HouseholdBenefits(BaseModel):
    """Benefits the household actually received, monthly average over the last 12 months (€)."""

    model_config = ConfigDict(extra="forbid")

    prestations_familiales: float = _amount(
        MAX_MONTHLY_AMOUNT, "Prestations familiales (AF, ASF, CF…)"
    )
    aide_logement: float = _amount(MAX_MONTHLY_AMOUNT, "Aide au logement reçue (APL, ALF, ALS)")
    rsa: float = _amount(MAX_MONTHLY_AMOUNT, "RSA reçu")
    aspa: float = _amount(MAX_MONTHLY_AMOUNT, "Minimum vieillesse (ASPA) reçu")


class Housing(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: HousingStatus
    rent: float | None = Field(
        None, ge=0, le=MAX_MONTHLY_AMOUNT, description="Loyer mensuel hors charges (€)"
    )


class Household(BaseModel):
    model_config = ConfigDict(extra="forbid")

    members: list[Member] = Field(..., min_length=1, max_length=MAX_MEMBERS)
    housing: Housing
    benefits: HouseholdBenefits = Field(default_factory=HouseholdBenefits)
    revenu_fiscal_reference_n2: float | None = Field(
        None,
        ge=0,
        le=MAX_YEARLY_AMOUNT,
        description=(
            "Somme des revenus fiscaux de référence de l'année N-2 de tout le ménage (€/an)"
        ),
    )
    revenu_fiscal_reference_n1: float | None = Field(
        None,
        ge=0,
        le=MAX_YEARLY_AMOUNT,
        description=(
            "Idem pour l'année N-1, si elle est connue (retenue si inférieure d'au moins 10 %)"
        ),
    )

    @field_validator("members")
    @classmethod
    def _one_applicant(cls, members: list[Member]) -> list[Member]:
        roles = [member.role for member in members]
        if roles.count(Role.demandeur) != 1:
            raise ValueError("il faut exactement un membre avec le rôle « demandeur »")
        if roles.count(Role.conjoint) > 1:
            raise ValueError("un seul membre peut avoir le rôle « conjoint »")
        return members


class EvaluateRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    date: dt.date = Field(..., description=f"Date du calcul, entre {MIN_DATE} et {MAX_DATE}")
    commune_insee: str = Field(
        "93055", pattern=r"^(\d{5}|2[AB]\d{3})$", description="Code INSEE de la commune"
    )
    rights: list[RightId] | None = Field(
        None, description="Droits à évaluer ; tous si absent", min_length=1, max_length=20
    )
    household: Household

    @field_validator("date")
    @classmethod
    def _supported_date(cls, value: dt.date) -> dt.date:
        if not MIN_DATE <= value <= MAX_DATE:
            raise ValueError(f"la date doit être comprise entre {MIN_DATE} et {MAX_DATE}")
        return value

    @model_validator(mode="after")
    def _dedupe_rights(self) -> EvaluateRequest:
        if self.rights is not None:
            self.rights = list(dict.fromkeys(self.rights))
        return self

    @model_validator(mode="after")
    def _born_before_the_date(self) -> EvaluateRequest:
        for index, member in enumerate(self.household.members):
            if member.birth_date is not None and member.birth_date > self.date:
                raise PydanticCustomError(
                    "birth_date_after_date",
                    "la date de naissance est après la date du calcul",
                    {"field": f"household.members.{index}.birth_date"},
                )
        return self

    def wanted(self) -> list[RightId]:
        return list(self.rights) if self.rights else list(RightId)


Statut = Literal[
    "verifie", "secondaire", "derive", "estimation", "non_verifie", "calcul", "declare"
]


class Source(BaseModel):
    title: str
    href: str | None = None


class Step(BaseModel):
    """One line of the calculation a person can check: a figure, since when, and from which text."""

    label: str
    value: bool | int | float | str | None = None
    unit: str | None = None
    date_of_effect: dt.date | None = None
    source: Source | None = None
    statut: Statut = "calcul"
    note: str | None = None


class Amount(BaseModel):
    value: float
    unit: str
    label: str


class Status(str, Enum):
    eligible = "eligible"
    eligible_with_participation = "eligible_with_participation"
    not_eligible = "not_eligible"
    unknown = "unknown"


class RightResult(BaseModel):
    right: RightId
    status: Status
    amount: Amount | None = None
    estimate: bool = Field(
        False, description="Vrai si un chiffre utilisé est une estimation ou non vérifié"
    )
    missing: list[str] = Field(
        default_factory=list, description="Informations manquantes pour conclure"
    )
    summary: str
    steps: list[Step] = Field(default_factory=list)
    also_check: list[RightId] = Field(
        default_factory=list, description="Autres droits à vérifier (non-recours)"
    )


class EvaluateResponse(BaseModel):
    date: dt.date
    commune_insee: str
    results: list[RightResult]
    engine: dict[str, str]


class CatalogueEntry(BaseModel):
    id: RightId
    name: str
    what: str
    where_to_apply: str
    form: str | None = None
    computed_by: str


class HealthResponse(BaseModel):
    status: str
    openfisca_france: str | None = None
    warmup_seconds: float | None = None


class FieldError(BaseModel):
    field: str = Field(
        ..., description="Chemin du champ fautif, par exemple household.members.0.age"
    )
    message: str
    type: str


class ValidationErrorResponse(BaseModel):
    detail: list[FieldError]


class NotReadyResponse(BaseModel):
    status: str = Field(..., description="starting, ou error si le moteur n'a pas pu se charger")
    detail: str
