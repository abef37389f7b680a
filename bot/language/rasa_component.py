"""Rasa 3.6 NLU component: the crisis safety net as the last word on the intent.

Placed at the end of the NLU pipeline in ``config.yml`` (after DIET and after the
FallbackClassifier), it runs :func:`bot.language.crisis.detect_crisis` on every message.
On a signal it sets the intent to ``crisis`` with confidence 1.0, whatever the model
predicted and however unsure it was, keeps the model's ranking below it, and records the
matched rule ids (never the text) in the message attribute ``crisis_rules`` so that actions
and logs can say why; ``crisis_about_other`` says whether the passages speak of someone else,
and ``crisis_model_intent`` keeps the model's own prediction (to measure the model alone).
Without a signal, a ``crisis`` predicted by the model alone becomes ``crisis_check``: the
bot then asks, gently and with the 3114 number, instead of answering a person who may only be
tired or angry as if they were in danger. Any other prediction is left exactly as it was.

This module is only imported inside the Rasa environment; the detector itself does not
need Rasa.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from bot.language.crisis import detect_crisis
from bot.language.intent_override import override_intent

__all__ = [
    "CRISIS_ABOUT_OTHER_ATTRIBUTE",
    "CRISIS_MODEL_INTENT_ATTRIBUTE",
    "CRISIS_RULES_ATTRIBUTE",
    "CrisisSafetyNet",
]

#: Message attribute (and parse-data key) holding the matched rule ids, or absent.
CRISIS_RULES_ATTRIBUTE = "crisis_rules"
#: True when every matching passage speaks of someone else ("mon fils parle de…").
CRISIS_ABOUT_OTHER_ATTRIBUTE = "crisis_about_other"
#: The intent the model had predicted before the override, to measure the model alone.
CRISIS_MODEL_INTENT_ATTRIBUTE = "crisis_model_intent"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class CrisisSafetyNet(GraphComponent, IntentClassifier):
    """Override the intent with ``crisis`` when the lexicon and patterns fire."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """``intent``: the domain's intent for a suicidal crisis; ``unconfirmed_intent``: the
        one a model-only crisis prediction becomes."""
        return {"intent": "crisis", "unconfirmed_intent": "crisis_check"}

    def __init__(self, config: dict[str, Any]) -> None:
        self.component_config = config
        self._intent_name: str = config.get("intent") or "crisis"
        self._unconfirmed_name: str = config.get("unconfirmed_intent") or "crisis_check"

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> CrisisSafetyNet:
        """Create the component; it has nothing to train or load."""
        return cls({**cls.get_default_config(), **config})

    def process(self, messages: list[Message]) -> list[Message]:
        """Set the ``crisis`` intent on every message where the safety net fires."""
        for message in messages:
            self._process_one(message)
        return messages

    def _process_one(self, message: Message) -> None:
        text = message.get(TEXT)
        if not isinstance(text, str) or not text:
            return
        signal = detect_crisis(text)
        if signal is None:
            self._soften_model_only_crisis(message)
            return
        model_intent = message.get(INTENT)
        # The model's own top intent is kept whole in its own attribute.
        override_intent(message, self._intent_name)
        message.set(CRISIS_RULES_ATTRIBUTE, list(signal.rule_ids), add_to_output=True)
        message.set(CRISIS_ABOUT_OTHER_ATTRIBUTE, signal.about_other, add_to_output=True)
        message.set(
            CRISIS_MODEL_INTENT_ATTRIBUTE,
            dict(model_intent) if isinstance(model_intent, dict) else None,
            add_to_output=True,
        )

    def _soften_model_only_crisis(self, message: Message) -> None:
        model_intent = message.get(INTENT)
        if not isinstance(model_intent, dict):
            return
        if model_intent.get(INTENT_NAME_KEY) != self._intent_name:
            return
        check = {**model_intent, INTENT_NAME_KEY: self._unconfirmed_name}
        message.set(INTENT, check, add_to_output=True)
        message.set(CRISIS_MODEL_INTENT_ATTRIBUTE, dict(model_intent), add_to_output=True)
