"""From OpenFisca's figures to rights: status, amount and the steps a person can check.

Each right's function reads the engine's raw figures and the parameters in force on the date, and
writes French sentences in vouvoiement. Every parameter step carries its value, its date of effect,
its source and its statut, so an estimate is never presented as an official figure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from commune import fact_value
from eligibility.engine import Computed, ordered_members
from eligibility.models import (
    Amount,
    CatalogueEntry,
    EvaluateRequest,
    HousingStatus,
    RightId,
    RightResult,
    Role,
    Source,
    Status,
    Step,
)

UNCERTAIN = {"secondaire", "derive", "estimation", "non_verifie"}
CSS_PARAMS = "prestations_sociales.solidarite_insertion.minima_sociaux.cs.css"
RSA_AMOUNT = (
    "prestations_sociales.solidarite_insertion.minima_sociaux.rsa.rsa_m.montant_de_base_du_rsa"
)
PPA_AMOUNT = "prestations_sociales.solidarite_insertion.minima_sociaux.ppa.pa_m.montant_de_base"
# OpenFisca-France parameters revalued every April (Relais's own files say so in their metadata).
REVALUED_YEARLY = {RSA_AMOUNT, PPA_AMOUNT}
# OpenFisca-France parameters that disagree with the project's rights reference: shown, never as
# verified, until someone reads the text again.
_FORFAIT_DISPUTE = (
    "Taux d'OpenFisca-France (art. R861-5 : 14 % pour 2 personnes ou plus, propriétaire ou logé "
    "gratuitement). Le référentiel Relais indique 16 % et 16,5 % : à vérifier."
)
DISPUTED_PARAMETERS = {
    f"{CSS_PARAMS}.forfait_logement_sans_al.taux_2p": _FORFAIT_DISPUTE,
    f"{CSS_PARAMS}.forfait_logement_sans_al.taux_3p_plus": _FORFAIT_DISPUTE,
}

CATALOGUE: list[CatalogueEntry] = [
    CatalogueEntry(
        id=RightId.css,
        name="Complémentaire santé solidaire (CSS)",
        what=(
            "Une complémentaire santé gratuite, ou à moins de 1 "
            "€ par jour et par personne, selon vos ressources."
        ),
        where_to_apply=(
            "Sur votre compte ameli, ou par courrier à votre CPAM. Une demande par foyer."
        ),
        form="Cerfa n° 12504*10 (S3711)",
        computed_by="OpenFisca-France + réforme Relais (plafonds à jour)",
    ),
    CatalogueEntry(
        id=RightId.logement_social,
        name="Logement social (HLM)",
        what=(
            "Un logement à loyer modéré, si les revenus du "
            "ménage sont sous un plafond (PLAI, PLUS, PLS)."
        ),
        where_to_apply=(
            "En ligne sur demande-logement-social.gouv.fr ou à "
            "un guichet d'enregistrement (mairie, bailleurs)."
        ),
        form="Cerfa n° 14069*05",
        computed_by="Réforme Relais (plafonds Paris et communes limitrophes)",
    ),
    CatalogueEntry(
        id=RightId.rsa,
        name="Revenu de solidarité active (RSA)",
        what="Un revenu minimum pour les personnes sans ressources ou avec de faibles ressources.",
        where_to_apply="Sur caf.fr. La décision de la CAF est celle qui compte.",
        form=None,
        computed_by="OpenFisca-France (estimation)",
    ),
    CatalogueEntry(
        id=RightId.prime_activite,
        name="Prime d'activité",
        what="Un complément de revenu pour les personnes qui travaillent avec de faibles revenus.",
        where_to_apply="Sur caf.fr. La décision de la CAF est celle qui compte.",
        form=None,
        computed_by="OpenFisca-France (estimation)",
    ),
    CatalogueEntry(
        id=RightId.aide_logement,
        name="Aide au logement (APL, ALF, ALS)",
        what="Une aide pour payer le loyer, calculée selon le loyer, le ménage et les ressources.",
        where_to_apply="Sur caf.fr. La décision de la CAF est celle qui compte.",
        form=None,
        computed_by="OpenFisca-France (estimation)",
    ),
    CatalogueEntry(
        id=RightId.quotient_familial,
        name="Quotient familial (QF) CAF",
        what=(
            "Un chiffre qui sert à calculer de nombreux tarifs et "
            "aides : ressources mensuelles divisées par des parts."
        ),
        where_to_apply="La CAF l'affiche sur votre compte caf.fr ; Relais vous montre le calcul.",
        form=None,
        computed_by="Relais (formule et parts en paramètres datés)",
    ),
    CatalogueEntry(
        id=RightId.tarif_municipal,
        name="Tranche de tarif municipal",
        what=(
            "La tranche de la grille de la ville (cantine, centres "
            "de loisirs, conservatoire…) selon votre quotient."
        ),
        where_to_apply="Auprès de la mairie.",
        form=None,
        computed_by="Fichier commune",
    ),
    CatalogueEntry(
        id=RightId.mutuelle_communale,
        name="Mutuelle communale",
        what=(
            "Une complémentaire santé négociée par la ville, "
            "en général sans condition de ressources."
        ),
        where_to_apply="Selon le fichier commune (non publié à ce jour).",
        form=None,
        computed_by="Fichier commune",
    ),
    CatalogueEntry(
        id=RightId.caisse_sociale_alimentaire,
        name="Caisse sociale alimentaire",
        what="Une aide locale pour se nourrir.",
        where_to_apply="Selon le fichier commune (non publié à ce jour) ; en attendant, le CCAS.",
        form=None,
        computed_by="Fichier commune",
    ),
]


# -- parameters as explanation steps --------------------------------------------------------


def _node(tax_benefit_system, path: str):
    node = tax_benefit_system.parameters
    for part in path.split("."):
        node = node.children[part]
    return node


def _reference(metadata: dict[str, Any], instant: str) -> Source | None:
    reference = metadata.get("reference")
    if isinstance(reference, dict):
        dated = [key for key in reference if str(key) <= instant]
        reference = reference[max(dated, key=str)] if dated else None
    if isinstance(reference, list):
        reference = reference[0] if reference else None
    if isinstance(reference, dict) and reference.get("title"):
        return Source(title=str(reference["title"]), href=reference.get("href"))
    if isinstance(reference, str):
        return Source(title=reference, href=reference if reference.startswith("http") else None)
    return None


def _documentation_link(parameter, path: str) -> Source:
    """Fallback source: the first link of the parameter's documentation, else its OpenFisca name."""
    for word in str(getattr(parameter, "documentation", "") or "").split():
        if word.startswith("https://"):
            return Source(title=f"{parameter.description or path}", href=word)
    return Source(title=f"Paramètre OpenFisca-France « {path} »")


