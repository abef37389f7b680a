"""Tables of the gateway's store (SQLAlchemy 1.4, declarative). Described in docs/channels.md.

Nothing here holds a phone number, a Telegram id or a message text in clear: identities are
found by a keyed hash and the address needed to reply is encrypted (see bot.store.crypto).
The schema changes only through ``bot.store.migrations``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Resident(Base):
    """One person, whatever channels they write from. ``id`` is also their Rasa conversation id."""

    __tablename__ = "residents"

    id = Column(String(32), primary_key=True)  # random hex: carries nothing about the person
    created_at = Column(DateTime, nullable=False)
    last_activity_at = Column(DateTime, nullable=False)


class ChannelIdentityRow(Base):
    """How a resident is reached on one channel (sms, whatsapp, telegram).

    ``lookup_hash`` is the same for SMS and WhatsApp of one phone number: that is how a number
    seen on one channel is recognised on the other.
    """

    __tablename__ = "channel_identities"
    __table_args__ = (UniqueConstraint("channel", "lookup_hash", name="uq_identity_channel_hash"),)

    id = Column(Integer, primary_key=True)
    resident_id = Column(String(32), ForeignKey("residents.id", ondelete="CASCADE"),
                         nullable=False, index=True)
    channel = Column(String(16), nullable=False)
    lookup_hash = Column(String(64), nullable=False, index=True)
    address_encrypted = Column(LargeBinary, nullable=False)  # Fernet token of the raw address
    created_at = Column(DateTime, nullable=False)
    # WhatsApp allows free-form messages only within 24 h of this (see docs/channels.md).
    last_inbound_at = Column(DateTime, nullable=True)
    opted_out_at = Column(DateTime, nullable=True)  # STOP / ARRET
    messages_out = Column(Integer, nullable=False, default=0)
    segments_out = Column(Integer, nullable=False, default=0)  # SMS segments billed


class ProcessedInbound(Base):
    """Provider message ids already handled (Twilio MessageSid, Telegram update_id).

    Providers retry a webhook they think failed; a row here means "already done, ignore".
    """

    __tablename__ = "processed_inbound"

    channel = Column(String(16), primary_key=True)
    provider_id = Column(String(64), primary_key=True)
    received_at = Column(DateTime, nullable=False, index=True)


class ReceivedDocument(Base):
    """A file a resident sent (photo of a payslip, a PDF). The bytes are in an encrypted file."""

    __tablename__ = "received_documents"

    id = Column(String(32), primary_key=True)
    resident_id = Column(String(32), ForeignKey("residents.id", ondelete="CASCADE"),
                         nullable=False, index=True)
    dossier_id = Column(String(32), nullable=True)  # set by issue 5 when a dossier takes it
    channel = Column(String(16), nullable=False)
    provider_media_id = Column(String(128), nullable=True)
    content_type = Column(String(128), nullable=False)
    size_bytes = Column(Integer, nullable=False)
    sha256 = Column(String(64), nullable=False)
    storage_name = Column(String(64), nullable=False)  # file name under <data dir>/documents/
    received_at = Column(DateTime, nullable=False)


class PendingLink(Base):
    """A Telegram resident proving they own a phone number with a code sent to it by SMS.

    One row per Telegram identity; it stays after use so that the number of codes sent in
    24 h can be limited (a code must not become a way to spam someone else's phone).
    """

    __tablename__ = "pending_links"

    identity_id = Column(Integer, ForeignKey("channel_identities.id", ondelete="CASCADE"),
                         primary_key=True)
    phone_encrypted = Column(LargeBinary, nullable=True)
    code_hash = Column(String(64), nullable=True)  # null once used or abandoned
    expires_at = Column(DateTime, nullable=True)
    attempts = Column(Integer, nullable=False, default=0)
    codes_sent = Column(Integer, nullable=False, default=0)
    window_started_at = Column(DateTime, nullable=False)


class OutboundFile(Base):
    """A file for a resident (the PDF dossier) behind an unguessable, expiring download link.

    SMS cannot carry a file and Twilio fetches WhatsApp media from a URL: both get a link to
    ``/channels/files/<token>``. Only the token's SHA-256 is stored.
    """

    __tablename__ = "outbound_files"

    token_hash = Column(String(64), primary_key=True)
    resident_id = Column(String(32), ForeignKey("residents.id", ondelete="CASCADE"),
                         nullable=False, index=True)
    filename = Column(String(128), nullable=False)
    content_type = Column(String(128), nullable=False)
    storage_name = Column(String(64), nullable=False)  # under <data dir>/outbox/, encrypted
    created_at = Column(DateTime, nullable=False)
    expires_at = Column(DateTime, nullable=False, index=True)


def utcnow() -> datetime:
    """Naive UTC: SQLite keeps no time zone, so every timestamp here is UTC by convention."""
    return datetime.utcnow()
