"""What the appointment actions read from a resident's words and put in buttons."""

from __future__ import annotations

import json

import pytest

from actions.appointments import kind_named, slot_buttons
from bot.responses import render


@pytest.mark.parametrize(("text", "kind"), [
    ("je veux un rendez-vous avec l'écrivain public", "ecrivain_public"),
    ("rdv ECRIVAIN public svp", "ecrivain_public"),
    ("un rendez-vous avec un conseiller france services", "france_services"),
    ("je voudrais voir une assistante sociale", "ccas"),
    ("rendez-vous au CCAS", "ccas"),
    ("je voudrais un rendez-vous", None),
])
def test_the_person_is_read_from_the_request(text, kind):
    assert kind_named(text) == kind


def test_slot_buttons_name_the_slot_and_the_appointment_moved():
    slots = [{"slot": f"ecrivain_public@2026120{i}T1300Z", "day": f"mardi {i} décembre",
              "time": "14 h"} for i in range(1, 7)]
    buttons = slot_buttons(slots, appointment_id="12")
    assert len(buttons) == 4  # a short list; SMS numbers them
    assert buttons[0]["title"] == "mardi 1 décembre à 14 h"
    intent, _, entities = buttons[0]["payload"].partition("{")
    assert intent == "/appointment_pick"
    assert json.loads("{" + entities) == {"appointment_slot": "ecrivain_public@20261201T1300Z",
                                          "appointment_id": "12"}


def test_the_gateway_reads_the_reminder_and_its_buttons_from_the_domain():
    message = render("utter_appointment_reminder_choices", appointment_id="7")
    assert [b.title for b in message.buttons] == ["Annuler", "Changer l'heure"]
    assert message.buttons[0].payload == '/appointment_cancel{"appointment_id":"7"}'
    with pytest.raises(KeyError):
        render("utter_appointment_reminder", day="mardi")  # a missing value is an error