def parameter_step(tax_benefit_system, path: str, date: dt.date, label: str, unit: str) -> Step:
    """A parameter as a step: the value in force on ``date``, its start date, source and statut."""
    parameter = _node(tax_benefit_system, path)
    day = date.isoformat()
    at = next(v for v in parameter.values_list if v.instant_str <= day)
    metadata = at.metadata
    statut = metadata.get("statut", "verifie")
    note = metadata.get("note")
    date_of_effect = dt.date.fromisoformat(at.instant_str)
    revalued_yearly = metadata.get("revalorisation") == "annuelle" or path in REVALUED_YEARLY
    if revalued_yearly and (date - date_of_effect).days > 365:
        # A yearly figure older than a year has probably been revalued since: say so.
        statut = "non_verifie"
        note = (
            f"Dernière valeur connue de Relais, en vigueur depuis le {date_of_effect:%d/%m/%Y} : "
            "la revalorisation suivante n'a pas encore été ajoutée."
        )
    if path in DISPUTED_PARAMETERS:
        statut, note = "non_verifie", DISPUTED_PARAMETERS[path]
    source = _reference(metadata, at.instant_str) or _documentation_link(parameter, path)
    return Step(
        label=label,
        value=at.value,
        unit=unit,
        date_of_effect=date_of_effect,
        source=source,
        statut=statut,
        note=note,
    )


