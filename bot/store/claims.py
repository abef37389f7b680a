"""Claim rows: whoever inserts a row first does the work that row stands for.

Several gateways run the same jobs on one store, and providers retry their webhooks. Instead
of a lock, the work has a row whose key says what it is about (an appointment's reminder, a
dossier's follow-up, a provider's message id, a seat of a slot): the process whose insert
commits owns it; every other one meets the duplicate key and leaves it alone. The database
decides, so this holds across processes and on SQLite as on PostgreSQL.

A scheduled message whose send failed (the provider refused it or could not be reached: status
``failed``, nothing reached the resident) is released: a later run takes its row back with a
conditional update that only one process wins, until ``MAX_SENDS`` tries are recorded in
``attempts``. Any other status (sent, refused by STOP, no channel…) or a claim still open (its
process stopped mid-send: whether the resident got it is unknown) is final: a resident is never
sent the same reminder twice.
"""

from __future__ import annotations

from sqlalchemy import and_, func, not_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute, sessionmaker
from sqlalchemy.sql import ColumnElement, Select

from bot.store.models import Base

FAILED = "failed"
MAX_SENDS = 3  # a provider outage longer than three job runs loses the message, as before


def insert_once(sessions: sessionmaker, row: Base) -> bool:
    """True for the one caller whose row was inserted; False when its key already exists."""
    with sessions() as session:
        session.add(row)
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
            return False
        return True


class SendClaims:
    """The claims of one kind of scheduled message: one row per message, keyed by its subject.

    The row class has the key, ``claimed_by``, ``attempts`` (null on rows older than the
    column: one try) and a status column that reads ``claimed`` until the send's outcome.
    """

    def __init__(self, sessions: sessionmaker, key: InstrumentedAttribute,
                 status: InstrumentedAttribute, claimed_at: InstrumentedAttribute):
        self._sessions = sessions
        self._row = key.class_
        self._key, self._status, self._claimed_at = key, status, claimed_at

    def retryable(self) -> ColumnElement:
        """SQL: the last send failed and tries are left."""
        return and_(self._status == FAILED,
                    func.coalesce(self._row.attempts, 1) < MAX_SENDS)

    def settled(self) -> Select:
        """The keys of messages that are claimed for good (sent, being sent, or given up)."""
        return select(self._key).where(not_(self.retryable()))

    def claim(self, row: Base) -> bool:
        """True for the one process that may send: it inserted ``row``, or took back a
        failed claim with ``row``'s worker, time and status (one more attempt)."""
        if insert_once(self._sessions, row):
            return True
        names = (self._status.key, "claimed_by", self._claimed_at.key)
        with self._sessions() as session:
            result = session.execute(
                update(self._row)
                .where(self._key == getattr(row, self._key.key), self.retryable())
                .values({**{name: getattr(row, name) for name in names},
                         "attempts": func.coalesce(self._row.attempts, 1) + 1})
                .execution_options(synchronize_session=False))
            session.commit()
            return result.rowcount == 1
