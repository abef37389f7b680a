"""The commission's view: identifiers gone, situation kept.

Gates on the development sets at the level reached when tuning stopped (the held-out set is run
once by hand with ``bench/anonymizer_eval.py --heldout``, never by a test: a failing test would
show its misses)."""

from __future__ import annotations

import io
import sys
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from bot.anonymizer import REMOVED, anonymize_dossier, anonymize_text
from bot.dossiers.forms import load_requests
from bot.dossiers.pdf import DossierView, render_dossier
from commune import load_commune
from tests.dossiers.samples import CSS_ANSWERS, HLM_RENEWAL_ANSWERS

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import anonymizer_eval  # noqa: E402


@pytest.mark.parametrize("path", anonymizer_eval.DEV_PATHS, ids=lambda path: path.stem)
def test_on_each_development_set_nearly_every_identifier_goes_and_little_else(path):
    cases = anonymizer_eval.load_set(path)
    assert len(cases) >= 50
    result = anonymizer_eval.evaluate(cases)
    assert result["recall"] >= 0.99, result["missed"]
    assert result["over_removal_rate"] <= 0.005, result["over_removed"]


def test_the_held_out_set_is_not_a_development_set():
    assert anonymizer_eval.HELDOUT_PATH not in anonymizer_eval.DEV_PATHS


def test_first_names_typed_in_lower_case_after_a_family_word_or_a_title_go():
    text = anonymize_text("ma fille ines est malade et mon ex karim ne paie plus ; "
                          "j'ai vu mme bouzid, le dr hadjadj et mes enfants léo et noah")
    assert text == ("ma fille [nom] est malade et mon ex [nom] ne paie plus ; "
                    "j'ai vu [nom], le [nom] et mes enfants [nom] et [nom]")


def test_streets_typed_in_lower_case_and_arrondissements_go():
    assert anonymize_text("j'habite 45 av jean lolive bat C, avant paris 19") == (
        "j'habite [adresse] bat C, avant [lieu]")


def test_words_of_the_situation_stay_even_next_to_a_name():
    text = anonymize_text("On vit à 6 dans un F3 de la cité Scandicci, mon fils est en CM2 au "
                          "collège Lavoisier et suivi au CMP de Bobigny ; on mange aux Restos du "
                          "cœur. Dans la cité il y a du bruit.")
    assert text == ("On vit à 6 dans un F3 de la cité [lieu], mon fils est en CM2 au "
                    "collège [lieu] et suivi au CMP de [lieu] ; on mange aux Restos du "
                    "cœur. Dans la cité il y a du bruit.")


def test_phone_numbers_emails_dates_and_streets_are_replaced_by_what_they_were():
    text = anonymize_text("Appelez le 06 12 34 56 78 ou ecrivez a a.b@mail.fr ; "
                          "je suis née le 03/04/1962 et j'habite 12 bis rue Hoche.")
    assert text == ("Appelez le [téléphone] ou ecrivez a [e-mail] ; je suis née le [date] "
                    "et j'habite [adresse].")


def test_the_situation_survives_amounts_durations_and_institutions():
    text = "Je touche le RSA et l'APL depuis 2019, loyer 540 euros, suivie par la CAF."
    assert anonymize_text(text) == text


