"""One production stack (PostgreSQL, Redis, two Rasa and two action servers) per session.

Started on first use and shared: the conversation tests run first (file order), the fault
tests after them.
"""

from __future__ import annotations

import pytest

from tests.production.stack import production_stack


@pytest.fixture(scope="session")
def stack(tmp_path_factory, postgres, redis):
    with production_stack(tmp_path_factory.mktemp("production"), postgres, redis) as running:
        yield running
