""""Supprimer mes données": everything about a resident goes, and the bot can say what went.

``erase_resident`` deletes, in the gateway's store, the resident's dossiers (with their history
and read log), consent records, received documents and download links (rows and encrypted
files), channel identities (and pending phone links), conversation aliases and the resident row;
then, in Rasa's tracker store, every event row of their conversation ids (their own id and the
ids merged into it). Rasa's ``SQLTrackerStore`` owns its ``events`` table and counts rows to
know what to save: deleting a conversation's rows entirely is the one safe edit (design.md).

On SQLite, ``secure_delete`` is switched on for these deletions and the write-ahead log is
checkpointed, so the deleted messages do not linger in free pages of the file.
"""

from __future__ import annotations

import logging
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy import column, create_engine, delete, func, inspect, select, table, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.store.dossiers import (
    ConsentRow,
    ConversationAliasRow,
    DossierRow,
    DossierStore,
    delete_dossiers_of,
)
from bot.store.models import (
    Base,
    ChannelIdentityRow,
    OutboundFile,
    PendingLink,
    ReceivedDocument,
    Resident,
)

log = logging.getLogger(__name__)
TRACKER_URL_VARIABLE = "RELAIS_TRACKER_DB_URL"


@dataclass(frozen=True)
class ErasureReport:
    """How many of each thing were erased (what the bot tells the resident)."""

    dossiers: int = 0
    documents: int = 0
    files: int = 0
    identities: int = 0
    consents: int = 0
    conversation_events: int = 0
    other_records: int = 0  # rows of other modules' tables (handoffs, transcripts, audit…)
    resident_found: bool = False

    def as_dict(self) -> dict[str, int | bool]:
        return asdict(self)


def tracker_database_url(data_dir: Path) -> str:
    """``RELAIS_TRACKER_DB_URL``, else the SQLite file Rasa uses in the data dir (endpoints.yml)."""
    return os.environ.get(TRACKER_URL_VARIABLE) or f"sqlite:///{data_dir / 'rasa-tracker.db'}"


def _secure_sqlite(session_or_connection: Session) -> None:
    if session_or_connection.get_bind().dialect.name == "sqlite":
        session_or_connection.execute(text("PRAGMA secure_delete=ON"))


def _checkpoint(engine: Engine) -> None:
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))


def delete_tracker_conversations(tracker_url: str, sender_ids: list[str]) -> int:
    """Deletes every Rasa event row of these conversations; 0 when there is no tracker yet."""
    if not sender_ids:
        return 0
    if tracker_url.startswith("sqlite:///"):
        path = Path(tracker_url.removeprefix("sqlite:///"))
        if not path.exists():
            return 0
    engine = create_engine(tracker_url, future=True)
    try:
        if not inspect(engine).has_table("events"):
            return 0
        events = table("events", column("sender_id"))
        with engine.begin() as connection:
            if engine.dialect.name == "sqlite":
                connection.execute(text("PRAGMA secure_delete=ON"))
            result = connection.execute(delete(events).where(events.c.sender_id.in_(sender_ids)))
            count = result.rowcount or 0
        _checkpoint(engine)
        return count
    finally:
        engine.dispose()


_OWN_TABLES = {"residents", "channel_identities", "pending_links", "received_documents",
               "outbound_files", "dossiers", "dossier_events", "dossier_reads", "consent_records",
               "conversation_aliases"}
_PERSON_COLUMNS = ("resident_id", "conversation_id", "sender_id")


def _sweep_other_tables(session: Session, sender_ids: list[str], dossier_ids: list[str]) -> int:
    """Rows of any other table on Base about the resident, one of their conversations or dossiers.

    Tables added by other modules (the handoff queue, its transcripts, the console's access
    audit) are erased too without this module knowing them: a row keyed by ``resident_id``,
    ``conversation_id`` or ``sender_id``; an audit row whose ``object_id`` is a dossier, a
    conversation, or (with ``object_kind``) a row erased here, e.g. ``handoff`` 42.
    """
    count = 0
    erased: dict[str, list[str]] = {}  # object kind ("handoff") -> ids of rows erased here
    tables = [t for t in reversed(Base.metadata.sorted_tables) if t.name not in _OWN_TABLES]
    for model_table in tables:
        for name in _PERSON_COLUMNS:
            if name not in model_table.c:
                continue
            condition = model_table.c[name].in_(sender_ids)
            keys = list(model_table.primary_key.columns)
            if len(keys) == 1:
                ids = session.execute(select(keys[0]).where(condition)).scalars().all()
                erased.setdefault(model_table.name.removesuffix("s"), []).extend(
                    str(i) for i in ids)
            count += session.execute(delete(model_table).where(condition)).rowcount or 0
    objects = [*sender_ids, *dossier_ids]
    for model_table in tables:
        if "object_id" not in model_table.c:
            continue
        condition = model_table.c.object_id.in_(objects)
        if "object_kind" in model_table.c:
            for kind, ids in erased.items():
                if ids:
                    condition = condition | ((model_table.c.object_kind == kind)
                                             & model_table.c.object_id.in_(ids))
        count += session.execute(delete(model_table).where(condition)).rowcount or 0
    return count


def erase_resident(store: DossierStore, resident_id: str,
                   tracker_url: str | None = None) -> ErasureReport:
    """Erases everything about one resident; returns the counts. Unknown id: all zeros.

    Files are deleted after the rows are committed: a crash in between leaves an encrypted
    orphan file (unreadable without its row), never a row pointing at nothing.
    """
    tracker_url = tracker_url or tracker_database_url(store.data_dir)
    sender_ids = store.conversation_ids(resident_id)
    files: list[Path] = []
    with Session(store.engine, future=True) as session:
        _secure_sqlite(session)
        found = session.get(Resident, resident_id) is not None
        dossier_ids = session.execute(select(DossierRow.id).where(
            DossierRow.resident_id == resident_id)).scalars().all()
        dossiers = delete_dossiers_of(session, resident_id)
        documents = session.execute(select(ReceivedDocument).where(
            ReceivedDocument.resident_id == resident_id)).scalars().all()
        files += [store.data_dir / "documents" / d.storage_name for d in documents]
        outbound = session.execute(select(OutboundFile).where(
            OutboundFile.resident_id == resident_id)).scalars().all()
        files += [store.data_dir / "outbox" / f.storage_name for f in outbound]
        identity_ids = session.execute(select(ChannelIdentityRow.id).where(
            ChannelIdentityRow.resident_id == resident_id)).scalars().all()
        consents = session.execute(select(func.count()).select_from(ConsentRow).where(
            ConsentRow.resident_id == resident_id)).scalar_one()
        if identity_ids:
            session.execute(delete(PendingLink).where(PendingLink.identity_id.in_(identity_ids)))
        for model in (ReceivedDocument, OutboundFile, ChannelIdentityRow, ConsentRow,
                      ConversationAliasRow):
            session.execute(delete(model).where(model.resident_id == resident_id))
        other = _sweep_other_tables(session, sender_ids, list(dossier_ids))
        session.execute(delete(Resident).where(Resident.id == resident_id))
        session.commit()
    _checkpoint(store.engine)
    removed_files = 0
    for path in files:
        if path.exists():
            path.unlink()
            removed_files += 1
    events = delete_tracker_conversations(tracker_url, sender_ids)
    report = ErasureReport(
        dossiers=dossiers, documents=len(documents), files=removed_files,
        identities=len(identity_ids), consents=consents, conversation_events=events,
        other_records=other, resident_found=found,
    )
    # Counts only: the resident id is a pseudonym, but the log has no need of it.
    log.info("erasure: %s", report.as_dict())
    return report
