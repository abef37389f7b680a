"""The operations the channels need on the store, with plain dataclasses in and out.

``Repository`` is synchronous and tested on its own. The gateway uses it through
``AsyncStore``, which runs every call on one dedicated thread: the event loop never waits on
the disk, and SQLite never sees two writers from this process at once.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import os
import secrets
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import bindparam, create_engine, delete, event, func, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from bot.store.crypto import StoreKeys
from bot.store.dossiers import attach_to_open_dossier, move_resident_records
from bot.store.migrations import migrate
from bot.store.models import (
    Base,
    ChannelIdentityRow,
    OutboundFile,
    PendingLink,
    ProcessedInbound,
    ReceivedDocument,
    Resident,
    utcnow,
)

T = TypeVar("T")

PHONE_CHANNELS = ("sms", "whatsapp")


@dataclass(frozen=True)
class ChannelIdentity:
    """A resident on one channel, without the address (ask ``Repository.address_of``)."""

    id: int
    resident_id: str
    channel: str
    last_inbound_at: datetime | None
    opted_out: bool
    messages_out: int
    segments_out: int


@dataclass(frozen=True)
class StoredDocument:
    """What is known of a received file; its bytes come from ``Repository.read_document``."""

    id: str
    resident_id: str
    channel: str
    content_type: str
    size_bytes: int
    sha256: str
    received_at: datetime
    dossier_id: str | None


def _identity(row: Any) -> ChannelIdentity:
    """From a ``ChannelIdentityRow`` or a row of ``_IDENTITY``'s columns (same names)."""
    return ChannelIdentity(
        id=row.id, resident_id=row.resident_id, channel=row.channel,
        last_inbound_at=row.last_inbound_at, opted_out=row.opted_out_at is not None,
        messages_out=row.messages_out or 0, segments_out=row.segments_out or 0,
    )


def _document(row: ReceivedDocument) -> StoredDocument:
    return StoredDocument(
        id=row.id, resident_id=row.resident_id, channel=row.channel,
        content_type=row.content_type, size_bytes=row.size_bytes, sha256=row.sha256,
        received_at=row.received_at, dossier_id=row.dossier_id,
    )


def _address_kind(channel: str) -> str:
    """SMS and WhatsApp share the phone number's hash, so one number is one resident."""
    return "phone" if channel in PHONE_CHANNELS else channel


# The statements of every phone message, built once: building a statement and its cache key
# cost more than running it on SQLite. What a ChannelIdentity is made of, by address or id:
_IDENTITY = select(
    ChannelIdentityRow.id, ChannelIdentityRow.resident_id, ChannelIdentityRow.channel,
    ChannelIdentityRow.last_inbound_at, ChannelIdentityRow.opted_out_at,
    ChannelIdentityRow.messages_out, ChannelIdentityRow.segments_out)
_IDENTITY_BY_ADDRESS = _IDENTITY.where(ChannelIdentityRow.channel == bindparam("channel_"),
                                       ChannelIdentityRow.lookup_hash == bindparam("lookup"))
_IDENTITY_BY_ID = _IDENTITY.where(ChannelIdentityRow.id == bindparam("identity_id"))
_HEARD = (update(ChannelIdentityRow).where(ChannelIdentityRow.id == bindparam("identity_id"))
          .values(last_inbound_at=bindparam("at")))
_RESIDENT_ACTIVE = (update(Resident).where(Resident.id == bindparam("resident"))
                    .values(last_activity_at=bindparam("at")))
_SENT = (update(ChannelIdentityRow).where(ChannelIdentityRow.id == bindparam("identity_id"))
         .values(messages_out=func.coalesce(ChannelIdentityRow.messages_out, 0)
                 + bindparam("messages"),
                 segments_out=func.coalesce(ChannelIdentityRow.segments_out, 0)
                 + bindparam("segments")))
_CLAIM = insert(ProcessedInbound).values(channel=bindparam("channel_"),
                                         provider_id=bindparam("provider_id_"),
                                         received_at=bindparam("at"))


def default_database_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / 'relais.db'}"


