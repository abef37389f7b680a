"""Rephrase first, then offer a person: nobody is stuck in a loop of "je n'ai pas compris"."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import hand_to_person

FALLBACK_INTENT = "nlu_fallback"
OFFER_PERSON_AFTER = 2


def consecutive_misunderstandings(events: list[dict[str, Any]]) -> int:
    """How many of the resident's last messages in a row were not understood."""
    count = 0
    for event in reversed(events):
        if event.get("event") != "user":
            continue
        intent = (event.get("parse_data") or {}).get("intent") or {}
        if intent.get("name") != FALLBACK_INTENT:
            break
        count += 1
    return count


class ActionHandleMisunderstanding(Action):
    def name(self) -> str:
        return "action_handle_misunderstanding"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        if consecutive_misunderstandings(tracker.events) >= OFFER_PERSON_AFTER:
            dispatcher.utter_message(response="utter_misunderstood_twice")
            await hand_to_person(dispatcher, tracker, "misunderstood")
        else:
            dispatcher.utter_message(response="utter_default")
            dispatcher.utter_message(response="utter_default_topics")
        return []
