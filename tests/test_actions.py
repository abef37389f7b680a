"""Custom actions' own logic, tested without Rasa."""

from __future__ import annotations

from actions.explanation import french_number, step_line
from actions.household import Answers, household
from actions.local_schemes import food_fund_messages, mutuelle_messages
from actions.misunderstanding import consecutive_misunderstandings
from commune import load_commune


def user(intent: str) -> dict:
    return {"event": "user", "parse_data": {"intent": {"name": intent}}}


def bot() -> dict:
    return {"event": "bot", "text": "…"}


def test_a_first_misunderstanding_counts_one():
    assert consecutive_misunderstandings([user("greet"), bot(), user("nlu_fallback")]) == 1


def test_two_misunderstandings_in_a_row_count_two_whatever_the_bot_said_between():
    events = [user("greet"), bot(), user("nlu_fallback"), bot(), bot(), user("nlu_fallback")]
    assert consecutive_misunderstandings(events) == 2


def test_an_understood_message_resets_the_count():
    events = [user("nlu_fallback"), bot(), user("css"), bot(), user("nlu_fallback")]
    assert consecutive_misunderstandings(events) == 1


def test_no_message_yet_counts_zero():
    assert consecutive_misunderstandings([{"event": "session_started"}]) == 0


# --- The CSS questionnaire: from answers to the household, and the calculation's lines ---


def answers(**changes) -> Answers:
    base = dict(ages=[34], couple=False, rsa=0.0, other_resources=1100.0,
                housing_status="locataire", housing_aid=150.0)
    return Answers(**{**base, **changes})


def test_a_single_person_is_the_applicant_with_the_declared_resources():
    checked = household(answers(), "css")
    assert checked.request["members"] == [
        {"role": "demandeur", "age": 34, "resources": {"salaire": 1100.0}}]
    assert checked.request["benefits"] == {"rsa": 0.0, "aide_logement": 150.0,
                                           "prestations_familiales": 0.0}
    assert "revenu_fiscal_reference_n2" not in checked.request
    assert checked.left_out == 0


def test_a_couple_with_children_has_a_partner_and_dependants():
    members = household(answers(ages=[41, 39, 12, 8], couple=True), "css").request["members"]
    assert [m["role"] for m in members] == ["demandeur", "conjoint", "enfant", "enfant"]


def test_for_the_css_adults_of_25_or_more_besides_the_partner_are_left_out_and_counted():
    checked = household(answers(ages=[52, 27, 19]), "css")
    assert [m["age"] for m in checked.request["members"]] == [52, 19]
    assert checked.left_out == 1


def test_the_partner_is_the_adult_closest_in_age_whatever_the_order_of_the_ages():
    members = household(answers(ages=[34, 8, 36], couple=True), "css").request["members"]
    assert [(m["role"], m["age"]) for m in members] == [
        ("demandeur", 34), ("conjoint", 36), ("enfant", 8)]


def test_for_the_css_a_lodged_parent_and_a_grown_up_child_are_not_in_the_household():
    checked = household(answers(ages=[45, 72, 43, 27, 12], couple=True), "css")
    assert [(m["role"], m["age"]) for m in checked.request["members"]] == [
        ("demandeur", 45), ("conjoint", 43), ("enfant", 12)]
    assert checked.left_out == 2  # the parent of 72 and the son of 27: their own request


def test_for_social_housing_everyone_who_will_live_there_counts():
    checked = household(answers(ages=[52, 27, 19], disability=True, rfr_n2=18500.0),
                        "logement_social")
    assert [m["age"] for m in checked.request["members"]] == [52, 27, 19]
    assert checked.request["members"][0]["disability"] is True
    assert checked.request["revenu_fiscal_reference_n2"] == 18500.0


def test_figures_are_written_the_french_way():
    assert french_number(15633) == "15\u202f633"
    assert french_number(0.16) == "0,16"
    assert french_number(950.5) == "950,50"


def test_a_parameter_line_says_since_when_whether_estimated_and_its_source():
    line = step_line({"label": "Plafond", "value": 15633, "unit": "€/an",
                      "date_of_effect": "2026-04-01", "statut": "estimation",
                      "source": {"title": "CSS, art. L861-1"}})
    assert line == ("• Plafond : 15\u202f633 €/an (depuis le 01/04/2026 ; estimation ; "
                    "source : CSS, art. L861-1)")


def test_a_comparison_line_shows_no_true_or_false():
    assert step_line({"label": "Comparaison : 15 000 € ≤ 15 633 €", "value": True}) == (
        "• Comparaison : 15 000 € ≤ 15 633 €")


# --- The town's schemes: only verified facts of the commune file are stated ---


def _fact(value, verified=True, date="2027-01"):
    return {"value": value, "verified": verified, "source": "délibération", "date": date}


def test_with_the_commune_file_as_it_is_the_schemes_are_said_unpublished():
    commune = load_commune()
    assert mutuelle_messages(commune) == [("utter_mutuelle_pantin", {})]
    assert food_fund_messages(commune) == [("utter_food_fund", {})]


def test_verified_facts_are_stated_with_the_date_of_an_amount_and_unverified_ones_left_out():
    commune = {
        "mutuelle_communale": {
            "insurer": _fact("Mutuelle Exemple"),
            "prices": _fact("dès 20 € par mois", date="2027-02"),
            "conditions": _fact("tous les habitants", verified=False),
            "where_to_join": _fact(None),
        },
    }
    assert mutuelle_messages(commune) == [
        ("utter_mutuelle_insurer", {"insurer": "Mutuelle Exemple"}),
        ("utter_mutuelle_prices", {"prices": "dès 20 € par mois", "date": "2027-02"}),
        ("utter_local_scheme_where_unknown", {}),
    ]


def test_a_published_food_fund_gives_its_criteria_amount_and_where_to_apply():
    commune = {"caisse_sociale_alimentaire": {
        "criteria": _fact("quotient familial sous 600 €"),
        "amount_per_person_per_month": _fact("50 €"),
        "where_to_apply": _fact("au CCAS, sur rendez-vous"),
    }}
    assert [name for name, _ in food_fund_messages(commune)] == [
        "utter_food_fund_criteria", "utter_food_fund_amount", "utter_food_fund_where"]
