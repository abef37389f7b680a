"""Against non-take-up: after a right, the others the situation points to are offered."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.suggestions import (
    ActionSuggestOtherRights,
    already_received,
    pointed_by_answers,
    suggestions,
)


def _user(intent: str) -> dict:
    return {"event": "user", "parse_data": {"intent": {"name": intent, "confidence": 0.9}}}


def _offered(*events: dict) -> list[str]:
    latest = events[-1]["parse_data"]
    tracker = Tracker("resident", {}, latest, list(events), False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    ActionSuggestOtherRights().run(dispatcher, tracker, {})
    return [b["payload"] for m in dispatcher.messages for b in m.get("buttons", [])]


def test_after_the_rsa_the_css_housing_aid_and_food_are_offered_not_the_rsa_again():
    assert _offered(_user("rsa")) == ["/css", "/housing_aid", "/food_aid", "/quotient_familial"]


def test_a_right_already_talked_about_is_not_offered_again():
    offered = _offered(_user("css"), {"event": "bot"}, _user("rsa"))
    assert "/css" not in offered and "/rsa" not in offered


def test_answers_given_inside_a_questionnaire_are_not_topics_talked_about():
    offered = _offered(
        {"event": "active_loop", "name": "eligibility_form"}, _user("css"),  # "650" read as css
        {"event": "active_loop", "name": None}, _user("rsa"))
    assert "/css" in offered


def test_nothing_left_to_offer_says_nothing():
    assert _offered(_user("greet")) == []


def test_the_answers_point_to_housing_aid_aah_and_domiciliation():
    tenant = {"housing_status": "locataire", "housing_aid_amount": 0.0, "disability": True}
    assert pointed_by_answers(tenant) == ["aah", "housing_aid"]
    assert pointed_by_answers({"housing_status": "sans_domicile"}) == [
        "domiciliation", "social_housing_request"]


def test_a_right_already_received_is_not_suggested():
    received = already_received({"rsa_amount": 650.0, "housing_aid_amount": 0.0})
    assert received == {"rsa"}
    assert suggestions("css", pointed=["rsa", "housing_aid"], received=received,
                       usual=False) == ["housing_aid"]


def test_after_a_questionnaire_only_what_the_result_and_answers_point_to_is_offered():
    assert suggestions("css", pointed=["mutuelle_communale"], usual=False) == [
        "mutuelle_communale"]
