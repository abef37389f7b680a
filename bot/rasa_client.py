"""Talks to the Rasa server's REST channel on behalf of every resident-facing channel."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import aiohttp


class AssistantUnavailable(Exception):
    """Rasa cannot be reached (down, restarting, or still loading its model)."""


class MessageNotDelivered(AssistantUnavailable):
    """Nothing reached Rasa (connection refused): the message may go to another instance."""


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
    """Sends a resident's message to one Rasa server and returns the bot's answers."""

    def __init__(self, session: aiohttp.ClientSession, base_url: str, timeout_s: float = 30.0,
                 token: str | None = None):
        self._session = session
        self.base_url = base_url
        self._webhook = f"{base_url}/webhooks/rest/webhook"
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)
        self._token = token

    async def send(self, conversation_id: str, text: str, metadata: dict | None = None
                   ) -> list[BotMessage]:
        body: dict = {"sender": conversation_id, "message": text}
        if metadata:
            body["metadata"] = metadata  # kept by Rasa on the user event of its tracker
        try:
            async with self._session.post(self._webhook, json=body, timeout=self._timeout) as resp:
                if resp.status != 200:
                    raise AssistantUnavailable(f"Rasa answered HTTP {resp.status}")
                return parse_rasa_reply(await resp.json(content_type=None))
        except asyncio.TimeoutError as exc:
            raise AssistantTimeout() from exc
        except aiohttp.ClientConnectorError as exc:
            raise MessageNotDelivered(type(exc).__name__) from exc
        except (aiohttp.ClientError, ValueError) as exc:
            raise AssistantUnavailable(type(exc).__name__) from exc

    async def tracker_events(self, conversation_id: str, timeout_s: float = 10.0) -> list[dict]:
        """The events of a conversation since its last restart, read through Rasa's HTTP API."""
        url = f"{self.base_url}/conversations/{conversation_id}/tracker"
        try:
            async with self._session.get(url, params={"token": self._token or ""},
                                         timeout=aiohttp.ClientTimeout(total=timeout_s)) as resp:
                if resp.status != 200:
                    raise AssistantUnavailable(f"Rasa answered HTTP {resp.status}")
                tracker = await resp.json(content_type=None)
        except asyncio.TimeoutError as exc:
            raise AssistantUnavailable("timeout") from exc
        except (aiohttp.ClientError, ValueError) as exc:
            raise AssistantUnavailable(type(exc).__name__) from exc
        events = tracker.get("events") if isinstance(tracker, dict) else None
        return [e for e in events if isinstance(e, dict)] if isinstance(events, list) else []
