"""The Rasa speed-ups change nothing Rasa does: the same answers pass, the same are refused."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine

from bot import rasa_speedups


@pytest.fixture
def applied():
    original = RemoteAction._validate_action_result
    rasa_speedups.apply()
    yield
    RemoteAction._validate_action_result = original
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
