"""The eligibility questionnaire: short questions, each answer checked, then the calculation.

One form serves every right the resident can check here (CSS, social housing, quotient
familial); ``RIGHT_QUESTIONS`` says which questions each one needs, and questions already
answered in the conversation (household ages, couple) are not asked again. Each answer is
read by bot.language.answers; one that cannot be read is asked again with an example, and
"je ne sais pas" gets "une estimation suffit". A resident going back on an earlier answer
("non en fait on est 3", "corriger") gets that question again, then the form goes on. The
result comes from the eligibility service with every step of its calculation; when the
service is down the resident is told so and offered a person, never a made-up answer.
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
from actions.suggestions import (
    CHECKED_TOPICS,
    SERVICE_RIGHTS,
    already_received,
    buttons,
    discussed_topics,
    pointed_by_answers,
    suggestions,
)
from bot.language.answers import (
    is_dont_know,
    parse_ages,
    parse_correction,
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
# Answers deduced from another one (one age: not a couple; not a tenant: no housing aid),
# cleared with it when the resident corrects it.
DEDUCED_FROM = {"household_ages": ["couple"], "housing_status": ["housing_aid_amount"]}
# Kept for the rest of the conversation, so another check does not ask them again.
HOUSEHOLD_SLOTS = {"household_ages", "couple"}
ANSWER_SLOTS = sorted({slot for slots in RIGHT_QUESTIONS.values() for slot in slots})

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


def _correction(dispatcher: CollectingDispatcher, tracker: Tracker, slot: str,
                text: str) -> dict[str, Any] | None:
    """Slots to clear when ``text`` goes back on an answer given before ``slot``, or None
    when it does not (an answer to the current question is read as an answer).

    The answer named ("on est 3" → the ages) is asked again; when none is named, the one
    just before. With nothing answered before, the current question is asked again.
    """
    correction = parse_correction(text)
    if correction is None:
        return None
    questions = RIGHT_QUESTIONS.get(tracker.get_slot("right_checked"), [])
    earlier = questions[:questions.index(slot)] if slot in questions else []
    answered = [q for q in earlier if tracker.get_slot(q) is not None]
    if correction.question in answered:
        target = correction.question
    elif correction.question in questions:
        return None  # the current question, or one still to come: read it as an answer
    elif answered:
        target = answered[-1]
    else:
        dispatcher.utter_message(response="utter_questionnaire_correct_again")
        return {slot: None}
    dispatcher.utter_message(response="utter_questionnaire_corrected")
    cleared = [target, *DEDUCED_FROM.get(target, []), slot]
    return {name: None for name in cleared}


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
    corrected = _correction(dispatcher, tracker, slot, text)
    if corrected is not None:
        return corrected
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

    async def get_validation_events(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> list[dict[str, Any]]:
        """Validates the answer as rasa-sdk does, and forgets what was typed to a question this
        questionnaire no longer asks: a button of another questionnaire pressed in the middle
        of this one ("Oui, vérifier" for social housing while the CSS asked the housing aid)
        changes the right checked, and rasa-sdk would leave the button's text in the slot of
        the question it interrupted, unread, to be taken for an amount by the calculation."""
        events = await super().get_validation_events(dispatcher, tracker, domain)
        asked = await self.required_slots(self.domain_slots(domain), dispatcher, tracker, domain)
        return events + [SlotSet(name, None) for name in tracker.slots_to_validate()
                         if name in ANSWER_SLOTS and name not in asked]

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
    """Computes the right checked, shows each result with its calculation, then suggests the
    other rights the result and the answers point to (actions/suggestions.py)."""

    def name(self) -> str:
        return "action_eligibility_result"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[dict[str, Any]]:
        right = tracker.get_slot("right_checked")
        checked = household(answers_from(tracker), right)
        forget = [SlotSet(s, None) for s in ANSWER_SLOTS if s not in HOUSEHOLD_SLOTS]
        forget.append(SlotSet("right_checked", None))
        # Kept for a request that may follow (actions/requests.py pre-fills it from these).
        forget.append(SlotSet("eligibility_answers", {
            "right": right, **{s: tracker.get_slot(s) for s in ANSWER_SLOTS}}))
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
        discussed = discussed_topics(tracker)
        if right == "css" and main["status"] == "not_eligible":
            dispatcher.utter_message(response="utter_css_suggest_mutuelle")
            discussed.add("mutuelle_communale")  # its button was just given
        answers = {slot: tracker.get_slot(slot) for slot in ANSWER_SLOTS}
        also = [SERVICE_RIGHTS[r] for r in main.get("also_check", []) if r in SERVICE_RIGHTS]
        chosen = suggestions(CHECKED_TOPICS[right], pointed=also + pointed_by_answers(answers),
                             discussed=discussed, received=already_received(answers),
                             usual=False)
        if chosen:
            dispatcher.utter_message(response="utter_also_check", buttons=buttons(chosen))
        return forget
