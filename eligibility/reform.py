"""Relais's OpenFisca reform: fresh, sourced parameters and the few formulas that must read them.

OpenFisca-France 176 stops its CSS ceiling at April 2024 and checks social housing against a PLAI
table frozen in 2022 (with a typo for category 2). Rather than patching the installed package, the
project keeps its own dated parameter files under ``eligibility/parameters/relais`` and this reform
plugs them into the tax-benefit system. Every value carries a ``statut`` (verifie, secondaire,
derive, estimation, non_verifie) that the explanations surface to residents.
"""

from __future__ import annotations

from pathlib import Path

from numpy import floor, maximum, minimum, select, where
from numpy import round as round_
from openfisca_core.parameters import ParameterNode
from openfisca_core.periods import MONTH, instant
from openfisca_core.reforms import Reform
from openfisca_core.variables import Variable
from openfisca_france.entities import Famille, Individu
from openfisca_france.model.prestations.logement_social import ZoneLogementSocial
from openfisca_france.model.prestations.minima_sociaux.cs.css import (
    TranchesComplementaireSanteSolidaire,
)
from openfisca_france.model.prestations.minima_sociaux.cs.ressources import (
    css_cmu_base_ressources as _baseline_css_cmu_base_ressources,
)

PARAMETERS_DIR = Path(__file__).parent / "parameters" / "relais"

# The household sizes the published CSS tables list explicitly; beyond, a fixed amount per person.
_CSS_TABLE_SIZES = (1, 2, 3, 4)


def _css_ceiling(table, nb_personnes):
    """Look the ceiling up in a published table (1..4 persons, then + a flat amount per person).

    The official tables are not exactly base × R861-3 coefficient (10 339 × 1.8 = 18 610.2 is
    published 18 609), so the published figures are used as they are.
    """
    n = maximum(nb_personnes, 1)
    by_size = select(
        [n == size for size in _CSS_TABLE_SIZES],
        [table[f"personnes_{size}"] for size in _CSS_TABLE_SIZES],
        default=table.personnes_4,
    )
    return by_size + maximum(n - 4, 0) * table.par_personne_supplementaire


class cmu_c_plafond(Variable):
    value_type = float
    entity = Famille
    label = (
        "Plafond annuel de ressources de la CSS gratuite (tables publiées, mises à jour par Relais)"
    )
    definition_period = MONTH
    reference = "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000037950247"

    def formula_2024_04_01(famille, period, parameters):
        table = parameters(period).relais.css.plafond_gratuite
        return _css_ceiling(table, famille("cmu_nbp_foyer", period))


class acs_plafond(Variable):
    value_type = float
    entity = Famille
    label = (
        "Plafond annuel de ressources de la CSS avec "
        "participation (tables publiées, mises à jour par Relais)"
    )
    definition_period = MONTH
    reference = "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000037950247"

    def formula_2024_04_01(famille, period, parameters):
        table = parameters(period).relais.css.plafond_participation
        return _css_ceiling(table, famille("cmu_nbp_foyer", period))


class css_cmu_base_ressources(Variable):
    value_type = float
    entity = Famille
    label = "Base de ressources CSS (formule OpenFisca-France), arrondie au centime"
    definition_period = MONTH

    def formula(famille, period, parameters):
        """Twelve float32 months of 861.58 € sum to 10 338.9997 or 10 339.0005: money is counted in
        cents, so a household exactly at the ceiling is not pushed over it by float noise."""
        return round_(
            _baseline_css_cmu_base_ressources.formula(famille, period, parameters).astype(
                "float64"
            ),
            2,
        )


def _css_dependant(famille, period, parameters):
    """Members counted as CSS dependants: children under 25 (R861-2, « moins de vingt-cinq ans»).

    OpenFisca-France 176 tests ``age <= 25`` and so counts a 25-year-old.
    """
    limit = parameters(period).prestations_sociales.solidarite_insertion.minima_sociaux.cs.cmu
    age = famille.members("age", period)
    is_child = famille.members.has_role(Famille.ENFANT)
    return is_child * (age >= 0) * (age < limit.age_limite_pac)


