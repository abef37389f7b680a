"""Claim rows: whoever inserts a row first does the work that row stands for.

Several gateways run the same jobs on one store, and providers retry their webhooks. Instead
of a lock, the work has a row whose key says what it is about (an appointment's reminder, a
dossier's follow-up, a provider's message id, a seat of a slot): the process whose insert
commits owns it; every other one meets the duplicate key and leaves it alone. The database
decides, so this holds across processes and on SQLite as on PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from bot.store.models import Base


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
