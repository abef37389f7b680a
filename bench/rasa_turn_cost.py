"""What a resident's message costs the Rasa server in CPU, in one process, each Relais speed-up
of the Rasa side on and off in turn.

    .venvs/rasa/bin/python -m bench.rasa_turn_cost [--messages 1600] [--residents 16]

Starts the action server and the eligibility service (as ``make run`` does, in a temporary
data folder), loads the trained model into this process with the real tracker store, and plays
the benchmark's conversations (bench/load.py) for ``--residents`` residents, one message of
each in turn. Every block of messages runs once with every speed-up applied and once with the
one named in ``--without`` put back to Rasa's own code, alternately, and the CPU time this
process spent per message is printed for both: a before/after pair in the same process, on
the same sessions, without the gateway nor the noise of a closed loop on a shared machine.
``--long`` instead plays the benchmark's long conversations (bench/load.py's
LONG_CONVERSATION repeated, 300 messages for each of 8 residents, one message of each in turn)
with every speed-up applied, and prints the CPU per message by tenth of the conversation:
whether a turn costs the Rasa side more as the conversation grows, without any queue.
Prints, asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import logging
import os
import random
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from bench.load import CONVERSATIONS, LONG_CONVERSATION
from tests.processes import port_open, relais_env, wait_until

BLOCK = 80  # messages per block; the blocks alternate between the two ways


def _speedups() -> dict[str, tuple[object, str, object, object]]:
    """Each speed-up that can be put back: (class, attribute, Rasa's own, Relais's), read
    before ``rasa_speedups.apply()`` replaces it."""
    from rasa.core.actions.action import RemoteAction
    from rasa.core.policies.rule_policy import RulePolicy
    from rasa.nlu.classifiers.logistic_regression_classifier import (
        LogisticRegressionClassifier,
    )
    from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
        CountVectorsFeaturizer,
    )
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot import rasa_speedups
    from bot.rasa_policies import WindowedMemoizationPolicy, WindowedRulePolicy

    return {
        # both ways the same: the difference printed is the measurement's noise
        "none": (_Nothing, "nothing", None, None),
        "applied_events": (DialogueStateTracker, "applied_events",
                           DialogueStateTracker.applied_events, rasa_speedups._applied_events),
        "classifier_input": (LogisticRegressionClassifier, "_create_X",
                             LogisticRegressionClassifier._create_X,
                             rasa_speedups._direct_classifier_input),
        "classifier_probabilities": (LogisticRegressionClassifier, "process",
                                     LogisticRegressionClassifier.process,
                                     rasa_speedups._classify),
        "empty_domain": (Domain, "is_empty", Domain.is_empty, rasa_speedups._domain_is_empty),
        "action_answer_check": (RemoteAction, "_validate_action_result",
                                RemoteAction._validate_action_result,
                                rasa_speedups._validate_action_result),
        "memoization_skip": (WindowedMemoizationPolicy, "skip_when_rules_win", False, True),
        "tracker_copy": (DialogueStateTracker, "copy", DialogueStateTracker.copy,
                         rasa_speedups._copy_tracker),
        "init_copy": (DialogueStateTracker, "init_copy", DialogueStateTracker.init_copy,
                      rasa_speedups._init_copy),
        "count_features": (CountVectorsFeaturizer, "process", CountVectorsFeaturizer.process,
                           rasa_speedups._count_features),
        "decoded_rules": (WindowedRulePolicy, "_get_possible_keys",
                          RulePolicy._get_possible_keys, WindowedRulePolicy._get_possible_keys),
        # every rule tested on the last state, as Rasa does
        "rules_by_last_action": (WindowedRulePolicy, "_candidates",
                                 lambda _self, lookup, _state: list(set(lookup.keys())),
                                 WindowedRulePolicy._candidates),
    }


class _Nothing:
    nothing = None


SPEEDUPS = ("none", "applied_events", "classifier_input", "classifier_probabilities",
            "empty_domain", "action_answer_check", "memoization_skip", "decoded_rules",
            "tracker_copy", "count_features", "rules_by_last_action", "init_copy")


def _start(argv: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    from bot.config import REPO_ROOT

    return subprocess.Popen(argv, cwd=REPO_ROOT, env=env, stdout=log.open("wb"),
                            stderr=subprocess.STDOUT, start_new_session=True)


class _ErrorCount(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def _messages(residents: int, seed: int = 7):
    """(resident, text) in turn, each resident writing whole conversations one after the
    other, chosen at random as bench/load.py does."""
    rng = random.Random(seed)
    names = sorted(CONVERSATIONS)

    def texts(r: random.Random):
        while True:
            yield from CONVERSATIONS[r.choice(names)]

    streams = [texts(random.Random(rng.random())) for _ in range(residents)]
    for turn in itertools.count():
        resident = turn % residents
        yield f"turn-cost-{resident}", next(streams[resident])


async def _play(agent, messages, count: int) -> float:
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

    started = time.process_time()
    for sender, text in itertools.islice(messages, count):
        await agent.handle_message(UserMessage(text, CollectingOutputChannel(), sender))
    return time.process_time() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=1600, help="per way")
    parser.add_argument("--residents", type=int, default=16)
    parser.add_argument("--long", action="store_true",
                        help="the long conversations, CPU per message by tenth")
    parser.add_argument("--without", choices=SPEEDUPS, default="none",
                        help="the speed-up put back to Rasa's own code in every other block")
    args = parser.parse_args(argv)

    with ExitStack() as stack:
        data_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="turn-cost-")))
        os.environ.update(relais_env(data_dir))
        from bot.config import REPO_ROOT, Settings

        settings = Settings.from_env()
        for name, value in settings.child_environment().items():
            os.environ[name] = value
        children = [
            _start([str(settings.eligibility_python), "-m", "eligibility"], dict(os.environ),
                   data_dir / "eligibility.log"),
            _start([sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port",
                    str(settings.actions_port)], dict(os.environ), data_dir / "actions.log"),
        ]
        for child in children:
            stack.callback(child.wait, 30)
            stack.callback(child.terminate)
        if not wait_until(lambda: port_open(settings.actions_port)
                          and port_open(settings.eligibility_port), 120):
            print("the action server or the eligibility service did not start", file=sys.stderr)
            return 1
        return asyncio.run(_measure(args, settings, REPO_ROOT))


async def _measure(args: argparse.Namespace, settings, repo_root: Path) -> int:
    from rasa.core.agent import load_agent
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    from bot import rasa_sessions, rasa_speedups

    configure_logging_and_warnings(logging.INFO)  # as bot/rasa_server.py
    configure_structlog(logging.INFO)
    owner, attribute, rasa_own, relais = (
        _speedups()[args.without] if not args.long else (_Nothing, "nothing", None, None))
    rasa_speedups.apply()
    rasa_sessions.apply()
    endpoints = AvailableEndpoints.read_endpoints(str(repo_root / "endpoints.yml"))
    agent = await load_agent(model_path=str(settings.model_path), endpoints=endpoints)
    if args.long:
        await _long(agent)
        await rasa_speedups.close_action_session(None, asyncio.get_running_loop())
        return 0
    messages = _messages(args.residents)
    await _play(agent, messages, 2 * args.residents)  # warm-up: every resident has a session
    spent = {True: 0.0, False: 0.0}
    blocks = max(2, args.messages // BLOCK // 2 * 2)
    errors = _ErrorCount()
    logging.getLogger().addHandler(errors)
    for block in range(2 * blocks):
        applied = block % 4 in (0, 3)  # with, without, without, with, …: no order favoured
        setattr(owner, attribute, relais if applied else rasa_own)
        spent[applied] += await _play(agent, messages, BLOCK)
    setattr(owner, attribute, relais)
    count = blocks * BLOCK
    print(f"{count} messages each way, {args.residents} residents, load "
          f"{os.getloadavg()[0]:.2f}; CPU ms per message of this process (Rasa, in-process):")
    print(f"  without {args.without}: {spent[False] / count * 1000:.2f}")
    print(f"  with    {args.without}: {spent[True] / count * 1000:.2f}")
    print(f"  errors logged: {errors.count}")
    await rasa_speedups.close_action_session(None, asyncio.get_running_loop())
    return 0


async def _long(agent, residents: int = 8, length: int = 300) -> None:
    tenths: list[float] = [0.0] * 10
    for position in range(length):
        text = LONG_CONVERSATION[position % len(LONG_CONVERSATION)]
        for resident in range(residents):
            spent = await _play(agent, iter([(f"turn-cost-long-{resident}", text)]), 1)
            tenths[position * 10 // length] += spent
    per_tenth = residents * length / 10
    print(f"{residents} conversations of {length} messages, load {os.getloadavg()[0]:.2f}; "
          "CPU ms per message of this process (Rasa, in-process), by tenth:")
    print("  " + " ".join(f"{spent / per_tenth * 1000:.1f}" for spent in tenths))


if __name__ == "__main__":
    raise SystemExit(main())
