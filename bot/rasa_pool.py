"""Spreads conversations over the Rasa instances, and survives one of them dying.

Each conversation goes to the same instance while it is up (rendezvous hashing: its caches
stay warm, and when one instance dies only its conversations move). The instances share the
tracker store (PostgreSQL) and the lock store (Redis), so any of them may take a conversation.

A message goes to another instance only when it is certain not to be answered twice:
- connection refused: nothing reached Rasa, the next instance gets it at once;
- connection cut, HTTP error, or an empty answer (Rasa answers 200 with nothing when a turn
  fails inside it, e.g. its action server or database is down, and then saves nothing):
  the message may have been handled. Each message carries an id in its metadata, which Rasa
  keeps on the user event of its tracker; the pool reads the tracker, returns the answer
  saved there if the message was handled, and sends it again only if it was not;
- timeout: the instance may still be answering, so nothing is resent; the resident is asked
  to try again, and the retry (same id) finds the answer in the tracker once it is saved.
When no instance is listening, or none answers within ``patience_s`` (a database restarting),
the caller gets ``AssistantUnavailable`` (the resident reads "réessayez"); the message has
then not been handled anywhere, or its answer waits in the tracker for the retry.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
import uuid
import weakref
from collections import OrderedDict

import aiohttp

from bot.admission import Admission
from bot.rasa_client import (
    AssistantTimeout,
    AssistantUnavailable,
    BotMessage,
    MessageNotDelivered,
    RasaClient,
    parse_rasa_reply,
)

log = logging.getLogger("relais.rasa_pool")

MESSAGE_ID_KEY = "relais_message_id"
DOWN_FOR_S = 2.0  # a refused instance is tried last for this long
RETRY_EVERY_S = 1.0
_UNKNOWN = object()  # the tracker could not be read: whether Rasa has the message is unknown


def reply_from_tracker(events: list[dict], message_id: str) -> list[BotMessage] | None:
    """The bot's messages that followed the user message ``message_id``; None if not there."""
    found: list[BotMessage] | None = None
    for event in events:
        kind = event.get("event")
        if kind == "user":
            if found is not None:
                break  # the next user message: the answer ends here
            metadata = event.get("metadata") or {}
            if isinstance(metadata, dict) and metadata.get(MESSAGE_ID_KEY) == message_id:
                found = []
        elif kind == "bot" and found is not None and isinstance(event.get("text"), str):
            data = event.get("data") if isinstance(event.get("data"), dict) else {}
            found += parse_rasa_reply([{"text": event["text"], "buttons": data.get("buttons")}])
    return found


class RasaPool:
    """Sends a resident's message to one of the Rasa instances and returns the bot's answers.

    Same ``send`` as ``RasaClient``, plus an optional ``message_id``: a message sent again
    with the id of one already handled gets the saved answer, not a second turn.
    """

    def __init__(self, session: aiohttp.ClientSession, base_urls: list[str], token: str,
                 timeout_s: float = 30.0, patience_s: float = 20.0,
                 remembered: int = 20_000, admission: Admission | None = None):
        if not base_urls:
            raise ValueError("at least one Rasa instance is needed")
        self.instances = [RasaClient(session, url, timeout_s, token) for url in base_urls]
        self._patience_s = patience_s
        self._down_until = [0.0] * len(self.instances)
        self._sent: OrderedDict[tuple[str, str], None] = OrderedDict()
        self._remembered = remembered
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = (
            weakref.WeakValueDictionary())
        # How many turns Rasa gets at once, and in which order (bot/admission.py).
        self.admission = admission or Admission(slots=1_000_000)

    def order(self, conversation_id: str) -> list[int]:
        """Instances to try for this conversation: its own first, the ones seen down last."""
        def weight(index: int) -> bytes:
            return hashlib.blake2b(f"{index}:{conversation_id}".encode(), digest_size=8).digest()
        now = time.monotonic()
        ranked = sorted(range(len(self.instances)), key=weight, reverse=True)
        return sorted(ranked, key=lambda i: self._down_until[i] > now)

    async def send(self, conversation_id: str, text: str, message_id: str | None = None
                   ) -> list[BotMessage]:
        message_id = message_id or uuid.uuid4().hex
        async with self._lock(conversation_id), self.admission.turn(conversation_id):
            key = (conversation_id, message_id)
            sent_before = key in self._sent  # answered already, perhaps
            self._remember(key)
            return await self._deliver(conversation_id, text, message_id, unsure=sent_before)

    async def tracker_events(self, conversation_id: str) -> list[dict]:
        """The conversation's events, from the first instance that answers."""
        for index in self.order(conversation_id):
            try:
                return await self.instances[index].tracker_events(conversation_id)
            except AssistantUnavailable:
                continue
        raise AssistantUnavailable("no Rasa instance answered")

    async def _deliver(self, conversation_id: str, text: str, message_id: str,
                       unsure: bool) -> list[BotMessage]:
        """``unsure``: the message may have been handled already; read the tracker first."""
        deadline = time.monotonic() + self._patience_s
        metadata = {MESSAGE_ID_KEY: message_id}
        while True:
            if unsure:
                saved = await self._saved_reply(conversation_id, message_id)
                if isinstance(saved, list):
                    return saved
                unsure = saved is _UNKNOWN  # still unknown: wait, never resend blindly
            if not unsure:
                refused = 0
                for index in self.order(conversation_id):
                    try:
                        messages = await self.instances[index].send(conversation_id, text,
                                                                    metadata)
                    except MessageNotDelivered:
                        self._mark_down(index)
                        refused += 1
                        continue
                    except AssistantTimeout:
                        raise  # still being answered, perhaps: resending could answer twice
                    except AssistantUnavailable:
                        self._mark_down(index)
                        messages = []
                    if messages:
                        return messages
                    saved = await self._saved_reply(conversation_id, message_id)
                    if isinstance(saved, list):
                        return saved
                    if saved is _UNKNOWN:
                        unsure = True
                        break
                    self._mark_down(index)
                    log.warning("rasa instance %d did not handle a message; trying another",
                                index)
                if refused == len(self.instances):
                    raise AssistantUnavailable("no Rasa instance is listening")
            if time.monotonic() >= deadline:
                raise AssistantUnavailable("no Rasa instance answered in time")
            await asyncio.sleep(RETRY_EVERY_S)

    async def _saved_reply(self, conversation_id: str, message_id: str
                           ) -> list[BotMessage] | None | object:
        try:
            events = await self.tracker_events(conversation_id)
        except AssistantUnavailable:
            return _UNKNOWN
        return reply_from_tracker(events, message_id)

    def _mark_down(self, index: int) -> None:
        self._down_until[index] = time.monotonic() + DOWN_FOR_S

    def _remember(self, key: tuple[str, str]) -> None:
        self._sent[key] = None
        while len(self._sent) > self._remembered:
            self._sent.popitem(last=False)

    def _lock(self, conversation_id: str) -> asyncio.Lock:
        """One message at a time per conversation, whichever channel it came from."""
        lock = self._locks.get(conversation_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[conversation_id] = lock
        return lock