def test_a_dossier_for_the_commission_has_no_name_address_phone_birth_date_or_nationality():
    definition = load_requests()["logement_social"]
    view = DossierView("D-7K3F9Q", "logement_social", "renouvellement", HLM_RENEWAL_ANSWERS)
    anonymous = anonymize_dossier(definition, view)
    answers = anonymous.answers
    for name in ("nom", "prenom", "date_naissance", "nationalite", "adresse", "telephone"):
        assert answers[name] == REMOVED
    assert answers["foyer"] == [{"lien": "épouse"}]
    assert answers["revenu_fiscal_reference"] == 21430  # the situation stays
    data = render_dossier(definition, anonymous, definition.where_to_submit(load_commune()),
                          today=date(2026, 11, 22))
    samples = Path(__file__).resolve().parents[2] / "var" / "test-results" / "dossiers"
    samples.mkdir(parents=True, exist_ok=True)
    (samples / "sample-logement_social-anonymise.pdf").write_bytes(data)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    for secret in ("Traoré", "Moussa", "Awa", "Pommiers", "07 81 22 33 44", "malienne",
                   "30/11/1979", "15/01/1985"):
        assert secret not in text, secret
    assert "D-7K3F9Q" in text and "Version anonymisée" in text
    assert "[retiré]" in text.split("Titre de séjour")[1][:80]  # not "Oui" nor "Non"


def test_free_text_in_a_css_dossier_loses_its_street():
    anonymous = anonymize_dossier(load_requests()["css"],
                                  DossierView("D-2", "css", None, CSS_ANSWERS))
    assert "Hoche" not in anonymous.answers["remarques"]
    assert "traiteur" in anonymous.answers["remarques"]



def test_everyday_words_written_with_a_capital_or_after_a_family_word_stay():
    text = ("Contactez ma sœur si besoin. J'ai écrit au Tribunal et à la Sécu, mon fils est en "
            "Terminale. Mon mari travaille la nuit et ma fille est malade, je suis enceinte.")
    assert anonymize_text(text) == text


def test_first_names_of_the_world_go_with_no_cue_word_and_names_that_are_words_with_one():
    assert anonymize_text("j'ai vu karim hier, je vis avec sofiane et sa femme") == (
        "j'ai vu [nom] hier, je vis avec [nom] et sa femme")
    assert anonymize_text("yacine a 4 ans, rose a 2 ans et fatou est née en 2019") == (
        "[nom] a 4 ans, [nom] a 2 ans et [nom] est née en [date]")
    text = "une pierre, une rose et le temps qu'il faut ; salam, quelqu'un peut m'aider ?"
    assert anonymize_text(text) == text


def test_countries_and_towns_of_origin_and_file_numbers_go():
    assert anonymize_text("je viens du mali, ma femme est née à oran en Algérie") == (
        "je viens du [lieu], ma femme est née à [lieu] en [lieu]")
    assert anonymize_text("n° allocataire 2345 678 ; numéro fiscal 1 23 45 678 901 23 ; "
                          "titre de séjour n° AB1234567 ; demande de logement 093 11 0001234") == (
        "n° allocataire [numéro] ; numéro fiscal [numéro] ; titre de séjour n° [numéro] ; "
        "demande de logement [numéro]")
    text = "Arrivée en France en 2012, je viens de sortir de l'hôpital ; dossier 2024, numéro 3."
    assert anonymize_text(text) == text


def test_an_employer_goes_whatever_its_case_but_a_brand_pointing_to_no_one_stays():
    assert anonymize_text("je bosse chez carrefour et mon frère chez tapis saint maclou") == (
        "je bosse chez [organisme] et mon frère chez [organisme]")
    assert anonymize_text("Je suis caissière à Lidl depuis 2020.") == (
        "Je suis caissière à [organisme] depuis 2020.")
    text = ("J'ai un forfait Free et un Samsung, je fais mes courses chez Lidl. Je travaille à "
            "mi-temps chez des particuliers.")
    assert anonymize_text(text) == text


def test_offices_feasts_and_charities_stay():
    text = ("J'ai écrit à Monsieur le Maire et à la Présidente. À Pâques le Père Noël de "
            "Médecins du monde est passé.")
    assert anonymize_text(text) == text


def test_a_word_that_is_a_name_goes_when_a_family_word_or_a_person_cue_says_so():
    assert anonymize_text("ma voisine Merveille m'aide, Espoir c'est mon fils aîné et mon frère "
                          "c'est moussa") == (
        "ma voisine [nom] m'aide, [nom] c'est mon fils aîné et mon frère c'est [nom]")
    text = "Ma voisine m'aide. Mon mari c'est pas facile. Le docteur m'a dit de me reposer."
    assert anonymize_text(text) == text