def _sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # noqa: ANN001 (DB-API objects)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        # Speed (docs/performance.md): no disk sync at each commit, only at checkpoints. In WAL
        # mode a crash of the process loses nothing committed; a power cut or a kernel crash
        # may lose the last commits, never the file's consistency. As the Rasa tracker store.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


class Repository:
    """Residents, channel identities, processed inbound ids and received documents."""

    def __init__(self, engine: Engine, keys: StoreKeys, documents_dir: Path):
        self._engine = engine
        self._sessions = sessionmaker(bind=engine, future=True, expire_on_commit=False)
        self.keys = keys
        self._documents_dir = documents_dir
        self._outbox_dir = documents_dir.parent / "outbox"

    @property
    def engine(self) -> Engine:
        """For the handoff tables (bot.store.handoff), which share this database."""
        return self._engine

    # --- inbound idempotency -----------------------------------------------------------

    def claim_inbound(self, channel: str, provider_id: str) -> bool:
        """True the first time a provider message id is seen, False on every retry."""
        try:
            with self._engine.begin() as connection:
                connection.execute(_CLAIM, {"channel_": channel,
                                            "provider_id_": provider_id[:64], "at": utcnow()})
        except IntegrityError:
            return False
        return True

    def forget_inbound_before(self, moment: datetime) -> int:
        """Providers retry for hours, not weeks: old ids can go (returns how many)."""
        with self._sessions() as session:
            result = session.execute(
                delete(ProcessedInbound).where(ProcessedInbound.received_at < moment))
            session.commit()
            return result.rowcount or 0

    # --- residents and identities --------------------------------------------------------

    def record_inbound(self, channel: str, address: str, at: datetime | None = None
                       ) -> ChannelIdentity:
        """The identity a message came from, created on first contact, marked as just heard.

        A phone number already known on SMS is the same resident on WhatsApp (and back).
        """
        at = at or utcnow()
        lookup = self.keys.lookup_hash(_address_kind(channel), address)
        known = self._heard_from_known(channel, lookup, at)
        if known is not None:
            return known
        with self._sessions() as session:
            row = self._find(session, channel, lookup)
            if row is None:
                row = self._create_identity(session, channel, lookup, address, at)
            row.last_inbound_at = at
            session.get(Resident, row.resident_id).last_activity_at = at
            try:
                session.commit()
            except IntegrityError:  # created at the same instant by another process
                session.rollback()
                row = self._find(session, channel, lookup)
                row.last_inbound_at = at
                session.commit()
            return _identity(row)

    def _heard_from_known(self, channel: str, lookup: str, at: datetime
                          ) -> ChannelIdentity | None:
        """A known identity marked as just heard, with SQL statements rather than ORM objects
        (every message of a phone channel comes here); None for a first contact."""
        with self._engine.begin() as connection:
            found = connection.execute(_IDENTITY_BY_ADDRESS,
                                       {"channel_": channel, "lookup": lookup}).first()
            if found is None:
                return None
            connection.execute(_HEARD, {"identity_id": found.id, "at": at})
            connection.execute(_RESIDENT_ACTIVE, {"resident": found.resident_id, "at": at})
        return replace(_identity(found), last_inbound_at=at)

    def find_identity(self, channel: str, address: str) -> ChannelIdentity | None:
        lookup = self.keys.lookup_hash(_address_kind(channel), address)
        with self._sessions() as session:
            row = self._find(session, channel, lookup)
            return _identity(row) if row is not None else None

    def identity(self, identity_id: int) -> ChannelIdentity | None:
        with self._sessions() as session:
            row = session.get(ChannelIdentityRow, identity_id)
            return _identity(row) if row is not None else None

    def identities_of(self, resident_id: str) -> list[ChannelIdentity]:
        with self._sessions() as session:
            rows = session.execute(
                select(ChannelIdentityRow).where(ChannelIdentityRow.resident_id == resident_id)
                .order_by(ChannelIdentityRow.id)).scalars()
            return [_identity(row) for row in rows]

    def address_of(self, identity_id: int) -> str:
        """The raw address to reply to (phone number, Telegram chat id), decrypted."""
        with self._sessions() as session:
            row = session.get(ChannelIdentityRow, identity_id)
            if row is None:
                raise KeyError(identity_id)
            return self.keys.decrypt(row.address_encrypted).decode()

    def set_opted_out(self, identity_id: int, opted_out: bool) -> None:
        with self._sessions() as session:
            row = session.get(ChannelIdentityRow, identity_id)
            row.opted_out_at = utcnow() if opted_out else None
            session.commit()

    def count_outbound(self, identity_id: int, messages: int, segments: int
                       ) -> ChannelIdentity | None:
        """Adds what was just sent; SMS segments are what the town is billed for.

        None when the identity is gone: the resident was erased in the turn just answered.
        """
        with self._engine.begin() as connection:  # SQL statements: once per reply sent
            connection.execute(_SENT, {"identity_id": identity_id, "messages": messages,
                                       "segments": segments})
            found = connection.execute(_IDENTITY_BY_ID, {"identity_id": identity_id}).first()
        return None if found is None else _identity(found)

    @staticmethod
    def _find(session: Session, channel: str, lookup: str) -> ChannelIdentityRow | None:
        return session.execute(
            select(ChannelIdentityRow).where(ChannelIdentityRow.channel == channel,
                                             ChannelIdentityRow.lookup_hash == lookup)
        ).scalar_one_or_none()

    def _create_identity(self, session: Session, channel: str, lookup: str, address: str,
                         at: datetime) -> ChannelIdentityRow:
        sibling = session.execute(
            select(ChannelIdentityRow).where(ChannelIdentityRow.lookup_hash == lookup).limit(1)
        ).scalar_one_or_none()
        if sibling is not None:
            resident_id = sibling.resident_id
        else:
            resident_id = secrets.token_hex(16)
            session.add(Resident(id=resident_id, created_at=at, last_activity_at=at))
            session.flush()
        row = ChannelIdentityRow(
            resident_id=resident_id, channel=channel, lookup_hash=lookup,
            address_encrypted=self.keys.encrypt(address.encode()), created_at=at,
            messages_out=0, segments_out=0,
        )
        session.add(row)
        session.flush()
        return row

    # --- linking a Telegram resident to a phone number ----------------------------------------

    def start_link(self, identity_id: int, phone: str, code: str, *, lifetime: timedelta,
                   max_codes_per_day: int, now: datetime | None = None) -> bool:
        """Records the code sent to ``phone``; False when too many codes went out in 24 h."""
        now = now or utcnow()
        with self._sessions() as session:
            row = session.get(PendingLink, identity_id)
            if row is None:
                row = PendingLink(identity_id=identity_id, codes_sent=0, attempts=0,
                                  window_started_at=now)
                session.add(row)
            if now - row.window_started_at >= timedelta(hours=24):
                row.window_started_at, row.codes_sent = now, 0
            if row.codes_sent >= max_codes_per_day:
                return False
            row.codes_sent += 1
            row.attempts = 0
            row.phone_encrypted = self.keys.encrypt(phone.encode())
            row.code_hash = self._code_hash(identity_id, code)
            row.expires_at = now + lifetime
            session.commit()
            return True

    def link_pending(self, identity_id: int, now: datetime | None = None) -> bool:
        now = now or utcnow()
        with self._sessions() as session:
            row = session.get(PendingLink, identity_id)
            return bool(row and row.code_hash and row.expires_at > now)

    def check_link_code(self, identity_id: int, code: str, *, max_attempts: int,
                        now: datetime | None = None) -> str:
        """"linked" (and the resident merged), "wrong", "abandoned" (too many tries) or "none"."""
        now = now or utcnow()
        with self._sessions() as session:
            row = session.get(PendingLink, identity_id)
            if row is None or not row.code_hash or row.expires_at <= now:
                return "none"
            if not hmac.compare_digest(row.code_hash, self._code_hash(identity_id, code)):
                row.attempts += 1
                abandoned = row.attempts >= max_attempts
                if abandoned:
                    row.code_hash = None
                session.commit()
                return "abandoned" if abandoned else "wrong"
            phone = self.keys.decrypt(row.phone_encrypted).decode()
            row.code_hash, row.phone_encrypted = None, None
            self._merge_into_phone_resident(session, identity_id, phone, now)
            session.commit()
            return "linked"

    def _merge_into_phone_resident(self, session: Session, identity_id: int, phone: str,
                                   now: datetime) -> None:
        """The Telegram identity joins the resident of that phone number (created if new).

        The phone's resident wins: their SMS/WhatsApp history is usually the older one. The
        Telegram resident's documents follow; their Rasa conversation is left behind.
        """
        telegram = session.get(ChannelIdentityRow, identity_id)
        lookup = self.keys.lookup_hash("phone", phone)
        phone_identity = session.execute(
            select(ChannelIdentityRow).where(ChannelIdentityRow.lookup_hash == lookup).limit(1)
        ).scalar_one_or_none()
        if phone_identity is None:
            session.add(ChannelIdentityRow(
                resident_id=telegram.resident_id, channel="sms", lookup_hash=lookup,
                address_encrypted=self.keys.encrypt(phone.encode()), created_at=now,
                messages_out=0, segments_out=0))
            return
        old_resident, new_resident = telegram.resident_id, phone_identity.resident_id
        if old_resident == new_resident:
            return
        telegram.resident_id = new_resident
        for document in session.execute(select(ReceivedDocument).where(
                ReceivedDocument.resident_id == old_resident)).scalars():
            document.resident_id = new_resident
        # Erasure must still find the Telegram resident's Rasa conversation and dossiers.
        move_resident_records(session, old_resident, new_resident, now)
        session.flush()
        others = session.execute(select(func.count()).select_from(ChannelIdentityRow).where(
            ChannelIdentityRow.resident_id == old_resident)).scalar_one()
        if others == 0:
            session.execute(delete(Resident).where(Resident.id == old_resident))

    def _code_hash(self, identity_id: int, code: str) -> str:
        return self.keys.lookup_hash("link-code", f"{identity_id}:{code}")

    # --- received documents --------------------------------------------------------------

    def save_document(self, resident_id: str, channel: str, content_type: str, data: bytes,
                      provider_media_id: str | None = None) -> StoredDocument:
        """Encrypts the file into the documents folder, then records it for the resident and
        attaches it to their open dossier, if they have one."""
        document_id = secrets.token_hex(16)
        storage_name = f"{document_id}.bin"
        path = self._write_encrypted(self._documents_dir, storage_name, data)
        row = ReceivedDocument(
            id=document_id, resident_id=resident_id, channel=channel,
            provider_media_id=(provider_media_id or "")[:128] or None,
            content_type=content_type[:128], size_bytes=len(data),
            sha256=hashlib.sha256(data).hexdigest(), storage_name=storage_name,
            received_at=utcnow(),
        )
        try:
            with self._sessions() as session:
                session.add(row)
                attach_to_open_dossier(session, row, row.received_at)
                session.commit()
        except Exception:
            path.unlink(missing_ok=True)  # no orphan file when the row could not be written
            raise
        return _document(row)

    def save_outbound_file(self, resident_id: str, filename: str, content_type: str,
                           data: bytes, lifetime: timedelta) -> str:
        """Keeps a file for the resident to download; returns the link's secret token."""
        token = secrets.token_urlsafe(32)
        storage_name = f"{secrets.token_hex(16)}.bin"
        self._write_encrypted(self._outbox_dir, storage_name, data)
        now = utcnow()
        try:
            with self._sessions() as session:
                session.add(OutboundFile(
                    token_hash=hashlib.sha256(token.encode()).hexdigest(),
                    resident_id=resident_id, filename=filename[:128],
                    content_type=content_type[:128], storage_name=storage_name,
                    created_at=now, expires_at=now + lifetime))
                session.commit()
        except Exception:
            (self._outbox_dir / storage_name).unlink(missing_ok=True)
            raise
        return token

    def read_outbound_file(self, token: str, now: datetime | None = None
                           ) -> tuple[str, str, bytes] | None:
        """(filename, content type, bytes) for a valid token; None if unknown or expired."""
        now = now or utcnow()
        with self._sessions() as session:
            row = session.get(OutboundFile, hashlib.sha256(token.encode()).hexdigest())
            if row is None or row.expires_at <= now:
                return None
            token_file = (self._outbox_dir / row.storage_name).read_bytes()
            return row.filename, row.content_type, self.keys.decrypt(token_file)

    def purge_expired_files(self, now: datetime | None = None) -> int:
        """Deletes download links past their date, and their files (returns how many)."""
        now = now or utcnow()
        with self._sessions() as session:
            rows = session.execute(
                select(OutboundFile).where(OutboundFile.expires_at <= now)).scalars().all()
            for row in rows:
                (self._outbox_dir / row.storage_name).unlink(missing_ok=True)
                session.delete(row)
            session.commit()
            return len(rows)

    def documents_of(self, resident_id: str) -> list[StoredDocument]:
        with self._sessions() as session:
            rows = session.execute(
                select(ReceivedDocument).where(ReceivedDocument.resident_id == resident_id)
                .order_by(ReceivedDocument.received_at)).scalars()
            return [_document(row) for row in rows]

    def _write_encrypted(self, folder: Path, name: str, data: bytes) -> Path:
        """Encrypted, mode 600, in a mode-700 folder, and never half-written under its name."""
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = folder / name
        partial = path.with_suffix(".part")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(self.keys.encrypt(data))
        os.replace(partial, path)
        return path

    def read_document(self, document_id: str) -> bytes:
        with self._sessions() as session:
            row = session.get(ReceivedDocument, document_id)
            if row is None:
                raise KeyError(document_id)
            token = (self._documents_dir / row.storage_name).read_bytes()
        return self.keys.decrypt(token)

    def close(self) -> None:
        self._engine.dispose()

    def stats(self) -> dict[str, int]:
        """Row counts per table (for tests and a future admin page)."""
        with self._sessions() as session:
            return {
                table.name: session.execute(select(func.count()).select_from(table)).scalar_one()
                for table in Base.metadata.sorted_tables
            }


