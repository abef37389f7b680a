"""The Complémentaire santé solidaire questionnaire: check each answer, then compute.

Six short questions (fewer when they do not apply); each answer is read by
bot.language.answers and, when it cannot be read, asked again with an example. "Je ne sais
pas" gets "une estimation suffit". The result comes from the eligibility service with every
step of its calculation; when the service is down the resident is told so and offered a
person, never a made-up answer.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.eligibility_client import EligibilityUnavailable, evaluate
from actions.explanation import explanation
from actions.household import CssAnswers, css_household
from bot.language.answers import (
    is_dont_know,
    parse_ages,
    parse_housing_status,
    parse_monthly_amount,
    parse_yes_no,
)
from commune import load_commune

FORM_SLOTS = ["household_ages", "couple", "rsa_amount", "other_resources", "housing_status",
              "housing_aid_amount"]

# Right ids of the eligibility service → the intent that explains each right here.
RIGHT_PAYLOADS = {
    "rsa": ("RSA", "/rsa"),
    "prime_activite": ("Prime d'activité", "/prime_activite"),
    "aide_logement": ("Aide au logement", "/housing_aid"),
    "logement_social": ("Logement social", "/social_housing_request"),
    "caisse_sociale_alimentaire": ("Aide alimentaire", "/food_aid"),
    "mutuelle_communale": ("Mutuelle communale", "/mutuelle_communale"),
    "css": ("Complémentaire santé", "/css"),
}


@lru_cache(maxsize=1)
def commune_insee() -> str:
    return load_commune()["commune"]["insee"]["value"]


def _answer(dispatcher: CollectingDispatcher, slot: str, text: Any, parser) -> dict[str, Any]:
    """Parse one answer; on failure say why and leave the slot empty so it is asked again."""
    text = text if isinstance(text, str) else str(text)
    if is_dont_know(text):
        dispatcher.utter_message(response="utter_questionnaire_estimate_ok")
        return {slot: None}
    value = parser(text)
    if value is None:
        dispatcher.utter_message(response=f"utter_questionnaire_unclear_{slot}")
        return {slot: None}
    return {slot: value}


class ValidateCssForm(FormValidationAction):
    def name(self) -> str:
        return "validate_css_form"

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> list[str]:
        ages = tracker.get_slot("household_ages")
        slots = list(FORM_SLOTS)
        if isinstance(ages, list) and len(ages) == 1:
            slots.remove("couple")
        status = tracker.get_slot("housing_status")
        if status is not None and status != "locataire":
            slots.remove("housing_aid_amount")
        return slots

    def validate_household_ages(self, value: Any, dispatcher: CollectingDispatcher,
                                tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        result = _answer(dispatcher, "household_ages", value, parse_ages)
        if result["household_ages"] and len(result["household_ages"]) == 1:
            result["couple"] = False
        return result

    def validate_couple(self, value: Any, dispatcher: CollectingDispatcher,
                        tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        return _answer(dispatcher, "couple", value, parse_yes_no)

    def validate_rsa_amount(self, value: Any, dispatcher: CollectingDispatcher,
                            tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        if parse_yes_no(str(value)) is False:
            return {"rsa_amount": 0.0}
        return _answer(dispatcher, "rsa_amount", value, parse_monthly_amount)

    def validate_other_resources(self, value: Any, dispatcher: CollectingDispatcher,
                                 tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        return _answer(dispatcher, "other_resources", value, parse_monthly_amount)

    def validate_housing_status(self, value: Any, dispatcher: CollectingDispatcher,
                                tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        result = _answer(dispatcher, "housing_status", value, parse_housing_status)
        if result["housing_status"] not in (None, "locataire"):
            result["housing_aid_amount"] = 0.0
        return result

    def validate_housing_aid_amount(self, value: Any, dispatcher: CollectingDispatcher,
                                    tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        if parse_yes_no(str(value)) is False:
            return {"housing_aid_amount": 0.0}
        return _answer(dispatcher, "housing_aid_amount", value, parse_monthly_amount)


class ActionCssResult(Action):
    """Computes the CSS for the answers given, shows the calculation, suggests other rights."""

    def name(self) -> str:
        return "action_css_result"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[dict[str, Any]]:
        answers = CssAnswers(
            ages=tracker.get_slot("household_ages"),
            couple=bool(tracker.get_slot("couple")),
            rsa=float(tracker.get_slot("rsa_amount") or 0),
            other_resources=float(tracker.get_slot("other_resources") or 0),
            housing_status=tracker.get_slot("housing_status"),
            housing_aid=float(tracker.get_slot("housing_aid_amount") or 0),
        )
        household = css_household(answers)
        try:
            results = await evaluate(household.request, ["css"], commune_insee())
            css = results["css"]
        except (EligibilityUnavailable, KeyError):
            dispatcher.utter_message(response="utter_eligibility_unavailable")
            dispatcher.utter_message(response="utter_ask_human_places")
            dispatcher.utter_message(response="utter_ask_human_confirm_place")
            return [SlotSet(slot, None) for slot in FORM_SLOTS]

        dispatcher.utter_message(response="utter_eligibility_summary", summary=css["summary"])
        if household.left_out:
            dispatcher.utter_message(response="utter_css_household_left_out")
        dispatcher.utter_message(response="utter_eligibility_calculation",
                                 steps=explanation(css))
        if css["status"] == "not_eligible":
            dispatcher.utter_message(response="utter_css_suggest_mutuelle")
        suggestions = [RIGHT_PAYLOADS[r] for r in css.get("also_check", []) if r in RIGHT_PAYLOADS]
        if suggestions:
            dispatcher.utter_message(
                response="utter_also_check",
                buttons=[{"title": title, "payload": payload} for title, payload in suggestions],
            )
        return [SlotSet(slot, None) for slot in FORM_SLOTS]
