"""Rasa's SQL tracker store, with every event's data encrypted at rest.

Rasa's ``SQLTrackerStore`` keeps each event as JSON in clear: the resident's messages, the
bot's answers (a summary of their request, with their name and address), every slot. This
subclass stores the same rows with ``data`` Fernet-encrypted under a key derived from
RELAIS_SECRET_KEY (label "rasa tracker v1", independent of the store's keys). What stays in
clear is what Rasa queries on and nothing personal: the pseudonymous sender id, the event type,
its time, and the intent or action name. Erasure (``bot.dossiers.erasure``) still deletes a
conversation by its sender id.

endpoints.yml names this class as the tracker store's ``type``. If Rasa could not import it,
it would fall back to a tracker in memory without failing: the end-to-end tests check the rows
are in the database file, encrypted.
"""

from __future__ import annotations

import base64
import json
import logging
from typing import Any

from cryptography.fernet import Fernet
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot.config import Settings
from bot.store.crypto import derive_key

log = logging.getLogger(__name__)

KEY_LABEL = b"rasa tracker v1"


def tracker_cipher(secret_key: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(derive_key(secret_key, KEY_LABEL)))


class EncryptedSQLTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` whose ``events.data`` column holds Fernet tokens, not JSON."""

    def __init__(self, *args: Any, secret_key: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._cipher = tracker_cipher(secret_key or Settings.from_env().secret_key)

    def _encrypt(self, data: dict[str, Any]) -> str:
        return self._cipher.encrypt(json.dumps(data).encode()).decode("ascii")

    def _decrypt(self, token: str) -> dict[str, Any]:
        return json.loads(self._cipher.decrypt(token.encode("ascii")))

    async def save(self, tracker: DialogueStateTracker) -> None:
        """As ``SQLTrackerStore.save``, with the data encrypted."""
        await self.stream_events(tracker)
        with self.session_scope() as session:
            for event in self._additional_events(session, tracker):
                data = event.as_dict()
                intent = data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY)
                session.add(self.SQLEvent(
                    sender_id=tracker.sender_id, type_name=event.type_name,
                    timestamp=data.get("timestamp"), intent_name=intent,
                    action_name=data.get("name"), data=self._encrypt(data)))
            session.commit()

    async def _retrieve(self, sender_id: str, fetch_events_from_all_sessions: bool
                        ) -> DialogueStateTracker | None:
        with self.session_scope() as session:
            rows = self._event_query(
                session, sender_id,
                fetch_events_from_all_sessions=fetch_events_from_all_sessions).all()
            events = [self._decrypt(row.data) for row in rows]
        if self.domain and events:
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        return None