def _euros(value: float) -> str:
    return f"{value:,.0f} €".replace(",", "\u202f")


def _euros_cents(value: float) -> str:
    return f"{value:,.2f} €".replace(",", "\u202f").replace(".", ",")


def _result(
    right: RightId, status: Status, summary: str, steps: list[Step], **extra: Any
) -> RightResult:
    estimate = extra.pop("estimate", False) or any(step.statut in UNCERTAIN for step in steps)
    if estimate and status is not Status.unknown and "estim" not in summary.lower():
        summary += (
            " Attention : ce résultat repose sur une estimation "
            "ou un chiffre non vérifié (voir le détail)."
        )
    return RightResult(
        right=right, status=status, summary=summary, steps=steps, estimate=estimate, **extra
    )


# -- CSS ------------------------------------------------------------------------------------


def _css_size_path(kind: str, size: int) -> str:
    return f"relais.css.{kind}.personnes_{min(size, 4)}"


def _age_band(age: int) -> str:
    if age < 30:
        return "cmu_moins_30_ans"
    if age <= 49:
        return "cmu_30_49_ans"
    if age <= 59:
        return "cmu_50_59_ans"
    if age <= 69:
        return "cmu_60_69_ans"
    return "cmu_plus_69_ans"


def explain_css(tbs, request: EvaluateRequest, computed: Computed, commune: dict) -> RightResult:
    f = computed.family
    date = request.date
    size = int(f["cmu_nbp_foyer"])
    steps: list[Step] = [
        Step(
            label=(
                "Personnes comptées dans le foyer CSS (vous, votre "
                "conjoint, les personnes à charge de moins de 25 ans)"
            ),
            value=size,
            unit="personnes",
        )
    ]
    status_code = request.household.housing.status
    forfait = 0.0
    if f["css_cmu_forfait_logement_al"] > 0:
        forfait = f["css_cmu_forfait_logement_al"]
        rate = {1: "taux_1p", 2: "taux_2p"}.get(size, "taux_3p_plus")
        steps.append(
            parameter_step(
                tbs,
                f"{CSS_PARAMS}.forfait_logement_avec_al.{rate}",
                date,
                "Taux du forfait logement (vous recevez une aide au logement)",
                "part du RSA",
            )
        )
    elif status_code in (HousingStatus.proprietaire, HousingStatus.heberge_gratuitement):
        forfait = f["css_cmu_forfait_logement_base"]
        rate = {1: "taux_1p", 2: "taux_2p"}.get(size, "taux_3p_plus")
        steps.append(
            parameter_step(
                tbs,
                f"{CSS_PARAMS}.forfait_logement_sans_al.{rate}",
                date,
                "Taux du forfait logement (propriétaire ou logé gratuitement)",
                "part du RSA",
            )
        )
    base = float(f["css_cmu_base_ressources"])
    steps.append(
        Step(
            label="Ressources du foyer sur les 12 derniers mois (déclarées)",
            value=round(base - forfait, 2),
            unit="€/an",
            statut="declare",
        )
    )
    if forfait:
        steps.append(
            Step(
                label="Forfait logement ajouté aux ressources", value=round(forfait, 2), unit="€/an"
            )
        )
    steps.append(Step(label="Total des ressources retenues", value=round(base, 2), unit="€/an"))

    free_path, paid_path = (
        _css_size_path("plafond_gratuite", size),
        _css_size_path("plafond_participation", size),
    )
    free = parameter_step(
        tbs, free_path, date, f"Plafond de la CSS gratuite pour {min(size, 4)} personne(s)", "€/an"
    )
    paid = parameter_step(
        tbs,
        paid_path,
        date,
        f"Plafond de la CSS avec participation pour {min(size, 4)} personne(s)",
        "€/an",
    )
    steps += [free, paid]
    if size > 4:
        steps.append(
            parameter_step(
                tbs,
                "relais.css.plafond_gratuite.par_personne_supplementaire",
                date,
                f"Majoration du plafond gratuit par personne au-delà de 4 (× {size - 4})",
                "€/an",
            )
        )
        steps.append(
            parameter_step(
                tbs,
                "relais.css.plafond_participation.par_personne_supplementaire",
                date,
                (
                    "Majoration du plafond avec participation "
                    f"par personne au-delà de 4 (× {size - 4})"
                ),
                "€/an",
            )
        )
    ceiling_free, ceiling_paid = float(f["cmu_c_plafond"]), float(f["acs_plafond"])
    steps.append(
        Step(label="Plafond de la CSS gratuite pour votre foyer", value=ceiling_free, unit="€/an")
    )
    steps.append(
        Step(
            label="Plafond de la CSS avec participation pour votre foyer",
            value=ceiling_paid,
            unit="€/an",
        )
    )
    estimate_note = ""
    if any(s.statut == "estimation" for s in steps):
        estimate_note = (
            " Attention : le plafond utilisé est une estimation "
            "(l'arrêté de revalorisation n'a pas été trouvé)."
        )

    also = [
        RightId.rsa,
        RightId.aide_logement,
        RightId.logement_social,
        RightId.caisse_sociale_alimentaire,
    ]
    receives_rsa = request.household.benefits.rsa > 0
    if f["cmu_c"]:
        if receives_rsa and base > ceiling_free:
            steps.append(
                Step(
                    label="Vous recevez le RSA : la CSS est gratuite", value=True, statut="declare"
                )
            )
        else:
            steps.append(
                Step(label=f"Comparaison : {_euros(base)} ≤ {_euros(ceiling_free)}", value=True)
            )
        return _result(
            RightId.css,
            Status.eligible,
            "Vous pouvez avoir la Complémentaire santé solidaire gratuite." + estimate_note,
            steps,
            amount=Amount(value=0.0, unit="€/mois", label="participation"),
            also_check=also,
        )
    if base <= ceiling_paid:
        steps.append(
            Step(
                label=(
                    f"Comparaison : {_euros(ceiling_free)} < "
                    f"{_euros(base)} ≤ {_euros(ceiling_paid)}"
                ),
                value=True,
            )
        )
        members = ordered_members(request.household.members)
        ages = computed.persons["relais_age_1er_janvier"]
        for member, age in zip(members, ages, strict=True):
            if member.role is Role.enfant and member.age >= 25:  # not a CSS dependant
                continue
            label = f"Participation pour une personne de {age} ans au 1er janvier"
            if member.birth_date is None:
                label += " (âge déclaré, date de naissance inconnue)"
            steps.append(
                parameter_step(
                    tbs, f"{CSS_PARAMS}.montant.france.{_age_band(age)}", date, label, "€/mois"
                )
            )
        total = float(f["css_participation_forfaitaire"])
        steps.append(Step(label="Participation totale du foyer", value=total, unit="€/mois"))
        return _result(
            RightId.css,
            Status.eligible_with_participation,
            (
                "Vous pouvez avoir la Complémentaire santé solidaire "
                f"pour {_euros(total)} par mois pour tout le foyer."
            )
            + estimate_note,
            steps,
            amount=Amount(value=total, unit="€/mois", label="participation"),
            also_check=also,
        )
    steps.append(Step(label=f"Comparaison : {_euros(base)} > {_euros(ceiling_paid)}", value=False))
    return _result(
        RightId.css,
        Status.not_eligible,
        "Vos ressources dépassent le plafond de la Complémentaire santé solidaire."
        + estimate_note
        + " La mutuelle communale peut être une solution.",
        steps,
        also_check=[RightId.mutuelle_communale, RightId.logement_social],
    )


