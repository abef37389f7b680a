"""Schema versions of the store, without Alembic (not in the Rasa lock).

A ``schema_version`` table holds one row per applied migration. ``MIGRATIONS`` is an ordered
list of (version, description, function); ``migrate`` applies, in order and each in its own
transaction, those whose version is not recorded yet. A migration is never edited once
released: a change adds a new one at the end. Functions use SQLAlchemy constructs only (no
dialect-specific SQL) so that the same list runs on SQLite and PostgreSQL.

Version 1 is the store as it was before migrations (tables created by ``create_all`` at the
gateway's start): ``checkfirst`` makes it a no-op on such a database, so an existing
``relais.db`` is adopted, not rebuilt.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, select
from sqlalchemy.engine import Connection, Engine

from bot.store import appointments, dossiers, followups  # noqa: F401  (tables on Base)
from bot.store.models import Base

_version_metadata = MetaData()
schema_version = Table(
    "schema_version", _version_metadata,
    Column("version", Integer, primary_key=True),
    Column("description", String(200), nullable=False),
    Column("applied_at", DateTime, nullable=False),
)


_CREATED: set[str] = set()


def _tables(*names: str) -> Callable[[Connection], None]:
    _CREATED.update(names)

    def create(connection: Connection) -> None:
        tables = [Base.metadata.tables[name] for name in names]
        Base.metadata.create_all(connection, tables=tables, checkfirst=True)
    return create


MIGRATIONS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (1, "gateway store: residents, channel identities, documents, links, files",
     _tables("residents", "channel_identities", "processed_inbound", "received_documents",
             "pending_links", "outbound_files")),
    (2, "dossiers, their history, consent records, read audit log, conversation aliases",
     _tables("dossiers", "dossier_events", "consent_records", "dossier_reads",
             "conversation_aliases")),
    (4, "appointments with a person, their reminder claims, dossier follow-ups",
     _tables("appointments", "appointment_reminders", "dossier_followups")),
]


def unmigrated_tables() -> list[str]:
    """Tables declared on Base that no migration creates yet (a new module must add one)."""
    return sorted(set(Base.metadata.tables) - _CREATED)


def current_version(engine: Engine) -> int:
    """The highest applied version (0 for an empty database)."""
    with engine.connect() as connection:
        _version_metadata.create_all(connection, checkfirst=True)
        connection.commit()
        versions = connection.execute(select(schema_version.c.version)).scalars().all()
    return max(versions, default=0)


def migrate(engine: Engine, target: int | None = None) -> list[int]:
    """Applies the pending migrations up to ``target`` (all by default); returns their versions."""
    applied: list[int] = []
    done = current_version(engine)
    for version, description, function in MIGRATIONS:
        if version <= done or (target is not None and version > target):
            continue
        with engine.begin() as connection:
            function(connection)
            connection.execute(schema_version.insert().values(
                version=version, description=description, applied_at=datetime.utcnow()))
        applied.append(version)
    return applied
