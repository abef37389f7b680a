"""A long Rasa session is closed only at a clean point, and the new one starts with every slot
and every topic of the old one (Rasa's own trackers, domain and session-start action)."""

from __future__ import annotations

import asyncio

import pytest
from rasa.core.actions.action import ActionSessionStart
from rasa.core.channels import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot import rasa_sessions
from bot.config import REPO_ROOT


@pytest.fixture(scope="module")
def domain():
    return Domain.load(str(REPO_ROOT / "domain.yml"))


@pytest.fixture
def applied():
    from rasa.core.processor import MessageProcessor

    expired = MessageProcessor.__dict__["_has_session_expired"]
    carried = ActionSessionStart.__dict__["_slot_set_events_from_tracker"]
    rasa_sessions.apply()
    yield
    MessageProcessor._has_session_expired = expired
    del MessageProcessor._relais_bounded_sessions
    ActionSessionStart._slot_set_events_from_tracker = carried


def said(text: str, intent: str) -> list:
    return [ActionExecuted("action_listen"),
            UserUttered(text, {"name": intent, "confidence": 0.9}),
            BotUttered("Réponse."), ActionExecuted("utter_x")]


def tracker_of(domain, events) -> DialogueStateTracker:
    tracker = DialogueStateTracker("resident", domain.slots)
    for event in events:
        tracker.update(event, domain)
    return tracker


def long_conversation(turns: int = 20) -> list:
    events = [ActionExecuted("action_session_start"), SessionStarted(),
              ActionExecuted("action_listen"),
              UserUttered("je voudrais la cmu", {"name": "css", "confidence": 0.9}),
              SlotSet("household_ages", [34]), SlotSet("household_ages", [34, 6]),
              SlotSet("couple", False)]
    for n in range(turns):
        events += said(f"merci {n}", "thanks")
    return events + [ActionExecuted("action_listen")]


def test_a_long_session_at_a_clean_point_is_closed(domain):
    tracker = tracker_of(domain, long_conversation())
    assert rasa_sessions.too_long(tracker, 50)
    assert rasa_sessions.at_clean_point(tracker)
    assert not rasa_sessions.too_long(tracker, 500)


@pytest.mark.parametrize("ending", [
    [ActiveLoop("eligibility_form")],  # a questionnaire in progress
    [UserUttered("gloubi", {"name": "nlu_fallback", "confidence": 0.1}),
     ActionExecuted("action_handle_misunderstanding"), ActionExecuted("action_listen")],
    [UserUttered("je ne sais pas lire", {"name": "ask_human", "confidence": 0.9}),
     BotUttered("Réponse."), ActionExecuted("action_listen")],  # a need, for the handoff
])
def test_nothing_in_progress_is_cut(domain, ending):
    tracker = tracker_of(domain, long_conversation() + ending)
    assert not rasa_sessions.at_clean_point(tracker)


def test_the_new_session_starts_with_each_slot_once_and_the_topics_raised(domain, applied):
    tracker = tracker_of(domain, long_conversation())
    events = asyncio.run(ActionSessionStart().run(
        CollectingOutputChannel(), TemplatedNaturalLanguageGenerator(domain.responses),
        tracker, domain))
    slots = [(e.key, e.value) for e in events if isinstance(e, SlotSet)]
    assert slots == [("household_ages", [34, 6]), ("couple", False),
                     ("topics_discussed", ["css", "thanks"])]
    for event in events:
        tracker.update(event, domain)
    assert tracker.get_slot("household_ages") == [34, 6]
    assert tracker.get_slot("couple") is False
