"""The bot's sentences from ``domain.yml``, for the messages the gateway sends first.

Reminders and follow-ups leave from the gateway on a schedule, not as an answer of Rasa, yet
every sentence the bot says lives in ``domain.yml`` (style.md). This reads the responses the
same way Rasa does for one placeholder form, ``{name}``, in texts, button titles and payloads.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from bot.rasa_client import BotMessage, Button

DOMAIN_PATH = Path(__file__).resolve().parent.parent / "domain.yml"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@lru_cache(maxsize=4)
def _responses(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle).get("responses") or {}


def _fill(template: str, values: dict[str, object]) -> str:
    def value(match: re.Match) -> str:
        name = match.group(1)
        if name not in values:
            raise KeyError(f"no value for {{{name}}}")
        return str(values[name])
    return _PLACEHOLDER.sub(value, template)


def render(name: str, path: Path = DOMAIN_PATH, **values: object) -> BotMessage:
    """The response ``name`` (its first variant) with its placeholders filled."""
    variants = _responses(path).get(name)
    if not variants:
        raise KeyError(f"{name} is not a response of {path.name}")
    variant = variants[0]
    buttons = tuple(Button(_fill(b["title"], values), _fill(b["payload"], values))
                    for b in variant.get("buttons") or [])
    return BotMessage(_fill(variant["text"], values), buttons)
