"""The evaluation script scores topics and crisis the way issue 3 defines them."""

from __future__ import annotations

import pytest

from tests.nlu_eval.evaluate import Report, format_report, main, model_only_intent, score


def test_a_perfect_prediction_meets_every_target() -> None:
    gold = ["crisis", "css", "greet"]
    report = score(gold, list(gold))
    assert report.topic_accuracy == 1.0
    assert report.crisis_recall == 1.0 and report.crisis_false_alarms == 0
    assert report.targets_met()


def test_a_missed_crisis_fails_the_targets_even_with_high_accuracy() -> None:
    gold = ["crisis"] + ["css"] * 99
    predicted = ["mental_health_support"] + ["css"] * 99
    report = score(gold, predicted)
    assert report.topic_accuracy == pytest.approx(0.99)
    assert report.crisis_recall == 0.0
    assert not report.targets_met()


def test_a_false_crisis_alarm_is_counted_and_fails_the_targets() -> None:
    report = score(["css", "crisis"], ["crisis", "crisis"])
    assert report.crisis_false_alarms == 1
    assert not report.targets_met()


def test_per_topic_precision_and_recall() -> None:
    report = score(["css", "css", "rsa"], ["css", "rsa", "rsa"])
    by_topic = {t.topic: t for t in report.topics}
    assert by_topic["css"].precision == 1.0 and by_topic["css"].recall == 0.5
    assert by_topic["rsa"].precision == 0.5 and by_topic["rsa"].recall == 1.0
    assert by_topic["rsa"].f1 == pytest.approx(2 / 3)


def test_the_model_alone_is_read_below_the_safety_net_override() -> None:
    overridden = {
        "intent": {"name": "crisis", "confidence": 1.0},
        "intent_ranking": [{"name": "crisis"}, {"name": "food_aid"}],
        "crisis_rules": ["die.want"],
        "crisis_model_intent": {"name": "food_aid", "confidence": 0.3},
    }
    assert model_only_intent(overridden) == "food_aid"
    overridden["crisis_model_intent"] = {"name": "crisis", "confidence": 0.6}
    assert model_only_intent(overridden) == "crisis"
    assert model_only_intent({"intent": {"name": "css"}}) == "css"


def test_the_report_prints_every_topic() -> None:
    text = format_report(score(["css", "rsa"], ["css", "css"]), "probe")
    assert "css" in text and "rsa" in text and "crisis recall" in text


def test_lengths_must_match() -> None:
    with pytest.raises(ValueError):
        score(["css"], [])


def test_an_empty_report_is_not_a_pass() -> None:
    assert not Report(messages=0, topic_accuracy=0.0, crisis_recall=1.0,
                      crisis_false_alarms=0).targets_met()


def test_misses_are_counted_by_where_they_went() -> None:
    report = score(["css", "css", "css", "rsa"], ["css", "mutuelle_communale", "rsa", "rsa"])
    assert report.confusion == {"css": {"mutuelle_communale": 1, "rsa": 1}}
    assert "css" in format_report(report, "probe").split("misses")[1]


def test_held_out_messages_are_never_printed(capsys) -> None:
    assert main(["--model", "no-model.tar.gz", "--set", "heldout", "--errors"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "Refused" in err
