"""What one prediction of the dialogue policies costs as the Rasa session grows, on the whole
session (Rasa's own way) and on the window (bot/rasa_policies.py).

    .venvs/rasa/bin/python -m bench.policy_window [--model models/relais.tar.gz]

Builds one session from every test story of tests/stories played one after the other, and
times both trained policies at its 25th, 50th, 100th and 150th event (150: where
bot/rasa_sessions.py starts a new session), each way. In-process, no server: the Rasa-side
cost that grew with the session, without the noise of the whole stack. Prints, asserts nothing.
"""

from __future__ import annotations

import argparse
import time

from bot.config import REPO_ROOT

LENGTHS = (25, 50, 100, 150)
REPEATS = 50


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default=str(REPO_ROOT / "models" / "relais.tar.gz"))
    args = parser.parse_args(argv)

    from rasa.core.agent import Agent
    from rasa.shared.core.events import ActionExecuted, SessionStarted
    from rasa.shared.core.trackers import DialogueStateTracker

    from bench.story_events import stories_in_a_row
    from bot.rasa_policies import _Windowed

    agent = Agent.load(args.model)
    domain = agent.domain
    nodes = agent.processor.graph_runner._instantiated_nodes.values()
    policies = [node._component for node in nodes if isinstance(node._component, _Windowed)]
    events = [ActionExecuted("action_session_start"), SessionStarted(),
              *stories_in_a_row(domain)]
    only = next(p for p in policies if hasattr(p, "_get_rule_only_data"))._get_rule_only_data()
    print(f"{len(policies)} policies; ms per prediction, whole session / window")
    for length in LENGTHS:
        cut = max(i for i, e in enumerate(events[:length]) if isinstance(e, ActionExecuted))
        tracker = DialogueStateTracker.from_events("bench", events[:cut], domain.slots)
        row = []
        for policy in policies:
            for whole in (True, False):
                policy._whole_session = whole
                started = time.perf_counter()
                for _ in range(REPEATS):
                    policy.predict_action_probabilities(tracker, domain, rule_only_data=only)
                row.append((time.perf_counter() - started) / REPEATS * 1000)
            policy._whole_session = False
        cells = "   ".join(f"{type(p).__name__} {row[2 * k]:5.2f} / {row[2 * k + 1]:5.2f}"
                           for k, p in enumerate(policies))
        print(f"  event {length:>3}: {cells}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
