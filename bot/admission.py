"""Admission to Rasa: a bounded number of turns at once, residents in conversation first.

Rasa shares its CPU between the turns it is given: without a bound, a flood of first
messages (a scanner with a valid number, a campaign, a provider replaying its queue) makes
every turn slower, the resident's in the middle of a questionnaire as much as the flood's.
So the gateway keeps at most ``slots`` turns inside Rasa and queues the others, here:

- a conversation answered in the last ``recent_s`` ("in progress") goes before a first
  message from an unknown sender;
- first messages hold at most ``newcomer_slots`` of the slots, and while both wait, one
  grant in ``NEWCOMER_SHARE`` goes to a first message: they are slowed, never starved;
- the queue is bounded (``max_waiting``) and so is a wait (``max_wait_s``): beyond, the
  message is refused with ``AssistantBusy``, which every channel already turns into its
  "réessayez" answer (the message stays claimed, and a retry with its id is answered once).

The per-conversation lock is taken before admission (bot/rasa_pool.py), so one
conversation holds at most one place here.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict, deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from bot.rasa_client import AssistantUnavailable

NEWCOMER_SHARE = 4  # while both classes wait: 1 grant in 4 goes to a first message
RECENT_S = 30 * 60.0  # a conversation idle this long counts as new again
MAX_WAITING = 2_000
MAX_WAIT_S = 30.0  # the web chat page's patience; a channel reply says "réessayez"


class AssistantBusy(AssistantUnavailable):
    """Too many turns already waiting for Rasa: the resident is asked to try again."""


class Admission:
    """Which turn enters Rasa next; ``turn(conversation)`` wraps one turn."""

    def __init__(self, slots: int, newcomer_slots: int | None = None,
                 max_waiting: int = MAX_WAITING, max_wait_s: float = MAX_WAIT_S,
                 recent_s: float = RECENT_S, remembered: int = 50_000,
                 clock: Callable[[], float] = time.monotonic):
        if slots < 1:
            raise ValueError("at least one slot is needed")
        self.slots = slots
        self.newcomer_slots = max(1, slots // 2) if newcomer_slots is None else newcomer_slots
        self._max_waiting = max_waiting
        self._max_wait_s = max_wait_s
        self._recent_s = recent_s
        self._remembered = remembered
        self._clock = clock
        self._answered: OrderedDict[str, float] = OrderedDict()
        self._waiting = {True: deque(), False: deque()}  # in conversation → futures
        self.running = 0
        self.running_newcomers = 0
        self._known_grants_in_a_row = 0

    @property
    def waiting(self) -> int:
        return len(self._waiting[True]) + len(self._waiting[False])

    def in_conversation(self, conversation_id: str) -> bool:
        answered = self._answered.get(conversation_id)
        return answered is not None and self._clock() - answered < self._recent_s

    @asynccontextmanager
    async def turn(self, conversation_id: str) -> AsyncIterator[None]:
        known = self.in_conversation(conversation_id)
        await self._enter(known)
        try:
            yield
        finally:
            self._leave(known)
        self._remember(conversation_id)  # answered: in conversation from now on

    async def _enter(self, known: bool) -> None:
        if not self._waiting[True] and (known or not self._waiting[False]) and self._free(known):
            self._take(known)
            return
        if self.waiting >= self._max_waiting:
            raise AssistantBusy("too many messages waiting for Rasa")
        granted = asyncio.get_running_loop().create_future()
        queue = self._waiting[known]
        queue.append(granted)
        try:
            await asyncio.wait_for(asyncio.shield(granted), self._max_wait_s)
        except (asyncio.TimeoutError, asyncio.CancelledError) as exc:
            if granted.done() and not granted.cancelled():
                self._leave(known)  # granted at the last moment: give the slot back
            else:
                granted.cancel()
                queue.remove(granted)
            if isinstance(exc, asyncio.TimeoutError):
                raise AssistantBusy("no room in Rasa in time") from None
            raise

    def _free(self, known: bool) -> bool:
        return self.running < self.slots and (
            known or self.running_newcomers < self.newcomer_slots)

    def _take(self, known: bool) -> None:
        self.running += 1
        if not known:
            self.running_newcomers += 1

    def _leave(self, known: bool) -> None:
        self.running -= 1
        if not known:
            self.running_newcomers -= 1
        self._grant()

    def _grant(self) -> None:
        """Gives free slots to waiting turns: in conversation first, first messages their share."""
        while self.running < self.slots:
            newcomer_turn = (self._waiting[False] and self._free(False) and (
                not self._waiting[True]
                or self._known_grants_in_a_row >= NEWCOMER_SHARE - 1))
            known = not newcomer_turn
            if known and not self._waiting[True]:
                return
            self._known_grants_in_a_row = self._known_grants_in_a_row + 1 if known else 0
            self._take(known)
            self._waiting[known].popleft().set_result(None)

    def _remember(self, conversation_id: str) -> None:
        self._answered[conversation_id] = self._clock()
        self._answered.move_to_end(conversation_id)
        while len(self._answered) > self._remembered:
            self._answered.popitem(last=False)
