"""The request actions' own logic, with the gateway's dossier API played by a dictionary."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

import actions.requests as requests_actions
from bot.dossiers.service import summary
from bot.store.dossiers import Dossier


class FakeGateway:
    """The answers of one CSS dossier, as the gateway would keep them."""

    def __init__(self, answers: dict[str, Any]):
        self.answers = dict(answers)
        self.calls: list[str] = []

    async def __call__(self, path: str, conversation: str, **body: Any) -> dict[str, Any]:
        self.calls.append(path)
        if path == "dossiers/answers":
            for key, value in body["answers"].items():
                if value is None:
                    self.answers.pop(key, None)
                else:
                    self.answers[key] = value
        return {"dossier": self.dossier()}

    def dossier(self) -> dict[str, Any]:
        d = Dossier("d1", "c" * 32, "D-ABCDEF", "css", None, "en_cours", dict(self.answers), {},
                    datetime(2026, 11, 1), datetime(2026, 11, 1))
        return {"id": "d1", "code": d.code, "right": "css", "variant": None,
                "status": "en_cours", "answers": d.answers,
                "summary": [list(line) for line in summary(d)]}


def tracker(text: str, intent: str = "nlu_fallback", confidence: float = 0.9,
            **slots: Any) -> Tracker:
    return Tracker("c" * 32, {"request_dossier_id": "d1", **slots},
                   {"text": text, "intent": {"name": intent, "confidence": confidence}},
                   [], False, None, {"name": "request_form"}, "action_listen")


@pytest.fixture
def gateway(monkeypatch) -> FakeGateway:
    fake = FakeGateway({"nom": "Diallo", "prenom": "Amina", "date_naissance": "1986-04-17",
                        "numero_securite_sociale": "2 86 04 93 055 123 02"})
    monkeypatch.setattr(requests_actions, "call", fake)
    return fake


def validate(text: str, **kwargs: Any) -> tuple[dict, list[str]]:
    dispatcher = CollectingDispatcher()
    result = asyncio.run(requests_actions.ValidateRequestForm().validate_request_answer(
        text, dispatcher, tracker(text, **kwargs), {}))
    return result, [m["response"] for m in dispatcher.messages]


def test_a_question_typed_instead_of_the_address_is_answered_and_not_stored(gateway):
    result, said = validate("c'est quoi la CSS ?", intent="css")
    assert said == ["utter_css_what", "utter_questionnaire_resume"]
    assert "adresse" not in gateway.answers and result == {"request_answer": None}


def test_a_question_on_no_known_topic_is_kept_for_the_end(gateway):
    result, said = validate("pourquoi vous voulez mon adresse", intent="nlu_fallback")
    assert said == ["utter_request_question_later"] and "adresse" not in gateway.answers


def test_the_address_is_stored_then_the_next_question_comes(gateway):
    validate("8 rue Hoche, 93500 Pantin")
    assert gateway.answers["adresse"] == "8 rue Hoche, 93500 Pantin"


def test_a_date_that_cannot_be_read_is_asked_again_with_an_example(gateway):
    gateway.answers.pop("date_naissance")
    _, said = validate("l'an dernier")
    assert said == ["utter_request_invalid_date_invalide"]
    assert "date_naissance" not in gateway.answers


def test_a_social_security_number_with_a_wrong_key_is_asked_again(gateway):
    gateway.answers.pop("numero_securite_sociale")
    result, said = validate("2 86 04 93 055 123 45")
    assert said == ["utter_request_invalid_nir_cle_invalide"]
    assert "numero_securite_sociale" not in gateway.answers
    _, said = validate("2 86 04 93 055")
    assert said == ["utter_request_invalid_nir_invalide"]
    _, said = validate("2.86.04.93.055.123.02")
    assert said == [] and gateway.answers["numero_securite_sociale"] == "2 86 04 93 055 123 02"


def test_the_css_household_leaves_out_a_lodged_parent_and_a_child_of_25_or_more(gateway):
    gateway.answers.update(adresse="8 rue Hoche, 93500 Pantin", situation_familiale="en couple")
    # Three people counted: the resident, her partner and their daughter of 23.
    result, said = validate("Ibrahim Diallo, 02/05/1984", request_household_size=3)
    assert said == [] and gateway.answers["foyer"][0]["prenom"] == "Ibrahim"  # the partner
    for lodged in ("Mariam Diallo, 01/01/1950, mère", "Moussa Diallo, 01/01/1995, fils"):
        result, said = validate(lodged, request_household_size=3)
        assert said == ["utter_request_person_not_in_css_household"]
        assert result == {"request_answer": None}  # not stored, the same question again
    result, said = validate("Awa Diallo, 12/03/2003, fille", request_household_size=3)
    assert said == []  # 23: a dependant
    assert [p["prenom"] for p in gateway.answers["foyer"]] == ["Ibrahim", "Awa"]


def test_c_est_tout_ends_the_household_with_the_people_listed(gateway):
    gateway.answers.update(adresse="8 rue Hoche, 93500 Pantin", situation_familiale="seul(e)",
                           foyer=[{"prenom": "Awa", "date_naissance": "2015-03-12"}])
    # She counted her mother in the size; the mother is refused, and there is no one else.
    _, said = validate("Mariam Diallo, 01/01/1950, mère", request_household_size=3)
    assert said == ["utter_request_person_not_in_css_household"]
    result, said = validate("C'est tout", request_household_size=3)
    assert said == [] and result["request_household_size"] == 2
    result, _ = validate("c'est tout", request_fixing="foyer", request_household_size=3)
    assert result["request_fixing"] is None  # a correction of the household ends there too
    assert [p["prenom"] for p in gateway.answers["foyer"]] == ["Awa"]


def test_correcting_the_household_asks_its_size_then_each_member_again(gateway):
    gateway.answers["foyer"] = [{"prenom": "Old", "date_naissance": "2010-01-01"}]
    result, _ = validate("3", request_fixing="foyer", request_household_size=None)
    assert result["request_household_size"] == 3 and "foyer" not in gateway.answers
    assert "request_fixing" not in result  # the members come next
    result, _ = validate("Moussa Diallo, 12/03/2015, fils", request_fixing="foyer",
                         request_household_size=3)
    assert "request_fixing" not in result
    result, _ = validate("Awa Diallo, 01/02/2018, fille", request_fixing="foyer",
                         request_household_size=3)
    assert result["request_fixing"] is None
    assert [p["prenom"] for p in gateway.answers["foyer"]] == ["Moussa", "Awa"]


def test_the_summary_lists_every_answer_with_buttons_to_confirm_or_correct(gateway):
    dispatcher = CollectingDispatcher()
    asyncio.run(requests_actions.ActionRequestSummary().run(dispatcher, tracker("x"), {}))
    assert [m["response"] for m in dispatcher.messages] == [
        "utter_request_summary_intro", "utter_request_summary"]
    assert "Nom : Diallo" in dispatcher.messages[1]["summary"]
    assert "dossiers/status" in gateway.calls
