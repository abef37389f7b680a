"""Rasa's rule and memoization policies, predicting from the end of the session only, so that
a turn costs the same at the 150th event of a session as at the 10th.

Rasa 3.6's policies rebuild the dialogue state before every action of the whole session
(``tracker.past_states``: the session replayed event by event, every slot featurised at each
step) for each prediction, three to four predictions a message, although they only look at its
end: a rule at its last states (Relais's longest rule holds 7), memoization at the last
``max_history`` (5) states of the turns stories know. That replay was a third of the Rasa
server's CPU and grew with the session (docs/performance.md).

These subclasses give the featuriser a *window*: a tracker holding the session's last actions,
started from the slot values, the active loop and the resident's message in force where the
window starts. Its states are the session's last states, the first excepted (it has no
previous action, like a conversation's start). So:

- the rule policy keeps one state more than its longest rule (``lookup``, read when the model
  loads): Rasa matches a rule against the last states only, as far back as the rule goes, and
  accepts it beyond; the window's first state is never reached. A ``conversation_start`` rule
  needs a state without previous action where it starts, and the window holds none within
  its length: it matches mid-session no more than on the whole session.
- memoization keeps its ``max_history`` states of story turns, and a margin before them: Rasa
  leaves out the turns only rules predicted (``hide_rule_turn``) and carries the previous
  kept action and message over them, which a few kept turns bring back in step.

Everything else a prediction reads (the latest action and message, the active loop, the
default actions) still comes from the whole tracker. ``RELAIS_POLICY_WINDOW_CHECK=1`` makes
each prediction also computed on the whole session and compared: the end-to-end suites run
with it (tests/test_rasa_policies.py, docs/conversation.md).

Rasa's training warns that "'RulePolicy' is not included in the model's policy configuration":
its recipe validator compares the class exactly, not as a subclass (and so also skips its check
of the core fallback action against the domain). The subclass keeps every behaviour of
``RulePolicy`` (default intents, forms, core fallback); ``make rasa-stories`` passes with it.
"""

from __future__ import annotations

import copy
import functools
import json
import os
from collections import deque
from typing import Any

from rasa.core.constants import POLICY_MAX_HISTORY
from rasa.core.policies.memoization import MemoizationPolicy
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.policies.rule_policy import RULES, RULES_FOR_LOOP_UNHAPPY_PATH, RulePolicy
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import PREVIOUS_ACTION, SHOULD_NOT_BE_SET
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    AllSlotsReset,
    Event,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import ACTION_NAME

CHECK_ENV = "RELAIS_POLICY_WINDOW_CHECK"
STORY_TURNS_MARGIN = 3  # story turns kept before memoization's max_history


class WindowMismatch(AssertionError):
    """A windowed prediction differed from the whole session's (check mode only)."""


def window(tracker: DialogueStateTracker, actions: int) -> DialogueStateTracker:
    """A tracker holding the session's last ``actions`` actions, the slots, active loop and
    latest message in force before the first of them set by their own events. The tracker
    itself when the session holds no more than that.

    Only read: the featuriser replays it from the domain's slots (``init_copy``).
    """
    events = tracker.applied_events()
    start, seen = len(events), 0
    while start > 0 and seen < actions:
        start -= 1
        seen += _kind(type(events[start])) is ActionExecuted
    slots: dict[str, Event] = {}
    loop: Event | None = None
    message: Event | None = None
    reset = earlier_action = False
    for event in reversed(events[:start]):  # the latest of each, back to the session's start
        kind = _kind(type(event))
        if kind is SlotSet and not reset:
            slots.setdefault(event.key, event)
        elif kind is AllSlotsReset:
            reset = True
        elif kind is ActiveLoop and loop is None:
            loop = event
        elif kind is UserUttered and message is None:
            message = event
        elif kind is ActionExecuted:
            earlier_action = True
    if not earlier_action:
        return tracker
    windowed = copy.copy(tracker)
    windowed.events = deque([*slots.values(), *(e for e in (loop, message) if e is not None),
                             *events[start:]])
    return windowed


@functools.cache
def _kind(cls: type) -> type | None:
    """The event classes the window looks for, by subclass (``isinstance`` on Rasa's abstract
    ``Event`` is slow, and the window looks at every event of the session)."""
    for kind in (ActionExecuted, SlotSet, AllSlotsReset, ActiveLoop, UserUttered):
        if issubclass(cls, kind):
            return kind
    return None