def test_a_title_goes_with_the_name_and_alone_stays():
    assert anonymize_text("Le docteur Benali et maître Ndiaye, puis M. Chen") == (
        "Le [nom] et [nom], puis [nom]")
    text = "Le docteur m'a dit d'attendre, Monsieur le Maire aussi."
    assert anonymize_text(text) == text


def test_an_answer_in_english_or_with_creole_words_loses_its_names_only():
    assert anonymize_text("I don't speak french very well, my name is Prince Mensah, "
                          "I come from Ghana") == (
        "I don't speak french very well, my name is [nom], I come from [lieu]")
    assert anonymize_text("nou rete Pantin depi 3 an, mwen ak pitit mwen Widlande") == (
        "nou rete [lieu] depi 3 an, mwen ak pitit mwen [nom]")


def test_a_street_named_after_a_date_goes_whole_and_a_platform_is_an_employer_for_its_driver():
    assert anonymize_text("j habite av du 8 mai 1945 au 2eme") == "j habite [adresse] au 2eme"
    assert anonymize_text("je fais du VTC avec Uber, je livre aussi pour Deliveroo") == (
        "je fais du VTC avec [nom], je livre aussi pour [organisme]")
    text = "j'ai commandé sur Uber Eats hier, le 8 mai"
    assert anonymize_text(text) == text


def test_a_name_after_a_family_word_of_speech_goes_but_the_word_stays():
    assert anonymize_text("tonton issa nous héberge, chez tata khady à drancy") == (
        "tonton [nom] nous héberge, chez tata [nom] à [lieu]")
    text = "Tonton m'a dit de venir, tonton vient demain et mon fils aime le foot."
    assert anonymize_text(text) == text


def test_companies_are_employers_only_for_those_who_work_there():
    assert anonymize_text("je suis agent de sécurité pour la SNCF") == (
        "je suis agent de sécurité pour la [organisme]")
    text = ("La SNCF m'a mis une amende, ma BNP a bloqué la carte et je regarde TF1. "
            "Je prie Jésus et la Sainte Vierge.")
    assert anonymize_text(text) == text


def test_a_cite_named_with_ordinary_words_loses_its_name_and_stations_of_the_area_go():
    assert anonymize_text("on habite cité des auteurs, metro aime cesaire, aux 4 chemins") == (
        "on habite cité des [lieu], metro [lieu], aux [lieu]")
    text = "Dans la cité il y a du bruit, on était en cité de transit."
    assert anonymize_text(text) == text


def test_a_birth_date_said_in_words_goes():
    assert anonymize_text("je suis né le vingt trois mars mille neuf cent quatre-vingt, et "
                          "ma fille le 5 mai deux mille dix") == (
        "je suis né le [date], et ma fille le [date]")


def test_a_capitalised_word_before_a_persons_verb_is_a_name_but_nobody_or_luck_are_not():
    assert anonymize_text("Grâce m'a hébergée, Prince est mon deuxième fils, ma fille divine "
                          "a 3 ans") == (
        "[nom] m'a hébergée, [nom] est mon deuxième fils, ma fille [nom] a 3 ans")
    text = "Rien m'a été donné, la chance m'a souri, avec patience."
    assert anonymize_text(text) == text


def test_a_postcode_typed_with_a_space_goes_with_its_town_but_a_count_stays():
    assert anonymize_text("j'habite 93 500 Pantin") == "j'habite [adresse]"
    text = "on est 93 000 habitants, une dette de 93 500 euros"
    assert anonymize_text(text) == text


