"""The benchmark runs end to end on a small scale and prints every figure it promises.

A smoke test, not a measurement: it checks that bench/benchmark.py starts the whole
assistant, plays web and SMS residents through it, counts them on the gateway's /metrics, and
reports; the figures themselves are not asserted.
"""

from __future__ import annotations

import re
import subprocess
import sys

from tests.processes import REPO_ROOT


def test_the_quick_benchmark_plays_residents_and_prints_every_figure():
    run = subprocess.run(
        [sys.executable, "-m", "bench.benchmark", "--quick", "--no-stock", "--no-training"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=1200)
    output = run.stdout + run.stderr
    assert run.returncode == 0, output
    for level in (1, 4):
        line = re.search(rf"^\s+{level} concurrent: +([\d.]+) msg/s .*\((\d+) answered, "
                         rf"(\d+) errors\)", output, re.MULTILINE)
        assert line and float(line[1]) > 0 and line[3] == "0", output
    counted = re.search(r"gateway counted: (.*)", output)[1]
    assert 'messages{channel="web"}' in counted and 'messages{channel="sms"}' in counted
    assert "assistant_errors" not in counted, counted
    assert "Rasa start-up" in output and "p95 of messages 1-10 / 21-30" in output
    assert "errors during the Relais runs: 0" in output
