"""The questionnaire's answers as a resident types them: read, asked again, or corrected.

Rasa's test stories do not call the action server, so what the form does with an answer is
tested here, on the real validation action with a real tracker and dispatcher.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.questionnaire import ValidateEligibilityForm
from bot.language.answers import Correction, parse_correction
from tests.processes import REPO_ROOT

DOMAIN = yaml.safe_load((REPO_ROOT / "domain.yml").read_text(encoding="utf-8"))
FORM_SLOTS = DOMAIN["forms"]["eligibility_form"]["required_slots"]


def answer(text: str, right: str, asked: str, known: dict[str, Any] | None = None,
           intent: str = "out_of_scope", confidence: float = 0.4
           ) -> tuple[dict[str, Any], list[str]]:
    """The resident answers ``text`` to question ``asked``; returns the slots the form sets
    and the responses the bot says."""
    slots = {name: None for name in FORM_SLOTS} | (known or {})
    slots |= {"right_checked": right, "requested_slot": asked}
    tracker = Tracker(
        sender_id="resident",
        slots=slots,
        latest_message={"text": text, "intent": {"name": intent, "confidence": confidence}},
        events=[{"event": "user", "text": text}, {"event": "slot", "name": asked, "value": text}],
        paused=False,
        followup_action=None,
        active_loop={"name": "eligibility_form"},
        latest_action_name="action_listen",
    )
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ValidateEligibilityForm().run(dispatcher, tracker, DOMAIN))
    return ({e["name"]: e["value"] for e in events if e["event"] == "slot"},
            [m["response"] for m in dispatcher.messages])


CSS_SO_FAR = {"household_ages": [34, 8, 5], "couple": True, "rsa_amount": 0.0}


def test_a_readable_answer_is_kept_and_the_next_question_follows():
    slots, said = answer("1 100 €", "css", "other_resources", CSS_SO_FAR)
    assert slots["other_resources"] == 1100.0
    assert slots["requested_slot"] == "housing_status"
    assert said == []


def test_non_en_fait_on_est_3_asks_the_household_again():
    slots, said = answer("non en fait on est 3", "css", "other_resources", CSS_SO_FAR)
    assert said == ["utter_questionnaire_corrected"]
    assert slots["household_ages"] is None and slots["couple"] is None
    assert slots["requested_slot"] == "household_ages"
    assert slots["other_resources"] is None


def test_corriger_alone_asks_the_previous_question_again():
    slots, said = answer("corriger", "css", "other_resources", CSS_SO_FAR)
    assert said == ["utter_questionnaire_corrected"]
    assert slots["rsa_amount"] is None
    assert slots["requested_slot"] == "rsa_amount"
    assert "household_ages" not in slots  # the ages stay as they were


def test_a_mistake_on_the_housing_asks_the_housing_again():
    known = CSS_SO_FAR | {"other_resources": 900.0, "housing_status": "locataire"}
    slots, said = answer("je me suis trompée pour le logement", "css", "housing_aid_amount",
                         known)
    assert said == ["utter_questionnaire_corrected"]
    assert slots["housing_status"] is None and slots["housing_aid_amount"] is None
    assert slots["requested_slot"] == "housing_status"


def test_a_correction_of_the_current_question_is_read_as_its_answer():
    slots, said = answer("en fait mon salaire c'est 1200", "css", "other_resources", CSS_SO_FAR)
    assert slots["other_resources"] == 1200.0
    assert said == []


def test_corriger_at_the_first_question_asks_it_again():
    slots, said = answer("je me suis trompé", "css", "household_ages")
    assert said == ["utter_questionnaire_correct_again"]
    assert slots["requested_slot"] == "household_ages"


def test_je_sais_pas_gets_an_estimate_is_enough_and_the_question_again():
    slots, said = answer("jsp", "logement_social", "rfr_n2",
                         {"household_ages": [40], "couple": False, "disability": False})
    assert said == ["utter_questionnaire_estimate_ok"]
    assert slots["requested_slot"] == "rfr_n2"


def test_an_unreadable_answer_is_asked_again_with_an_example():
    slots, said = answer("beaucoup", "css", "rsa_amount", {"household_ages": [30]})
    assert said == ["utter_questionnaire_unclear_rsa_amount"]
    assert slots["requested_slot"] == "rsa_amount"


def test_a_clear_question_on_another_topic_is_answered_then_the_form_resumes():
    slots, said = answer("c'est quoi le rsa", "css", "other_resources", CSS_SO_FAR,
                         intent="rsa", confidence=0.9)
    assert said == ["utter_rsa_what", "utter_questionnaire_resume"]
    assert slots["requested_slot"] == "other_resources"


@pytest.mark.parametrize(("text", "question"), [
    ("non en fait on est 3", "household_ages"),
    ("corriger", None),
    ("je me suis trompée de montant pour le rsa", "rsa_amount"),
    ("oups en fait je suis locataire", "housing_status"),
    ("Je voudrais corriger mes revenus", "other_resources"),
    ("finalement on est en couple", "couple"),
])
def test_corrections_are_recognised_with_the_answer_they_name(text, question):
    assert parse_correction(text) == Correction(question)


@pytest.mark.parametrize("text", ["en fait 1200", "oui", "34, 8 et 5", "locataire",
                                  "je ne sais pas", "plutôt 900"])
def test_plain_answers_are_not_corrections(text):
    assert parse_correction(text) is None


def test_a_button_of_another_questionnaire_leaves_no_answer_in_the_question_it_interrupted():
    """The CSS asked the housing aid; the resident pressed "Oui, vérifier" for social housing:
    the questionnaire goes on for social housing, and the button's text is no housing aid."""
    slots, _ = answer("/social_housing_check", "logement_social", "housing_aid_amount",
                      CSS_SO_FAR | {"other_resources": 900.0, "housing_status": "locataire"},
                      intent="social_housing_check", confidence=0.99)
    assert slots["housing_aid_amount"] is None
