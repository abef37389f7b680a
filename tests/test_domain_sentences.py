"""Every sentence an action asks for by name is in domain.yml.

Rasa looks a response up only when the action runs: a name with a typo, or a sentence added
in code but not in the domain, would show nothing to the resident, and no other test says so.
"""

from __future__ import annotations

import re

import yaml

from tests.processes import REPO_ROOT


def test_every_response_an_action_names_is_in_the_domain():
    responses = yaml.safe_load((REPO_ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]
    named = {name for path in (REPO_ROOT / "actions").glob("*.py")
             for name in re.findall(r'response="(utter_\w+)"', path.read_text(encoding="utf-8"))}
    assert "utter_request_person_not_in_css_household" in named
    assert sorted(named - set(responses)) == []
