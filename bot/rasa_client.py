"""Talks to the Rasa server's REST channel on behalf of every resident-facing channel."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import aiohttp


class AssistantUnavailable(Exception):
    """Rasa cannot be reached (down, restarting, or still loading its model)."""


class AssistantTimeout(Exception):
    """Rasa accepted the message but did not answer in time."""


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class BotMessage:
    """One message of the bot: a text, and the closed choices offered with it."""

    text: str
    buttons: tuple[Button, ...] = field(default_factory=tuple)

    def as_json(self) -> dict:
        data: dict = {"text": self.text}
        if self.buttons:
            data["buttons"] = [{"title": b.title, "payload": b.payload} for b in self.buttons]
        return data


def parse_rasa_reply(payload: object) -> list[BotMessage]:
    """Keeps the texts and buttons of Rasa's REST answer; other kinds are not for residents yet."""
    messages: list[BotMessage] = []
    if not isinstance(payload, list):
        return messages
    for item in payload:
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            continue
        buttons = tuple(
            Button(title=str(b["title"]), payload=str(b["payload"]))
            for b in item.get("buttons") or []
            if isinstance(b, dict) and "title" in b and "payload" in b
        )
        messages.append(BotMessage(text=item["text"], buttons=buttons))
    return messages


class RasaClient:
    """Sends a resident's message to Rasa and returns the bot's answers."""

    def __init__(self, session: aiohttp.ClientSession, base_url: str, timeout_s: float = 30.0):
        self._session = session
        self._webhook = f"{base_url}/webhooks/rest/webhook"
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)

    async def send(self, conversation_id: str, text: str) -> list[BotMessage]:
        body = {"sender": conversation_id, "message": text}
        try:
            async with self._session.post(self._webhook, json=body, timeout=self._timeout) as resp:
                if resp.status != 200:
                    raise AssistantUnavailable(f"Rasa answered HTTP {resp.status}")
                return parse_rasa_reply(await resp.json(content_type=None))
        except asyncio.TimeoutError as exc:
            raise AssistantTimeout() from exc
        except (aiohttp.ClientError, ValueError) as exc:
            raise AssistantUnavailable(type(exc).__name__) from exc