class _Windowed:
    """What both policies share: the window, and the check against the whole session."""

    _whole_session = False

    def _window_actions(self, tracker: DialogueStateTracker) -> int:
        raise NotImplementedError

    def _prediction_states(self, tracker: DialogueStateTracker, *args: Any, **kwargs: Any
                           ) -> Any:
        if not self._whole_session:
            tracker = _KnownPastStates.of(self, tracker, self._window_actions(tracker))
        return super()._prediction_states(tracker, *args, **kwargs)  # type: ignore[misc]

    def predict_action_probabilities(self, tracker: DialogueStateTracker, domain: Any,
                                     *args: Any, **kwargs: Any) -> PolicyPrediction:
        predict = super().predict_action_probabilities  # type: ignore[misc]
        prediction = predict(tracker, domain, *args, **kwargs)
        if os.environ.get(CHECK_ENV) == "1":
            self._whole_session = True
            try:
                whole = predict(tracker, domain, *args, **kwargs)
            finally:
                self._whole_session = False
            if _outcome(whole) != _outcome(prediction):
                raise WindowMismatch(f"{type(self).__name__}: window {_outcome(prediction)} "
                                     f"!= whole session {_outcome(whole)}")
        return prediction


def _outcome(prediction: PolicyPrediction) -> tuple[Any, ...]:
    return (prediction.probabilities, [e.as_dict() for e in prediction.events],
            prediction.is_end_to_end_prediction, prediction.is_no_user_prediction,
            prediction.hide_rule_turn)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class WindowedRulePolicy(_Windowed, RulePolicy):
    """``RulePolicy`` on the session's last states: one more than its longest rule."""

    def _window_actions(self, tracker: DialogueStateTracker) -> int:
        longest = getattr(self, "_longest_rule", None)
        if longest is None:
            keys = [*self.lookup.get(RULES, {}), *self.lookup.get(RULES_FOR_LOOP_UNHAPPY_PATH, {})]
            longest = self._longest_rule = max((len(json.loads(k)) for k in keys), default=0)
        # the window's first state is not the session's; the ones after it are
        return longest + 1

    def _get_possible_keys(self, lookup: dict[str, str], states: list[dict[str, Any]]
                           ) -> set[str]:
        """Rasa's ``RulePolicy._get_possible_keys`` (the rules that match the states, read from
        the last state back), with each rule's states decoded and reversed once instead of at
        each test, and the last state tested only on the rules whose last state names the same
        previous action or none (``_candidates``). The sets are built in the same order, one
        per state, as Rasa builds them: the longest rule is picked from the last one with
        ``max``, whose ties go to the first in the set's order."""
        rules = self._reversed_rules()
        possible_keys: Any = set(lookup.keys())
        if states:  # the last state's test, on the rules whose last action can match it
            possible_keys = self._candidates(lookup, states[-1])
        for turn, state in enumerate(reversed(states)):
            previous_action = state.get(PREVIOUS_ACTION)
            kept = []
            for key in possible_keys:
                reversed_rule = rules.get(key)
                if reversed_rule is None:
                    reversed_rule = rules[key] = _reversed_rule(key)
                if turn >= len(reversed_rule):
                    kept.append(key)
                    continue
                rule_previous_action, rule_state = reversed_rule[turn]
                if not rule_previous_action and not previous_action:
                    kept.append(key)
                elif (rule_previous_action and previous_action
                      and _rule_state_matches(rule_state, state)):
                    kept.append(key)
            possible_keys = set(kept)
        return possible_keys

    def _reversed_rules(self) -> dict[str, Any]:
        return self.__dict__.setdefault("_relais_reversed_rules", {})

    def _candidates(self, lookup: dict[str, str], last_state: dict[str, Any]) -> list[str]:
        """The rules of ``lookup`` that the last state's test may keep, in the order in which
        Rasa's ``set(lookup.keys())`` hands them out. A rule whose last state names its
        previous action is kept only if the conversation's last state names the same one
        (``_rule_state_matches``: a value the rule sets must be the conversation's); the
        others are tested as before. So the test keeps the same rules in the same order,
        and the sets built from them are Rasa's."""
        kept = self.__dict__.setdefault("_relais_rules_by_last_action", {})
        entry = kept.get(id(lookup))
        if entry is None or entry[0] is not lookup or entry[1] != len(lookup):
            rules = self._reversed_rules()
            ordered = list(set(lookup.keys()))  # the order of Rasa's set of these keys
            groups: dict[str | None, list[int]] = {}
            for position, key in enumerate(ordered):
                reversed_rule = rules.get(key)
                if reversed_rule is None:
                    reversed_rule = rules[key] = _reversed_rule(key)
                groups.setdefault(_named_last_action(reversed_rule), []).append(position)
            entry = kept[id(lookup)] = (lookup, len(lookup), ordered, groups)
        _, _, ordered, groups = entry
        previous_action = last_state.get(PREVIOUS_ACTION) or {}
        name = previous_action.get(ACTION_NAME)
        if type(name) is not str:
            return ordered
        positions = sorted([*groups.get(name, ()), *groups.get(None, ())])
        return [ordered[position] for position in positions]

    def predict_action_probabilities(self, tracker: DialogueStateTracker, domain: Any,
                                     *args: Any, **kwargs: Any) -> PolicyPrediction:
        prediction = super().predict_action_probabilities(tracker, domain, *args, **kwargs)
        tracker.__dict__[_RULES_PREDICTION] = (_tracker_key(tracker), self.priority, prediction)
        return prediction


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class WindowedMemoizationPolicy(_Windowed, MemoizationPolicy):
    """``MemoizationPolicy`` on the session's last actions holding ``max_history`` story turns
    and a margin: the actions rules alone predicted (hidden) do not count."""

    # Skip the prediction when the rule policy's wins whatever this one predicts (below).
    skip_when_rules_win = True

    def predict_action_probabilities(self, tracker: DialogueStateTracker, domain: Any,
                                     *args: Any, **kwargs: Any) -> PolicyPrediction:
        if (self.skip_when_rules_win and not self.config["use_nlu_confidence_as_score"]
                and os.environ.get(CHECK_ENV) != "1"  # the check compares every window
                and rules_win(tracker, domain, self.priority)):
            return self._prediction(self._default_predictions(domain))  # recalls nothing
        return super().predict_action_probabilities(tracker, domain, *args, **kwargs)

    def _window_actions(self, tracker: DialogueStateTracker) -> int:
        if self.config[POLICY_MAX_HISTORY] is None:  # memoises whole stories: no window
            return len(tracker.events) + 1
        wanted = self.config[POLICY_MAX_HISTORY] + STORY_TURNS_MARGIN
        actions = story_turns = 0
        for event in reversed(tracker.events):
            if _kind(type(event)) is ActionExecuted:
                actions += 1
                story_turns += not event.hide_rule_turn
                if story_turns > wanted:
                    return actions
        return actions + 1