# -- social housing -------------------------------------------------------------------------


def explain_logement_social(
    tbs, request: EvaluateRequest, computed: Computed, commune: dict
) -> RightResult:
    f = computed.family
    date = request.date
    if not f["relais_zone_paris_limitrophes"]:
        return _result(
            RightId.logement_social,
            Status.unknown,
            "Relais ne connaît les plafonds HLM que pour Paris et ses communes limitrophes.",
            [],
            missing=["commune_insee (zone Paris et communes limitrophes seulement)"],
        )
    rank = int(f["relais_logement_social_rang_categorie"])
    category = min(rank, 6)
    extra = max(rank - 6, 0)
    steps = [
        Step(
            label=(
                "Catégorie de ménage (arrêté du 29 juillet 1987 "
                "; un handicap fait monter d'une catégorie)"
            ),
            value=category,
            source=Source(
                title="Arrêté du 29 juillet 1987, art. 1",
                href="https://www.legifrance.gouv.fr/affichTexte.do?cidTexte=JORFTEXT000000294318",
            ),
        )
    ]
    if extra:
        steps.append(
            Step(label="Personnes au-delà de la catégorie 6", value=extra, unit="personnes")
        )
    ceilings: dict[str, float] = {}
    uncertain_kinds: dict[str, bool] = {}
    for kind, variable in (("plai", "relais_plafond_plai"), ("plus", "relais_plafond_plus")):
        table = f"relais.logement_social.{kind}.paris_communes_limitrophes"
        used = [
            parameter_step(
                tbs,
                f"{table}.categorie_{category}",
                date,
                f"Plafond {kind.upper()} pour la catégorie {category}",
                "€/an",
            )
        ]
        if extra:
            used.append(
                parameter_step(
                    tbs,
                    f"{table}.par_personne_supplementaire",
                    date,
                    f"Plafond {kind.upper()} : majoration par personne supplémentaire",
                    "€/an",
                )
            )
        steps += used
        ceilings[kind] = float(f[variable])
        uncertain_kinds[kind] = any(step.statut in UNCERTAIN for step in used)
    coefficient = parameter_step(
        tbs,
        "relais.logement_social.pls.coefficient_plus",
        date,
        "Plafond PLS = plafond PLUS × ce coefficient",
        "×",
    )
    steps.append(coefficient)
    uncertain_kinds["pls"] = uncertain_kinds["plus"] or coefficient.statut in UNCERTAIN
    ceilings["pls"] = float(f["relais_plafond_pls"])
    for kind in ("plai", "plus", "pls"):
        steps.append(
            Step(
                label=f"Plafond {kind.upper()} pour votre ménage",
                value=ceilings[kind],
                unit="€/an",
                statut="derive" if uncertain_kinds[kind] else "calcul",
            )
        )

    n2 = request.household.revenu_fiscal_reference_n2
    if n2 is None:
        return _result(
            RightId.logement_social,
            Status.unknown,
            (
                f"Il faut le revenu fiscal de référence de {date.year - 2} "
                "de tout le ménage (sur l'avis d'imposition)."
            ),
            steps,
            missing=["household.revenu_fiscal_reference_n2"],
        )
    resources = n2
    steps.append(
        Step(
            label=f"Revenus fiscaux de référence {date.year - 2} du ménage",
            value=n2,
            unit="€/an",
            statut="declare",
        )
    )
    n1 = request.household.revenu_fiscal_reference_n1
    if n1 is not None and n1 <= 0.9 * n2:
        resources = n1
        steps.append(
            Step(
                label=(
                    f"Revenus {date.year - 1} inférieurs d'au moins 10 % : ce sont eux qui comptent"
                ),
                value=n1,
                unit="€/an",
                statut="declare",
            )
        )
    eligible_for = [kind.upper() for kind in ("plai", "plus", "pls") if resources <= ceilings[kind]]
    steps.append(
        Step(
            label="Logements auxquels vos revenus donnent accès",
            value=", ".join(eligible_for) or "aucun",
        )
    )
    uncertain = [kind.upper() for kind in ("plai", "plus", "pls") if uncertain_kinds[kind]]
    caveat = (
        f" Attention : plafond(s) {', '.join(uncertain)} non officiel(s) ici, ce sont des "
        "estimations (voir le détail)."
        if uncertain
        else ""
    )
    if not eligible_for:
        return _result(
            RightId.logement_social,
            Status.not_eligible,
            "Vos revenus dépassent les plafonds du logement social (PLAI, PLUS et PLS)." + caveat,
            steps,
        )
    summary = (
        f"Vos revenus permettent de demander un logement social ({', '.join(eligible_for)}). "
        "La demande se renouvelle chaque année ; en Seine-Saint-Denis l'attente est souvent longue."
        + caveat
    )
    return _result(
        RightId.logement_social,
        Status.eligible,
        summary,
        steps,
        also_check=[RightId.aide_logement, RightId.css],
    )


