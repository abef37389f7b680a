"""Rasa's tracker store for Relais: events encrypted at rest, and patient through a database
restart instead of forgetting.

Encryption is ``bot.store.rasa_tracker.EncryptedSQLTrackerStore``'s; this module adds the
patience.

Rasa wraps its tracker store in a fail-safe one: when the database cannot be reached, it
handles the message on an empty conversation (the resident's answers so far are ignored) and
keeps the result in memory only (the message is lost from the database). A database restart
lasts seconds, so this store retries for up to ``RELAIS_TRACKER_PATIENCE_S`` (20 s) before
giving up; endpoints.yml and endpoints-redis.yml name it as the tracker store's type.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from bot.store.rasa_tracker import EncryptedSQLTrackerStore

log = logging.getLogger("relais.tracker_store")
T = TypeVar("T")
RETRY_EVERY_S = 0.5


def _connection_lost(error: DBAPIError) -> bool:
    return isinstance(error, OperationalError | InterfaceError) or error.connection_invalidated


class PatientSQLTrackerStore(EncryptedSQLTrackerStore):
    """The encrypted SQL tracker store, whose reads and writes wait for the database to come
    back."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.patience_s = float(os.environ.get("RELAIS_TRACKER_PATIENCE_S", "20"))

    async def _patiently(self, call: Callable[[], Awaitable[T]]) -> T:
        deadline = time.monotonic() + self.patience_s
        while True:
            try:
                return await call()
            except DBAPIError as error:
                if not _connection_lost(error) or time.monotonic() >= deadline:
                    raise
                # The error's text may quote a query's parameters: its type only.
                log.warning("tracker database unreachable (%s); retrying",
                            type(error.orig).__name__)
                await asyncio.sleep(RETRY_EVERY_S)

    async def retrieve(self, sender_id: str) -> Any:
        return await self._patiently(lambda: EncryptedSQLTrackerStore.retrieve(self, sender_id))

    async def retrieve_full_tracker(self, sender_id: str) -> Any:
        return await self._patiently(
            lambda: EncryptedSQLTrackerStore.retrieve_full_tracker(self, sender_id))

    async def save(self, tracker: Any) -> None:
        await self._patiently(lambda: EncryptedSQLTrackerStore.save(self, tracker))
