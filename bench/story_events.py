"""The test stories (tests/stories) read as Rasa events: shared by the policy benchmark and the
tests that compare Relais's Rasa speed-ups with Rasa's own code on every story."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bot.config import REPO_ROOT

STORIES_DIR = REPO_ROOT / "tests" / "stories"


def story_steps(domain: Any) -> Iterator[list[Any]]:
    """Each story's (or rule's) events, file by file in name order."""
    from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader

    reader = YAMLStoryReader(domain)
    for path in sorted(STORIES_DIR.glob("*.yml")):
        for step in reader.read_from_file(str(path)):
            yield step.events


def stories_in_a_row(domain: Any) -> list[Any]:
    """Every story's events one after the other, ``action_listen`` before each message as in a
    live conversation: one long session with forms, slots, loops run again and deactivated."""
    from rasa.shared.core.events import ActionExecuted, UserUttered

    events: list[Any] = []
    for step in story_steps(domain):
        for happened in step:
            if isinstance(happened, UserUttered):
                events.append(ActionExecuted("action_listen"))
            events.append(happened)
    return events