def create_store_engine(database_url: str) -> Engine:
    """The engine every part of the gateway's store uses, with SQLite's pragmas when SQLite.

    On a server database, each connection is checked before use: after the database restarts,
    the pool's old connections are replaced instead of failing the first requests.
    """
    is_sqlite = database_url.startswith("sqlite")
    options: dict = ({"connect_args": {"check_same_thread": False, "timeout": 15}} if is_sqlite
                     else {"pool_pre_ping": True})
    if is_sqlite and ":memory:" not in database_url and database_url != "sqlite://":
        # SQLAlchemy 1.4 opens and closes a connection to a SQLite file for every session
        # (its default NullPool), running the pragmas each time: a third of the gateway's CPU
        # per message (docs/performance.md). A pool keeps them open.
        options["poolclass"] = QueuePool
    engine = create_engine(database_url, future=True, **options)
    if is_sqlite:
        _sqlite_pragmas(engine)
    return engine


def open_repository(database_url: str, secret_key: str, data_dir: Path) -> Repository:
    """Connects, applies pending migrations (``bot.store.migrations``), returns the repository."""
    engine = create_store_engine(database_url)
    migrate(engine)
    return Repository(engine, StoreKeys(secret_key), data_dir / "documents")


class AsyncStore:
    """Runs repository calls on one worker thread, so coroutines can await them."""

    def __init__(self, repository: Repository):
        self.repository = repository
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="relais-store")

    async def run(self, call: Callable[[Repository], T]) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, call, self.repository)

    def close(self) -> None:
        """Waits for the calls already queued, then closes the database connections."""
        self._executor.shutdown(wait=True)
        self.repository.close()


def purge_horizon(days: int = 7) -> datetime:
    return utcnow() - timedelta(days=days)
