"""In the Rasa pipeline, the safety net overrides the model's intent on a crisis.

Runs in the Rasa environment only (skipped elsewhere): it builds Rasa ``Message`` objects as
DIET and the FallbackClassifier would leave them, and runs the component on them.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("rasa")

from rasa.engine.graph import ExecutionContext, GraphSchema  # noqa: E402
from rasa.engine.storage.local_model_storage import LocalModelStorage  # noqa: E402
from rasa.engine.storage.resource import Resource  # noqa: E402
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier  # noqa: E402
from rasa.shared.nlu.constants import (  # noqa: E402
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
)
from rasa.shared.nlu.training_data.message import Message  # noqa: E402

from bot.language.rasa_component import (  # noqa: E402
    CRISIS_ABOUT_OTHER_ATTRIBUTE,
    CRISIS_MODEL_INTENT_ATTRIBUTE,
    CRISIS_RULES_ATTRIBUTE,
    CrisisSafetyNet,
)
from tests.language.classified import classified  # noqa: E402


def _create(tmp_path: Any, config: dict[str, Any] | None = None) -> CrisisSafetyNet:
    return CrisisSafetyNet.create(
        {**CrisisSafetyNet.get_default_config(), **(config or {})},
        LocalModelStorage(tmp_path),
        Resource("crisis_safety_net"),
        ExecutionContext(GraphSchema({}), "test"),
    )


def test_a_crisis_with_a_low_confidence_wrong_intent_becomes_crisis(tmp_path: Any) -> None:
    message = classified("jveu mourrir", [("food_aid", 0.21), ("greet", 0.18), ("crisis", 0.05)])
    _create(tmp_path).process([message])

    assert message.get(INTENT) == {INTENT_NAME_KEY: "crisis", PREDICTED_CONFIDENCE_KEY: 1.0}
    ranking = message.get(INTENT_RANKING_KEY)
    assert ranking[0] == {INTENT_NAME_KEY: "crisis", PREDICTED_CONFIDENCE_KEY: 1.0}
    # the model's own ranking is kept below, without a second "crisis" entry
    assert [e[INTENT_NAME_KEY] for e in ranking[1:]] == ["food_aid", "greet"]
    assert message.get(CRISIS_RULES_ATTRIBUTE) == ["die.want"]
    assert message.get(CRISIS_ABOUT_OTHER_ATTRIBUTE) is False
    # what the model said is kept, to measure the model alone
    assert message.get(CRISIS_MODEL_INTENT_ATTRIBUTE) == {
        INTENT_NAME_KEY: "food_aid",
        PREDICTED_CONFIDENCE_KEY: 0.21,
    }


def test_a_crisis_wins_over_a_confident_wrong_intent(tmp_path: Any) -> None:
    message = classified("j'ai plus envie de vivre, la caf m'a coupé l'apl",
                         [("housing_aid", 0.97)])
    _create(tmp_path).process([message])
    assert message.get(INTENT)[INTENT_NAME_KEY] == "crisis"
    assert "die.no_will_to_live" in message.get(CRISIS_RULES_ATTRIBUTE)


def test_the_fallback_intent_cannot_switch_the_safety_net_off(tmp_path: Any) -> None:
    message = classified("mon fils parle de se suicider", [("mental_health_support", 0.2)])
    FallbackClassifier({"threshold": 0.45, "ambiguity_threshold": 0.1}).process([message])
    assert message.get(INTENT)[INTENT_NAME_KEY] == "nlu_fallback"

    _create(tmp_path).process([message])
    assert message.get(INTENT) == {INTENT_NAME_KEY: "crisis", PREDICTED_CONFIDENCE_KEY: 1.0}
    assert message.get(CRISIS_ABOUT_OTHER_ATTRIBUTE) is True


def test_the_rule_ids_reach_the_parse_output_but_the_text_is_not_copied(tmp_path: Any) -> None:
    message = classified("je veux en finir", [("greet", 0.3)])
    _create(tmp_path).process([message])
    output = message.as_dict(only_output_properties=True)
    assert output[CRISIS_RULES_ATTRIBUTE] == ["end.en_finir"]
    assert "en finir" not in repr(output[CRISIS_RULES_ATTRIBUTE])


def test_an_idiom_leaves_the_model_prediction_untouched(tmp_path: Any) -> None:
    message = classified("le stress me tue avec ce dossier de CSS",
                         [("css", 0.32), ("crisis", 0.3)])
    before = (dict(message.get(INTENT)), list(message.get(INTENT_RANKING_KEY)))
    _create(tmp_path).process([message])
    assert (message.get(INTENT), message.get(INTENT_RANKING_KEY)) == before
    assert message.get(CRISIS_RULES_ATTRIBUTE) is None


def test_a_crisis_seen_by_the_model_alone_becomes_a_gentle_check(tmp_path: Any) -> None:
    message = classified("je suis au bout du rouleau avec ce dossier", [("crisis", 0.71)])
    _create(tmp_path).process([message])
    assert message.get(INTENT) == {INTENT_NAME_KEY: "crisis_check",
                                   PREDICTED_CONFIDENCE_KEY: 0.71}
    assert message.get(CRISIS_RULES_ATTRIBUTE) is None
    assert message.get(CRISIS_MODEL_INTENT_ATTRIBUTE)[INTENT_NAME_KEY] == "crisis"


def test_a_message_without_text_is_left_alone(tmp_path: Any) -> None:
    message = Message(data={})
    _create(tmp_path).process([message])
    assert message.get(INTENT) is None


def test_the_intent_name_can_follow_the_domain(tmp_path: Any) -> None:
    message = classified("je vais me tuer", [("greet", 0.5)])
    _create(tmp_path, {"intent": "urgence_suicidaire"}).process([message])
    assert message.get(INTENT)[INTENT_NAME_KEY] == "urgence_suicidaire"


def test_the_component_is_registered_as_a_non_trainable_intent_classifier() -> None:
    from rasa.engine.recipes.default_recipe import DefaultV1Recipe

    registered = DefaultV1Recipe._from_registry(
        "bot.language.rasa_component.CrisisSafetyNet"
    )
    assert registered.clazz is CrisisSafetyNet
    assert not registered.is_trainable
    assert DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER in registered.types


PIPELINE = """\
recipe: default.v1
language: fr
assistant_id: crisis_safety_net_probe
pipeline:
  - name: WhitespaceTokenizer
  - name: CountVectorsFeaturizer
  - name: LogisticRegressionClassifier
  - name: FallbackClassifier
    threshold: 0.45
  - name: bot.language.rasa_component.CrisisSafetyNet