# -- CAF benefits (OpenFisca estimates) -----------------------------------------------------


# "… par mois de RSA", "… pas d'aide au logement": the French preposition depends on the noun.
OF_BENEFIT = {
    RightId.rsa: "de RSA",
    RightId.prime_activite: "de prime d'activité",
    RightId.aide_logement: "d'aide au logement",
}

# French labels of the commune file's fields, as residents read them.
LOCAL_FIELD_LABELS = {
    "status": "Où en est le dispositif",
    "insurer": "Mutuelle partenaire",
    "conditions": "Conditions",
    "prices": "Tarifs",
    "where_to_join": "Où adhérer",
    "criteria": "Qui peut en bénéficier",
    "amount_per_person_per_month": "Montant par personne et par mois",
    "where_to_apply": "Où faire la demande",
}


def _caf_estimate(
    right: RightId, variable: str, label: str, base_param: str | None, base_label: str
):
    def explain(tbs, request: EvaluateRequest, computed: Computed, commune: dict) -> RightResult:
        steps: list[Step] = []
        if base_param:
            steps.append(parameter_step(tbs, base_param, request.date, base_label, "€/mois"))
        amount = round(float(computed.family[variable]), 2)
        steps.append(
            Step(
                label=f"Montant {OF_BENEFIT[right]} estimé pour votre situation (OpenFisca-France)",
                value=amount,
                unit="€/mois",
                statut="estimation",
                note=(
                    "Calculé avec vos ressources déclarées, supposées stables sur les "
                    "derniers mois ; les revenus nets tiennent lieu de revenus imposables."
                ),
            )
        )
        if amount > 0:
            return _result(
                right,
                Status.eligible,
                (
                    f"Estimation : vous pourriez recevoir environ {_euros(amount)} par "
                    f"mois {OF_BENEFIT[right]}. La décision de la CAF est celle qui compte."
                ),
                steps,
                amount=Amount(value=amount, unit="€/mois", label="estimation"),
                estimate=True,
                also_check=[RightId.css],
            )
        return _result(
            right,
            Status.not_eligible,
            (
                "Estimation : avec ces informations, vous ne recevriez "
                f"pas {OF_BENEFIT[right]}. La CAF peut conclure autrement."
            ),
            steps,
            estimate=True,
        )

    return explain


