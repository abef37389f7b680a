"""A hesitation or punctuation alone gets "could you rephrase", never a greeting or a topic."""

from __future__ import annotations

from typing import Any

import pytest

from bot.language.fillers import is_filler


@pytest.mark.parametrize(
    "text",
    ["euh", "Euuuh...", "heu", "hein ?", "bof", "mmh", "hmmm", "hum", "pfff", "ben euh",
     "ah bon ?", "bon ben", "???", "...", "?!"],
)
def test_hesitations_and_punctuation_alone_are_fillers(text: str) -> None:
    assert is_filler(text)


@pytest.mark.parametrize(
    "text",
    ["", "   ", "euh bonjour", "bof la caf m'a rien verse", "hmm ok", "oui", "non", "ok", "rsa",
     "jsp", "👍", "34", "euh je veux mourir"],
)
def test_a_word_that_means_something_is_not_a_filler(text: str) -> None:
    assert not is_filler(text)


rasa = pytest.importorskip("rasa")

from rasa.engine.graph import ExecutionContext, GraphSchema  # noqa: E402
from rasa.engine.storage.local_model_storage import LocalModelStorage  # noqa: E402
from rasa.engine.storage.resource import Resource  # noqa: E402
from rasa.shared.nlu.constants import (  # noqa: E402
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
)

from bot.language.filler_component import FillerFallback  # noqa: E402
from tests.language.classified import classified  # noqa: E402


def _context() -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), "test")


def test_a_filler_the_model_greeted_becomes_not_understood(tmp_path: Any) -> None:
    message = classified("euh", [("greet", 0.62), ("thank", 0.1)])
    FillerFallback.create({}, LocalModelStorage(tmp_path), Resource("f"), _context()).process(
        [message])
    assert message.get(INTENT)[INTENT_NAME_KEY] == "nlu_fallback"
    assert [e[INTENT_NAME_KEY] for e in message.get(INTENT_RANKING_KEY)] == [
        "nlu_fallback", "greet", "thank"]


def test_a_greeting_with_a_hesitation_stays_a_greeting(tmp_path: Any) -> None:
    message = classified("euh bonjour", [("greet", 0.8)])
    FillerFallback.create({}, LocalModelStorage(tmp_path), Resource("f"), _context()).process(
        [message])
    assert message.get(INTENT) == {INTENT_NAME_KEY: "greet", PREDICTED_CONFIDENCE_KEY: 0.8}


def test_the_pipeline_runs_it_after_the_model_and_before_the_crisis_safety_net() -> None:
    import yaml

    from tests.processes import REPO_ROOT

    config = yaml.safe_load((REPO_ROOT / "config.yml").read_text(encoding="utf-8"))
    names = [component["name"] for component in config["pipeline"]]
    here = names.index("bot.language.filler_component.FillerFallback")
    assert names.index("FallbackClassifier") < here
    assert here < names.index("bot.language.rasa_component.CrisisSafetyNet") == len(names) - 1