policies: []
"""

NLU = """\
version: "3.1"
nlu:
- intent: greet
  examples: |
    - bonjour
    - salut
- intent: housing_aid
  examples: |
    - apl
    - aide au logement
- intent: crisis
  examples: |
    - je veux mourir
    - je vais me tuer
"""


def test_a_trained_pipeline_answers_crisis_even_when_the_model_does_not_know(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """End to end through Rasa's own graph: training, loading, parsing."""
    import asyncio

    from rasa.core.agent import Agent
    from rasa.model_training import train_nlu

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RASA_CACHE_DIRECTORY", str(tmp_path / "cache"))
    monkeypatch.setenv("RASA_TELEMETRY_ENABLED", "false")
    (tmp_path / "config.yml").write_text(PIPELINE, encoding="utf-8")
    (tmp_path / "nlu.yml").write_text(NLU, encoding="utf-8")
    model = train_nlu("config.yml", "nlu.yml", str(tmp_path / "models"), fixed_model_name="probe")
    assert model is not None
    agent = Agent.load(model)

    async def parse(text: str) -> dict[str, Any]:
        return await agent.parse_message(text)

    crisis = asyncio.run(parse("ma fille a avalé des medocs, elle répond plus"))
    assert crisis["intent"] == {"name": "crisis", "confidence": 1.0}
    assert crisis[CRISIS_RULES_ATTRIBUTE] == ["means.pills_taken"]
    assert crisis[CRISIS_ABOUT_OTHER_ATTRIBUTE] is True

    idiom = asyncio.run(parse("le stress me tue"))
    assert idiom["intent"]["name"] != "crisis"
    assert CRISIS_RULES_ATTRIBUTE not in idiom
