"""Dossiers (one per request), consent records and the audit log of reads, on the store's Base.

What is personal is encrypted with the store's Fernet key (``bot.store.crypto``): a dossier's
answers (names, address, birth date, resources…) are one encrypted JSON document, never columns
in clear, so a database dump, a backup or a SQLite free page shows no name and no phone number.
What stays in clear is what the bot and the agents need to sort dossiers without reading them:
the right, the status, the dossier code, dates, and document kinds (never file contents).

Schema changes go through ``bot.store.migrations`` (a ``schema_version`` table and ordered
functions), see docs/dossiers.md.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    delete,
    select,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from bot.store.crypto import StoreKeys
from bot.store.models import Base, ReceivedDocument, Resident, utcnow

RIGHTS = ("css", "logement_social", "mutuelle_communale", "caisse_sociale_alimentaire")
VARIANTS = {"logement_social": ("premiere_demande", "renouvellement")}
STATUSES = ("en_cours", "a_confirmer", "pret", "envoye", "depose", "abandonne")
OPEN_STATUSES = ("en_cours", "a_confirmer", "pret", "envoye")
UNSORTED_DOCUMENT_KIND = "a_classer"  # a file sent in the chat, before a person sorts it
READ_VIEWS = ("complet", "anonymise")
# Letters and digits a person can read aloud on the phone without confusion (no 0/O, 1/I/L).
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


class DossierRow(Base):
    """One request of one resident (a CSS request, a social-housing renewal…)."""

    __tablename__ = "dossiers"

    id = Column(String(32), primary_key=True)
    resident_id = Column(String(32), ForeignKey("residents.id", ondelete="CASCADE"),
                         nullable=False, index=True)
    code = Column(String(16), nullable=False, unique=True)  # what a commission sees, not a name
    right = Column(String(32), nullable=False)
    variant = Column(String(32), nullable=True)  # logement_social: premiere_demande, renouvellement
    status = Column(String(16), nullable=False)
    answers_encrypted = Column(LargeBinary, nullable=False)  # Fernet(JSON of the answers)
    documents_received = Column(Text, nullable=False, default="{}")  # JSON {kind: [document ids]}
    created_at = Column(DateTime, nullable=False)
    updated_at = Column(DateTime, nullable=False, index=True)


class DossierEventRow(Base):
    """The dossier's history: created, answer changed (field name only), status, document."""

    __tablename__ = "dossier_events"

    id = Column(Integer, primary_key=True)
    dossier_id = Column(String(32), ForeignKey("dossiers.id", ondelete="CASCADE"),
                        nullable=False, index=True)
    at = Column(DateTime, nullable=False)
    kind = Column(String(32), nullable=False)
    detail = Column(String(200), nullable=True)  # never a value the resident typed
    actor = Column(String(64), nullable=False)


class ConsentRow(Base):
    """A resident's yes or no to a purpose (keeping a dossier, sharing it with the CCAS…)."""

    __tablename__ = "consent_records"

    id = Column(Integer, primary_key=True)
    resident_id = Column(String(32), ForeignKey("residents.id", ondelete="CASCADE"),
                         nullable=False, index=True)
    purpose = Column(String(64), nullable=False)
    granted = Column(Boolean, nullable=False)
    text_version = Column(String(32), nullable=False)  # which wording the resident answered
    at = Column(DateTime, nullable=False)


class DossierReadRow(Base):
    """Every time a person (an agent, a commission member) opens a dossier."""

    __tablename__ = "dossier_reads"

    id = Column(Integer, primary_key=True)
    dossier_id = Column(String(32), ForeignKey("dossiers.id", ondelete="CASCADE"),
                        nullable=False, index=True)
    reader = Column(String(64), nullable=False)  # an agent's login, never a resident's identity
    purpose = Column(String(64), nullable=False)
    view = Column(String(16), nullable=False)  # complet | anonymise
    at = Column(DateTime, nullable=False)


class ConversationAliasRow(Base):
    """Rasa conversation ids a resident used before (a Telegram id merged into a phone number).

    Erasure must delete those tracker rows too; the resident's own id is not listed here.
    """

    __tablename__ = "conversation_aliases"

    sender_id = Column(String(64), primary_key=True)
    resident_id = Column(String(32), ForeignKey("residents.id", ondelete="CASCADE"),
                         nullable=False, index=True)
    created_at = Column(DateTime, nullable=False)


