"""The held-out set stays well-formed and out of the training data.

These checks protect the measure, not the model: a held-out sentence copied into ``nlu/``
would make the NLU look better than it is on residents' real messages.
"""

from __future__ import annotations

import collections
import pathlib
import re
from typing import Any

import yaml

from bot.language.normalize import normalize

ROOT = pathlib.Path(__file__).resolve().parents[2]
HELD_OUT: list[dict[str, Any]] = yaml.safe_load(
    (ROOT / "tests" / "nlu_eval" / "first_messages.yml").read_text(encoding="utf-8")
)

TOPICS = {
    "greet", "goodbye", "thank", "capabilities", "out_of_scope", "ask_human", "delete_my_data",
    "css", "mutuelle_communale", "food_aid", "social_housing_request",
    "social_housing_renewal", "social_housing_status", "social_housing_delay",
    "eviction_prevention", "substandard_housing", "quotient_familial", "rsa",
    "prime_activite", "housing_aid", "aah", "domiciliation", "mental_health_support", "crisis",
}
# A greeting of one or two words ("bonjour", "au revoir") has few spellings; it may appear
# in the training data too. Anything longer must not.
MAX_SHARED_WORDS = 2

_ANNOTATION = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")


def _training_examples() -> list[str]:
    examples: list[str] = []
    for path in sorted((ROOT / "nlu").rglob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu") or []:
            for line in (block.get("examples") or "").splitlines():
                text = re.sub(r"^\s*-\s*", "", line).strip()
                if text:
                    examples.append(_ANNOTATION.sub(r"\1", text))
    return examples


def test_every_message_has_a_known_topic_and_only_known_keys() -> None:
    for message in HELD_OUT:
        assert set(message) <= {"text", "topic", "idiom", "note"}, message
        assert isinstance(message["text"], str) and message["text"].strip(), message
        assert message["topic"] in TOPICS, message
        assert isinstance(message.get("idiom", False), bool), message


def test_the_set_is_large_enough_for_every_topic() -> None:
    counts = collections.Counter(message["topic"] for message in HELD_OUT)
    assert len(HELD_OUT) >= 320
    assert counts["crisis"] >= 45
    assert counts["mental_health_support"] >= 30
    assert all(counts[topic] >= 8 for topic in TOPICS), counts
    assert sum(1 for m in HELD_OUT if m.get("idiom")) >= 20


def test_crisis_like_idioms_are_never_labelled_crisis() -> None:
    assert not [m for m in HELD_OUT if m.get("idiom") and m["topic"] == "crisis"]


def test_no_message_appears_twice() -> None:
    texts = collections.Counter(normalize(m["text"]) for m in HELD_OUT)
    assert not [text for text, count in texts.items() if count > 1]


def test_no_held_out_sentence_is_in_the_training_data() -> None:
    held_out = {normalize(m["text"]): m["text"] for m in HELD_OUT}
    leaked = [
        example
        for example in _training_examples()
        if len(normalize(example).split()) > MAX_SHARED_WORDS and normalize(example) in held_out
    ]
    assert not leaked, f"held-out sentences found in nlu/: {leaked}"