def explain_aide_logement(
    tbs, request: EvaluateRequest, computed: Computed, commune: dict
) -> RightResult:
    housing = request.household.housing
    if housing.status is HousingStatus.locataire and housing.rent is None:
        return _result(
            RightId.aide_logement,
            Status.unknown,
            "Il faut connaître votre loyer pour estimer l'aide au logement.",
            [],
            missing=["household.housing.rent"],
            estimate=True,
        )
    return _caf_estimate(RightId.aide_logement, "aide_logement", "Aide au logement", None, "")(
        tbs, request, computed, commune
    )


# -- quotient familial and municipal band ---------------------------------------------------


def quotient_familial(tbs, request: EvaluateRequest) -> tuple[float | None, list[Step], list[str]]:
    """CAF formula: (resources N-2 / 12 + monthly family benefits) / parts; no abatement applied."""
    date = request.date
    members = request.household.members
    adults = sum(1 for m in members if m.role is not Role.enfant)
    children = [m for m in members if m.role is Role.enfant]
    steps: list[Step] = []
    base = "relais.quotient_familial_caf"
    if adults == 2 or children:
        steps.append(
            parameter_step(
                tbs,
                f"{base}.parts_couple_ou_parent_isole",
                date,
                "Parts pour un couple ou un parent seul",
                "parts",
            )
        )
    else:
        steps.append(
            parameter_step(
                tbs,
                f"{base}.parts_personne_seule",
                date,
                "Parts pour un adulte seul sans enfant",
                "parts",
            )
        )
    parts = float(steps[0].value)
    for rank, child in enumerate(children, start=1):
        name = (
            "parts_enfants_1_et_2"
            if rank <= 2
            else ("parts_enfant_3" if rank == 3 else "parts_enfant_4_et_plus")
        )
        step = parameter_step(
            tbs, f"{base}.{name}", date, f"Parts pour l'enfant n° {rank}", "parts"
        )
        steps.append(step)
        parts += float(step.value)
        if child.disability:
            step = parameter_step(
                tbs,
                f"{base}.parts_enfant_handicape",
                date,
                f"Part en plus : enfant n° {rank} handicapé",
                "parts",
            )
            steps.append(step)
            parts += float(step.value)
    steps.append(Step(label="Nombre total de parts", value=parts, unit="parts"))
    rfr = request.household.revenu_fiscal_reference_n2
    if rfr is None:
        return None, steps, ["household.revenu_fiscal_reference_n2"]
    benefits = request.household.benefits.prestations_familiales
    steps.append(
        Step(
            label=f"Ressources imposables {date.year - 2} (revenu fiscal de référence déclaré)",
            value=rfr,
            unit="€/an",
            statut="declare",
            note=(
                "Les abattements éventuels de la CAF ne sont pas "
                "appliqués : votre QF CAF peut être un peu plus bas."
            ),
        )
    )
    steps.append(
        Step(
            label="Prestations familiales du mois", value=benefits, unit="€/mois", statut="declare"
        )
    )
    qf = round((rfr / 12 + benefits) / parts, 2)
    steps.append(
        Step(
            label=(
                f"Quotient familial = ({_euros(rfr)} ÷ 12 + "
                f"{_euros_cents(benefits)}) ÷ {parts:g} parts"
            ),
            value=qf,
            unit="€/mois",
        )
    )
    return qf, steps, []


