"""What the request conversation asks, in which order, and how it reads answers (no Rasa)."""

from __future__ import annotations

import re
from datetime import date

import pytest
import yaml

from bot.config import REPO_ROOT
from bot.dossiers.answers import AnswerError
from bot.dossiers.dialogue import (
    OPTIONAL_ASKED,
    REQUEST_CHOICES,
    Question,
    looks_like_question,
    next_question,
    parse_person,
    prefill,
    read_answer,
)
from bot.dossiers.forms import load_requests

TODAY = date(2026, 11, 30)
ELIGIBILITY_CSS = {"right": "css", "household_ages": [34, 36, 8], "couple": True,
                   "rsa_amount": 0.0, "other_resources": 0.0, "housing_status": "locataire",
                   "housing_aid_amount": 250.0}


def asked(right: str, variant: str | None, answers: dict, size: int | None) -> list[str]:
    """Every question in order, answering each with a placeholder, as a resident would."""
    answers, keys = dict(answers), []
    for _ in range(60):
        question = next_question(right, variant, answers, size)
        if question is None:
            return keys
        keys.append(question.key if question.kind != "person" else f"person{question.number}")
        if question.kind == "household_size":
            size = 2
        elif question.kind == "person":
            answers["foyer"] = [*answers.get("foyer", []), {"prenom": "X"}]
        else:
            answers[question.field.id] = "x"
    raise AssertionError("the questions never end")


def test_after_the_eligibility_check_the_css_request_does_not_ask_again_what_it_knows():
    found, size = prefill("css", None, ELIGIBILITY_CSS, {})
    assert found["situation_familiale"] == "en couple"
    assert found["beneficiaire_rsa"] is False
    assert found["situation_logement"] == "locataire avec aide au logement"
    assert found["ressources_salaires"] == 0 and size == 3
    keys = asked("css", None, found, size)
    assert keys == ["nom", "prenom", "date_naissance", "numero_securite_sociale", "adresse",
                    "person2", "person3", "organisme_gestionnaire"]


def test_the_css_request_asks_only_the_members_the_css_counts():
    # Applicant 45, partner 43, a lodged parent of 72, a son of 27 and a daughter of 12.
    with_adults = {**ELIGIBILITY_CSS, "household_ages": [45, 72, 43, 27, 12]}
    _, size = prefill("css", None, with_adults, {})
    assert size == 3  # the applicant, the partner, the daughter
    assert [k for k in asked("css", None, {}, size) if k.startswith("person")] == [
        "person2", "person3"]
    _, size = prefill("css", None, {**with_adults, "couple": False}, {})
    assert size == 2  # alone: only the daughter besides the applicant
    _, size = prefill("logement_social", "premiere_demande", with_adults, {})
    assert size == 5  # everyone who will live in the dwelling


def test_c_est_tout_instead_of_a_member_ends_the_household():
    for typed in ("c'est tout", "C'est tout.", "personne d'autre", "Aucune"):
        assert read_answer(Question("person", number=3), typed) == {"household_complete": True}
    with pytest.raises(AnswerError):
        read_answer(Question("person", number=3), "ma mère")


def test_without_the_check_the_household_and_resources_are_asked():
    keys = asked("css", None, {}, None)
    assert keys[5:9] == ["situation_familiale", "household_size", "person2",
                         "ressources_salaires"]
    assert "telephone" not in keys and "remarques" not in keys  # optional, left for paper


def test_a_resident_answer_is_never_overwritten_by_the_eligibility_answers():
    found, _ = prefill("css", None, ELIGIBILITY_CSS, {"situation_familiale": "seul(e)"})
    assert "situation_familiale" not in found


def test_social_housing_asks_the_residence_permit_only_of_a_foreign_national():
    base = {"type_demande": "Première demande", "nom": "A", "prenom": "B",
            "date_naissance": "1980-01-01", "adresse": "x"}
    french = asked("logement_social", "premiere_demande", {**base, "nationalite": "française"}, 1)
    other = asked("logement_social", "premiere_demande", {**base, "nationalite": "malienne"}, 1)
    assert "titre_sejour" not in french and "titre_sejour" in other


def test_a_renewal_asks_the_numero_unique_and_a_first_request_does_not():
    assert "numero_unique" in asked("logement_social", "renouvellement", {}, 1)
    assert "numero_unique" not in asked("logement_social", "premiere_demande", {}, 1)


def test_the_food_fund_counts_the_household_from_its_own_question():
    keys = asked("caisse_sociale_alimentaire", None, {}, None)
    assert "household_size" not in keys
    keys = asked("caisse_sociale_alimentaire", None, {"nombre_personnes": 3}, None)
    assert "person2" in keys and "person3" in keys


@pytest.mark.parametrize("typed, expected", [
    ("Amina Diallo, 12/03/2015, fille",
     {"prenom": "Amina", "nom": "Diallo", "date_naissance": "2015-03-12", "lien": "fille"}),
    ("mon mari Karim Benali né le 3 avril 1985",
     {"prenom": "Karim", "nom": "Benali", "date_naissance": "1985-04-03", "lien": "mari"}),
    ("fils, Yanis, 07/09/2012", {"prenom": "Yanis", "date_naissance": "2012-09-07",
                                 "lien": "fils"}),
])
def test_a_household_member_is_read_from_one_line(typed, expected):
    assert parse_person(typed, TODAY) == expected


@pytest.mark.parametrize("typed", ["Amina Diallo, fille", "12/03/2015", "Amina 31/02/2015"])
def test_a_member_without_a_name_or_a_valid_birth_date_is_asked_again(typed):
    with pytest.raises(AnswerError):
        parse_person(typed, TODAY)


@pytest.mark.parametrize("typed, question", [
    ("c'est quoi le numéro unique ?", True),
    ("pourquoi vous avez besoin de ça", True),
    ("comment je fais pour le titre de séjour", True),
    ("12 rue Hoche, 93500 Pantin", False),
    ("Diallo", False),
    ("On est six dans deux pièces avec de l'humidité", False),
])
def test_a_question_typed_instead_of_an_answer_is_recognised(typed, question):
    assert looks_like_question(typed) is question


def test_answers_are_read_in_the_stored_form():
    field = load_requests()["css"].sections[0].fields[3]  # date_naissance
    assert read_answer(Question("field", field), "17 avril 1986", TODAY) == {
        "date_naissance": "1986-04-17"}
    assert read_answer(Question("household_size"), "3") == {"foyer_size": 3}
    with pytest.raises(AnswerError):
        read_answer(Question("household_size"), "beaucoup")


def test_every_question_and_every_refusal_has_its_sentence_in_the_domain():
    responses = yaml.safe_load((REPO_ROOT / "domain.yml").read_text())["responses"]
    for right, variant in REQUEST_CHOICES.values():
        definition = load_requests()[right]
        for field in definition.fields_for(variant):
            if field.required or field.id in OPTIONAL_ASKED[right]:
                name = ("utter_request_ask_person" if field.type == "persons"
                        else f"utter_request_ask_{field.id}")
                assert name in responses, name
        assert f"utter_request_ask_household_size_{right}" in responses
    # Every code the answer readers can raise, read from their source: a new one needs its sentence.
    codes = {code for path in (REPO_ROOT / "bot" / "dossiers").glob("*.py")
             for code in re.findall(r'AnswerError\("(\w+)"\)', path.read_text())}
    assert {"date_invalide", "nir_invalide", "nir_cle_invalide", "personne_incomplete"} <= codes
    codes.discard("personnes_invalides")  # a whole list of members, never typed by a resident
    for code in codes:
        assert f"utter_request_invalid_{code}" in responses, code
