"""Rasa 3.6 NLU component: a message that says nothing goes to the fallback.

Placed after the FallbackClassifier and before the crisis safety net in ``config.yml``: when
:func:`bot.language.fillers.is_filler` holds ("euh", "hein ?", "???"), the intent becomes
``nlu_fallback``, as the FallbackClassifier would set it, with the model's ranking kept below.
The bot then asks to rephrase, and offers a person after two misunderstandings. The crisis
safety net still runs after it, so nothing here can hide a crisis.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import (
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from bot.language.fillers import is_filler
from bot.language.intent_override import override_intent

__all__ = ["FillerFallback"]


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class FillerFallback(GraphComponent, IntentClassifier):
    """Set ``nlu_fallback`` on hesitations and punctuation alone."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> FillerFallback:
        """Create the component; it has nothing to train or load."""
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        """Turn the intent of every filler message into ``nlu_fallback``."""
        for message in messages:
            text = message.get(TEXT)
            if isinstance(text, str) and is_filler(text):
                override_intent(message, DEFAULT_NLU_FALLBACK_INTENT_NAME)
        return messages