@dataclass(frozen=True)
class Dossier:
    """A dossier with its answers decrypted."""

    id: str
    resident_id: str
    code: str
    right: str
    variant: str | None
    status: str
    answers: dict[str, Any]
    documents_received: dict[str, list[str]]
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class DossierEvent:
    at: datetime
    kind: str
    detail: str | None
    actor: str


@dataclass(frozen=True)
class Consent:
    purpose: str
    granted: bool
    text_version: str
    at: datetime


@dataclass(frozen=True)
class DossierRead:
    reader: str
    purpose: str
    view: str
    at: datetime


@dataclass
class _Changes:
    fields: list[str] = field(default_factory=list)


class DossierStore:
    """Create, fill, read (audited) and list dossiers; record consent.

    Synchronous like ``Repository``; the gateway or the action server runs it on a worker thread.
    """

    def __init__(self, engine: Engine, keys: StoreKeys, data_dir: Path):
        self.engine = engine
        self.keys = keys
        self.data_dir = data_dir
        self._sessions = sessionmaker(bind=engine, future=True, expire_on_commit=False)

    # --- dossiers ------------------------------------------------------------------------

    def ensure_resident(self, resident_id: str) -> None:
        """A resident row for a conversation that has none yet (the web chat, which has no
        channel identity): their conversation id becomes their resident id, as on channels."""
        with self._sessions() as session:
            if session.get(Resident, resident_id) is None:
                now = utcnow()
                session.add(Resident(id=resident_id, created_at=now, last_activity_at=now))
                session.commit()

    def create(self, resident_id: str, right: str, variant: str | None = None,
               actor: str = "relais") -> Dossier:
        """A new, empty dossier; ``right`` is one of RIGHTS (and a variant for social housing)."""
        if right not in RIGHTS:
            raise ValueError(f"unknown right {right!r}")
        allowed = VARIANTS.get(right, (None,))
        if variant not in allowed:
            raise ValueError(f"variant {variant!r} not allowed for {right}")
        now = utcnow()
        row = DossierRow(
            id=secrets.token_hex(16), resident_id=resident_id, code=self._new_code(),
            right=right, variant=variant, status="en_cours",
            answers_encrypted=self._encrypt({}), documents_received="{}",
            created_at=now, updated_at=now,
        )
        with self._sessions() as session:
            session.add(row)
            session.flush()
            self._event(session, row.id, "cree", f"{right} {variant or ''}".strip(), actor, now)
            self._touch_resident(session, resident_id, now)
            session.commit()
            return self._dossier(row)

    def update_answers(self, dossier_id: str, answers: dict[str, Any],
                       actor: str = "resident") -> Dossier:
        """Merges answers (a value of None removes one); the history keeps field names only."""
        now = utcnow()
        with self._sessions() as session:
            row = self._row(session, dossier_id)
            current = self._decrypt(row.answers_encrypted)
            changed = _Changes()
            for name, value in answers.items():
                if value is None:
                    if current.pop(name, None) is not None:
                        changed.fields.append(name)
                elif current.get(name) != value:
                    current[name] = value
                    changed.fields.append(name)
            if changed.fields:
                row.answers_encrypted = self._encrypt(current)
                row.updated_at = now
                self._event(session, row.id, "reponses", ",".join(sorted(changed.fields))[:200],
                            actor, now)
                self._touch_resident(session, row.resident_id, now)
            session.commit()
            return self._dossier(row)

    def set_status(self, dossier_id: str, status: str, actor: str = "relais") -> Dossier:
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        now = utcnow()
        with self._sessions() as session:
            row = self._row(session, dossier_id)
            row.status, row.updated_at = status, now
            self._event(session, row.id, "statut", status, actor, now)
            session.commit()
            return self._dossier(row)

    def attach_document(self, dossier_id: str, document_id: str, kind: str,
                        actor: str = "resident") -> Dossier:
        """Links a received file to the dossier as one of the checklist's document kinds."""
        now = utcnow()
        with self._sessions() as session:
            row = self._row(session, dossier_id)
            document = session.get(ReceivedDocument, document_id)
            if document is None or document.resident_id != row.resident_id:
                raise KeyError(document_id)
            _link_document(session, row, document, kind, actor, now)
            session.commit()
            return self._dossier(row)

    def for_resident(self, resident_id: str) -> list[Dossier]:
        """The resident's own dossiers, for the bot talking to that resident (not audited)."""
        with self._sessions() as session:
            rows = session.execute(select(DossierRow).where(DossierRow.resident_id == resident_id)
                                   .order_by(DossierRow.created_at)).scalars().all()
            return [self._dossier(row) for row in rows]

    def get_for_resident(self, resident_id: str, dossier_id: str) -> Dossier:
        """One of the resident's dossiers; KeyError if it is someone else's."""
        with self._sessions() as session:
            row = self._row(session, dossier_id)
            if row.resident_id != resident_id:
                raise KeyError(dossier_id)
            return self._dossier(row)

    def read(self, dossier_id: str, reader: str, purpose: str,
             view: str = "complet") -> Dossier:
        """A person opens a dossier: the read is logged (who, why, which view) before it returns.

        ``view="anonymise"`` is for a commission: pass the result to ``bot.anonymizer``.
        """
        if view not in READ_VIEWS:
            raise ValueError(f"unknown view {view!r}")
        if not reader or not purpose:
            raise ValueError("a read needs a reader and a purpose")
        with self._sessions() as session:
            row = self._row(session, dossier_id)
            session.add(DossierReadRow(dossier_id=row.id, reader=reader[:64],
                                       purpose=purpose[:64], view=view, at=utcnow()))
            session.commit()
            return self._dossier(row)

    def reads_of(self, dossier_id: str) -> list[DossierRead]:
        with self._sessions() as session:
            rows = session.execute(select(DossierReadRow).where(
                DossierReadRow.dossier_id == dossier_id).order_by(DossierReadRow.id)).scalars()
            return [DossierRead(r.reader, r.purpose, r.view, r.at) for r in rows]

    def history(self, dossier_id: str) -> list[DossierEvent]:
        with self._sessions() as session:
            rows = session.execute(select(DossierEventRow).where(
                DossierEventRow.dossier_id == dossier_id).order_by(DossierEventRow.id)).scalars()
            return [DossierEvent(r.at, r.kind, r.detail, r.actor) for r in rows]

    # --- consent -------------------------------------------------------------------------

    def record_consent(self, resident_id: str, purpose: str, granted: bool,
                       text_version: str) -> Consent:
        """Appends (never overwrites): the latest record for a purpose is the one in force."""
        now = utcnow()
        with self._sessions() as session:
            session.add(ConsentRow(resident_id=resident_id, purpose=purpose[:64],
                                   granted=granted, text_version=text_version[:32], at=now))
            session.commit()
        return Consent(purpose, granted, text_version, now)

    def consents_of(self, resident_id: str) -> list[Consent]:
        with self._sessions() as session:
            rows = session.execute(select(ConsentRow).where(ConsentRow.resident_id == resident_id)
                                   .order_by(ConsentRow.id)).scalars()
            return [Consent(r.purpose, r.granted, r.text_version, r.at) for r in rows]

    def has_consent(self, resident_id: str, purpose: str) -> bool:
        granted = [c.granted for c in self.consents_of(resident_id) if c.purpose == purpose]
        return bool(granted and granted[-1])

    # --- conversation aliases ---------------------------------------------------------------

    def record_alias(self, resident_id: str, sender_id: str) -> None:
        """Remembers an earlier Rasa conversation id of the resident, for erasure."""
        with self._sessions() as session:
            if session.get(ConversationAliasRow, sender_id) is None:
                session.add(ConversationAliasRow(sender_id=sender_id, resident_id=resident_id,
                                                 created_at=utcnow()))
                session.commit()

    def conversation_ids(self, resident_id: str) -> list[str]:
        """Every Rasa sender id of the resident: their own id first, then the aliases."""
        with self._sessions() as session:
            aliases = session.execute(select(ConversationAliasRow.sender_id).where(
                ConversationAliasRow.resident_id == resident_id)).scalars().all()
        return [resident_id, *sorted(aliases)]

    # --- internals -------------------------------------------------------------------------

    def _new_code(self) -> str:
        """``D-XXXXXX``: short enough to read aloud, random so it says nothing about the person."""
        with self._sessions() as session:
            while True:
                code = "D-" + "".join(secrets.choice(_CODE_ALPHABET) for _ in range(6))
                taken = session.execute(select(DossierRow.id).where(DossierRow.code == code)
                                        ).first()
                if taken is None:
                    return code

    @staticmethod
    def _row(session: Any, dossier_id: str) -> DossierRow:
        row = session.get(DossierRow, dossier_id)
        if row is None:
            raise KeyError(dossier_id)
        return row

    @staticmethod
    def _event(session: Any, dossier_id: str, kind: str, detail: str | None, actor: str,
               at: datetime) -> None:
        session.add(DossierEventRow(dossier_id=dossier_id, at=at, kind=kind, detail=detail,
                                    actor=actor[:64]))

    @staticmethod
    def _touch_resident(session: Any, resident_id: str, at: datetime) -> None:
        resident = session.get(Resident, resident_id)
        if resident is None:
            raise KeyError(resident_id)
        resident.last_activity_at = max(resident.last_activity_at, at)

    def _encrypt(self, answers: dict[str, Any]) -> bytes:
        return self.keys.encrypt(json.dumps(answers, ensure_ascii=False, sort_keys=True).encode())

    def _decrypt(self, token: bytes) -> dict[str, Any]:
        return json.loads(self.keys.decrypt(token))

    def _dossier(self, row: DossierRow) -> Dossier:
        return Dossier(
            id=row.id, resident_id=row.resident_id, code=row.code, right=row.right,
            variant=row.variant, status=row.status, answers=self._decrypt(row.answers_encrypted),
            documents_received=json.loads(row.documents_received or "{}"),
            created_at=row.created_at, updated_at=row.updated_at,
        )


