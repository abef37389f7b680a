"""Prints what residents get while parts of Relais fail under load (docs/deployment.md).

Starts private PostgreSQL and Redis servers and the whole assistant in production mode (two
Rasa instances, two action servers), then, one after the other, while eight residents go
through the CSS questionnaire at once: kills a Rasa instance, kills an action server, kills
the eligibility service, restarts PostgreSQL. Prints one row per fault: messages sent,
answered, "réessayez" answers (each followed by the same message, answered then), lost,
handled twice, and the time until /health said "ok" again by itself.

    flock /tmp/relais-heavy.lock .venvs/rasa/bin/python -m bench.faults [--residents 8]

The same scenario is a test: tests/production/test_faults.py.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from tests.production.faults import FAULTS, TABLE_HEADER, run_fault
from tests.production.services import postgres_server, redis_server
from tests.production.stack import production_stack


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=8, help="residents talking at once")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="relais-faults-") as folder, \
            postgres_server() as postgres, redis_server() as redis, \
            production_stack(Path(folder), postgres, redis) as stack:
        print(f"{args.residents} residents at once, 2 Rasa instances, 2 action servers, "
              "PostgreSQL, Redis\n")
        print(TABLE_HEADER, flush=True)
        for fault, inject in FAULTS:
            tally = run_fault(stack, fault, lambda inject=inject: inject(stack),
                              residents=args.residents)
            print(tally.row(), flush=True)


if __name__ == "__main__":
    main()
