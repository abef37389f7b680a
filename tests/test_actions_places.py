"""Care places are told from the commune file: a verified contact is given, nothing else is."""

from __future__ import annotations

import copy

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.places import ActionTellCarePlaces, care_place_messages
from commune import load_commune


def _fact(value, verified=True):
    return {"value": value, "verified": verified, "source": "test", "date": "2027-01"}


def _with_place(place_id: str, **facts) -> dict:
    commune = copy.deepcopy(load_commune())
    for place in commune["places"]:
        if place["id"] == place_id:
            place.update(facts)
    return commune


def test_with_the_commune_file_as_it_is_no_place_is_named_and_the_ccas_confirms():
    dispatcher = CollectingDispatcher()
    ActionTellCarePlaces().run(dispatcher, Tracker("r", {}, {}, [], False, None, {}, ""), {})
    assert [m["response"] for m in dispatcher.messages] == [
        "utter_mental_health_cmp_to_confirm", "utter_mental_health_teens_to_confirm"]


def test_a_verified_cmp_is_given_with_its_address_and_phone():
    commune = _with_place("cmp_adulte", name=_fact("CMP adultes de Pantin"),
                          address=_fact("1 rue Exemple, 93500 Pantin"),
                          phone=_fact("01 00 00 00 00"))
    messages = care_place_messages(commune)
    assert messages[0] == ("utter_place_contact", {
        "name": "CMP adultes de Pantin",
        "contact": "1 rue Exemple, 93500 Pantin — 01 00 00 00 00"})
    assert ("utter_mental_health_cmp_to_confirm", {}) not in messages
    assert ("utter_mental_health_teens_to_confirm", {}) in messages


def test_an_unverified_phone_is_left_out():
    commune = _with_place("cmp_adulte", name=_fact("CMP adultes"),
                          address=_fact("1 rue Exemple"), phone=_fact("01 99", verified=False))
    assert ("utter_place_contact", {"name": "CMP adultes", "contact": "1 rue Exemple"}) in (
        care_place_messages(commune))


def test_a_place_whose_name_is_unverified_is_not_named():
    commune = _with_place("mda_casita", address=_fact("1 rue Exemple"))  # name stays unverified
    messages = care_place_messages(commune)
    assert all(response != "utter_place_contact" for response, _ in messages)
    assert ("utter_mental_health_teens_to_confirm", {}) in messages
