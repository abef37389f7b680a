"""The request conversation: one question per message, a summary to confirm, then the PDF.

``bot.dossiers.dialogue`` decides what to ask and reads the answers; these actions only turn
that into Rasa events and responses, and keep the answers where they belong: in the gateway's
encrypted store (``actions.dossier_client``), never in slots. One form, ``request_form``, with
one slot, ``request_answer``, serves every request: its question changes with the field asked.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.dossier_client import GatewayUnavailable, call
from actions.questionnaire import INTERRUPTION_ANSWERS, INTERRUPTION_MIN_CONFIDENCE
from bot.dossiers.answers import AnswerError
from bot.dossiers.dialogue import (
    HOUSEHOLD_FIELD,
    REQUEST_CHOICES,
    Question,
    field_of,
    looks_like_question,
    next_question,
    prefill,
    read_answer,
)
from bot.dossiers.forms import TO_CONFIRM, load_requests
from bot.dossiers.household import counts_for_css
from commune import CommuneFileError, load_commune

TEXT_TYPES = ("text", "text_long")
# Rights the eligibility questionnaire checks for which a request can follow at once.
OFFER_AFTER_CHECK = ("css", "logement_social")


def _current_question(dossier: dict[str, Any], tracker: Tracker) -> Question | None:
    """The field being corrected, else the next one the request needs."""
    answers = dossier["answers"]
    fixing = tracker.get_slot("request_fixing")
    if fixing == HOUSEHOLD_FIELD:
        size = tracker.get_slot("request_household_size")
        people = answers.get(HOUSEHOLD_FIELD) or []
        if size is None:
            return Question("household_size")
        field = field_of(dossier["right"], dossier["variant"], HOUSEHOLD_FIELD)
        if len(people) < size - 1:
            return Question("person", field, number=len(people) + 2)
    elif fixing:
        field = field_of(dossier["right"], dossier["variant"], fixing)
        if field is not None:
            return Question("field", field)
    return next_question(dossier["right"], dossier["variant"], answers,
                         tracker.get_slot("request_household_size"))


async def _dossier(tracker: Tracker) -> dict[str, Any] | None:
    dossier_id = tracker.get_slot("request_dossier_id")
    if not dossier_id:
        return None
    return (await call("dossiers/get", tracker.sender_id, dossier_id=dossier_id))["dossier"]


def _unavailable(dispatcher: CollectingDispatcher) -> list[dict[str, Any]]:
    dispatcher.utter_message(response="utter_request_unavailable")
    return []


class ActionOfferRequest(Action):
    """After an eligibility check: offer to prepare that request, pre-filled from its answers."""

    def name(self) -> str:
        return "action_offer_request"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[dict[str, Any]]:
        right = (tracker.get_slot("eligibility_answers") or {}).get("right")
        if right in OFFER_AFTER_CHECK:
            title = load_requests()[right].title
            dispatcher.utter_message(response="utter_request_offer", buttons=[{
                "title": title, "payload": f'/request_start{{"request_right": "{right}"}}'}])
        return []


class ActionRequestOpen(Action):
    """Opens (or finds again) the dossier of the request chosen, pre-fills it, starts the form."""

    def name(self) -> str:
        return "action_request_open"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[dict[str, Any]]:
        choice = REQUEST_CHOICES.get(tracker.get_slot("request_right") or "")
        if choice is None:
            dispatcher.utter_message(response="utter_request_choose")
            return []
        right, variant = choice
        try:
            opened = await call("dossiers/open", tracker.sender_id, right=right, variant=variant)
            dossier = opened["dossier"]
            found, size = prefill(right, variant, tracker.get_slot("eligibility_answers"),
                                  dossier["answers"])
            if found:
                dossier = (await call("dossiers/answers", tracker.sender_id,
                                      dossier_id=dossier["id"], answers=found))["dossier"]
        except GatewayUnavailable:
            return _unavailable(dispatcher)
        dispatcher.utter_message(
            response="utter_request_start" if opened["created"] else "utter_request_resumed")
        return [SlotSet("request_dossier_id", dossier["id"]),
                SlotSet("request_household_size", size),
                SlotSet("request_fixing", None), SlotSet("request_right", None),
                FollowupAction("request_form")]


class ActionRequestResume(Action):
    """"Reprendre ma demande": the request in progress last touched, where it was left."""

    def name(self) -> str:
        return "action_request_resume"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[dict[str, Any]]:
        try:
            dossier = (await call("dossiers/current", tracker.sender_id))["dossier"]
        except GatewayUnavailable:
            return _unavailable(dispatcher)
        if dossier is None:
            dispatcher.utter_message(response="utter_request_none")
            dispatcher.utter_message(response="utter_request_choose")
            return []
        dispatcher.utter_message(response="utter_request_resumed")
        events: list[dict[str, Any]] = [SlotSet("request_fixing", None)]
        if dossier["id"] != tracker.get_slot("request_dossier_id"):
            events += [SlotSet("request_dossier_id", dossier["id"]),
                       SlotSet("request_household_size", None)]
        return [*events, FollowupAction("request_form")]


class ActionAskRequestAnswer(Action):
    """Asks the question of the field the request needs next (one message, buttons if closed)."""

    def name(self) -> str:
        return "action_ask_request_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[dict[str, Any]]:
        try:
            dossier = await _dossier(tracker)
        except GatewayUnavailable:
            return _unavailable(dispatcher)
        question = _current_question(dossier, tracker) if dossier else None
        if question is None:
            return []
        if question.kind == "household_size":
            dispatcher.utter_message(
                response=f"utter_request_ask_household_size_{dossier['right']}")
        elif question.kind == "person":
            dispatcher.utter_message(response="utter_request_ask_person",
                                     number=question.number)
        else:
            dispatcher.utter_message(response=f"utter_request_ask_{question.field.id}")
        return []


class ValidateRequestForm(FormValidationAction):
    """Reads the answer to the question asked, stores it, and moves to the next question.

    A question typed instead of an answer is never stored: it gets its short answer (or "I
    will answer at the end") and the same question again.
    """

    def name(self) -> str:
        return "validate_request_form"

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> list[str]:
        try:
            dossier = await _dossier(tracker)
        except GatewayUnavailable:
            return []
        if dossier is None or _current_question(dossier, tracker) is None:
            return []
        return ["request_answer"]

    async def validate_request_answer(self, value: Any, dispatcher: CollectingDispatcher,
                                      tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        try:
            dossier = await _dossier(tracker)
        except GatewayUnavailable:
            _unavailable(dispatcher)
            return {"request_answer": None}
        question = _current_question(dossier, tracker) if dossier else None
        if question is None or not isinstance(value, str):
            return {"request_answer": None}
        if question.kind == "field" and question.field.type in TEXT_TYPES \
                and looks_like_question(value):
            _answer_interruption(dispatcher, tracker)
            return {"request_answer": None}
        try:
            read = read_answer(question, value)
        except AnswerError as error:
            if not _answer_interruption(dispatcher, tracker, only_if_known=True):
                dispatcher.utter_message(response=f"utter_request_invalid_{error.code}")
            return {"request_answer": None}
        slots: dict[str, Any] = {"request_answer": None}
        answers: dict[str, Any] = {}
        fixing = tracker.get_slot("request_fixing")
        if "foyer_size" in read:
            slots["request_household_size"] = read["foyer_size"]
            if fixing == HOUSEHOLD_FIELD:  # a new size: the members are asked again
                answers[HOUSEHOLD_FIELD] = None
        elif "household_complete" in read:  # "c'est tout": the household is those listed
            size = len(dossier["answers"].get(HOUSEHOLD_FIELD) or []) + 1
            slots["request_household_size"] = size
            if "nombre_personnes" in dossier["answers"]:
                answers["nombre_personnes"] = size
        elif "person" in read:
            listed = dossier["answers"].get(HOUSEHOLD_FIELD) or []
            if not _counts(dossier, read["person"], listed):
                # Not stored; the same question comes again ("c'est tout" if no one else).
                dispatcher.utter_message(response="utter_request_person_not_in_css_household")
                return slots
            answers[HOUSEHOLD_FIELD] = [*listed, read["person"]]
        else:
            answers.update(read)
            if question.field.id == "nombre_personnes":
                slots["request_household_size"] = read["nombre_personnes"]
        if _correction_done(fixing, read, answers, slots, tracker):
            slots["request_fixing"] = None
        if answers:
            try:
                await call("dossiers/answers", tracker.sender_id, dossier_id=dossier["id"],
                           answers=answers)
            except GatewayUnavailable:
                _unavailable(dispatcher)
        return slots


def _counts(dossier: dict[str, Any], person: dict[str, Any],
            listed: list[dict[str, Any]]) -> bool:
    """The CSS household leaves out whoever is 25 or more and not the partner."""
    if dossier["right"] != "css":
        return True
    couple = dossier["answers"].get("situation_familiale") == "en couple"
    return counts_for_css(person, listed, couple)


def _correction_done(fixing: str | None, read: dict[str, Any], answers: dict[str, Any],
                     slots: dict[str, Any], tracker: Tracker) -> bool:
    """A corrected field is one answer; a corrected household, its size then every member."""
    if not fixing:
        return False
    if fixing != HOUSEHOLD_FIELD:
        return True
    size = slots.get("request_household_size") or tracker.get_slot("request_household_size")
    if "foyer_size" in read:
        return read["foyer_size"] <= 1
    if "household_complete" in read:
        return True
    return "person" in read and len(answers[HOUSEHOLD_FIELD]) >= (size or 1) - 1


def _answer_interruption(dispatcher: CollectingDispatcher, tracker: Tracker,
                         only_if_known: bool = False) -> bool:
    """A short answer to a question on a known topic, or a promise to answer at the end."""
    intent = tracker.latest_message.get("intent") or {}
    answers = INTERRUPTION_ANSWERS.get(intent.get("name"))
    if answers and (intent.get("confidence") or 0) >= INTERRUPTION_MIN_CONFIDENCE:
        for response in answers:
            dispatcher.utter_message(response=response)
        dispatcher.utter_message(response="utter_questionnaire_resume")
        return True
    if only_if_known:
        return False
    dispatcher.utter_message(response="utter_request_question_later")
    return True


class ActionRequestSummary(Action):
    """Every answer in the form's order, to confirm or correct, before the PDF."""

    def name(self) -> str:
        return "action_request_summary"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[dict[str, Any]]:
        try:
            dossier = await _dossier(tracker)
            if dossier is None:
                return []
            await call("dossiers/status", tracker.sender_id, dossier_id=dossier["id"],
                       status="a_confirmer")
        except GatewayUnavailable:
            return _unavailable(dispatcher)
        lines = "\n".join(f"{label} : {value}" for label, value in dossier["summary"])
        dispatcher.utter_message(response="utter_request_summary_intro")
        dispatcher.utter_message(response="utter_request_summary", summary=lines)
        return [SlotSet("request_fixing", None)]


class ActionRequestChooseField(Action):
    """"Corriger": the answers given so far, as buttons; the one chosen is asked again."""

    def name(self) -> str:
        return "action_request_choose_field"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[dict[str, Any]]:
        try:
            dossier = await _dossier(tracker)
        except GatewayUnavailable:
            return _unavailable(dispatcher)
        if dossier is None:
            dispatcher.utter_message(response="utter_request_none")
            return []
        definition = load_requests()[dossier["right"]]
        buttons = [{"title": item.label,
                    "payload": f'/request_correct_field{{"request_field": "{item.id}"}}'}
                   for item in definition.fields_for(dossier["variant"])
                   if item.id in dossier["answers"]]
        dispatcher.utter_message(response="utter_request_which_field", buttons=buttons)
        return []


class ActionRequestFix(Action):
    """The field chosen to correct is asked again, then the summary comes back."""

    def name(self) -> str:
        return "action_request_fix"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[dict[str, Any]]:
        field_id = tracker.get_slot("request_field")
        events: list[dict[str, Any]] = [SlotSet("request_field", None)]
        if field_id == HOUSEHOLD_FIELD:
            events.append(SlotSet("request_household_size", None))
        return [*events, SlotSet("request_fixing", field_id), FollowupAction("request_form")]


def _checklist(right: str, variant: str | None) -> tuple[str, str]:
    """(documents, where to submit) as lines; addresses and hours only from the commune file."""
    definition = load_requests()[right]
    documents = "\n".join(f"• {d.label}" for d in definition.documents_for(variant))
    try:
        commune = load_commune()
    except CommuneFileError:
        commune = {}
    places = []
    for option in definition.where_to_submit(commune):
        detail = option.url or option.address or TO_CONFIRM
        hours = f" ({option.hours})" if option.hours and option.hours != TO_CONFIRM else ""
        places.append(f"• {option.label} : {detail}{hours}")
    return documents, "\n".join(places)


class ActionRequestDeliver(Action):
    """The confirmed request as a PDF in the chat, then the documents and where to submit."""

    def name(self) -> str:
        return "action_request_deliver"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[dict[str, Any]]:
        try:
            dossier = await _dossier(tracker)
            if dossier is None:
                dispatcher.utter_message(response="utter_request_none")
                return []
            sent = await call("dossiers/deliver", tracker.sender_id, dossier_id=dossier["id"])
        except GatewayUnavailable:
            dispatcher.utter_message(response="utter_request_pdf_failed")
            return []
        code = dossier["code"]
        if sent["delivery"] == "link":
            dispatcher.utter_message(response="utter_request_pdf_link", code=code,
                                     link=sent["link"])
        elif sent["delivery"] == "sent":
            dispatcher.utter_message(response="utter_request_pdf_sent", code=code)
        else:
            dispatcher.utter_message(response="utter_request_pdf_failed")
            return []
        documents, where = _checklist(dossier["right"], dossier["variant"])
        dispatcher.utter_message(response="utter_request_documents", documents=documents)
        dispatcher.utter_message(response="utter_request_where", where=where)
        return [SlotSet("request_dossier_id", None), SlotSet("request_household_size", None)]


class ActionEraseMyData(Action):
    """"Supprimer mes données", confirmed: the gateway erases once this turn is answered."""

    def name(self) -> str:
        return "action_erase_my_data"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[dict[str, Any]]:
        try:
            await call("erasures", tracker.sender_id)
        except GatewayUnavailable:
            dispatcher.utter_message(response="utter_erasure_unavailable")
            dispatcher.utter_message(response="utter_delete_my_data_how")
            return []
        dispatcher.utter_message(response="utter_erasure_started")
        return [ActiveLoop(None), SlotSet("request_dossier_id", None)]