def test_a_word_known_to_no_dictionary_goes_but_typos_sms_and_situation_words_stay():
    assert anonymize_text("les kowalski d'en face font du bruit") == (
        "les [retiré] d'en face font du bruit")
    text = "jsui enseinte, jcomprend pas, ma mere a Alzheimer et Tabaski arrive, il parle lingala"
    assert anonymize_text(text) == text


def test_a_first_name_that_is_a_word_goes_when_the_sentence_makes_it_a_person():
    assert anonymize_text("Rose est venue hier. Grâce ma fille aînée a 19 ans") == (
        "[nom] est venue hier. [nom] ma fille aînée a 19 ans")
    assert anonymize_text("le petit a une rose dessinée sur son cartable") == (
        "le petit a une rose dessinée sur son cartable")


def test_a_capitalised_word_after_two_names_is_part_of_the_name_even_a_month():
    assert anonymize_text("Tran Thi Mai est ma femme") == "[nom] est ma femme"


# Round 6: word frequencies and the everyday words of other languages.

def test_a_first_name_that_french_hardly_uses_as_a_word_goes_but_a_common_word_stays():
    assert anonymize_text("je suis allée avec kamala à la CAF, je dors chez lamine") == (
        "je suis allée avec [nom] à la CAF, je dors chez [organisme]")
    text = "avec patience et courage on y arrivera, je suis venue avec plaisir"
    assert anonymize_text(text) == text


def test_words_of_creole_wolof_darija_or_portuguese_stay_and_the_names_in_them_go():
    assert anonymize_text("Nanga def, mwen soti Jacmel, jërëjëf. Bom dia, sou Ana Ferreira, "
                          "obrigada. Salam khouya, ana Mohamed men Oujda") == (
        "Nanga def, mwen soti [nom], jërëjëf. Bom dia, sou [nom], obrigada. "
        "Salam khouya, ana [nom] men [lieu]")


def test_the_everyday_words_of_other_languages_hold_no_place_nationality_or_name_of_the_area():
    import yaml

    from bot.anonymizer.cues import NAME_PARTICLES
    from bot.anonymizer.lexicon import LEXICON_PATH, load_lexicon
    from bot.anonymizer.spans import fold

    lexicon = load_lexicon()
    words = {fold(word) for words in yaml.safe_load(LEXICON_PATH.read_text(encoding="utf-8"))[
        "foreign_everyday_words"].values() for word in words}
    clashes = {word for word in words if word in lexicon.area_names or word in NAME_PARTICLES
               or word in lexicon.nationalities or word in lexicon.places
               or word in lexicon.first_names}
    assert not clashes
    # first names of the area that are also words of these languages are kept out of the lists
    assert anonymize_text("ma fille Ana, mon fils Amar et ma voisine Ewa") == (
        "ma fille [nom], mon fils [nom] et ma voisine [nom]")


def test_a_typo_after_je_suis_a_word_cut_short_and_words_of_the_situation_stay():
    text = ("je suis enseinte de 5 mois, j'ai fait une cure de désintox, un indu de la CAF, le "
            "week-end mon fils va à la school ; il faut le rib avec iban, ma cni et la c2s")
    assert anonymize_text(text) == text


def test_a_birth_month_and_year_a_fully_dictated_email_and_a_residence_cut_short_go():
    assert anonymize_text("je suis née en mars 1987, ma fille née 2015") == (
        "je suis née en [date], ma fille née [date]")
    assert anonymize_text("mon mail c'est fatou point diallo arobase yahoo point fr") == (
        "mon mail c'est [e-mail]")
    assert anonymize_text("j'habite rés. les Pommiers") == "j'habite rés. les [lieu]"


def test_my_name_is_in_other_languages_and_countries_named_in_english_go():
    assert anonymize_text("mwen rele jean-baptiste, me llamo maria fernanda, soy de colombia") == (
        "mwen rele [nom], me llamo [nom], soy de [lieu]")
    assert anonymize_text("I come from india, my wife is from Bangladesh") == (
        "I come from [lieu], my wife is from [lieu]")


