"""The windowed policies predict what Rasa's own predict on the whole session, at every action
of a long session made of every test story, with the trained model (bot/rasa_policies.py)."""

from __future__ import annotations

import copy
import json

import pytest
from rasa.core.agent import Agent
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bench.story_events import story_steps
from bot import rasa_policies
from bot.rasa_policies import (
    WindowedMemoizationPolicy,
    WindowedRulePolicy,
    WindowMismatch,
    window,
)
from tests.processes import REPO_ROOT

MODEL = REPO_ROOT / "models" / "relais.tar.gz"


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(REPO_ROOT / "domain.yml"))


@pytest.fixture(scope="module")
def policies():
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make setup` first")
    agent = Agent.load(str(MODEL))
    found = {type(node._component): node._component
             for node in agent.processor.graph_runner._instantiated_nodes.values()}
    return agent.domain, found[WindowedRulePolicy], found[WindowedMemoizationPolicy]


@pytest.fixture
def checked(monkeypatch):
    monkeypatch.setenv(rasa_policies.CHECK_ENV, "1")




def new_session(domain: Domain) -> DialogueStateTracker:
    tracker = DialogueStateTracker("resident", domain.slots)
    for event in (ActionExecuted("action_session_start"), SessionStarted()):
        tracker.update(event, domain)
    return tracker


def play(domain: Domain, tracker: DialogueStateTracker, events: list[Event],
         rule=None, memo=None) -> int:
    """The story's events appended as Rasa's processor would: ``action_listen`` before each
    message and, with the policies, each action first predicted by both (which compares the
    window with the whole session in check mode) and marked hidden when the rule policy
    predicted it. Returns how many predictions used a window shorter than the session."""
    windowed = 0

    def act(name: str) -> None:
        nonlocal windowed
        hide = False
        if rule is not None:
            only = rule._get_rule_only_data()
            by_rules = rule.predict_action_probabilities(tracker, domain, rule_only_data=only)
            by_stories = memo.predict_action_probabilities(tracker, domain, rule_only_data=only)
            if max(by_rules.probabilities) >= max(by_stories.probabilities):
                hide = by_rules.hide_rule_turn
            windowed += window(tracker, rule._window_actions(tracker)) is not tracker
        tracker.update(ActionExecuted(name, hide_rule_turn=hide), domain)

    for event in events:
        if isinstance(event, UserUttered) and tracker.latest_action_name != ACTION_LISTEN_NAME:
            act(ACTION_LISTEN_NAME)
        if isinstance(event, ActionExecuted):
            act(event.action_name)
        else:
            tracker.update(event, domain)
    act(ACTION_LISTEN_NAME)
    return windowed


def test_a_window_holds_the_last_states_of_the_session(domain):
    tracker = new_session(domain)
    for events in story_steps(domain):
        play(domain, tracker, events)
    whole = tracker.past_states(domain)
    assert len(whole) > 300
    for actions in (2, 8, 30):
        part = window(tracker, actions).past_states(domain)
        # the window's first state is its start, without previous action; then the session's
        assert len(part) == actions + 1
        assert "prev_action" not in part[0]
        assert part[1:] == whole[-actions:]
    assert window(tracker, len(whole)) is tracker


def test_every_test_story_in_one_long_session_is_predicted_as_on_the_whole_session(
        policies, checked):
    domain, rule, memo = policies
    tracker = new_session(domain)
    windowed = sum(play(domain, tracker, events, rule, memo) for events in story_steps(domain))
    # check mode raised WindowMismatch on any difference; the windows were really used
    assert windowed > 300


def test_each_test_story_alone_is_predicted_as_on_the_whole_session(policies, checked):
    domain, rule, memo = policies
    for events in story_steps(domain):
        play(domain, new_session(domain), events, rule, memo)


def test_a_conversation_start_rule_does_not_match_in_a_long_session(policies, checked):
    domain, rule, memo = policies
    greeting = [ActionExecuted(ACTION_LISTEN_NAME),
                UserUttered("bonjour", {"name": "greet", "confidence": 1.0})]
    start = DialogueStateTracker.from_events("resident", greeting, domain.slots)
    starting = copy.copy(rule)
    starting.lookup = copy.deepcopy(rule.lookup)
    # what Rasa learns from a rule with `conversation_start: true` and one step, "greet":
    # a first state without previous action (the conversation's start), then the message
    rule_states = [{}, {"prev_action": {"action_name": ACTION_LISTEN_NAME},
                        "user": {"intent": "greet"}}]
    starting.lookup["rules"][json.dumps(rule_states, sort_keys=True)] = "utter_goodbye"
    goodbye = domain.index_for_action("utter_goodbye")

    def predicted(tracker: DialogueStateTracker) -> int:
        probabilities = starting.predict_action_probabilities(
            tracker, domain, rule_only_data=rule._get_rule_only_data()).probabilities
        return probabilities.index(max(probabilities))

    assert predicted(start) == goodbye
    tracker = new_session(domain)
    for events in story_steps(domain):
        play(domain, tracker, events)
    for event in greeting:
        tracker.update(event, domain)
    assert window(tracker, starting._window_actions(tracker)) is not tracker
    assert predicted(tracker) != goodbye  # and the same as on the whole session (check mode)


class TooShortWindow(WindowedRulePolicy):
    def _window_actions(self, tracker: DialogueStateTracker) -> int:
        return 1


def test_the_check_finds_a_window_too_short_for_the_rules(policies, checked):
    domain, rule, memo = policies
    too_short = TooShortWindow.__new__(TooShortWindow)
    too_short.__dict__.update(rule.__dict__)
    tracker = new_session(domain)
    with pytest.raises(WindowMismatch):
        for events in story_steps(domain):
            play(domain, tracker, events, too_short, memo)


def test_memoization_without_max_history_predicts_on_the_whole_session(policies):
    domain, _rule, memo = policies
    whole_stories = copy.copy(memo)
    whole_stories.config = {**memo.config, "max_history": None}
    tracker = new_session(domain)
    for events in story_steps(domain):
        play(domain, tracker, events)
    assert window(tracker, whole_stories._window_actions(tracker)) is tracker
    assert window(tracker, memo._window_actions(tracker)) is not tracker