def open_dossier_store(database_url: str, secret_key: str, data_dir: Path) -> DossierStore:
    """Connects, brings the schema up to date (``bot.store.migrations``), returns the store."""
    from bot.store.migrations import migrate
    from bot.store.repository import create_store_engine

    engine = create_store_engine(database_url)
    migrate(engine)
    return DossierStore(engine, StoreKeys(secret_key), data_dir)


def _link_document(session: Any, row: DossierRow, document: ReceivedDocument, kind: str,
                   actor: str, at: datetime) -> None:
    document.dossier_id = row.id
    received: dict[str, list[str]] = json.loads(row.documents_received or "{}")
    if kind != UNSORTED_DOCUMENT_KIND and document.id in received.get(UNSORTED_DOCUMENT_KIND, []):
        received[UNSORTED_DOCUMENT_KIND].remove(document.id)  # sorted now
        if not received[UNSORTED_DOCUMENT_KIND]:
            del received[UNSORTED_DOCUMENT_KIND]
    if document.id not in received.setdefault(kind, []):
        received[kind].append(document.id)
    row.documents_received = json.dumps(received, sort_keys=True)
    row.updated_at = at
    DossierStore._event(session, row.id, "document", kind[:200], actor, at)


def attach_to_open_dossier(session: Any, document: ReceivedDocument, at: datetime) -> str | None:
    """A file a resident sends joins their most recent open dossier, to be sorted by a person.

    Open means not yet filed nor abandoned. Returns the dossier id, or None when the resident
    has no open dossier (the file then stays with the resident, as before).
    """
    row = session.execute(
        select(DossierRow)
        .where(DossierRow.resident_id == document.resident_id,
               DossierRow.status.in_(OPEN_STATUSES))
        .order_by(DossierRow.updated_at.desc())
        .limit(1)
    ).scalar_one_or_none()
    if row is None:
        return None
    _link_document(session, row, document, UNSORTED_DOCUMENT_KIND, "resident", at)
    return row.id


def delete_dossiers_of(session: Any, resident_id: str) -> int:
    """Deletes the resident's dossiers with their history and read log (used by erasure)."""
    ids = session.execute(select(DossierRow.id).where(DossierRow.resident_id == resident_id)
                          ).scalars().all()
    if ids:
        session.execute(delete(DossierEventRow).where(DossierEventRow.dossier_id.in_(ids)))
        session.execute(delete(DossierReadRow).where(DossierReadRow.dossier_id.in_(ids)))
        session.execute(delete(DossierRow).where(DossierRow.id.in_(ids)))
    return len(ids)


def move_resident_records(session: Any, old_resident: str, new_resident: str,
                          at: datetime) -> None:
    """A resident merged into another (Telegram linked to a phone): their records follow.

    The old id stays known as a conversation alias, so erasure deletes its Rasa tracker rows.
    """
    for model in (DossierRow, ConsentRow, ConversationAliasRow):
        for row in session.execute(select(model).where(model.resident_id == old_resident)
                                   ).scalars():
            row.resident_id = new_resident
    if session.get(ConversationAliasRow, old_resident) is None:
        session.add(ConversationAliasRow(sender_id=old_resident, resident_id=new_resident,
                                         created_at=at))
