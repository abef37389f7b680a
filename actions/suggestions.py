"""Against non-take-up: after one right, the other rights the situation points to.

A resident who asks about one right often has others they do not claim (design.md: a CSS
request often means RSA, housing aid, social housing and food aid are worth checking). After
a right is explained, Relais offers buttons to the others: first those the resident's own
answers point to (a tenant without housing aid, a recognised disability, no RSA with low
resources), then those the topic usually goes with; never the right just explained, one the
resident already receives, or one already talked about in this conversation.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

# Each topic's button: what the resident reads, and the intent it starts.
BUTTONS = {
    "rsa": "RSA",
    "prime_activite": "Prime d'activité",
    "housing_aid": "Aide au logement",
    "social_housing_request": "Logement social",
    "food_aid": "Aide alimentaire",
    "css": "Complémentaire santé",
    "mutuelle_communale": "Mutuelle communale",
    "aah": "AAH (handicap)",
    "domiciliation": "Domiciliation",
    "quotient_familial": "Quotient familial",
}
# What a topic usually goes with, most telling first.
GOES_WITH = {
    "rsa": ["css", "housing_aid", "food_aid", "quotient_familial"],
    "prime_activite": ["css", "housing_aid", "quotient_familial"],
    "food_aid": ["css", "rsa", "housing_aid"],
    "housing_aid": ["social_housing_request", "css", "prime_activite"],
    "aah": ["css", "housing_aid", "social_housing_request"],
    "domiciliation": ["rsa", "css", "food_aid"],
    "eviction_prevention": ["housing_aid", "food_aid", "rsa"],
    "css": ["rsa", "housing_aid", "social_housing_request", "food_aid"],
    "social_housing_request": ["housing_aid", "css"],
    "quotient_familial": ["css", "prime_activite"],
}
# The eligibility service's right ids, as topics here.
SERVICE_RIGHTS = {
    "rsa": "rsa",
    "prime_activite": "prime_activite",
    "aide_logement": "housing_aid",
    "logement_social": "social_housing_request",
    "caisse_sociale_alimentaire": "food_aid",
    "mutuelle_communale": "mutuelle_communale",
    "css": "css",
    "quotient_familial": "quotient_familial",
}
# Topics of each questionnaire: the right checked is not suggested back.
CHECKED_TOPICS = {"css": "css", "logement_social": "social_housing_request",
                  "quotient_familial": "quotient_familial"}
MAX_SUGGESTIONS = 4


def pointed_by_answers(answers: dict[str, Any]) -> list[str]:
    """Topics the questionnaire's answers point to (None: not asked)."""
    topics = []
    if answers.get("disability") is True:
        topics.append("aah")
    if answers.get("housing_status") == "locataire" and answers.get("housing_aid_amount") == 0:
        topics.append("housing_aid")
    if answers.get("housing_status") == "sans_domicile":
        topics += ["domiciliation", "social_housing_request"]
    if answers.get("housing_status") == "heberge_gratuitement":
        topics.append("social_housing_request")
    return topics


def already_received(answers: dict[str, Any]) -> set[str]:
    """Topics the resident said they receive already."""
    received = set()
    if (answers.get("rsa_amount") or 0) > 0:
        received.add("rsa")
    if (answers.get("housing_aid_amount") or 0) > 0:
        received.add("housing_aid")
    return received


def suggestions(topic: str | None, *, pointed: list[str] = (), discussed: set[str] = frozenset(),
                received: set[str] = frozenset(), usual: bool = True) -> list[str]:
    """The topics to offer after ``topic``: pointed ones first, then (``usual``) what it
    usually goes with."""
    chosen: list[str] = []
    for candidate in [*pointed, *(GOES_WITH.get(topic or "", []) if usual else [])]:
        if candidate in chosen or candidate == topic or candidate in discussed | received:
            continue
        if candidate in BUTTONS:
            chosen.append(candidate)
    return chosen[:MAX_SUGGESTIONS]


def buttons(topics: list[str]) -> list[dict[str, str]]:
    return [{"title": BUTTONS[t], "payload": f"/{t}"} for t in topics]


# Topics raised in earlier Rasa sessions of the conversation: a new session (after an hour of
# silence, or bot/rasa_sessions.py's bound on a session's length) starts with this slot.
TOPICS_SLOT = "topics_discussed"


def topics_raised(events: list[dict[str, Any]]) -> set[str]:
    """The topics the resident raised in these events. Answers to a questionnaire ("650",
    "locataire") are not topics, whatever the NLU made of them: they are skipped."""
    topics: set[str] = set()
    in_form = False
    for event in events:
        if event.get("event") == "active_loop":
            in_form = event.get("name") is not None
        elif event.get("event") == "user" and not in_form:
            name = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            if name:
                topics.add(name)
    return topics


def discussed_topics(tracker: Tracker) -> set[str]:
    """Every topic the resident has raised in this conversation, in every session."""
    return set(tracker.get_slot(TOPICS_SLOT) or []) | topics_raised(tracker.events)


class ActionSuggestOtherRights(Action):
    """After a right is explained: buttons to the others the topic goes with."""

    def name(self) -> str:
        return "action_suggest_other_rights"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: DomainDict) -> list[dict[str, Any]]:
        topic = (tracker.latest_message.get("intent") or {}).get("name")
        chosen = suggestions(topic, discussed=discussed_topics(tracker))
        if chosen:
            dispatcher.utter_message(response="utter_also_check", buttons=buttons(chosen))
        return []
