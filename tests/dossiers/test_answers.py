"""Typed answers become stored values, or a code the bot turns into a sentence."""

from __future__ import annotations

from datetime import date

import pytest

from bot.dossiers.answers import AnswerError, normalize
from bot.dossiers.forms import load_requests

TODAY = date(2026, 11, 22)
CSS = {f.id: f for f in load_requests()["css"].fields_for(None)}
CAISSE = {f.id: f for f in load_requests()["caisse_sociale_alimentaire"].fields_for(None)}


@pytest.mark.parametrize("typed", ["17/04/1986", "17-4-86", "17 avril 1986", "1986-04-17",
                                   "le 17 Avril 1986", "dix-sept avril mille neuf cent "
                                   "quatre-vingt-six"])
def test_a_birth_date_is_understood_however_it_is_written(typed):
    assert normalize(CSS["date_naissance"], typed, TODAY) == "1986-04-17"


@pytest.mark.parametrize("typed", ["31/02/1990", "12/12/2030", "demain", "17 avrol 1986", ""])
def test_an_impossible_or_future_date_is_refused_with_a_code(typed):
    with pytest.raises(AnswerError) as error:
        normalize(CSS["date_naissance"], typed, TODAY)
    assert error.value.code in ("date_invalide", "reponse_vide")


@pytest.mark.parametrize(("typed", "value"), [
    ("1 200,50 €", 1200.5), ("1.200,50", 1200.5), ("9600 euros", 9600), ("9 600", 9600),
    ("mille deux cents", 1200), (540, 540), ("0", 0)])
def test_amounts_in_french_notation_and_words(typed, value):
    assert normalize(CSS["ressources_salaires"], typed) == value


def test_a_negative_or_wordy_amount_is_refused():
    for typed in ("-50", "beaucoup", "12,345"):
        with pytest.raises(AnswerError, match="montant_invalide"):
            normalize(CSS["ressources_salaires"], typed)


def test_phone_numbers_are_written_as_on_a_form():
    for typed in ("0612345678", "+33 6 12 34 56 78", "06.12.34.56.78", "0033612345678"):
        assert normalize(CSS["telephone"], typed) == "06 12 34 56 78"
    with pytest.raises(AnswerError, match="telephone_invalide"):
        normalize(CSS["telephone"], "12345")


def test_choices_accept_the_buttons_number_or_its_words_without_accents():
    field = CSS["situation_logement"]
    assert normalize(field, "3") == "hébergé(e) gratuitement"
    assert normalize(field, "Proprietaire") == "propriétaire"
    with pytest.raises(AnswerError, match="choix_inconnu"):
        normalize(field, "7")


def test_yes_no_and_counts_and_text_limits():
    assert normalize(CSS["beneficiaire_rsa"], "Oui !") is True
    assert normalize(CSS["beneficiaire_rsa"], "non") is False
    with pytest.raises(AnswerError, match="oui_ou_non"):
        normalize(CSS["beneficiaire_rsa"], "peut-être")
    assert normalize(CAISSE["nombre_personnes"], "trois") == 3
    with pytest.raises(AnswerError, match="nombre_invalide"):
        normalize(CAISSE["nombre_personnes"], "2,5")
    assert normalize(CSS["nom"], "  Benali   Ep.  Haddad ") == "Benali Ep. Haddad"
    with pytest.raises(AnswerError, match="trop_long"):
        normalize(CSS["nom"], "x" * 201)
    with pytest.raises(AnswerError, match="reponse_vide"):
        normalize(CSS["nom"], "   ")


def test_household_members_keep_known_keys_and_a_valid_birth_date():
    people = normalize(CSS["foyer"], [{"prenom": " Inès ", "date_naissance": "21/06/2014",
                                       "lien": "fille", "note": "x"}], TODAY)
    assert people == [{"prenom": "Inès", "lien": "fille", "date_naissance": "2014-06-21"}]
    with pytest.raises(AnswerError, match="personnes_invalides"):
        normalize(CSS["foyer"], "Inès", TODAY)


# --- the social-security number (NIR): 13 characters and a key -----------------------------

@pytest.mark.parametrize(("typed", "stored"), [
    ("2 86 04 93 055 123 02", "2 86 04 93 055 123 02"),
    ("286049305512302", "2 86 04 93 055 123 02"),
    ("1.84.12.76.451.089.46", "1 84 12 76 451 089 46"),
    ("1-84-12-76-451-089-46", "1 84 12 76 451 089 46"),
    ("1 80 01 2A 004 012 57", "1 80 01 2A 004 012 57"),  # Corsica: 2A counts as 19
    ("2 75 11 2b 033 005 61", "2 75 11 2B 033 005 61"),  # 2B as 18, any case
])
def test_a_social_security_number_is_read_with_spaces_dots_or_corsica(typed, stored):
    assert normalize(CSS["numero_securite_sociale"], typed) == stored


@pytest.mark.parametrize(("typed", "code"), [
    ("2 86 04 93 055 123 45", "nir_cle_invalide"),   # the key does not match
    ("2 86 04 93 505 123 02", "nir_cle_invalide"),   # two digits swapped
    ("1 80 01 2A 004 012 58", "nir_cle_invalide"),
    ("2 86 04 93 055 123", "nir_invalide"),          # the key is missing
    ("2 86 04 93 055 123 02 1", "nir_invalide"),     # a digit too many
    ("5 86 04 93 055 123 02", "nir_invalide"),       # no such first digit
    ("2 86 04 2C 055 123 02", "nir_invalide"),
    ("ma carte vitale", "nir_invalide"),
])
def test_a_wrong_social_security_number_is_refused_with_a_code(typed, code):
    with pytest.raises(AnswerError) as error:
        normalize(CSS["numero_securite_sociale"], typed)
    assert error.value.code == code
