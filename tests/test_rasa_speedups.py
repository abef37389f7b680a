"""The Rasa speed-ups change nothing Rasa does: the same answers pass, the same are refused."""

from __future__ import annotations

import asyncio
import functools
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import ClientResponseError, EndpointConfig
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine

from bot import rasa_speedups


@pytest.fixture
def applied():
    original = RemoteAction._validate_action_result
    original_request = EndpointConfig.request
    original_fold = DialogueStateTracker.applied_events
    original_copy = DialogueStateTracker.copy
    original_input = LogisticRegressionClassifier._create_X
    original_classify = LogisticRegressionClassifier.process
    original_is_empty = Domain.is_empty
    original_count = CountVectorsFeaturizer.process
    original_init_copy = DialogueStateTracker.init_copy
    rasa_speedups.apply()
    yield
    RemoteAction._validate_action_result = original
    EndpointConfig.request = original_request
    DialogueStateTracker.applied_events = original_fold
    DialogueStateTracker.copy = original_copy
    LogisticRegressionClassifier._create_X = original_input
    LogisticRegressionClassifier.process = original_classify
    Domain.is_empty = original_is_empty
    CountVectorsFeaturizer.process = original_count
    DialogueStateTracker.init_copy = original_init_copy
    event.remove(Engine, "connect", rasa_speedups._sqlite_pragmas)


@pytest.mark.parametrize("answer", [
    {"events": [{"event": "slot", "name": "couple", "value": True}],
     "responses": [{"response": "utter_ask_couple"}]},
    {"events": [], "responses": []},
    {},
])
def test_a_valid_action_server_answer_passes(applied, answer):
    assert RemoteAction("validate_eligibility_form", None)._validate_action_result(answer)


@pytest.mark.parametrize("answer", [
    {"events": [{"event": "no_such_event"}]},
    {"events": {"event": "slot"}},
    {"responses": "utter_greet"},
])
def test_a_malformed_action_server_answer_is_refused_as_before(applied, answer):
    with pytest.raises(ValidationError) as caught:
        RemoteAction("validate_eligibility_form", None)._validate_action_result(answer)
    assert "Failed to validate Action server response" in caught.value.message


