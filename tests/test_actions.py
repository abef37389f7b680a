"""Custom actions' own logic, tested without Rasa."""

from __future__ import annotations

from actions.misunderstanding import consecutive_misunderstandings


def user(intent: str) -> dict:
    return {"event": "user", "parse_data": {"intent": {"name": intent}}}


def bot() -> dict:
    return {"event": "bot", "text": "…"}


def test_a_first_misunderstanding_counts_one():
    assert consecutive_misunderstandings([user("greet"), bot(), user("nlu_fallback")]) == 1


def test_two_misunderstandings_in_a_row_count_two_whatever_the_bot_said_between():
    events = [user("greet"), bot(), user("nlu_fallback"), bot(), bot(), user("nlu_fallback")]
    assert consecutive_misunderstandings(events) == 2


def test_an_understood_message_resets_the_count():
    events = [user("nlu_fallback"), bot(), user("css"), bot(), user("nlu_fallback")]
    assert consecutive_misunderstandings(events) == 1


def test_no_message_yet_counts_zero():
    assert consecutive_misunderstandings([{"event": "session_started"}]) == 0
