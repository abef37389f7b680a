"""Claim rows: whoever inserts a row first does the work that row stands for.

Several gateways run the same jobs on one store, and providers retry their webhooks. Instead
of a lock, the work has a row whose key says what it is about (an appointment's reminder, a
dossier's follow-up, a provider's message id, a seat of a slot): the process whose insert
commits owns it; every other one meets the duplicate key and leaves it alone. The database
decides, so this holds across processes and on SQLite as on PostgreSQL.

A scheduled message whose send failed (the provider refused it or could not be reached: status
``failed``, nothing reached the resident) is released: a run at least ``RETRY_AFTER`` later (a
longer wait after each try, so that a provider outage of a few hours is waited out) takes its
row back with a conditional update that only one process wins, until ``MAX_SENDS`` tries are
recorded in ``attempts``. Any other status (sent, refused by STOP, no channel…) or a claim
still open (its process stopped mid-send: whether the resident got it is unknown) is final: a
resident is never sent the same reminder twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, case, func, literal, not_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute, sessionmaker
from sqlalchemy.sql import ColumnElement, Select

from bot.store.models import Base

FAILED = "failed"
# The wait after the 1st, 2nd… failed try: tries at 0, 2, 12, 42 minutes and 2 h 42.
RETRY_AFTER = (timedelta(minutes=2), timedelta(minutes=10), timedelta(minutes=30),
               timedelta(hours=2))
MAX_SENDS = len(RETRY_AFTER) + 1


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

    def retryable(self, now: datetime) -> ColumnElement:
        """SQL: the last send failed, tries are left and the wait after the last try is over."""
        attempts = func.coalesce(self._row.attempts, 1)
        latest_try = case(*[(attempts == tries, literal(now - wait))
                            for tries, wait in enumerate(RETRY_AFTER, start=1)])
        return and_(self._status == FAILED, attempts < MAX_SENDS,
                    self._claimed_at <= latest_try)

    def settled(self, now: datetime) -> Select:
        """The keys of messages not to be sent at ``now`` (sent, being sent, given up, or
        waiting before the next try)."""
        return select(self._key).where(not_(self.retryable(now)))

    def claim(self, row: Base) -> bool:
        """True for the one process that may send: it inserted ``row``, or took back a
        failed claim whose wait is over with ``row``'s worker, time and status (one more
        attempt). ``row``'s claim time is the moment of the claim."""
        if insert_once(self._sessions, row):
            return True
        names = (self._status.key, "claimed_by", self._claimed_at.key)
        now = getattr(row, self._claimed_at.key)
        with self._sessions() as session:
            result = session.execute(
                update(self._row)
                .where(self._key == getattr(row, self._key.key), self.retryable(now))
                .values({**{name: getattr(row, name) for name in names},
                         "attempts": func.coalesce(self._row.attempts, 1) + 1})
                .execution_options(synchronize_session=False))
            session.commit()
            return result.rowcount == 1
