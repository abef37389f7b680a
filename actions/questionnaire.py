"""The eligibility questionnaire: short questions, each answer checked, then the calculation.

One form serves every right the resident can check here (CSS, social housing, quotient
familial); ``RIGHT_QUESTIONS`` says which questions each one needs, and questions already
answered in the conversation (household ages, couple) are not asked again. Each answer is
read by bot.language.answers; one that cannot be read is asked again with an example, and
"je ne sais pas" gets "une estimation suffit". The result comes from the eligibility
service with every step of its calculation; when the service is down the resident is told
so and offered a person, never a made-up answer.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.eligibility_client import EligibilityUnavailable, evaluate
from actions.explanation import explanation
from actions.household import Answers, household
from actions.needs import detect_need
from bot.language.answers import (
    is_dont_know,
    parse_ages,
    parse_housing_status,
    parse_monthly_amount,
    parse_yearly_amount,
    parse_yes_no,
)
from commune import load_commune

RIGHT_QUESTIONS = {
    "css": ["household_ages", "couple", "rsa_amount", "other_resources", "housing_status",
            "housing_aid_amount"],
    "logement_social": ["household_ages", "couple", "disability", "rfr_n2"],
    "quotient_familial": ["household_ages", "couple", "rfr_n2", "family_benefits"],
}
# What the eligibility service computes for each check (the QF comes with the town's tariff).
RIGHTS_COMPUTED = {
    "css": ["css"],
    "logement_social": ["logement_social"],
    "quotient_familial": ["quotient_familial", "tarif_municipal"],
}
# Kept for the rest of the conversation, so another check does not ask them again.
HOUSEHOLD_SLOTS = {"household_ages", "couple"}
ANSWER_SLOTS = sorted({slot for slots in RIGHT_QUESTIONS.values() for slot in slots})

# Right ids of the eligibility service → the button that explains each right here.
RIGHT_BUTTONS = {
    "rsa": ("RSA", "/rsa"),
    "prime_activite": ("Prime d'activité", "/prime_activite"),
    "aide_logement": ("Aide au logement", "/housing_aid"),
    "logement_social": ("Logement social", "/social_housing_request"),
    "caisse_sociale_alimentaire": ("Aide alimentaire", "/food_aid"),
    "mutuelle_communale": ("Mutuelle communale", "/mutuelle_communale"),
    "css": ("Complémentaire santé", "/css"),
}


# A question asked in the middle of the questionnaire gets its short answer, then the
# questionnaire goes on where it was (the full answer stays one message away).
INTERRUPTION_ANSWERS = {
    "css": ["utter_css_what"],
    "mutuelle_communale": ["utter_mutuelle_what"],
    "rsa": ["utter_rsa_what"],
    "prime_activite": ["utter_prime_activite_what"],
    "housing_aid": ["utter_housing_aid_what"],
    "aah": ["utter_aah_what"],
    "domiciliation": ["utter_domiciliation_what"],
    "quotient_familial": ["utter_qf_what"],
    "food_aid": ["utter_food_now", "utter_food_places"],
    "mental_health_support": ["utter_mental_health_listen", "utter_mental_health_lines",
                              "utter_mental_health_3114"],
    "capabilities": ["utter_capabilities"],
    "out_of_scope": ["utter_out_of_scope"],
}
INTERRUPTION_MIN_CONFIDENCE = 0.6


@lru_cache(maxsize=1)
def commune_insee() -> str:
    return load_commune()["commune"]["insee"]["value"]


def _yes_no_or_amount(text: str, parse_amount: Callable[[str], float | None]) -> float | None:
    """"Non" means 0 €; otherwise the amount written."""
    return 0.0 if parse_yes_no(text) is False else parse_amount(text)


def _answer(dispatcher: CollectingDispatcher, tracker: Tracker, slot: str, value: Any,
            parser: Callable[[str], Any]) -> dict[str, Any]:
    """Read one answer; on failure empty the slot so that it is asked again, after saying why
    or, when the message was a clear question on another topic, after answering it briefly.

    A value that is not text was read before (Rasa validates answers kept from an earlier
    questionnaire again when a new one starts): it is kept as it is.
    """
    if not isinstance(value, str):
        return {slot: value}
    text = value
    if detect_need(text):  # "je n'ai pas mon avis d'imposition", "je ne sais pas écrire"
        dispatcher.utter_message(response="utter_need_person_offer")
        return {slot: None}
    if is_dont_know(text):
        dispatcher.utter_message(response="utter_questionnaire_estimate_ok")
        return {slot: None}
    parsed = parser(text)
    if parsed is not None:
        return {slot: parsed}
    intent = tracker.latest_message.get("intent") or {}
    answers = INTERRUPTION_ANSWERS.get(intent.get("name"))
    if answers and (intent.get("confidence") or 0) >= INTERRUPTION_MIN_CONFIDENCE:
        for response in answers:
            dispatcher.utter_message(response=response)
        dispatcher.utter_message(response="utter_questionnaire_resume")
    else:
        dispatcher.utter_message(response=f"utter_questionnaire_unclear_{slot}")
    return {slot: None}


class ValidateEligibilityForm(FormValidationAction):
    def name(self) -> str:
        return "validate_eligibility_form"

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> list[str]:
        slots = list(RIGHT_QUESTIONS.get(tracker.get_slot("right_checked"), []))
        ages = tracker.get_slot("household_ages")
        if isinstance(ages, list) and len(ages) == 1 and "couple" in slots:
            slots.remove("couple")
        status = tracker.get_slot("housing_status")
        if status not in (None, "locataire") and "housing_aid_amount" in slots:
            slots.remove("housing_aid_amount")
        return slots

    def validate_household_ages(self, value: Any, dispatcher: CollectingDispatcher,
                                tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        result = _answer(dispatcher, tracker, "household_ages", value, parse_ages)
        if result["household_ages"] and len(result["household_ages"]) == 1:
            result["couple"] = False
        return result

    def validate_couple(self, value: Any, dispatcher: CollectingDispatcher,
                        tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        return _answer(dispatcher, tracker, "couple", value, parse_yes_no)

    def validate_disability(self, value: Any, dispatcher: CollectingDispatcher,
                            tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        return _answer(dispatcher, tracker, "disability", value, parse_yes_no)

    def validate_rsa_amount(self, value: Any, dispatcher: CollectingDispatcher,
                            tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        return _answer(dispatcher, tracker, "rsa_amount", value,
                       lambda text: _yes_no_or_amount(text, parse_monthly_amount))

    def validate_other_resources(self, value: Any, dispatcher: CollectingDispatcher,
                                 tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        return _answer(dispatcher, tracker, "other_resources", value, parse_monthly_amount)

    def validate_housing_status(self, value: Any, dispatcher: CollectingDispatcher,
                                tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        result = _answer(dispatcher, tracker, "housing_status", value, parse_housing_status)
        if result["housing_status"] not in (None, "locataire"):
            result["housing_aid_amount"] = 0.0
        return result

    def validate_housing_aid_amount(self, value: Any, dispatcher: CollectingDispatcher,
                                    tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        return _answer(dispatcher, tracker, "housing_aid_amount", value,
                       lambda text: _yes_no_or_amount(text, parse_monthly_amount))

    def validate_rfr_n2(self, value: Any, dispatcher: CollectingDispatcher,
                        tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        return _answer(dispatcher, tracker, "rfr_n2", value, parse_yearly_amount)

    def validate_family_benefits(self, value: Any, dispatcher: CollectingDispatcher,
                                 tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        return _answer(dispatcher, tracker, "family_benefits", value,
                       lambda text: _yes_no_or_amount(text, parse_monthly_amount))


def answers_from(tracker: Tracker) -> Answers:
    def amount(slot: str) -> float:
        return float(tracker.get_slot(slot) or 0)

    rfr = tracker.get_slot("rfr_n2")
    return Answers(
        ages=list(tracker.get_slot("household_ages")),
        couple=bool(tracker.get_slot("couple")),
        rsa=amount("rsa_amount"),
        other_resources=amount("other_resources"),
        housing_status=tracker.get_slot("housing_status"),
        housing_aid=amount("housing_aid_amount"),
        disability=bool(tracker.get_slot("disability")),
        rfr_n2=None if rfr is None else float(rfr),
        family_benefits=amount("family_benefits"),
    )


class ActionEligibilityResult(Action):
    """Computes the right checked, shows each result with its calculation, suggests others."""

    def name(self) -> str:
        return "action_eligibility_result"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[dict[str, Any]]:
        right = tracker.get_slot("right_checked")
        checked = household(answers_from(tracker), right)
        forget = [SlotSet(s, None) for s in ANSWER_SLOTS if s not in HOUSEHOLD_SLOTS]
        forget.append(SlotSet("right_checked", None))
        try:
            results = await evaluate(checked.request, RIGHTS_COMPUTED[right], commune_insee())
            shown = [results[r] for r in RIGHTS_COMPUTED[right]]
        except (EligibilityUnavailable, KeyError):
            for response in ("utter_eligibility_unavailable", "utter_ask_human_places",
                             "utter_ask_human_confirm_place"):
                dispatcher.utter_message(response=response)
            return forget

        main, *more = shown
        dispatcher.utter_message(response="utter_eligibility_summary", summary=main["summary"])
        if right == "css" and checked.left_out:
            dispatcher.utter_message(response="utter_css_household_left_out")
        dispatcher.utter_message(response="utter_eligibility_calculation",
                                 steps=explanation(main))
        for result in more:  # the tariff band: its summary; its steps repeat the QF's
            dispatcher.utter_message(response="utter_eligibility_summary",
                                     summary=result["summary"])
        if right == "css" and main["status"] == "not_eligible":
            dispatcher.utter_message(response="utter_css_suggest_mutuelle")
        buttons = [RIGHT_BUTTONS[r] for r in main.get("also_check", []) if r in RIGHT_BUTTONS]
        if buttons:
            dispatcher.utter_message(
                response="utter_also_check",
                buttons=[{"title": title, "payload": payload} for title, payload in buttons],
            )
        return forget
