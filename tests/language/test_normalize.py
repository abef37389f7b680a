"""Normalisation turns the many ways residents type into one form the rules can match."""

from __future__ import annotations

import pytest

from bot.language.normalize import normalize, strip_accents


def test_case_accents_and_ligatures_are_folded() -> None:
    assert normalize("Élève À L'ÉCOLE, cœur") == "eleve a l'ecole coeur"


def test_arabic_script_is_kept_so_a_lexicon_can_match_it() -> None:
    assert normalize("بغيت نموت") == "بغيت نموت"


def test_emphasis_by_repeated_letters_is_folded() -> None:
    assert normalize("trooop merciiii") == "trop merci"


def test_genuine_double_letters_are_kept() -> None:
    assert normalize("elle appelle") == "elle appelle"


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("jsp", "je sais pas"),
        ("jveux un hlm", "je veux un hlm"),
        ("chui fatiguee", "je suis fatiguee"),
        ("chuis la", "je suis la"),
        ("pk pq", "pourquoi pourquoi"),
        ("bcp tjrs", "beaucoup toujours"),
        ("slt bjr", "salut bonjour"),
        ("mrc mci", "merci merci"),
        ("stp", "s'il te plait"),
        ("svp", "s'il vous plait"),
        ("qd ds", "quand dans"),
        ("ke ki", "que qui"),
        ("c moi", "c'est moi"),
        ("c est moi", "c'est moi"),
        ("g pa de sous", "j'ai pas de sous"),
        ("ya personne", "il y a personne"),
        ("y'a personne", "il y a personne"),
        ("jpp", "j'en peux plus"),
        ("jpeux pas", "je peux pas"),
        ("jen ai marre", "j'en ai marre"),
        ("jme sens mal", "je me sens mal"),
        ("tt le monde", "tout le monde"),
        ("raf", "rien a foutre"),
        ("rien à foutre", "rien a foutre"),
    ],
)
def test_common_sms_spellings_are_expanded(typed: str, canonical: str) -> None:
    assert normalize(typed) == canonical


def test_an_elision_typed_with_a_space_is_glued_back() -> None:
    assert normalize("j ai pas l argent") == "j'ai pas l'argent"


def test_a_lone_elided_letter_before_a_consonant_is_spelled_out() -> None:
    assert normalize("j suis d pantin") == "je suis de pantin"


def test_building_letters_are_not_read_as_sms() -> None:
    assert normalize("batiment C escalier G") == "batiment c escalier g"


def test_old_name_cmu_c_stays_one_word() -> None:
    assert normalize("la CMU-C") == "la cmuc"
    assert normalize("la cmu c") == "la cmuc"


def test_curly_apostrophes_become_straight() -> None:
    assert normalize("J’ai l’APL") == "j'ai l'apl"


def test_punctuation_and_emojis_become_spaces() -> None:
    assert normalize("Bonjour!!! 😢 ... aidez-moi") == "bonjour aidez moi"


def test_amounts_keep_their_value() -> None:
    assert normalize("1.200€ et 12,50 €") == "1200 euros et 12.50 euros"
    assert normalize("loyer de 1 200 euros") == "loyer de 1200 euros"


def test_number_words_become_digits_when_text2num_is_installed() -> None:
    pytest.importorskip("text_to_num")
    assert normalize("je gagne mille deux cents euros") == "je gagne 1200 euros"
    # small numbers stay words: "une boite", "mes deux enfants" keep their sense
    assert normalize("une boite pour mes deux enfants") == "une boite pour mes deux enfants"


def test_number_words_can_be_left_alone() -> None:
    assert normalize("mille euros", numbers=False) == "mille euros"


def test_empty_text_gives_empty_text() -> None:
    assert normalize("") == ""
    assert normalize("   \n ") == ""


def test_strip_accents_keeps_the_letters() -> None:
    assert strip_accents("Ça déçoit") == "ca decoit"
