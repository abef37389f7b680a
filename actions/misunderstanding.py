"""Rephrase first, then offer a person: nobody is stuck in a loop of "je n'ai pas compris".

A message the bot did not understand but that shows a need a chat cannot meet (the resident
cannot write, lacks the papers, has a complex case: ``actions/needs.py``) goes to a person at
once, with the reason ``flow``.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import hand_to_person
from actions.needs import detect_need

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
        need = detect_need(tracker.latest_message.get("text") or "")
        if need:  # "je ne sais pas lire": asking to rephrase would not help
            await hand_to_person(dispatcher, tracker, "flow", need)
        elif consecutive_misunderstandings(tracker.events) >= OFFER_PERSON_AFTER:
            dispatcher.utter_message(response="utter_misunderstood_twice")
            await hand_to_person(dispatcher, tracker, "misunderstood")
        else:
            dispatcher.utter_message(response="utter_default")
            dispatcher.utter_message(response="utter_default_topics")
        return []
