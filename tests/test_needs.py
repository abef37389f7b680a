"""The words that show a flow needs a person, and the ones that must not (actions/needs.py)."""

from __future__ import annotations

import pytest

from actions.needs import detect_need, recent_need

NEEDS = {
    "cannot_write": [
        "Je ne sais pas écrire", "je sais pas lire", "jsp ecrire", "Je ne sais ni lire ni écrire",
        "je parle pas bien le français", "je ne comprends pas bien le francais",
        "c'est ma fille qui écrit pour moi", "je suis malvoyante",
        "je ne sais pas utiliser internet", "j'arrive pas à remplir",
    ],
    "no_documents": [
        "je n'ai pas mes papiers", "j'ai perdu mes papiers", "J'ai pas d'avis d'imposition",
        "je n'ai plus ma carte d'identité", "on m'a volé mon passeport",
        "je ne trouve plus mes fiches de paie", "mon titre de séjour est périmé",
        "je n'ai aucun justificatif",
    ],
    "complex_case": [
        "c'est trop compliqué", "ma situation est compliquée", "c'est un cas particulier",
        "j'ai plusieurs problèmes en même temps", "je suis perdue dans mes démarches",
        "mon dossier est bloqué",
    ],
}
NOT_NEEDS = [
    "je ne sais pas", "jsp", "34, 8, 5", "non", "1200 euros", "je n'ai pas de voiture",
    "j'ai pas d'enfants", "je ne sais pas encore", "je suis locataire", "/ask_human",
    "je veux parler à quelqu'un", "bonjour", "je n'ai pas de revenus", "c'est simple",
]


@pytest.mark.parametrize(("need", "text"), [(n, t) for n, texts in NEEDS.items() for t in texts])
def test_a_need_a_chat_cannot_meet_is_recognised(need, text):
    assert detect_need(text) == need


@pytest.mark.parametrize("text", NOT_NEEDS)
def test_an_ordinary_answer_is_not_a_need(text):
    assert detect_need(text) is None


def test_the_need_written_before_pressing_the_button_is_kept():
    events = [{"event": "user", "text": "je ne sais pas lire"},
              {"event": "bot", "text": "…"},
              {"event": "user", "text": "/ask_human"}]
    assert recent_need(events) == "cannot_write"
    older = [{"event": "user", "text": "c'est compliqué"}] + [
        {"event": "user", "text": "bonjour"}] * 3
    assert recent_need(older) is None  # too long ago to be why they ask now


def test_a_questionnaire_answer_that_shows_a_need_offers_a_person_and_asks_again():
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from actions.questionnaire import ValidateEligibilityForm

    tracker = Tracker("r", {"requested_slot": "rfr_n2"}, {"text": "x", "intent": {}}, [], False,
                      None, {"name": "eligibility_form"}, "action_listen")
    dispatcher = CollectingDispatcher()
    result = ValidateEligibilityForm().validate_rfr_n2(
        "je n'ai pas mon avis d'imposition", dispatcher, tracker, {})
    assert result == {"rfr_n2": None}  # asked again after the offer
    assert [m["response"] for m in dispatcher.messages] == ["utter_need_person_offer"]