def explain_quotient_familial(
    tbs, request: EvaluateRequest, computed: Computed, commune: dict
) -> RightResult:
    qf, steps, missing = quotient_familial(tbs, request)
    if qf is None:
        return _result(
            RightId.quotient_familial,
            Status.unknown,
            (
                "Il faut votre revenu fiscal de référence (avis "
                "d'imposition) pour calculer votre quotient familial."
            ),
            steps,
            missing=missing,
            estimate=True,
        )
    return _result(
        RightId.quotient_familial,
        Status.eligible,
        f"Votre quotient familial estimé est de {_euros(qf)}. La CAF affiche le vôtre sur caf.fr.",
        steps,
        amount=Amount(value=qf, unit="€/mois", label="quotient familial estimé"),
        estimate=True,
        also_check=[RightId.tarif_municipal],
    )


def explain_tarif_municipal(
    tbs, request: EvaluateRequest, computed: Computed, commune: dict
) -> RightResult:
    grid = commune["quotient_familial_municipal"]
    bands = fact_value(grid["bands"])
    qf, steps, missing = quotient_familial(tbs, request)
    if not bands:
        count = fact_value(grid["band_count"])
        steps.append(
            Step(
                label="Nombre de tranches de la grille municipale",
                value=count,
                statut="non_verifie" if not grid["band_count"]["verified"] else "verifie",
                source=Source(title=grid["band_count"]["source"])
                if grid["band_count"]["source"]
                else None,
            )
        )
        return _result(
            RightId.tarif_municipal,
            Status.unknown,
            (
                "La ville n'a pas encore publié sa grille de tarifs : Relais ne "
                "peut pas vous donner votre tranche. La mairie peut vous la donner."
            ),
            steps,
            missing=["commune.quotient_familial_municipal.bands"] + missing,
            estimate=True,
        )
    if qf is None:
        return _result(
            RightId.tarif_municipal,
            Status.unknown,
            "Il faut d'abord calculer votre quotient familial.",
            steps,
            missing=missing,
        )
    band = next((b for b in bands if b["min"] <= qf and (b["max"] is None or qf <= b["max"])), None)
    source = Source(title=grid["bands"]["source"] or "Fichier commune")
    steps.append(
        Step(
            label="Votre tranche de tarif municipal",
            value=band["label"] if band else None,
            source=source,
            statut="verifie" if grid["bands"]["verified"] else "non_verifie",
        )
    )
    return _result(
        RightId.tarif_municipal,
        Status.eligible if band else Status.unknown,
        f"Votre tranche de tarif municipal est : {band['label']}."
        if band
        else "Votre quotient n'entre dans aucune tranche connue.",
        steps,
        estimate=True,
    )