class cmu_nb_pac(Variable):
    value_type = int
    is_period_size_independent = True
    entity = Famille
    label = "Nombre de personnes à charge de moins de 25 ans (foyer CSS)"
    definition_period = MONTH
    reference = "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000018052382"

    def formula(famille, period, parameters):
        return famille.sum(_css_dependant(famille, period, parameters))


class css_participation_forfaitaire_montant(Variable):
    value_type = float
    entity = Famille
    label = (
        "Participation CSS mensuelle du foyer : adultes et personnes à charge de moins de 25 ans"
    )
    definition_period = MONTH

    def formula(famille, period, parameters):
        """OpenFisca sums every member of the family, older children included."""
        montants = famille.members("css_participation_forfaitaire_montant_i", period)
        is_parent = famille.members.has_role(Famille.PARENT)
        counted = is_parent + _css_dependant(famille, period, parameters)
        return famille.sum(montants * counted)


class relais_age_1er_janvier(Variable):
    value_type = int
    entity = Individu
    label = "Âge au 1er janvier de l'année (tranche de participation CSS)"
    definition_period = MONTH
    reference = "https://www.service-public.fr/particuliers/vosdroits/F10027"

    def formula(individu, period):
        """Age on 1 January of the period's year, computed from the birth date."""
        naissance = individu("date_naissance", period)
        year = period.start.year
        birth_year = naissance.astype("datetime64[Y]").astype(int) + 1970
        born_on_first_of_january = (naissance - naissance.astype("datetime64[Y]")).astype(int) == 0
        return year - birth_year - 1 + born_on_first_of_january


class css_participation_forfaitaire_montant_i(Variable):
    value_type = float
    entity = Individu
    label = "Participation CSS mensuelle d'une personne, selon son âge au 1er janvier"
    definition_period = MONTH
    reference = "https://www.service-public.fr/particuliers/vosdroits/F10027"

    def formula(individu, period, parameters):
        """OpenFisca uses the age in the month; the rule uses the age on 1 January."""
        montants = parameters(
            period
        ).prestations_sociales.solidarite_insertion.minima_sociaux.cs.css.montant.france
        age = individu("relais_age_1er_janvier", period)
        tranche = select(
            [age < 30, age <= 49, age <= 59, age <= 69],
            [
                TranchesComplementaireSanteSolidaire.cmu_moins_30_ans,
                TranchesComplementaireSanteSolidaire.cmu_30_49_ans,
                TranchesComplementaireSanteSolidaire.cmu_50_59_ans,
                TranchesComplementaireSanteSolidaire.cmu_60_69_ans,
            ],
            default=TranchesComplementaireSanteSolidaire.cmu_plus_69_ans,
        )
        return montants[tranche]


class relais_logement_social_rang_categorie(Variable):
    value_type = int
    entity = Famille
    label = "Rang de catégorie de ménage HLM avant plafonnement à 6 (arrêté du 29/07/1987)"
    definition_period = MONTH
    reference = "https://www.legifrance.gouv.fr/affichTexte.do?cidTexte=JORFTEXT000000294318"

    def formula(famille, period):
        """Category from the household's composition, a disabled member moving it up one rank.

        One adult: alone → 1, with k dependants → k + 2. Two adults: without dependants → 2, or 3
        for a young couple (ages summed ≤ 55); with k dependants → 2 + k. Ranks above 6 are
        category 6 plus an amount per extra person.
        """
        adultes = famille.nb_persons(Famille.PARENT)
        personnes_a_charge = famille.nb_persons(Famille.ENFANT)
        somme_ages = famille.sum(famille.members("age", period), role=Famille.PARENT)
        jeune_menage = (adultes == 2) * (somme_ages <= 55)
        rang_seul = where(personnes_a_charge == 0, 1, personnes_a_charge + 2)
        rang_couple = where(
            personnes_a_charge == 0, where(jeune_menage, 3, 2), personnes_a_charge + 2
        )
        rang = where(adultes >= 2, rang_couple, rang_seul)
        handicap = famille.any(famille.members("handicap", period))
        return rang + handicap


class relais_logement_social_personnes_supplementaires(Variable):
    value_type = int
    entity = Famille
    label = "Personnes au-delà de la catégorie 6 (majoration par personne supplémentaire)"
    definition_period = MONTH

    def formula(famille, period):
        return maximum(famille("relais_logement_social_rang_categorie", period) - 6, 0)