# --- memoization skipped when the rules' prediction wins anyway ---------------------------------
# Rasa's ensemble (DefaultPolicyPredictionEnsemble) keeps the events of every prediction and the
# best prediction otherwise: a "no user" prediction (a form's happy path) or an end-to-end one
# beats every prediction without that flag; then the highest confidence, then the higher
# priority. Memoization's prediction never has events nor either flag, and its confidence is
# at most 1.0 (without ``use_nlu_confidence_as_score``). So when the rule policy, of higher
# priority, predicted with one of those flags or with a confidence of 1.0 that the ensemble's
# zeroing of a rejected action leaves, the ensemble's result is the rules' prediction whatever
# memoization predicts: its window, featurisation and look-up (a third of the policies' cost)
# are skipped, and it answers "nothing recalled". The rules' prediction is the one made on
# the same tracker, with nothing appended since (the graph runs the rule policy first).

_RULES_PREDICTION = "_relais_rules_prediction"


def _tracker_key(tracker: DialogueStateTracker) -> tuple[Any, int, Any]:
    events = tracker.events
    return events, len(events), events[-1] if events else None


def rules_win(tracker: DialogueStateTracker, domain: Any, priority: int) -> bool:
    """Whether the rules' prediction on this tracker beats any of a policy of ``priority``
    without events nor flags, whose confidences are at most 1.0."""
    from rasa.shared.core.events import ActionExecutionRejected

    kept = tracker.__dict__.get(_RULES_PREDICTION)
    if kept is None:
        return False
    key, rules_priority, prediction = kept
    if (key[0] is not tracker.events or key[1] != len(tracker.events)
            or key[2] is not (tracker.events[-1] if tracker.events else None)):
        return False  # made on another state of the tracker
    if rules_priority <= priority:
        return False
    if prediction.is_no_user_prediction or prediction.is_end_to_end_prediction:
        return True
    probabilities = list(prediction.probabilities)
    last_action = next((e for e in reversed(tracker.events)
                        if isinstance(e, (ActionExecutionRejected, ActionExecuted))), None)
    if isinstance(last_action, ActionExecutionRejected) and last_action.action_name:
        try:
            probabilities[domain.index_for_action(last_action.action_name)] = 0.0
        except Exception:  # noqa: BLE001 - the ensemble will raise it, as before
            return False
    return max(probabilities, default=0.0) >= 1.0