def test_the_sqlite_tracker_store_runs_in_write_ahead_log_mode(applied, tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'rasa-tracker.db'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
    engine.dispose()


async def _action_server_calls(handler, calls: int) -> tuple[list, list[int]]:
    """Calls an aiohttp stand-in for the action server through Rasa's endpoint; returns the
    answers (or errors) and the client port each call came from (one port: one connection)."""
    ports: list[int] = []

    async def webhook(request: web.Request) -> web.Response:
        ports.append(request.transport.get_extra_info("peername")[1])
        return await handler(request)

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    endpoint = EndpointConfig(url=f"http://127.0.0.1:{port}/webhook")
    answers: list = []
    try:
        for number in range(calls):
            try:
                answers.append(await endpoint.request(json={"next_action": f"a{number}"},
                                                      method="post", timeout=5))
            except ClientResponseError as error:
                answers.append(error)
    finally:
        await rasa_speedups.close_action_session(None, asyncio.get_running_loop())
        await runner.cleanup()
    return answers, ports


def test_action_server_calls_keep_their_connection_and_their_answers(applied):
    async def echo(request: web.Request) -> web.Response:
        return web.json_response({"events": [], "got": (await request.json())["next_action"]})

    answers, ports = asyncio.run(_action_server_calls(echo, 3))
    assert [a["got"] for a in answers] == ["a0", "a1", "a2"]
    assert len(set(ports)) == 1  # one TCP connection for the three calls


def test_an_action_server_error_is_raised_as_rasa_raises_it(applied):
    async def refuse(request: web.Request) -> web.Response:
        return web.json_response({"error": "no such action"}, status=404)

    answers, _ = asyncio.run(_action_server_calls(refuse, 2))
    assert all(isinstance(a, ClientResponseError) and a.status == 404 for a in answers)


def test_the_kept_connection_is_closed_when_the_rasa_server_stops(applied):
    async def stop_then_call_again() -> tuple[bool, bool]:
        kept = rasa_speedups._shared_session()
        await rasa_speedups.close_action_session(None, asyncio.get_running_loop())
        fresh = rasa_speedups._shared_session()
        await rasa_speedups.close_action_session(None, asyncio.get_running_loop())
        return kept.closed, fresh is not kept

    assert asyncio.run(stop_then_call_again()) == (True, True)


MODEL = Path(__file__).resolve().parents[1] / "models" / "relais.tar.gz"


def _rasas_then_relais(owner: type, name: str, speedup: Any, run: Any) -> tuple[Any, Any]:
    """What ``run()`` returns with Rasa's own ``owner.name``, then with the speed-up in its
    place (Rasa's put back afterwards)."""
    original = getattr(owner, name)
    rasas = run()
    setattr(owner, name, speedup)
    try:
        return rasas, run()
    finally:
        setattr(owner, name, original)


@pytest.mark.skipif(not MODEL.exists(), reason="no trained model (make setup)")
def test_the_graph_runner_without_dask_parses_and_predicts_as_dask_does():
    """Relais's trained model, run by Rasa's dask runner and by the one of rasa_speedups."""
    from rasa.core.agent import Agent
    from rasa.engine.runner.dask import DaskGraphRunner
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    texts = ["bonjour", "je voudrais la cmu", "mon propriétaire veut m'expulser",
             "on a plus rien a manger avec mes enfants", "donne moi les resultats du foot"]

    async def run(agent: Agent) -> list:
        out = []
        for words in texts:
            parsed = await agent.parse_message(words)
            tracker = DialogueStateTracker.from_events("speedups", [
                ActionExecuted("action_listen"), UserUttered(words, parsed["intent"],
                                                             parsed["entities"], parsed)],
                agent.domain.slots)
            prediction = agent.processor._predict_next_with_tracker(tracker)
            out.append((parsed["intent"], parsed["intent_ranking"], parsed["entities"],
                        prediction.policy_name, prediction.probabilities))
        return out

    agent = Agent.load(str(MODEL))
    with_dask, without_dask = _rasas_then_relais(DaskGraphRunner, "run", rasa_speedups._run_graph,
                                                 lambda: asyncio.run(run(agent)))
    assert without_dask == with_dask
    assert any(intent["name"] != "nlu_fallback" for intent, *_ in with_dask)


# --- the applied events, kept per tracker ------------------------------------------------------

def _story_events() -> list:
    """Every test story's events, one after the other: forms (loops run again and again,
    deactivated), slots, messages."""
    from rasa.shared.core.domain import Domain

    from bench.story_events import stories_in_a_row

    return stories_in_a_row(Domain.load(str(Path(__file__).resolve().parents[1] / "domain.yml")))


def _with_surprises(events: list, seed: int) -> list:
    """The stories with what Rasa's fold undoes put in at random: a message reverted (the
    fallback's), an action reverted, a loop rejected, a restart, a new session, and a loop's
    action run before the session had named that loop."""
    import random

    from rasa.shared.core.events import (
        ActionExecuted,
        ActionExecutionRejected,
        ActionReverted,
        ActiveLoop,
        Restarted,
        SessionStarted,
        UserUtteranceReverted,
    )

    rng = random.Random(seed)
    surprises = [
        lambda: [UserUtteranceReverted()], lambda: [ActionReverted()],
        lambda: [ActionExecutionRejected("eligibility_form")],
        lambda: [ActionExecuted("action_restart"), Restarted()],
        lambda: [ActionExecuted("action_session_start"), SessionStarted()],
        lambda: [ActionExecuted("late_form"), ActiveLoop("late_form"),
                 ActionExecuted("late_form"), ActiveLoop(None)],
    ]
    mixed: list = []
    for happened in events:
        mixed.append(happened)
        if rng.random() < 0.04:
            mixed.extend(rng.choice(surprises)())
    return mixed


@pytest.mark.parametrize("seed", [None, 1, 2, 3])
def test_the_kept_applied_events_are_rasas_after_every_event(seed):
    """A tracker updated event by event as Rasa does: after each, the kept fold returns the
    same event objects, in the same order, as Rasa's fold of the whole session."""
    from rasa.shared.core.trackers import DialogueStateTracker

    rasa_fold = DialogueStateTracker.applied_events
    assert rasa_fold.__module__ == "rasa.shared.core.trackers"  # Rasa's own, not replaced
    events = _story_events()
    if seed is not None:
        events = _with_surprises(events, seed)
    tracker = DialogueStateTracker("resident", [])
    undone = 0
    for happened in events:
        tracker.events.append(happened)  # as tracker.update, without applying it to slots
        expected = rasa_fold(tracker)
        assert [id(e) for e in rasa_speedups._applied_events(tracker)] == [
            id(e) for e in expected]
        undone = max(undone, len(tracker.events) - len(expected))
    assert len(tracker.events) > 1000 and undone > 0  # the fold did undo events


def test_the_kept_applied_events_follow_a_replaced_or_bounded_history():
    import copy
    from collections import deque

    from rasa.shared.core.trackers import DialogueStateTracker

    rasa_fold = DialogueStateTracker.applied_events
    events = _with_surprises(_story_events(), 4)
    tracker = DialogueStateTracker("resident", [])
    tracker.events.extend(events[:300])
    rasa_speedups._applied_events(tracker)
    part = copy.copy(tracker)  # shares the kept fold; its events are another deque
    part.events = deque(events[100:200])
    assert rasa_speedups._applied_events(part) == rasa_fold(part)
    tracker.events = deque(events[:250])  # replaced by a shorter history
    assert rasa_speedups._applied_events(tracker) == rasa_fold(tracker)
    bounded = DialogueStateTracker("resident", [], max_event_history=20)
    for happened in events[:400]:
        bounded.events.append(happened)  # the first ones drop out, the length stays 20
        assert rasa_speedups._applied_events(bounded) == rasa_fold(bounded)
    returned = rasa_speedups._applied_events(tracker)
    returned.clear()  # a caller's own list: the kept fold is not changed
    assert rasa_speedups._applied_events(tracker) == rasa_fold(tracker) != []


# --- the intent classifier's input ---------------------------------------------------------------

@pytest.mark.skipif(not MODEL.exists(), reason="no trained model (make setup)")
def test_the_classifier_input_from_sentence_features_parses_as_rasa_does():
    """Every training example and development message of Relais parsed by the trained model
    with Rasa's classifier input and with the one of rasa_speedups: the same intents, the
    same confidences to the last bit, the same entities."""
    import yaml
    from rasa.core.agent import Agent
    from rasa.shared.nlu.training_data.loading import load_data

    root = Path(__file__).resolve().parents[1]
    texts = sorted({example.get("text") for example in load_data(str(root / "nlu" / "nlu")
                                                                  ).intent_examples})
    dev = yaml.safe_load((root / "tests" / "nlu_eval" / "dev_messages.yml").read_text())
    texts += [item["text"] for item in dev]
    assert len(texts) > 1000

    async def parse_all(agent: Agent) -> list:
        return [await agent.parse_message(text) for text in texts]

    agent = Agent.load(str(MODEL))
    rasa_input, relais_input = _rasas_then_relais(
        LogisticRegressionClassifier, "_create_X", rasa_speedups._classifier_input,
        lambda: asyncio.run(parse_all(agent)))
    for rasa_parse, relais_parse in zip(rasa_input, relais_input, strict=True):
        for parse in (rasa_parse, relais_parse):
            parse.pop("message_id", None)
        assert relais_parse == rasa_parse


# --- the classifier's input built directly, its probabilities, the empty domain -----------------

def _nlu_texts() -> list[str]:
    import yaml
    from rasa.shared.nlu.training_data.loading import load_data

    root = Path(__file__).resolve().parents[1]
    texts = sorted({example.get("text") for example in load_data(str(root / "nlu" / "nlu")
                                                                  ).intent_examples})
    dev = yaml.safe_load((root / "tests" / "nlu_eval" / "dev_messages.yml").read_text())
    return texts + [item["text"] for item in dev]


@pytest.mark.skipif(not MODEL.exists(), reason="no trained model (make setup)")
def test_the_direct_classifier_input_and_probabilities_parse_as_rasa_does():
    """Every training example and development message of Relais parsed with Rasa's own
    classifier input, probabilities and domain check, then with rasa_speedups': the same
    intents, the same rankings to the last bit, the same entities."""
    from rasa.core.agent import Agent

    texts = _nlu_texts()
    assert len(texts) > 1000

    async def parse_all(agent: Agent) -> list:
        return [await agent.parse_message(text) for text in texts]

    originals = [(LogisticRegressionClassifier, "_create_X"),
                 (LogisticRegressionClassifier, "process"), (Domain, "is_empty"),
                 (CountVectorsFeaturizer, "process")]
    kept = [getattr(owner, name) for owner, name in originals]
    assert all(f.__module__.startswith("rasa.") for f in kept)  # Rasa's own
    rasas = asyncio.run(parse_all(Agent.load(str(MODEL))))
    speedups = [rasa_speedups._direct_classifier_input, rasa_speedups._classify,
                rasa_speedups._domain_is_empty, rasa_speedups._count_features]
    try:
        for (owner, name), speedup in zip(originals, speedups, strict=True):
            setattr(owner, name, speedup)
        # loaded again: Rasa's graph nodes take their component's method when the model loads
        agent = Agent.load(str(MODEL))
        ran = {node._fn for node in agent.processor.graph_runner._instantiated_nodes.values()}
        assert {rasa_speedups._classify, rasa_speedups._count_features} <= ran
        relais = asyncio.run(parse_all(agent))
    finally:
        for (owner, name), original in zip(originals, kept, strict=True):
            setattr(owner, name, original)
    for rasa_parse, relais_parse in zip(rasas, relais, strict=True):
        for parse in (rasa_parse, relais_parse):
            parse.pop("message_id", None)
        assert relais_parse == rasa_parse
    assert len({parse["intent"]["name"] for parse in relais}) > 20


@pytest.mark.skipif(not MODEL.exists(), reason="no trained model (make setup)")
def test_the_direct_classifier_input_is_rasas_matrix_row_for_row():
    """Many messages at once (as in training): the same CSR arrays, types and shape as Rasa's
    ``_create_X`` on the sentence features."""
    import numpy as np
    from rasa.core.agent import Agent
    from rasa.core.channels.channel import UserMessage

    agent = Agent.load(str(MODEL))
    runner = agent.processor.graph_runner
    featurizer = [name for name in runner._graph_schema.nodes
                  if name.startswith("run_CountVectorsFeaturizer")][-1]
    classifier = next(node._component for name, node in runner._instantiated_nodes.items()
                      if name.startswith("run_LogisticRegressionClassifier"))
    messages = [runner.run(inputs={"__message__": [UserMessage(text)]},
                           targets=[featurizer])[featurizer][0] for text in _nlu_texts()[::7]]
    assert LogisticRegressionClassifier._create_X.__module__.startswith("rasa.")  # Rasa's own
    rasas = LogisticRegressionClassifier._create_X(classifier, messages)
    relais = rasa_speedups._direct_classifier_input(classifier, messages)
    assert relais.shape == rasas.shape and relais.shape[0] == len(messages)
    for part in ("data", "indices", "indptr"):
        assert getattr(relais, part).dtype == getattr(rasas, part).dtype
        assert np.array_equal(getattr(relais, part), getattr(rasas, part))
    assert np.array_equal(rasa_speedups._probabilities(classifier.clf, relais),
                          classifier.clf.predict_proba(rasas))


# --- the count vectorisers' sentence features written directly, the sequence ones when read ----

def _same_matrix(relais: Any, rasas: Any) -> bool:
    import numpy as np

    return (type(relais) is type(rasas) and relais.shape == rasas.shape
            and relais.has_canonical_format == rasas.has_canonical_format
            and all(getattr(relais, part).dtype == getattr(rasas, part).dtype
                    and np.array_equal(getattr(relais, part), getattr(rasas, part))
                    for part in ("row", "col", "data")))


@pytest.mark.skipif(not MODEL.exists(), reason="no trained model (make setup)")
def test_the_count_vectorisers_features_are_rasas():
    """Every training example and development message through Relais's two count vectorisers
    (words, then character n-grams), by Rasa's own ``process`` and by rasa_speedups': the same
    features in the same order; the sentence features the same COO matrices (arrays, types,
    shape); the sequence features computed only when read, and then Rasa's."""
    from rasa.core.agent import Agent
    from rasa.core.channels.channel import UserMessage
    from rasa.shared.nlu.constants import FEATURE_TYPE_SEQUENCE

    agent = Agent.load(str(MODEL))
    runner = agent.processor.graph_runner
    tokenizer = next(name for name in runner._graph_schema.nodes
                     if name.startswith("run_WhitespaceTokenizer"))
    vectorisers = [node._component for name, node in runner._instantiated_nodes.items()
                   if name.startswith("run_CountVectorsFeaturizer")]
    assert {v._config["analyzer"] for v in vectorisers} == {"word", "char_wb"}
    assert CountVectorsFeaturizer.process.__module__.startswith("rasa.")  # Rasa's own

    def featurised(process: Any) -> list:
        messages = []
        for words in _nlu_texts():
            message = runner.run(inputs={"__message__": [UserMessage(words)]},
                                 targets=[tokenizer])[tokenizer][0]
            for vectoriser in vectorisers:
                process(vectoriser, [message])
            messages.append(message)
        return messages

    rasas = featurised(CountVectorsFeaturizer.process)
    relais = featurised(rasa_speedups._count_features)
    compared = 0
    for rasa_message, relais_message in zip(rasas, relais, strict=True):
        kinds = [(f.type, f.attribute, f.origin, f.is_sparse()) for f in rasa_message.features]
        assert [(f.type, f.attribute, f.origin, f.is_sparse())
                for f in relais_message.features] == kinds
        for rasas_features, relais_features in zip(rasa_message.features,
                                                   relais_message.features, strict=True):
            if relais_features.type == FEATURE_TYPE_SEQUENCE:
                assert relais_features._features is None  # not computed until read
            assert _same_matrix(relais_features.features, rasas_features.features)
            compared += 1
    assert compared == 4 * len(rasas) > 4_000


# --- each event checked against the branch of the schema its name selects -----------------------

def _action_answers(seed: int) -> list:
    """Action server answers made of the test stories' events (as the SDK sends them), as is
    and broken at random: a key removed, a value of the wrong type, an unknown or another
    event's name, an event that is not an object, no list of events."""
    import random

    rng = random.Random(seed)
    events = [happened.as_dict() for happened in _with_surprises(_story_events(), seed)]
    names = sorted({e["event"] for e in events}) + ["no_such_event", "", "USER"]
    oddities = [None, 3, 2.5, True, "x", [], {}, ["a"], {"a": 1}]
    answers: list = []
    while events:
        size = rng.randint(0, 6)
        chosen, events = [dict(e) for e in events[:size]], events[size:] if size else events[1:]
        answer: Any = {"events": chosen, "responses": [{"response": "utter_greet"}]}
        if rng.random() < 0.5 and chosen:
            target = rng.choice(chosen)
            key = rng.choice(sorted(target))
            change = rng.randrange(4)
            if change == 0:
                del target[key]
            elif change == 1:
                target[key] = rng.choice(oddities)
            elif change == 2:
                target["event"] = rng.choice(names)
            else:
                chosen[chosen.index(target)] = rng.choice(oddities)
        elif rng.random() < 0.05:
            answer = rng.choice([{"events": rng.choice(oddities)}, {"responses": "utter_x"},
                                 rng.choice(oddities), {}])
        answers.append(answer)
    return answers


@pytest.mark.parametrize("seed", [1, 2])
def test_the_action_answer_check_by_event_name_passes_and_refuses_as_rasa(seed):
    """Rasa's own check (``jsonschema.validate``) and the speed-up on the same answers: the
    same pass, the same ``ValidationError`` message otherwise."""
    original = RemoteAction._validate_action_result
    assert original.__module__ == "rasa.core.actions.action"  # Rasa's own

    def outcome(check: Any, answer: Any) -> Any:
        try:
            return check(RemoteAction("action_x", None), answer)
        except ValidationError as error:
            return error.message, list(error.path)

    answers = _action_answers(seed)
    rasas = [outcome(original, answer) for answer in answers]
    relais = [outcome(rasa_speedups._validate_action_result, answer) for answer in answers]
    assert relais == rasas
    passed = sum(outcome is True for outcome in rasas)
    assert 100 < passed < len(answers) - 100  # both kinds, many of each
    fast = sum(rasa_speedups._action_result_is_valid(answer) for answer in answers)
    assert fast == passed  # every valid answer passed by the branch check alone


# --- memoization skipped when the rules' prediction wins anyway ---------------------------------

def _final(prediction: Any) -> tuple:
    return (prediction.probabilities, prediction.policy_name, prediction.policy_priority,
            [{k: v for k, v in e.as_dict().items() if k != "timestamp"}  # made at each call
             for e in prediction.events], prediction.is_end_to_end_prediction,
            prediction.is_no_user_prediction, prediction.hide_rule_turn)


@pytest.mark.skipif(not MODEL.exists(), reason="no trained model (make setup)")
@pytest.mark.parametrize("seed", [None, 5])
def test_the_ensemble_predicts_the_same_when_memoization_is_skipped(seed):
    """Before every action of every test story in one long session (with forms' actions
    rejected and messages reverted at random), the ensemble's prediction from the rule and
    memoization policies, memoization always run, then skipped where the rules win: the same
    prediction, events and flags."""
    import random

    from rasa.core.agent import Agent
    from rasa.core.policies.ensemble import DefaultPolicyPredictionEnsemble
    from rasa.shared.core.events import (
        ActionExecuted,
        ActionExecutionRejected,
        UserUtteranceReverted,
    )

    from bot.rasa_policies import WindowedMemoizationPolicy, WindowedRulePolicy

    agent = Agent.load(str(MODEL))
    found = {type(node._component): node._component
             for node in agent.processor.graph_runner._instantiated_nodes.values()}
    rule, memo = found[WindowedRulePolicy], found[WindowedMemoizationPolicy]
    ensemble, domain = found[DefaultPolicyPredictionEnsemble], agent.domain
    rng = random.Random(seed)
    tracker = DialogueStateTracker("resident", domain.slots)
    skipped = memo_won = rejected = 0

    def predict(skip: bool) -> tuple:
        memo.skip_when_rules_win = skip
        only = rule._get_rule_only_data()
        by_rules = rule.predict_action_probabilities(tracker, domain, rule_only_data=only)
        by_stories = memo.predict_action_probabilities(tracker, domain, rule_only_data=only)
        best = ensemble.combine_predictions([by_rules, by_stories], tracker, domain)
        return _final(best), max(by_stories.probabilities)

    try:
        for happened in _story_events():
            if isinstance(happened, ActionExecuted):
                if seed is not None and tracker.active_loop_name and rng.random() < 0.3:
                    tracker.update(ActionExecutionRejected(tracker.active_loop_name), domain)
                    rejected += 1
                (always, memo_max), (skipping, skipped_max) = predict(False), predict(True)
                assert skipping == always
                skipped += skipped_max < memo_max
                memo_won += always[1] == type(memo).__name__
                hide = always[-1]
                happened = ActionExecuted(happened.action_name, hide_rule_turn=hide)
            tracker.update(happened, domain)
            if seed is not None and type(happened).__name__ == "UserUttered" \
                    and rng.random() < 0.05:
                tracker.update(UserUtteranceReverted(), domain)
    finally:
        memo.skip_when_rules_win = True
    # memoization's recall was skipped many times, and won where it was not
    assert skipped > 50 and memo_won > 0 and (seed is None or rejected > 5)


def test_memoization_is_not_skipped_when_the_rules_predicted_the_rejected_action():
    """The ensemble sets a rejected action's confidence to 0 in every prediction: a rules'
    prediction of 1.0 for it no longer wins, another action's does."""
    from rasa.core.policies.policy import PolicyPrediction
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, ActionExecutionRejected

    from bot import rasa_policies

    domain = Domain.load(str(Path(__file__).resolve().parents[1] / "domain.yml"))
    tracker = DialogueStateTracker("resident", domain.slots)
    tracker.update(ActionExecuted("action_listen"), domain)
    tracker.update(ActionExecutionRejected("utter_greet"), domain)

    def rules_predicted(action: str, **flags: bool) -> bool:
        probabilities = [0.0] * domain.num_actions
        probabilities[domain.index_for_action(action)] = 1.0
        tracker.__dict__[rasa_policies._RULES_PREDICTION] = (
            rasa_policies._tracker_key(tracker), 6,
            PolicyPrediction(probabilities, "WindowedRulePolicy", 6, **flags))
        return rasa_policies.rules_win(tracker, domain, 3)

    assert not rules_predicted("utter_greet")
    assert rules_predicted("utter_goodbye")
    assert rules_predicted("utter_greet", is_no_user_prediction=True)
    tracker.update(ActionExecuted("utter_goodbye"), domain)  # the tracker moved on
    assert not rasa_policies.rules_win(tracker, domain, 3)


# --- the rule policy's states computed once, its rules decoded once -------------------------------

@pytest.mark.skipif(not MODEL.exists(), reason="no trained model (make setup)")
@pytest.mark.parametrize("seed", [None, 6])
def test_the_kept_window_states_and_the_decoded_rules_are_rasas(seed):
    """Before every action of every test story in one long session: the states each policy
    featurises (text, then intent for the rules) are those of Rasa's featuriser on the window,
    computed once for the rules; the rules that match them, in the same set order, and the
    rule policy's prediction are those of Rasa's own ``_get_possible_keys`` (the last state
    tested only on the rules whose last state names the same previous action, or none)."""
    import random

    from rasa.core.agent import Agent
    from rasa.core.policies.rule_policy import RULES, RULES_FOR_LOOP_UNHAPPY_PATH, RulePolicy
    from rasa.shared.core.events import ActionExecuted, UserUtteranceReverted

    from bot.rasa_policies import WindowedMemoizationPolicy, WindowedRulePolicy, window

    agent = Agent.load(str(MODEL))
    found = {type(node._component): node._component
             for node in agent.processor.graph_runner._instantiated_nodes.values()}
    rule, memo, domain = found[WindowedRulePolicy], found[WindowedMemoizationPolicy], agent.domain
    only = rule._get_rule_only_data()
    rng = random.Random(seed)
    tracker = DialogueStateTracker("resident", domain.slots)
    matched = tested = calls = 0

    def rasas_states(policy: Any, use_text: bool) -> list:
        from rasa.core.policies.policy import Policy

        return Policy._prediction_states(
            policy, window(tracker, policy._window_actions(tracker)), domain, use_text,
            rule_only_data=only)

    for happened in _story_events():
        if isinstance(happened, ActionExecuted):
            for use_text in (True, False):
                states = rule._prediction_states(tracker, domain, use_text, rule_only_data=only)
                assert states == rasas_states(rule, use_text)
                for lookup in (rule.lookup[RULES], rule.lookup[RULES_FOR_LOOP_UNHAPPY_PATH]):
                    relais = rule._get_possible_keys(lookup, states)
                    rasas = RulePolicy._get_possible_keys(rule, lookup, states)
                    assert list(relais) == list(rasas)
                    matched += bool(relais)
                    tested += len(rule._candidates(lookup, states[-1]))
                    calls += len(lookup)
            assert len(rule._relais_past_states._states) == 1  # text and intent: once
            assert memo._prediction_states(tracker, domain, rule_only_data=only) == \
                rasas_states(memo, False)
            relais_prediction = rule.predict_action_probabilities(tracker, domain, only)
            rule._get_possible_keys = functools.partial(RulePolicy._get_possible_keys, rule)
            try:
                rasas_prediction = rule.predict_action_probabilities(tracker, domain, only)
            finally:
                del rule._get_possible_keys
            assert _final(relais_prediction) == _final(rasas_prediction)
            happened = ActionExecuted(happened.action_name,
                                      hide_rule_turn=relais_prediction.hide_rule_turn)
        tracker.update(happened, domain)
        if seed is not None and type(happened).__name__ == "UserUttered" and rng.random() < 0.05:
            tracker.update(UserUtteranceReverted(), domain)
    assert matched > 300
    # the last state tested on the rules whose last action it names, a fraction of them
    assert tested < calls / 4  # about 11 % of the rules in Relais's model


@pytest.mark.skipif(not MODEL.exists(), reason="no trained model (make setup)")
def test_the_rules_kept_for_every_kind_of_last_state_are_rasas():
    """Rules of every shape Rasa writes (a previous action by name, by text, none at a
    conversation's start, a value that must not be set, several states) against last states
    of every kind: the rules kept are Rasa's, in the same set order."""
    import itertools
    import json

    from rasa.core.agent import Agent
    from rasa.core.policies.rule_policy import RulePolicy
    from rasa.shared.core.constants import SHOULD_NOT_BE_SET

    from bot.rasa_policies import WindowedRulePolicy

    agent = Agent.load(str(MODEL))
    rule = next(node._component for node in agent.processor.graph_runner
                ._instantiated_nodes.values() if type(node._component) is WindowedRulePolicy)
    listen = {"prev_action": {"action_name": "action_listen"}, "user": {"intent": "greet"}}
    states = [
        listen,
        {"prev_action": {"action_name": "utter_greet"}},
        {"prev_action": {"action_name": "utter_greet"}, "active_loop": {"name": "form"}},
        {"prev_action": {"action_text": "Bonjour"}, "user": {"intent": "greet"}},
        {"user": {"intent": "greet"}},  # a conversation's start: no previous action
        {"prev_action": {"action_name": SHOULD_NOT_BE_SET}},
    ]
    loops = [{"active_loop": {"name": "form"}}, {"active_loop": {"name": SHOULD_NOT_BE_SET}}]
    shapes = states + [{**state, **loop} for state in states[:2] for loop in loops]
    lookup = {json.dumps(list(rule_states)): "utter_x"
              for length in (1, 2) for rule_states in itertools.product(shapes, repeat=length)}
    for length in (1, 2, 3):
        for conversation in itertools.product(states, repeat=length):
            conversation = [dict(state) for state in conversation]
            relais = rule._get_possible_keys(lookup, conversation)
            rasas = RulePolicy._get_possible_keys(rule, lookup, conversation)
            assert list(relais) == list(rasas)
    assert len(rule._candidates(lookup, listen)) < len(lookup)  # some rules left out


# --- the tracker copied without replaying the session ---------------------------------------------

def _tracker_state(tracker: Any) -> dict:
    """Everything a tracker holds: its events as objects, each slot's attributes, the latest
    message and bot utterance (the event itself, or an empty one compared by content)."""
    events = {id(e) for e in tracker.events}

    def latest(event: Any) -> Any:
        if id(event) in events:
            return id(event)
        return {k: v for k, v in event.as_dict().items() if k != "timestamp"}

    state = {name: value for name, value in vars(tracker).items()
             if name not in ("events", "slots", "latest_message", "latest_bot_utterance")
             and not name.startswith("_relais")}
    state.update(type=type(tracker), events=[id(e) for e in tracker.events],
                 slots={name: (type(slot), vars(slot)) for name, slot in tracker.slots.items()},
                 latest_message=latest(tracker.latest_message),
                 latest_bot_utterance=latest(tracker.latest_bot_utterance))
    return state


@pytest.mark.parametrize("seed", [None, 7, 8])
def test_the_tracker_copied_without_replay_is_rasas_copy(seed):
    """After every event of every test story in one session (with reverted messages and
    actions, rejected loops, restarts, new sessions put in at random), the copy holds what
    Rasa's replayed copy holds, and shares nothing that changes with the original."""
    from rasa.shared.core.domain import Domain

    assert DialogueStateTracker.copy.__module__ == "rasa.shared.core.trackers"  # Rasa's own
    domain = Domain.load(str(Path(__file__).resolve().parents[1] / "domain.yml"))
    events = _story_events() if seed is None else _with_surprises(_story_events(), seed)
    tracker = DialogueStateTracker("resident", domain.slots)
    tracker.model_id, tracker.assistant_id = "model", "relais"
    compared = 0
    for number, happened in enumerate(events):
        tracker.update(happened, domain)
        if number % 3:
            continue
        rasas, relais = tracker.copy(), rasa_speedups._copy_tracker(tracker)
        assert _tracker_state(relais) == _tracker_state(rasas)
        assert relais.events is not tracker.events
        assert all(relais.slots[name] is not slot for name, slot in tracker.slots.items())
        assert relais.active_loop is None or relais.active_loop is not tracker.active_loop
        compared += relais.active_loop is not None and any(
            slot._has_been_set for slot in relais.slots.values())
    assert compared > 10  # copies made inside forms, with slots set


def test_a_tracker_rasa_must_replay_is_copied_by_rasa():
    from collections import deque

    from rasa.shared.core.events import ActionExecuted, SlotSet

    bounded = DialogueStateTracker("resident", [], max_event_history=3)
    free = DialogueStateTracker("resident", None)  # any slot: Rasa's copy has none of them
    for tracker in (bounded, free):
        for happened in (ActionExecuted("action_listen"), SlotSet("couple", True),
                         ActionExecuted("utter_greet"), SlotSet("couple", False)):
            tracker.update(happened)
        assert _tracker_state(rasa_speedups._copy_tracker(tracker)) == _tracker_state(
            tracker.copy())
    assert isinstance(bounded.events, deque) and len(bounded.events) == 3


@pytest.mark.parametrize("seed", [None, 7])
def test_the_initial_copy_is_rasas(seed):
    """After every event of every test story (with surprises), and for the window the policies
    featurise, the tracker ``init_copy`` starts from holds what Rasa's holds: the same slots
    at their initial values, copies that share nothing with the original."""
    from rasa.shared.core.domain import Domain

    from bot.rasa_policies import window

    rasas_init_copy = DialogueStateTracker.init_copy
    assert rasas_init_copy.__module__ == "rasa.shared.core.trackers"  # Rasa's own
    rasa_speedups._original_init_copy = rasas_init_copy
    domain = Domain.load(str(Path(__file__).resolve().parents[1] / "domain.yml"))
    events = _story_events() if seed is None else _with_surprises(_story_events(), seed)
    tracker = DialogueStateTracker("resident", domain.slots)
    set_before = 0
    for number, happened in enumerate(events):
        tracker.update(happened, domain)
        if number % 3:
            continue
        for original in (tracker, window(tracker, 8)):
            relais = rasa_speedups._init_copy(original)
            assert _tracker_state(relais) == _tracker_state(rasas_init_copy(original))
            assert all(relais.slots[name] is not slot for name, slot in original.slots.items())
        set_before += any(slot._has_been_set for slot in tracker.slots.values())
    assert set_before > 10  # copies of trackers whose slots were set
    for other in (DialogueStateTracker("resident", None),  # any slot: Rasa's own copy
                  DialogueStateTracker("resident", domain.slots, max_event_history=3,
                                       is_rule_tracker=True)):
        assert _tracker_state(rasa_speedups._init_copy(other)) == _tracker_state(
            rasas_init_copy(other))


# --- the domain's JSON written once for the calls to the action server ---------------------------

def test_the_action_call_with_the_kept_domain_json_is_the_same_text():
    """The calls Rasa makes to the action server along every test story: the same JSON text
    as ujson writes for the whole call, for Relais's domain and for another domain."""
    import ujson
    from rasa.shared.core.domain import Domain

    root = Path(__file__).resolve().parents[1]
    domain = Domain.load(str(root / "domain.yml"))
    other = Domain.from_dict({**domain.as_dict(), "intents": ["greet"]})
    tracker = DialogueStateTracker("résident/1", domain.slots)
    action = RemoteAction("validate_eligibility_form", None)
    calls = 0
    for number, happened in enumerate(_story_events()):
        tracker.update(happened, domain)
        if number % 25:
            continue
        for used in (domain, other):
            call = action._action_call_format(tracker, used)
            assert "domain" in call
            assert rasa_speedups._dumps(call) == ujson.dumps(
                call, ensure_ascii=False, escape_forward_slashes=False)
            calls += 1
    assert calls > 50
    marked = {"tracker": {"text": rasa_speedups._DOMAIN_MARKER}, "domain": domain.as_dict()}
    assert rasa_speedups._dumps(marked) == ujson.dumps(  # the marker written by a resident
        marked, ensure_ascii=False, escape_forward_slashes=False)
