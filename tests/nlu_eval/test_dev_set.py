"""The dev set stays well-formed, and apart from both the training data and the held-out set.

The dev set is where misses may be read; it is only useful if it is new to the model (not in
``nlu/``) and if reading it tells nothing about the held-out messages (no sentence shared).
"""

from __future__ import annotations

import collections

from bot.language.normalize import normalize
from tests.nlu_eval.evaluate import load_messages
from tests.nlu_eval.test_held_out_set import MAX_SHARED_WORDS, TOPICS, _training_examples

DEV = load_messages("dev")
# Topics the dev set may have beyond the held-out's 24: the appointments' intents (issue 7,
# written after the held-out set) and a message with nothing to understand, whose right first
# reply is the fallback's "could you rephrase" (then a person, after two).
DEV_ONLY_TOPICS = {"book_appointment", "appointment_move", "appointment_cancel", "nlu_fallback"}


def _long(text: str) -> bool:
    return len(normalize(text).split()) > MAX_SHARED_WORDS


def test_every_message_has_a_known_topic_and_only_known_keys() -> None:
    for message in DEV:
        assert set(message) <= {"text", "topic", "idiom", "note"}, message
        assert isinstance(message["text"], str) and message["text"].strip(), message
        assert message["topic"] in TOPICS | DEV_ONLY_TOPICS, message


def test_every_topic_is_there_with_crises_distress_and_idioms() -> None:
    counts = collections.Counter(message["topic"] for message in DEV)
    assert len(DEV) >= 120
    assert set(counts) >= TOPICS
    assert counts["crisis"] >= 10 and counts["mental_health_support"] >= 8
    assert sum(1 for m in DEV if m.get("idiom")) >= 4


def test_no_message_appears_twice() -> None:
    # Punctuation alone ("???", "...") normalises to nothing: compare those as typed.
    texts = collections.Counter(normalize(m["text"]) or m["text"].strip() for m in DEV)
    assert not [text for text, count in texts.items() if count > 1]


def test_no_dev_sentence_is_in_the_training_data() -> None:
    dev = {normalize(m["text"]) for m in DEV if _long(m["text"])}
    leaked = [example for example in _training_examples() if normalize(example) in dev]
    assert not leaked, f"dev sentences found in nlu/: {leaked}"


def test_no_dev_sentence_is_in_the_held_out_set() -> None:
    held_out = {normalize(m["text"]) for m in load_messages("heldout")}
    shared = [m["text"] for m in DEV if _long(m["text"]) and normalize(m["text"]) in held_out]
    assert not shared, f"dev sentences also in the held-out set (reword them): {shared}"