# --- the window's past states computed once per tracker state -----------------------------------
# The rule policy featurises the same window twice for the first prediction after a message
# (the message's text, then its intent: ``_find_action_from_rules`` twice), each time replaying
# the window event by event and featurising every slot at each action. The featuriser only reads
# the window through ``past_states``; what it returns depends on the window's events and the
# arguments alone, so it is kept for the tracker's state and handed out as copies (the featuriser
# deletes the last message's text or intent from its copy).

class _KnownPastStates:
    """A window whose ``past_states`` are computed once per tracker state and arguments."""

    def __init__(self, window_tracker: DialogueStateTracker, key: tuple[Any, ...]) -> None:
        self._window = window_tracker
        self._key = key
        self._states: list[tuple[Any, bool, bool, Any, list[dict[str, Any]]]] = []

    @classmethod
    def of(cls, policy: Any, tracker: DialogueStateTracker, actions: int) -> _KnownPastStates:
        """The window of ``actions`` actions of the tracker, kept by the policy while the
        tracker's events stay the same (Rasa only appends to them)."""
        events, count, last = _tracker_key(tracker)
        kept = policy.__dict__.get("_relais_past_states")
        if kept is not None:
            kept_events, kept_count, kept_last, kept_actions = kept._key
            if (kept_events is events and kept_count == count and kept_last is last
                    and kept_actions == actions):
                return kept
        kept = cls(window(tracker, actions), (events, count, last, actions))
        policy._relais_past_states = kept
        return kept

    def past_states(self, domain: Any, omit_unset_slots: bool = False,
                    ignore_rule_only_turns: bool = False,
                    rule_only_data: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        arguments = (omit_unset_slots, ignore_rule_only_turns, rule_only_data)
        states = next((kept[-1] for kept in self._states
                       if kept[0] is domain and kept[1:-1] == arguments), None)
        if states is None:
            states = self._window.past_states(
                domain, omit_unset_slots=omit_unset_slots,
                ignore_rule_only_turns=ignore_rule_only_turns, rule_only_data=rule_only_data)
            self._states.append((domain, omit_unset_slots, ignore_rule_only_turns,
                                 copy.deepcopy(rule_only_data), states))
        return [{name: dict(sub) for name, sub in state.items()} for state in states]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._window, name)


# --- the rules' states decoded once ---------------------------------------------------------------

def _reversed_rule(key: str) -> list[tuple[Any, list[tuple[str, list[tuple[str, Any]]]]]]:
    """A rule's states, last first, each as its previous action and its values to compare
    (lists made tuples, as ``RulePolicy._does_rule_match_state`` does at each test)."""
    reversed_rule = []
    for rule_state in reversed(json.loads(key)):
        values = [(state_type, [(name, tuple(value) if isinstance(value, list) else value)
                                for name, value in sub_state.items()])
                  for state_type, sub_state in rule_state.items()]
        reversed_rule.append((rule_state.get(PREVIOUS_ACTION), values))
    return reversed_rule


def _named_last_action(reversed_rule: list[tuple[Any, Any]]) -> str | None:
    """The previous action a rule's last state requires by name (the conversation's last
    state must name the same), or None when it requires none by name."""
    if not reversed_rule:
        return None
    rule_previous_action = reversed_rule[0][0]
    if not rule_previous_action:
        return None
    name = rule_previous_action.get(ACTION_NAME)
    if type(name) is str and name and name != SHOULD_NOT_BE_SET:
        return name
    return None


def _rule_state_matches(rule_state: list[tuple[str, list[tuple[str, Any]]]],
                        conversation_state: dict[str, Any]) -> bool:
    """``RulePolicy._does_rule_match_state`` on a rule state decoded by ``_reversed_rule``."""
    for state_type, values in rule_state:
        conversation_sub_state = conversation_state.get(state_type, {})
        for name, value_from_rules in values:
            value_from_conversation = conversation_sub_state.get(name)
            if (value_from_rules and value_from_rules != SHOULD_NOT_BE_SET
                    and value_from_conversation != value_from_rules) or (
                    value_from_rules == SHOULD_NOT_BE_SET and value_from_conversation
                    and value_from_conversation != SHOULD_NOT_BE_SET):
                return False
    return True
