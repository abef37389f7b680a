"""What every resident channel shares: asking Rasa for a resident, in order, in the background.

Providers want their webhook answered within seconds and retry otherwise, while Rasa may take
several seconds (or be restarting). So a webhook only checks, records and schedules; the
conversation turn runs here as a background task, one turn at a time per resident.
"""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from collections.abc import Coroutine
from contextlib import AbstractAsyncContextManager, nullcontext
from typing import TYPE_CHECKING, Any

from bot.console.routing import HandoffRouter
from bot.http_errors import MESSAGES
from bot.metrics import GatewayMetrics
from bot.rasa_client import AssistantTimeout, AssistantUnavailable, BotMessage
from bot.rasa_pool import RasaPool
from bot.web_channel import OfferedButtons

if TYPE_CHECKING:
    from bot.dossiers.routes import Erasures

log = logging.getLogger("relais.channels")


class Conversations:
    """Sends residents' words to Rasa under their pseudonymous id; runs channel work in order."""

    def __init__(self, rasa: RasaPool, offered: OfferedButtons,
                 router: HandoffRouter | None = None, metrics: GatewayMetrics | None = None):
        self._rasa = rasa
        self._metrics = metrics or GatewayMetrics()
        self.offered = offered
        self._router = router
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )
        self._tasks: set[asyncio.Task] = set()
        self.erasures: Erasures | None = None  # set by the dossier routes at start

    def lock(self, resident_id: str) -> asyncio.Lock:
        """One turn at a time per resident, so replies leave in the order messages came."""
        lock = self._locks.get(resident_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[resident_id] = lock
        return lock

    def lock_unless(self, during_turn: bool, resident_id: str
                    ) -> AbstractAsyncContextManager[object]:
        """The resident's lock, or none for a sender called from inside their own turn.

        The PDF of a request is sent while the turn that confirmed it is still open (Rasa
        waits for the action, which waits for the gateway): that turn holds the lock already.
        """
        return nullcontext() if during_turn else self.lock(resident_id)

    @property
    def in_progress(self) -> int:
        """Turns accepted by a webhook and not finished yet (the gateway's own queue)."""
        return len(self._tasks)

    async def ask(self, resident_id: str, text: str, intent: str | None = None,
                  message_id: str | None = None, channel: str = "other"
                  ) -> list[BotMessage]:
        """The bot's answer to a resident's text; a sentence saying so when Rasa is down.

        "2" or a button's words become the payload offered last; a typed "/intent" does not.
        ``intent`` is for the channel itself (Telegram's /start is a greeting), never for
        what a resident typed. In agent mode the text goes to the console only and the
        answer is empty: the person who took the conversation replies, not the bot.
        ``message_id`` (the provider's) makes a resent message answered once.
        ``channel`` (sms, whatsapp, telegram) labels the message in the metrics.
        """
        self._metrics.messages.inc(channel=channel)
        started = time.perf_counter()
        if self._router is not None and await self._router.divert(resident_id, text):
            return []
        if intent is not None:
            message = intent
        else:
            chosen = self.offered.choose(resident_id, text)
            message = chosen if chosen is not None else self.offered.sanitize(resident_id, text)
        try:
            messages = await self._rasa.send(resident_id, message, message_id)
        except AssistantUnavailable:
            self._metrics.assistant_errors.inc(kind="unavailable")
            return [BotMessage(MESSAGES["assistant_unavailable"])]
        except AssistantTimeout:
            self._metrics.assistant_errors.inc(kind="timeout")
            return [BotMessage(MESSAGES["assistant_timeout"])]
        self._metrics.turn_seconds.observe(time.perf_counter() - started, channel=channel)
        self.offered.remember(resident_id, messages)
        if self.erasures is not None:  # "supprimer mes données", confirmed in this turn
            messages = messages + await self.erasures.after_turn(resident_id)
        return messages

    def spawn(self, work: Coroutine[Any, Any, None], what: str) -> None:
        """Runs channel work after the webhook has answered; failures are logged, not raised."""
        task = asyncio.create_task(self._guarded(work, what))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @staticmethod
    async def _guarded(work: Coroutine[Any, Any, None], what: str) -> None:
        try:
            await work
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            # Type only: an exception's message may quote a phone number or the resident's words.
            log.error("%s failed: %s", what, type(exc).__name__)

    async def drain(self, timeout_s: float = 10.0) -> None:
        """Lets running turns finish at shutdown, then cancels what is left."""
        if not self._tasks:
            return
        _done, pending = await asyncio.wait(set(self._tasks), timeout=timeout_s)
        for task in pending:
            task.cancel()