def test_sms_slang_and_dishes_stay():
    text = ("wsh tkt c relou, j'ai le seum, mon ptit frère mange du mafé et de l'attiéké, "
            "la clim marche pas")
    assert anonymize_text(text) == text


# Round 7: capitals, the everyday words of the languages wordfreq knows, later birth years,
# cités named by a number, a street said after "j'habite".

def test_an_answer_typed_in_capitals_keeps_its_ordinary_words_and_loses_its_names():
    text = "BONJOUR JE SUIS A LA RUE AVEC MES ENFANTS DEPUIS 2 SEMAINES, PAS DE LOGEMENT"
    assert anonymize_text(text) == text
    assert anonymize_text("NOM : TRAORÉ PRÉNOM : MOUSSA") == "NOM : [nom] PRÉNOM : [nom]"
    assert anonymize_text("JE VOUS ECRIS POUR MON FRERE KARIM HOSPITALISÉ A BOBIGNY") == (
        "JE VOUS ECRIS POUR MON FRERE [nom] HOSPITALISÉ A [lieu]")


def test_everyday_words_of_polish_turkish_or_serbian_stay_and_their_names_and_towns_go():
    assert anonymize_text("Dzień dobry, jestem Anna, mieszkam z dziećmi w hotelu w Bondy.") == (
        "Dzień dobry, jestem [nom], mieszkam z dziećmi w hotelu w [lieu].")
    assert anonymize_text("jestem anna kowalska z krakowa") == (
        "jestem [nom] z [retiré]")
    assert anonymize_text("Merhaba, ben Ayşe, burada oturuyorum") == (
        "Merhaba, ben [nom], burada oturuyorum")


def test_the_birth_years_of_brothers_and_sisters_go_but_other_years_stay():
    assert anonymize_text("il est né en 2015 et sa soeur en 2018, on est arrivés en 2019") == (
        "il est né en [date] et sa soeur en [date], on est arrivés en 2019")
    assert anonymize_text("mes enfants sont nés en 2012, 2015 et 2019") == (
        "mes enfants sont nés en [date], [date] et [date]")


def test_a_cite_named_by_a_number_and_a_street_said_after_j_habite_go():
    assert anonymize_text("on habite la cité des 4000, la résidence a 120 logements") == (
        "on habite la cité des [lieu], la résidence a 120 logements")
    assert anonymize_text("j'habite Jean Lolive depuis 3 ans") == "j'habite [adresse] depuis 3 ans"
    text = "j'habite seule avec mes enfants, je vis en France, j'habite pas loin"
    assert anonymize_text(text) == text


def test_dates_in_other_languages_a_birth_year_given_roughly_and_an_abbreviated_street_go():
    assert anonymize_text("mon mari est né le 3 de marzo de 1991, moi born on March 3, 1990") == (
        "mon mari est né le [date], moi born on [date]")
    assert anonymize_text("né vers 1975 à Kayes, il habite au 5 r. Méhul") == (
        "né vers [date] à [lieu], il habite au [adresse]")


def test_an_income_is_no_file_number_and_a_business_named_after_a_country_goes_whole():
    text = "revenu fiscal de reference 14 300"
    assert anonymize_text(text) == text
    assert anonymize_text("je travaille restaurant Le Jardin de Chine, mon bailleur c 3F") == (
        "je travaille restaurant [lieu], mon bailleur c [lieu]")


def test_the_words_saying_my_name_is_stay_and_a_family_name_that_is_a_word_goes():
    assert anonymize_text("wo jiao Zhang Wei, amar nam Rahim, ne togo ye Seydou") == (
        "wo jiao [nom], amar nam [nom], ne togo ye [nom]")
    assert anonymize_text("leur père pierre blanc ne paye plus, j'ai besoin dun papier") == (
        "leur père [nom] ne paye plus, j'ai besoin dun papier")
