"""Faults under load: a Rasa instance, an action server, the eligibility service killed, and
PostgreSQL restarted, each while eight residents talk at once (tests/production/faults.py).

No message may be lost (each gets an answer; a "réessayez" is followed by the same message,
answered then), none may be handled twice, and the assistant must be whole again by itself
(/health "ok"). The counts are printed (pytest -s), and by ``bench/faults.py`` for the docs.
"""

from __future__ import annotations

import pytest

from tests.production.faults import FAULTS, TABLE_HEADER, run_fault


@pytest.mark.parametrize(("fault", "inject"), FAULTS, ids=[name for name, _ in FAULTS])
def test_no_message_is_lost_or_answered_twice_and_the_assistant_recovers(stack, fault, inject):
    tally = run_fault(stack, fault, lambda: inject(stack))
    print(f"\n{TABLE_HEADER}\n{tally.row()}")
    assert tally.answered > 0
    assert tally.lost == 0, f"{tally.row()} {dict(tally.lost_how)}"
    assert tally.duplicates == 0, tally.row()
    assert tally.recovery_s is not None, stack.output()
