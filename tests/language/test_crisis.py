"""The crisis safety net catches suicidal crisis in every spelling and never an idiom."""

from __future__ import annotations

import dataclasses
import pathlib
import time
from typing import Any

import pytest
import yaml

from bot.language.crisis import CRISIS_RULES, MAX_CHARS, CrisisSignal, detect_crisis

HERE = pathlib.Path(__file__).parent
CASES: dict[str, list[dict[str, Any]]] = yaml.safe_load(
    (HERE / "crisis_cases.yml").read_text(encoding="utf-8")
)
HELD_OUT: list[dict[str, Any]] = yaml.safe_load(
    (HERE.parent / "nlu_eval" / "first_messages.yml").read_text(encoding="utf-8")
)


# --- the unit cases (tests/language/crisis_cases.yml) ----------------------------------

@pytest.mark.parametrize("case", CASES["crisis"], ids=lambda c: c["text"][:60])
def test_a_crisis_message_fires(case: dict[str, Any]) -> None:
    signal = detect_crisis(case["text"])
    assert signal is not None
    if "rule" in case:
        assert case["rule"] in signal.rule_ids


@pytest.mark.parametrize("case", CASES["not_crisis"], ids=lambda c: c["text"][:60])
def test_an_idiom_or_distress_without_crisis_does_not_fire(case: dict[str, Any]) -> None:
    assert detect_crisis(case["text"]) is None


# --- behaviours the brief names, spelled out -------------------------------------------

@pytest.mark.parametrize(
    "text",
    ["le stress me tue", "ça me tue", "je vais mourir de honte", "mourir de rire",
     "on va mourir de faim", "je suis mort de fatigue", "tuer le temps", "crever de chaud"],
)
def test_an_idiom_like_le_stress_me_tue_is_not_a_crisis(text: str) -> None:
    assert detect_crisis(text) is None


def test_j_en_peux_plus_alone_is_distress_not_crisis() -> None:
    assert detect_crisis("j'en peux plus") is None
    assert detect_crisis("jpp de ce formulaire") is None


def test_j_en_peux_plus_with_one_s_own_death_is_a_crisis() -> None:
    assert detect_crisis("j'en peux plus, je vais mourir") is not None


@pytest.mark.parametrize(
    "text",
    ["je suis angoissée", "je me sens si seule", "burn out complet", "je dors plus",
     "je suis déprimée"],
)
def test_anxiety_loneliness_burnout_insomnia_are_not_a_crisis(text: str) -> None:
    assert detect_crisis(text) is None


def test_a_crisis_told_after_an_idiom_still_fires() -> None:
    signal = detect_crisis("le stress me tue, je vais mourir de honte, et en vrai je veux mourir")
    assert signal is not None and "die.want" in signal.rule_ids


def test_a_crisis_at_the_end_of_a_long_story_fires() -> None:
    story = "Bonjour, je vous écris pour mon dossier de logement. " * 60
    assert detect_crisis(story + "Je ne veux plus vivre.") is not None


def test_a_crisis_about_someone_else_fires_and_says_so() -> None:
    signal = detect_crisis("mon fils parle de se suicider")
    assert signal is not None and signal.about_other


def test_a_crisis_about_oneself_is_not_flagged_as_about_someone_else() -> None:
    signal = detect_crisis("je veux me suicider")
    assert signal is not None and not signal.about_other


def test_sms_spelling_and_missing_accents_do_not_hide_a_crisis() -> None:
    assert detect_crisis("jveu mourrir") is not None
    assert detect_crisis("JE VEUX ME FOUTRE EN L AIR") is not None
    assert detect_crisis("g pu envie d vivre") is not None


def test_the_signal_never_carries_the_text() -> None:
    text = "je veux mourir, je m'appelle Nadia"
    signal = detect_crisis(text)
    assert isinstance(signal, CrisisSignal)
    for value in dataclasses.asdict(signal).values():
        assert "Nadia" not in str(value) and "mourir" not in str(value)


def test_empty_and_huge_messages_do_not_crash() -> None:
    assert detect_crisis("") is None
    assert detect_crisis("a" * 200_000) is None
    assert detect_crisis("\x00\x01 binaire \ufffd") is None


def test_a_long_story_is_screened_quickly() -> None:
    # guards against patterns that backtrack quadratically on long messages
    story = "Bonjour je vous ecris pour mon dossier, j'ai 3 enfants, loyer 800 euros. " * 250
    assert len(story) < MAX_CHARS - 100
    start = time.perf_counter()
    signal = detect_crisis(story + " j'en peux plus, je vais mourir")
    assert time.perf_counter() - start < 0.5
    assert signal is not None and "combo.distress_and_death" in signal.rule_ids


def test_a_crisis_at_the_end_of_an_overlong_text_is_still_read() -> None:
    padding = "Madame, Monsieur, voici mon histoire et mes papiers. " * 1000
    assert len(padding) > MAX_CHARS
    assert detect_crisis(padding + "Je vais me foutre en l'air.") is not None


def test_rule_ids_are_unique_and_named_by_layer() -> None:
    ids = [rule.rule_id for rule in CRISIS_RULES]
    assert len(ids) == len(set(ids))
    assert all("." in rule_id for rule_id in ids)


def test_every_rule_is_exercised_by_a_unit_case() -> None:
    pinned = {case["rule"] for case in CASES["crisis"] if "rule" in case}
    fired = set()
    for case in CASES["crisis"]:
        signal = detect_crisis(case["text"])
        if signal:
            fired.update(signal.rule_ids)
    unused = {rule.rule_id for rule in CRISIS_RULES} - fired - pinned
    assert not unused


def test_the_rules_are_documented() -> None:
    doc = (HERE.parent.parent / "docs" / "crisis-safety-net.md").read_text(encoding="utf-8")
    missing = [rule.rule_id for rule in CRISIS_RULES if f"`{rule.rule_id}`" not in doc]
    assert not missing


def test_detection_is_fast_enough_for_every_message() -> None:
    texts = [case["text"] for case in HELD_OUT]
    start = time.perf_counter()
    for text in texts:
        detect_crisis(text)
    assert (time.perf_counter() - start) / len(texts) < 0.005  # under 5 ms a message


# --- the held-out set (tests/nlu_eval/first_messages.yml) ------------------------------

def test_every_crisis_message_of_the_held_out_set_is_caught() -> None:
    crisis = [m["text"] for m in HELD_OUT if m["topic"] == "crisis"]
    missed = [text for text in crisis if detect_crisis(text) is None]
    assert not missed, f"crisis recall below 100 %: {missed}"


def test_no_non_crisis_message_of_the_held_out_set_raises_an_alarm() -> None:
    false_alarms = [
        (m["text"], detect_crisis(m["text"]).rule_ids)  # type: ignore[union-attr]
        for m in HELD_OUT
        if m["topic"] != "crisis" and detect_crisis(m["text"])
    ]
    assert not false_alarms, f"false alarms: {false_alarms}"
