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
import itertools
import json
import logging
import os
from collections import OrderedDict
from typing import Any

import sqlalchemy as sa
import ujson
from cryptography.fernet import Fernet
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot.config import Settings
from bot.store.crypto import derive_key

log = logging.getLogger(__name__)

KEY_LABEL = b"rasa tracker v1"


def tracker_cipher(secret_key: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(derive_key(secret_key, KEY_LABEL)))


def _parse_events(text: str) -> list[dict[str, Any]]:
    """The kept session's JSON texts, parsed again for each read (Rasa changes what it reads).
    ujson (a dependency of Rasa's Sanic) parses them to the same values in half the time of
    ``json``; a text it would refuse is parsed by ``json`` as before."""
    try:
        return ujson.loads(text)
    except (ValueError, OverflowError):
        return json.loads(text)


# --- the saved tracker, handed out once ----------------------------------------------------------
# Rebuilding the tracker from its events (DialogueStateTracker.from_dict: every event parsed and
# replayed) was about 12 % of the Rasa server's CPU per message. The tracker object Rasa has just
# saved holds exactly the session's rows: it is kept and handed to the next read of that session
# if the database still holds exactly those rows (the same stamp as the kept texts). It is
# handed out once and kept again only when saved: a tracker Rasa changed without saving (a
# failed turn, a read-only request) is never handed out again; a second read meanwhile gets a
# replay of the texts, as before. RELAIS_TRACKER_KEEP_CHECK=1 replays anyway and fails the
# read when the kept tracker differs from the replay (its state, its events, its past states).

_KEEP_CHECK = os.environ.get("RELAIS_TRACKER_KEEP_CHECK", "") == "1"


def _tracker_mismatch(kept: DialogueStateTracker, replayed: DialogueStateTracker,
                      domain: Any) -> str | None:
    if ujson.dumps(kept.current_state(EventVerbosity.ALL), sort_keys=True) != ujson.dumps(
            replayed.current_state(EventVerbosity.ALL), sort_keys=True):
        return "current_state"
    if kept.past_states(domain) != replayed.past_states(domain):
        return "past_states"
    return None


class EncryptedSQLTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` whose ``events.data`` column holds Fernet tokens, not JSON."""

    def __init__(self, *args: Any, secret_key: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._cipher = tracker_cipher(secret_key or Settings.from_env().secret_key)
        # Speed: the current session of recent conversations, decrypted (RECENT_SESSIONS).
        self._recent: OrderedDict[str, tuple[tuple[int, int], list[str]]] = OrderedDict()
        # Speed: the tracker object last saved for a session, handed out once (_saved_tracker).
        self._saved_trackers: dict[str, DialogueStateTracker] = {}
        if self.engine.dialect.name == "sqlite":
            self._keep_sqlite_connections_open()
        self._statements()

    def _keep_sqlite_connections_open(self) -> None:
        """SQLAlchemy 1.4 opens and closes a new SQLite connection for each session of a
        file database; each open ran the pragmas again and each close of a WAL database
        checked its log: 6 % of the Rasa server's CPU. A pool of open connections instead."""
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, poolclass=sa.pool.QueuePool, pool_size=2,
                                       connect_args={"check_same_thread": False})
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    def _encrypt(self, data: dict[str, Any] | str) -> str:
        text = data if isinstance(data, str) else json.dumps(data)
        return self._cipher.encrypt(text.encode()).decode("ascii")

    def _decrypt(self, token: str) -> dict[str, Any]:
        return json.loads(self._cipher.decrypt(token.encode("ascii")))

    async def save(self, tracker: DialogueStateTracker) -> None:
        """As ``SQLTrackerStore.save``, with the data encrypted.

        Speed (docs/performance.md): the rows already stored are counted with one statement
        built once, as ``_session_stamp`` below (Rasa built an ORM query and counted a
        subquery), and the new rows go in with one SQLAlchemy Core ``executemany`` (the last
        alone, for its id) instead of the ORM's unit of work; the same rows, in the same
        transaction."""
        await self.stream_events(tracker)
        rows: list[dict[str, Any]] = []
        saved: list[tuple[str, str]] = []
        with self.engine.begin() as connection:
            before = self._session_stamp(connection, tracker.sender_id)
            for event in itertools.islice(tracker.events, before[0], None):
                data = event.as_dict()
                text = json.dumps(data)
                intent = data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY)
                rows.append({
                    "sender_id": tracker.sender_id, "type_name": event.type_name,
                    "timestamp": data.get("timestamp"), "intent_name": intent,
                    "action_name": data.get("name"), "data": self._encrypt(text)})
                saved.append((event.type_name, text))
            if not rows:
                return
            if len(rows) > 1:
                connection.execute(self._insert_event, rows[:-1])
            last = connection.execute(self._insert_event, rows[-1]).inserted_primary_key[0]
        self._remember_saved(tracker.sender_id, before, (before[0] + len(rows), last), saved)
        self._keep_saved_tracker(tracker)

    async def _retrieve(self, sender_id: str, fetch_events_from_all_sessions: bool
                        ) -> DialogueStateTracker | None:
        with self.session_scope() as session:
            if fetch_events_from_all_sessions:
                query = self._event_query(session, sender_id,
                                          fetch_events_from_all_sessions=True)
                events = [self._decrypt(row.data) for row in query.all()]
            else:
                stamp = self._session_stamp(session.connection(), sender_id)
                kept = self._saved_tracker(sender_id, stamp)
                if kept is not None:
                    return kept
                events = self._current_session(session, sender_id, stamp)
        if self.domain and events:
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        return None

    # --- the recent sessions, decrypted -------------------------------------------------------
    # Loading a session cost a quarter of the Rasa server's CPU per message (docs/performance.md):
    # the rows through the ORM, each decrypted and parsed. The session's events as this process
    # last saw them are kept, with the session's row count and highest row id; a cheap query on
    # the indexed sender id tells whether the database still holds exactly those (another Rasa
    # instance, an erasure or a new session changes the count or the highest id), else the rows
    # are read again. In memory only: nothing more than the Rasa process holds anyway.

    RECENT_SESSIONS = 200  # at most ~150 kB each (a session is at most ~150 events)

    def _statements(self) -> None:
        """The two statements of every turn, built once (SQLAlchemy caches their compiled
        form): the current session's row count and highest row id (the rows after the latest
        ``session_started``, or all of them, as ``SQLTrackerStore._event_query``), and the
        insertion of one event."""
        events = self.SQLEvent.__table__
        sender = sa.bindparam("sender_id")
        start = (sa.select(sa.func.max(events.c.timestamp))
                 .where(events.c.sender_id == sender, events.c.type_name == "session_started")
                 .scalar_subquery())
        # Rasa's "timestamp >= start OR start IS NULL", written as two parts that each read
        # a range of an index (SESSION_INDEXES) instead of every row of the conversation (what
        # SQLite does with the OR): the same rows, a row without time included.
        session = sa.union_all(
            sa.select(events.c.id).where(
                events.c.sender_id == sender,
                events.c.timestamp >= sa.func.coalesce(start, float("-inf"))),
            sa.select(events.c.id).where(
                events.c.sender_id == sender, events.c.timestamp.is_(None), start.is_(None)),
        ).subquery()
        self._session_stamp_query = sa.select(sa.func.count(session.c.id),
                                              sa.func.max(session.c.id))
        self._insert_event = events.insert()
        self._create_session_indexes()

    # The session's stamp is queried twice a turn. With Rasa's index on the sender id alone,
    # the database read every row of the conversation, all its sessions, each time: 0.05 ms at
    # the 10th message, 1.3 ms at the 300th (2,000 rows), a turn's cost growing with the
    # conversation (docs/performance.md). These two indexes find the latest session start and
    # then the session's rows only. Created if missing when the store starts (IF NOT EXISTS:
    # several instances may start at once); SQLite and PostgreSQL alike.
    SESSION_INDEXES = {
        "ix_events_sender_type_time": "sender_id, type_name, timestamp",
        "ix_events_sender_time": "sender_id, timestamp",
    }

    def _create_session_indexes(self) -> None:
        table = self.SQLEvent.__table__.fullname
        with self.engine.begin() as connection:
            for name, columns in self.SESSION_INDEXES.items():
                connection.execute(sa.text(
                    f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})"))

    def _session_stamp(self, connection: Any, sender_id: str) -> tuple[int, int]:
        count, highest = connection.execute(self._session_stamp_query,
                                            {"sender_id": sender_id}).one()
        return int(count), int(highest or 0)

    def _current_session(self, session: Any, sender_id: str, stamp: tuple[int, int]
                         ) -> list[dict[str, Any]]:
        recent = self._recent.get(sender_id)
        if recent is not None and recent[0] == stamp:
            self._recent.move_to_end(sender_id)
            return _parse_events("[" + ",".join(recent[1]) + "]")
        rows = self._event_query(session, sender_id, fetch_events_from_all_sessions=False).all()
        texts = [self._cipher.decrypt(row.data.encode("ascii")).decode() for row in rows]
        if len(rows) == stamp[0] and (rows[-1].id if rows else 0) == stamp[1]:
            self._keep(sender_id, stamp, texts)
        else:
            self._recent.pop(sender_id, None)
        return _parse_events("[" + ",".join(texts) + "]")

    def _remember_saved(self, sender_id: str, before: tuple[int, int], after: tuple[int, int],
                        saved: list[tuple[str, str]]) -> None:
        """The session with these rows, if what is kept is what the database held just before
        them (``before``: its count and highest id) and they start no new session. Were a row
        written or erased by somebody else meanwhile, the count the next read finds differs
        from ``after`` and it reads the rows."""
        recent = self._recent.pop(sender_id, None)
        if recent is None or any(kind == "session_started" for kind, _ in saved):
            return  # a new session: read from the database next time
        stamp, texts = recent
        if stamp != before:
            return  # somebody else wrote or erased meanwhile
        self._keep(sender_id, after, texts + [text for _, text in saved])

    def _keep(self, sender_id: str, stamp: tuple[int, int], texts: list[str]) -> None:
        self._recent[sender_id] = (stamp, texts)
        while len(self._recent) > self.RECENT_SESSIONS:
            self._recent.popitem(last=False)

    def _keep_saved_tracker(self, tracker: DialogueStateTracker) -> None:
        recent = self._recent.get(tracker.sender_id)
        self._saved_trackers.pop(tracker.sender_id, None)
        if recent is not None and recent[0][0] == len(tracker.events) == len(recent[1]):
            self._saved_trackers[tracker.sender_id] = tracker
            while len(self._saved_trackers) > self.RECENT_SESSIONS:
                self._saved_trackers.pop(next(iter(self._saved_trackers)))

    def _saved_tracker(self, sender_id: str, stamp: tuple[int, int]
                       ) -> DialogueStateTracker | None:
        """The tracker last saved, if the database (``stamp``) still holds exactly its rows.
        Between its save and this read nothing else touched the kept session (a save replaces
        the kept tracker, a read takes it), so the kept session's stamp is the one it was saved
        with."""
        kept = self._saved_trackers.pop(sender_id, None)
        if kept is None or self.domain is None:
            return None
        recent = self._recent.get(sender_id)
        if recent is None or recent[0] != stamp:
            return None  # another instance wrote, an erasure, a new session
        if len(kept.events) != stamp[0]:
            return None  # changed after its save (a turn that failed before saving again)
        self._recent.move_to_end(sender_id)
        if _KEEP_CHECK:
            replayed = DialogueStateTracker.from_dict(
                sender_id, _parse_events("[" + ",".join(recent[1]) + "]"), self.domain.slots)
            mismatch = _tracker_mismatch(kept, replayed, self.domain)
            if mismatch:
                raise AssertionError(f"kept tracker differs from the replay: {mismatch}")
        return kept
