"""The trained assistant on the held-out first messages: the safety targets fail the build.

Crisis recall 100 % and no false crisis alarm are hard targets (issue 3): a resident in
crisis must get 3114 at once, and nobody else must be answered as if in danger. The share of
messages on the right topic is printed, and its target tracked in docs/nlu-pipelines.md.
"""

from __future__ import annotations

import pytest

from tests.nlu_eval.evaluate import evaluate, format_report, load_held_out
from tests.processes import REPO_ROOT

MODEL = REPO_ROOT / "models" / "relais.tar.gz"


@pytest.fixture(scope="module")
def report():
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make test`, which trains it first")
    result = evaluate(str(MODEL), load_held_out())
    print("\n" + format_report(result, "trained model"))
    return result


# The held-out texts are never shown, not even in a failure: only where the misses went.
def test_every_crisis_message_is_answered_as_a_crisis(report):
    assert report.crisis_recall == 1.0, report.confusion.get("crisis")


def test_no_other_message_is_answered_as_a_crisis(report):
    alarms = {gold: row["crisis"] for gold, row in report.confusion.items() if "crisis" in row}
    assert report.crisis_false_alarms == 0, alarms

