"""Put an intent on a message over the model's choice, keeping the model's ranking below it.

The crisis safety net and the filler fallback both overrule the classifier; the ranking keeps
what the model thought (each intent name once) for the logs of the decision and for Rasa.
"""

from __future__ import annotations

from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
)
from rasa.shared.nlu.training_data.message import Message


def override_intent(message: Message, name: str) -> None:
    """``name`` becomes the intent with confidence 1.0 and heads the ranking."""
    chosen = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: 1.0}
    ranking = [
        dict(entry)
        for entry in message.get(INTENT_RANKING_KEY) or []
        if entry.get(INTENT_NAME_KEY) != name
    ]
    message.set(INTENT, chosen, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [dict(chosen), *ranking], add_to_output=True)
