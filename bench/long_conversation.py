"""Does a turn cost more as the conversation grows? Latency by decile of long conversations.

    flock /tmp/relais-heavy.lock .venvs/rasa/bin/python -m bench.long_conversation \
        [--residents 4] [--messages 300]

Starts the whole of Relais as bench/benchmark.py does (the model in models/, or RELAIS_MODEL;
RELAIS_* settings in the environment are passed on, e.g. RELAIS_RASA_INSTANCES), has each
resident send the same 10-message conversation over and over (bench/load.py's
LONG_CONVERSATION) and prints, for each tenth of the conversation, p50 and p95 latency, then
the ratio of the last 10 messages' p95 to the first 10's — the figure of issue 8's target.
A focused measurement, quicker than the whole benchmark; it prints, it asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import tempfile
from pathlib import Path

from bench.benchmark import Figures, relais, say
from bench.load import LONG_CONVERSATION, Plan, run_load


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--residents", type=int, default=4)
    parser.add_argument("--messages", type=int, default=300,
                        help=f"per resident, a multiple of {len(LONG_CONVERSATION)}")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="relais-long-"))
    say(f"{args.residents} conversations of {args.messages} messages, {os.cpu_count()} CPU(s), "
        f"load {os.getloadavg()[0]:.2f}")
    try:
        with relais(work, Figures()) as (url, twilio, _data):
            plan = Plan(args.residents, messages=args.messages, seed=300, cycle=LONG_CONVERSATION)
            result = asyncio.run(run_load(url, plan, sms_share=0, twilio=twilio))
        say(f"{result.rate:.1f} msg/s, {result.errors} errors")
        tenth = args.messages // 10
        for k in range(10):
            positions = range(k * tenth + 1, (k + 1) * tenth + 1)
            say(f"  messages {positions.start:>4}-{positions.stop - 1:<4} p50 "
                f"{result.percentile(50, positions) * 1000:6.0f} ms   p95 "
                f"{result.percentile(95, positions) * 1000:6.0f} ms")
        cycle = len(LONG_CONVERSATION)
        early = result.percentile(95, range(1, cycle + 1))
        late = result.percentile(95, range(args.messages - cycle + 1, args.messages + 1))
        say(f"p95 of messages 1-{cycle} / {args.messages - cycle + 1}-{args.messages}: "
            f"{early * 1000:.0f} / {late * 1000:.0f} ms (ratio {late / early:.2f})")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