# -- local schemes from the commune file ----------------------------------------------------


def _local_scheme(right: RightId, key: str, name: str, fallback: str):
    def explain(tbs, request: EvaluateRequest, computed: Computed, commune: dict) -> RightResult:
        scheme = commune[key]
        steps = []
        missing = []
        for field, fact in scheme.items():
            value = fact_value(fact)
            if value is None:
                missing.append(f"commune.{key}.{field}")
            steps.append(
                Step(
                    label=LOCAL_FIELD_LABELS.get(field, field.replace("_", " ")),
                    value=value,
                    statut="verifie" if fact["verified"] else "non_verifie",
                    source=Source(title=fact["source"]) if fact.get("source") else None,
                    date_of_effect=None,
                    note=fact.get("note"),
                )
            )
        return _result(
            right,
            Status.unknown,
            f"Les règles de la {name} ne sont pas encore publiées. {fallback}",
            steps,
            missing=missing,
            also_check=[RightId.css] if right is RightId.mutuelle_communale else [],
        )

    return explain


EXPLAINERS: dict[RightId, Callable[..., RightResult]] = {
    RightId.css: explain_css,
    RightId.logement_social: explain_logement_social,
    RightId.rsa: _caf_estimate(
        RightId.rsa, "rsa", "RSA", RSA_AMOUNT, "Montant forfaitaire du RSA pour une personne seule"
    ),
    RightId.prime_activite: _caf_estimate(
        RightId.prime_activite,
        "ppa",
        "Prime d'activité",
        PPA_AMOUNT,
        "Montant forfaitaire de la prime d'activité pour une personne seule",
    ),
    RightId.aide_logement: explain_aide_logement,
    RightId.quotient_familial: explain_quotient_familial,
    RightId.tarif_municipal: explain_tarif_municipal,
    RightId.mutuelle_communale: _local_scheme(
        RightId.mutuelle_communale,
        "mutuelle_communale",
        "mutuelle communale",
        "Vérifiez d'abord la Complémentaire santé solidaire ; le CCAS peut vous renseigner.",
    ),
    RightId.caisse_sociale_alimentaire: _local_scheme(
        RightId.caisse_sociale_alimentaire,
        "caisse_sociale_alimentaire",
        "caisse sociale alimentaire",
        (
            "En attendant, le CCAS peut vous orienter vers une "
            "épicerie solidaire ou une distribution alimentaire."
        ),
    ),
}


def explain(tbs, request: EvaluateRequest, computed: Computed, commune: dict) -> list[RightResult]:
    """All the rights the request asks for, in the order asked."""
    return [EXPLAINERS[right](tbs, request, computed, commune) for right in request.wanted()]
