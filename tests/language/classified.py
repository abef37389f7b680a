"""Rasa messages as an intent classifier leaves them (Rasa environment only)."""

from __future__ import annotations

from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message


def classified(text: str, ranking: list[tuple[str, float]]) -> Message:
    """A message with the top intent and the ranking the classifier would set."""
    message = Message(data={TEXT: text})
    entries = [{INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: conf} for name, conf in ranking]
    message.set(INTENT, dict(entries[0]), add_to_output=True)
    message.set(INTENT_RANKING_KEY, entries, add_to_output=True)
    return message
