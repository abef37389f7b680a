"""Residents' answers to the questionnaire are read as they type them, or asked again."""

from __future__ import annotations

import pytest

from bot.language.answers import (
    is_dont_know,
    parse_ages,
    parse_housing_status,
    parse_monthly_amount,
    parse_yearly_amount,
    parse_yes_no,
)


@pytest.mark.parametrize(("text", "ages"), [
    ("34", [34]),
    ("34, 8 et 5", [34, 8, 5]),
    ("moi 41 ans mon mari 45 et notre fils 17", [41, 45, 17]),
    ("trente-quatre et six", [34, 6]),
    ("j'ai 67 ans", [67]),
])
def test_ages_are_read_in_the_order_given(text, ages):
    assert parse_ages(text) == ages


@pytest.mark.parametrize("text", ["je sais pas", "beaucoup", "34,5", "250", ""])
def test_an_answer_without_plausible_ages_is_asked_again(text):
    assert parse_ages(text) is None


@pytest.mark.parametrize(("text", "amount"), [
    ("1100", 1100.0),
    ("1 100 €", 1100.0),
    ("1.100 euros", 1100.0),
    ("1100e par mois", 1100.0),
    ("environ 950,50 €", 950.5),
    ("1,2k", 1200.0),
    ("mille deux cents euros", 1200.0),
    ("0", 0.0),
    ("rien, 0 euro", 0.0),
])
def test_a_monthly_amount_is_read_in_residents_writing(text, amount):
    assert parse_monthly_amount(text) == amount


@pytest.mark.parametrize("text", ["800 et 300", "je sais pas", "beaucoup", "-", "9999999"])
def test_an_unclear_amount_is_not_guessed(text):
    assert parse_monthly_amount(text) is None


def test_a_yearly_income_may_be_larger_than_a_monthly_one():
    assert parse_yearly_amount("revenu fiscal 24 350 €") == 24350.0
    assert parse_monthly_amount("24 350 €") == 24350.0
    assert parse_monthly_amount("150 000") is None
    assert parse_yearly_amount("150 000") == 150000.0


@pytest.mark.parametrize(("text", "answer"), [
    ("Oui", True), ("ouais", True), ("oui on est mariés", True), ("OK", True),
    ("Non", False), ("nan", False), ("non je suis seule", False),
    ("peut-être", None), ("la caf", None),
])
def test_yes_and_no_in_residents_words(text, answer):
    assert parse_yes_no(text) is answer


@pytest.mark.parametrize(("text", "status"), [
    ("Locataire", "locataire"),
    ("je paye un loyer", "locataire"),
    ("hlm", "locataire"),
    ("hébergée chez ma soeur", "heberge_gratuitement"),
    ("Propriétaire", "proprietaire"),
    ("je dors dans la rue", "sans_domicile"),
    ("je suis au 115", "sans_domicile"),
])
def test_the_housing_status_is_read_from_the_residents_words(text, status):
    assert parse_housing_status(text) == status


def test_a_landlord_mentioned_as_a_person_does_not_make_one_an_owner():
    assert parse_housing_status("mon proprio veut augmenter le loyer") == "locataire"


@pytest.mark.parametrize("text", ["je sais pas", "jsp", "aucune idée", "Je ne sais pas trop"])
def test_i_dont_know_is_recognised(text):
    assert is_dont_know(text)


def test_an_answer_is_not_taken_for_i_dont_know():
    assert not is_dont_know("1200 euros")