def _hlm_ceiling(table, rang, supplementaires):
    categorie = minimum(rang, 6)
    par_categorie = select(
        [categorie == i for i in range(1, 7)], [table[f"categorie_{i}"] for i in range(1, 7)]
    )
    return par_categorie + supplementaires * table.par_personne_supplementaire


class relais_zone_paris_limitrophes(Variable):
    value_type = bool
    entity = Famille
    label = "Le ménage habite Paris ou une commune limitrophe (zone des tables Relais)"
    definition_period = MONTH

    def formula(famille, period):
        zone = famille.demandeur.menage("zone_logement_social", period)
        return zone == ZoneLogementSocial.paris_communes_limitrophes


class relais_plafond_plus(Variable):
    value_type = float
    entity = Famille
    label = "Plafond de ressources PLUS (€/an), Paris et communes limitrophes"
    definition_period = MONTH
    reference = "https://www.legifrance.gouv.fr/affichTexte.do?cidTexte=JORFTEXT000000294318"

    def formula_2025_01_01(famille, period, parameters):
        table = parameters(period).relais.logement_social.plus.paris_communes_limitrophes
        return _hlm_ceiling(
            table,
            famille("relais_logement_social_rang_categorie", period),
            famille("relais_logement_social_personnes_supplementaires", period),
        )


class relais_plafond_plai(Variable):
    value_type = float
    entity = Famille
    label = "Plafond de ressources PLAI (€/an), Paris et communes limitrophes"
    definition_period = MONTH
    reference = "https://www.legifrance.gouv.fr/affichTexte.do?cidTexte=JORFTEXT000000294318"

    def formula_2022_01_01(famille, period, parameters):
        table = parameters(period).relais.logement_social.plai.paris_communes_limitrophes
        return _hlm_ceiling(
            table,
            famille("relais_logement_social_rang_categorie", period),
            famille("relais_logement_social_personnes_supplementaires", period),
        )


class relais_plafond_pls(Variable):
    value_type = float
    entity = Famille
    label = "Plafond de ressources PLS (€/an) = plafond PLUS × coefficient"
    definition_period = MONTH

    def formula_2025_01_01(famille, period, parameters):
        coefficient = parameters(period).relais.logement_social.pls.coefficient_plus
        # Rounded half up to the euro, in float64 (float32 turns 83 575 × 1.3 into 108 647.49).
        exact = round_(famille("relais_plafond_plus", period).astype("float64") * coefficient, 6)
        return floor(exact + 0.5)


def _add_relais_parameters(parameters: ParameterNode) -> ParameterNode:
    """Graft the project's parameter tree under ``relais`` and fix the 2022 PLAI typo in place."""
    parameters.add_child("relais", ParameterNode("relais", directory_path=str(PARAMETERS_DIR)))
    baseline_plai = (
        parameters.prestations_sociales.aides_logement.logement_social.plai.plafond_ressources
    )
    categorie_2 = baseline_plai.par_categorie_de_menage.categorie_2.paris_communes_limitrophes
    categorie_2.update(start=instant("2022-01-01"), value=21805)
    return parameters


class RelaisReform(Reform):
    """Fresh CSS and HLM tables, CSS participation by age on 1 January, HLM category rules."""

    name = "Relais : paramètres à jour et règles locales"

    def apply(self) -> None:
        self.modify_parameters(modifier_function=_add_relais_parameters)
        for variable in (
            cmu_c_plafond,
            acs_plafond,
            css_participation_forfaitaire_montant_i,
            css_cmu_base_ressources,
            cmu_nb_pac,
            css_participation_forfaitaire_montant,
        ):
            self.update_variable(variable)
        for variable in (
            relais_age_1er_janvier,
            relais_logement_social_rang_categorie,
            relais_logement_social_personnes_supplementaires,
            relais_zone_paris_limitrophes,
            relais_plafond_plus,
            relais_plafond_plai,
            relais_plafond_pls,
        ):
            self.add_variable(variable)


def build_tax_benefit_system():
    """France's tax-benefit system with Relais's reform applied (takes a few seconds)."""
    from openfisca_france import FranceTaxBenefitSystem

    return RelaisReform(FranceTaxBenefitSystem())


__all__ = ["RelaisReform", "build_tax_benefit_system", "PARAMETERS_DIR"]
