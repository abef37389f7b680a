"""Where to be cared for: the CMP and the Maisons des adolescents, from the commune file.

A place is told with its address and phone only when the commune file marks them verified
(commune/pantin.yml); a place whose name or contact is not verified is never named: the bot
says that it exists and that the one for the resident's sector is "à confirmer auprès du
CCAS". Nothing is invented, and the town's team makes a place appear by verifying it.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.local_schemes import Message
from commune import CommuneFileError, load_commune, verified_value

CMP_KINDS = ("cmp_adulte", "cmp_enfant")
TEEN_KINDS = ("maison_des_adolescents",)


def place_contact(place: dict[str, Any]) -> dict[str, str] | None:
    """The place's verified name and contact ("address — phone — hours"), or None when its
    name, or both its address and its phone, are not verified."""
    name = verified_value(place.get("name"))
    address, phone, hours = (verified_value(place.get(k))
                             for k in ("address", "phone", "opening_hours"))
    if not name or not (address or phone):
        return None
    contact = " — ".join(str(part) for part in (address, phone, hours) if part)
    return {"name": str(name), "contact": contact}


def care_place_messages(commune: dict[str, Any]) -> list[Message]:
    """Each verified care place with its contact; for a kind with none verified, where to
    ask instead."""
    messages: list[Message] = []
    for kinds, to_confirm in ((CMP_KINDS, "utter_mental_health_cmp_to_confirm"),
                              (TEEN_KINDS, "utter_mental_health_teens_to_confirm")):
        places = [p for p in commune.get("places") or [] if p.get("kind") in kinds]
        contacts = [contact for contact in map(place_contact, places) if contact]
        messages.extend(("utter_place_contact", contact) for contact in contacts)
        if not contacts:
            messages.append((to_confirm, {}))
    return messages


class ActionTellCarePlaces(Action):
    def name(self) -> str:
        return "action_tell_care_places"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: DomainDict) -> list[dict[str, Any]]:
        try:
            messages = care_place_messages(load_commune())
        except CommuneFileError:
            messages = [("utter_mental_health_cmp_to_confirm", {}),
                        ("utter_mental_health_teens_to_confirm", {})]
        for response, values in messages:
            dispatcher.utter_message(response=response, **values)
        return []
