"""Schema versions of the store, without Alembic (not in the Rasa lock).

A ``schema_version`` table holds one row per applied migration. ``MIGRATIONS`` is an ordered
list of (version, description, function); ``migrate`` applies, in order and each in its own
transaction, those whose version is not recorded yet. A migration is never edited once
released: a change adds a new one at the end. Functions use SQLAlchemy constructs only (no
dialect-specific SQL) so that the same list runs on SQLite and PostgreSQL.

Versions 1 and 3 are tables that ``create_all`` used to build at the gateway's start (the
channels' store, then the handoff and console tables): ``checkfirst`` makes them no-ops on such
a database, so an existing ``relais.db`` is adopted, not rebuilt. ``open_repository`` calls
``migrate``: every process that opens the store brings it up to date.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, inspect, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.types import TypeEngine

from bot.store import (  # noqa: F401  (tables on Base)
    appointments,
    dossiers,
    followups,
    handoff,
    usage,
)
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


def _add_column(table: str, name: str, kind: TypeEngine) -> Callable[[Connection], None]:
    """Adds a nullable column to a table ``create_all`` built before the column existed."""
    def add(connection: Connection) -> None:
        if name in {c["name"] for c in inspect(connection).get_columns(table)}:
            return
        column_type = kind.compile(dialect=connection.dialect)
        # Plain ALTER TABLE … ADD COLUMN: the same statement on SQLite and PostgreSQL.
        connection.execute(text(f"ALTER TABLE {table} ADD COLUMN {name} {column_type}"))
    return add


def _then(*steps: Callable[[Connection], None]) -> Callable[[Connection], None]:
    def run(connection: Connection) -> None:
        for step in steps:
            step(connection)
    return run


MIGRATIONS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (1, "gateway store: residents, channel identities, documents, links, files",
     _tables("residents", "channel_identities", "processed_inbound", "received_documents",
             "pending_links", "outbound_files")),
    (2, "dossiers, their history, consent records, read audit log, conversation aliases",
     _tables("dossiers", "dossier_events", "consent_records", "dossier_reads",
             "conversation_aliases")),
    (3, "handoffs to a person (with the need behind a flow's escalation), their transcripts "
        "and notes, console users, sessions, audit",
     _then(_tables("handoffs", "handoff_transcript", "handoff_notes", "console_users",
                   "console_sessions", "access_audit"),
           _add_column("handoffs", "need", String(16)))),
    (4, "appointments with a person, their reminder claims, dossier follow-ups",
     _tables("appointments", "appointment_reminders", "dossier_followups")),
    (5, "monthly counts for the statistics page (topics, rights found) and the tracker mark",
     _tables("usage_counts", "usage_marks")),
    (6, "attempts of reminders and follow-ups: a send the provider refused is tried again",
     _then(_add_column("appointment_reminders", "attempts", Integer()),
           _add_column("dossier_followups", "attempts", Integer()))),
]


def unmigrated_tables() -> list[str]:
    """Tables declared on Base that no migration creates yet (a new module must add one)."""
    return sorted(set(Base.metadata.tables) - _CREATED)


def applied_versions(engine: Engine) -> set[int]:
    """The versions recorded in ``schema_version`` (empty for a new database)."""
    with engine.connect() as connection:
        _version_metadata.create_all(connection, checkfirst=True)
        connection.commit()
        return set(connection.execute(select(schema_version.c.version)).scalars().all())


def current_version(engine: Engine) -> int:
    """The highest applied version (0 for an empty database)."""
    return max(applied_versions(engine), default=0)


def migrate(engine: Engine, target: int | None = None) -> list[int]:
    """Applies the pending migrations up to ``target`` (all by default); returns their versions.

    Pending means not recorded, not "above the highest recorded": two branches that each add
    a migration (3 and 4) can be merged in either order and a database that ran 4 first still
    gets 3.
    """
    applied: list[int] = []
    done = applied_versions(engine)
    for version, description, function in MIGRATIONS:
        if version in done or (target is not None and version > target):
            continue
        with engine.begin() as connection:
            function(connection)
            connection.execute(schema_version.insert().values(
                version=version, description=description, applied_at=datetime.utcnow()))
        applied.append(version)
    return applied
