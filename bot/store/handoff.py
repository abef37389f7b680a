"""Handoff to a person: the agents' queue, the conversation mode, transcripts, notes, audit.

The mode of a conversation (``bot`` or ``agent``) is derived from this store, never from
Rasa's paused flag (Rasa 3.6 clears it when a session expires, stays silent on the first
message after a resume and lets a typed ``/restart`` un-pause): a conversation is in agent
mode while it has a handoff that is queued or taken. Message texts and notes are encrypted
with the store's Fernet key; console users' passwords are scrypt hashes.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    select,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from bot.store.crypto import StoreKeys
from bot.store.models import Base, utcnow

REASONS = ("asked", "misunderstood", "crisis", "flow")
# Reason "flow": what the conversation could not do without a person (actions/needs.py).
NEEDS = ("cannot_write", "no_documents", "complex_case")
CRISIS_PRIORITY, NORMAL_PRIORITY = 0, 1
# Crisis first; every other reason waits its turn (the queue then goes by waiting time).
PRIORITY_OF_REASON = {"crisis": CRISIS_PRIORITY, "flow": NORMAL_PRIORITY,
                      "asked": NORMAL_PRIORITY, "misunderstood": NORMAL_PRIORITY}
OPEN_STATUSES = ("queued", "taken")
OUTCOMES = ("resolved", "dossier_started", "appointment_needed", "redirected", "no_answer",
            "handed_back")
ROLES = ("agent", "supervisor", "commission")
SPECIALITIES = ("ecrivain_public", "france_services", "travailleur_social")

Clock = Callable[[], datetime]


class HandoffRow(Base):
    """One escalation of one conversation; ``priority`` 0 is a crisis, served first."""

    __tablename__ = "handoffs"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(32), nullable=False, index=True)
    channel = Column(String(16), nullable=False)  # "web", or "channels" (SMS/WhatsApp/Telegram)
    reason = Column(String(16), nullable=False)
    need = Column(String(16), nullable=True)  # reason "flow": what the resident needs a person for
    priority = Column(Integer, nullable=False)
    status = Column(String(8), nullable=False, index=True)  # queued / taken / closed
    agent = Column(String(64), nullable=True)
    outcome = Column(String(32), nullable=True)
    created_at = Column(DateTime, nullable=False)
    taken_at = Column(DateTime, nullable=True)
    closed_at = Column(DateTime, nullable=True)
    last_resident_at = Column(DateTime, nullable=True)


class TranscriptEntryRow(Base):
    """A message written while the conversation was in agent mode (the bot never saw it)."""

    __tablename__ = "handoff_transcript"

    id = Column(Integer, primary_key=True)
    handoff_id = Column(Integer, ForeignKey("handoffs.id", ondelete="CASCADE"), nullable=False,
                        index=True)
    conversation_id = Column(String(32), nullable=False, index=True)
    author = Column(String(8), nullable=False)  # resident / agent
    agent = Column(String(64), nullable=True)
    text_encrypted = Column(LargeBinary, nullable=False)
    created_at = Column(DateTime, nullable=False)


class NoteRow(Base):
    """A private note of an agent on a handoff: never sent to the resident."""

    __tablename__ = "handoff_notes"

    id = Column(Integer, primary_key=True)
    handoff_id = Column(Integer, ForeignKey("handoffs.id", ondelete="CASCADE"), nullable=False,
                        index=True)
    agent = Column(String(64), nullable=False)
    text_encrypted = Column(LargeBinary, nullable=False)
    created_at = Column(DateTime, nullable=False)


class ConsoleUserRow(Base):
    """A person of the town who uses the console."""

    __tablename__ = "console_users"

    username = Column(String(64), primary_key=True)
    display_name = Column(String(128), nullable=False)
    role = Column(String(16), nullable=False)
    speciality = Column(String(32), nullable=True)  # agents only
    password_hash = Column(String(255), nullable=False)
    active = Column(Boolean, nullable=False, default=True)
    created_at = Column(DateTime, nullable=False)


class ConsoleSessionRow(Base):
    """A logged-in browser; only the cookie's SHA-256 is stored."""

    __tablename__ = "console_sessions"

    token_hash = Column(String(64), primary_key=True)
    username = Column(String(64), ForeignKey("console_users.username", ondelete="CASCADE"),
                      nullable=False)
    csrf_token = Column(String(64), nullable=False)
    expires_at = Column(DateTime, nullable=False, index=True)


class AuditRow(Base):
    """Who opened or changed what, when: every access to a conversation or a dossier."""

    __tablename__ = "access_audit"

    id = Column(Integer, primary_key=True)
    at = Column(DateTime, nullable=False, index=True)
    username = Column(String(64), nullable=False)
    action = Column(String(32), nullable=False)
    object_kind = Column(String(16), nullable=False)  # handoff / dossier
    object_id = Column(String(64), nullable=False)
    allowed = Column(Boolean, nullable=False)


# --- plain values out ------------------------------------------------------------------


@dataclass(frozen=True)
class Handoff:
    id: int
    conversation_id: str
    channel: str
    reason: str
    need: str | None
    priority: int
    status: str
    agent: str | None
    outcome: str | None
    created_at: datetime
    taken_at: datetime | None
    closed_at: datetime | None
    last_resident_at: datetime | None


@dataclass(frozen=True)
class TranscriptEntry:
    id: int
    author: str
    agent: str | None
    text: str
    created_at: datetime


@dataclass(frozen=True)
class Note:
    agent: str
    text: str
    created_at: datetime


@dataclass(frozen=True)
class ConsoleUser:
    username: str
    display_name: str
    role: str
    speciality: str | None


@dataclass(frozen=True)
class ConsoleSession:
    user: ConsoleUser
    csrf_token: str
    expires_at: datetime


def _handoff(row: HandoffRow) -> Handoff:
    return Handoff(
        id=row.id, conversation_id=row.conversation_id, channel=row.channel, reason=row.reason,
        need=row.need, priority=row.priority, status=row.status, agent=row.agent,
        outcome=row.outcome,
        created_at=row.created_at, taken_at=row.taken_at, closed_at=row.closed_at,
        last_resident_at=row.last_resident_at,
    )


def _user(row: ConsoleUserRow) -> ConsoleUser:
    return ConsoleUser(row.username, row.display_name, row.role, row.speciality)


# --- passwords -------------------------------------------------------------------------

_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def hash_password(password: str) -> str:
    """``scrypt$n$r$p$salt$hash``: hashlib's scrypt, so no new dependency."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, **_SCRYPT)
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        computed = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), dklen=32,
                                  n=int(n), r=int(r), p=int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(computed.hex(), digest)


# A hash checked when the user does not exist, so a login takes as long either way.
DUMMY_HASH = hash_password(secrets.token_urlsafe(16))


class WithoutHandoff:
    """Conversations known to have no open handoff: their messages go to Rasa without a store
    read, one thread hop and one query less per message (docs/performance.md).

    Only ``Handoffs.escalate`` opens a handoff, and it forgets the conversation before its
    commit and again after it. A read remembers a conversation only if no escalation began
    since the read took its ``stamp`` (before its query): a read that raced an escalation
    never brings bot mode back. ``take`` and ``transfer`` forget too. Each process has its own
    memory, exact for the handoffs opened through it — all of them with one gateway per town
    (the action server's RELAIS_GATEWAY_URL); a handoff written to the store by any other
    process is seen at the latest ``max_age_s`` later. Bounded in size, thread-safe (the
    event loop reads, the store's thread forgets).
    """

    def __init__(self, capacity: int = 50_000, max_age_s: float = 30.0,
                 clock: Callable[[], float] = time.monotonic):
        self._capacity = capacity
        self._max_age_s = max_age_s
        self._clock = clock
        self._known: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()
        self._stamp = 0

    @property
    def stamp(self) -> int:
        """Take it before reading the store; give it back to ``remember``."""
        return self._stamp

    def knows(self, conversation_id: str) -> bool:
        """True when the conversation surely has no open handoff (no store read needed)."""
        remembered = self._known.get(conversation_id)
        return remembered is not None and self._clock() - remembered < self._max_age_s

    def remember(self, conversation_id: str, stamp: int) -> None:
        """A read that began at ``stamp`` found no open handoff."""
        with self._lock:
            if stamp != self._stamp:  # an escalation began since: the read may be stale
                return
            self._known[conversation_id] = self._clock()
            self._known.move_to_end(conversation_id)
            while len(self._known) > self._capacity:
                self._known.popitem(last=False)

    def forget(self, conversation_id: str) -> None:
        with self._lock:
            self._stamp += 1
            self._known.pop(conversation_id, None)


class Handoffs:
    """Synchronous operations on the handoff tables; run them on the store's thread."""

    def __init__(self, engine: Engine, keys: StoreKeys, clock: Clock = utcnow):
        self._sessions = sessionmaker(bind=engine, future=True, expire_on_commit=False)
        self._keys = keys
        self.clock = clock
        self.without_handoff = WithoutHandoff()

    # --- mode and queue ----------------------------------------------------------------

    def open_handoff(self, conversation_id: str) -> Handoff | None:
        with self._sessions() as session:
            row = session.execute(
                select(HandoffRow).where(HandoffRow.conversation_id == conversation_id,
                                         HandoffRow.status.in_(OPEN_STATUSES))
                .order_by(HandoffRow.id.desc())).scalars().first()
            return _handoff(row) if row else None

    def mode_of(self, conversation_id: str) -> str:
        """``agent`` while a person has (or is about to have) the conversation, else ``bot``."""
        return "agent" if self.open_handoff(conversation_id) else "bot"

    def escalate(self, conversation_id: str, channel: str, reason: str,
                 need: str | None = None) -> tuple[Handoff, bool]:
        """Queues the conversation; an open handoff is kept (a crisis raises its priority,
        a flow's need is added when the handoff had none).

        Returns the handoff and whether it is new.
        """
        if reason not in REASONS:
            raise ValueError(f"unknown reason {reason!r}")
        if need is not None and (reason != "flow" or need not in NEEDS):
            raise ValueError(f"need {need!r} does not go with reason {reason!r}")
        priority = PRIORITY_OF_REASON[reason]
        # Before and after the commit: a read in between is not remembered (WithoutHandoff).
        self.without_handoff.forget(conversation_id)
        with self._sessions() as session:
            row = session.execute(
                select(HandoffRow).where(HandoffRow.conversation_id == conversation_id,
                                         HandoffRow.status.in_(OPEN_STATUSES))).scalars().first()
            created = row is None
            if row is None:
                row = HandoffRow(conversation_id=conversation_id, channel=channel, reason=reason,
                                 need=need, priority=priority, status="queued",
                                 created_at=self.clock())
                session.add(row)
            elif priority < row.priority:
                row.priority, row.reason = priority, reason
            elif need is not None and row.need is None:
                row.need = need
            session.commit()
            handoff = _handoff(row)
        self.without_handoff.forget(conversation_id)
        return handoff, created

    def queue(self) -> list[Handoff]:
        """Open handoffs: crisis first, then the longest wait first."""
        with self._sessions() as session:
            rows = session.execute(
                select(HandoffRow).where(HandoffRow.status.in_(OPEN_STATUSES))
                .order_by(HandoffRow.priority, HandoffRow.created_at, HandoffRow.id)).scalars()
            return [_handoff(r) for r in rows]

    def position(self, handoff_id: int) -> int:
        """1 for the first queued handoff."""
        queued = [h.id for h in self.queue() if h.status == "queued"]
        return queued.index(handoff_id) + 1 if handoff_id in queued else 0

    def get(self, handoff_id: int) -> Handoff | None:
        with self._sessions() as session:
            row = session.get(HandoffRow, handoff_id)
            return _handoff(row) if row else None

    def _update(self, handoff_id: int, change: Callable[[HandoffRow], bool]) -> Handoff | None:
        with self._sessions() as session:
            row = session.get(HandoffRow, handoff_id)
            if row is None or not change(row):
                return None
            session.commit()
            return _handoff(row)

    def take(self, handoff_id: int, agent: str) -> Handoff | None:
        def change(row: HandoffRow) -> bool:
            if row.status != "queued" and not (row.status == "taken" and row.agent == agent):
                return False
            row.status, row.agent = "taken", agent
            row.taken_at = row.taken_at or self.clock()
            return True
        return self._forgotten(self._update(handoff_id, change))

    def transfer(self, handoff_id: int, to_agent: str) -> Handoff | None:
        def change(row: HandoffRow) -> bool:
            if row.status not in OPEN_STATUSES:
                return False
            row.status, row.agent, row.taken_at = "taken", to_agent, self.clock()
            return True
        return self._forgotten(self._update(handoff_id, change))

    def _forgotten(self, handoff: Handoff | None) -> Handoff | None:
        """A person holds this conversation: whatever was remembered of it goes."""
        if handoff is not None:
            self.without_handoff.forget(handoff.conversation_id)
        return handoff

    def close(self, handoff_id: int, outcome: str) -> Handoff | None:
        """Ends the handoff: the conversation goes back to bot mode."""
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {outcome!r}")

        def change(row: HandoffRow) -> bool:
            if row.status not in OPEN_STATUSES:
                return False
            row.status, row.outcome, row.closed_at = "closed", outcome, self.clock()
            return True
        return self._update(handoff_id, change)

    # --- transcript and notes ----------------------------------------------------------

    def record(self, handoff_id: int, author: str, text: str, agent: str | None = None
               ) -> TranscriptEntry:
        now = self.clock()
        with self._sessions() as session:
            handoff = session.get(HandoffRow, handoff_id)
            if handoff is None:
                raise LookupError("no such handoff")
            if author == "resident":
                handoff.last_resident_at = now
            row = TranscriptEntryRow(handoff_id=handoff_id,
                                     conversation_id=handoff.conversation_id, author=author,
                                     agent=agent, text_encrypted=self._keys.encrypt(text.encode()),
                                     created_at=now)
            session.add(row)
            session.commit()
            return TranscriptEntry(row.id, author, agent, text, now)

    def transcript(self, conversation_id: str, after_id: int = 0,
                   author: str | None = None) -> list[TranscriptEntry]:
        """Every agent-mode message of a conversation (across its handoffs), oldest first."""
        with self._sessions() as session:
            query = select(TranscriptEntryRow).where(
                TranscriptEntryRow.conversation_id == conversation_id,
                TranscriptEntryRow.id > after_id)
            if author is not None:
                query = query.where(TranscriptEntryRow.author == author)
            rows = session.execute(query.order_by(TranscriptEntryRow.id)).scalars()
            return [TranscriptEntry(r.id, r.author, r.agent,
                                    self._keys.decrypt(r.text_encrypted).decode(), r.created_at)
                    for r in rows]

    def add_note(self, handoff_id: int, agent: str, text: str) -> None:
        with self._sessions() as session:
            session.add(NoteRow(handoff_id=handoff_id, agent=agent, created_at=self.clock(),
                                text_encrypted=self._keys.encrypt(text.encode())))
            session.commit()

    def notes(self, handoff_id: int) -> list[Note]:
        with self._sessions() as session:
            rows = session.execute(select(NoteRow).where(NoteRow.handoff_id == handoff_id)
                                   .order_by(NoteRow.id)).scalars()
            return [Note(r.agent, self._keys.decrypt(r.text_encrypted).decode(), r.created_at)
                    for r in rows]

    # --- console users, sessions, audit -------------------------------------------------

    def add_user(self, username: str, display_name: str, role: str, speciality: str | None,
                 password: str) -> ConsoleUser:
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")
        if role == "agent" and speciality not in SPECIALITIES:
            raise ValueError(f"an agent needs a speciality: {', '.join(SPECIALITIES)}")
        if role != "agent":
            speciality = None
        with self._sessions() as session:
            if session.get(ConsoleUserRow, username) is not None:
                raise ValueError(f"user {username!r} already exists")
            row = ConsoleUserRow(username=username, display_name=display_name, role=role,
                                 speciality=speciality, password_hash=hash_password(password),
                                 active=True, created_at=self.clock())
            session.add(row)
            session.commit()
            return _user(row)

    def users(self) -> list[ConsoleUser]:
        with self._sessions() as session:
            rows = session.execute(select(ConsoleUserRow).where(ConsoleUserRow.active.is_(True))
                                   .order_by(ConsoleUserRow.username)).scalars()
            return [_user(r) for r in rows]

    def user(self, username: str) -> ConsoleUser | None:
        with self._sessions() as session:
            row = session.get(ConsoleUserRow, username)
            return _user(row) if row and row.active else None

    def login(self, username: str, password: str, lifetime: timedelta
              ) -> tuple[str, ConsoleSession] | None:
        """A new session token (for the cookie) when the password is right."""
        if not check_password(password, self.password_hash(username) or DUMMY_HASH):
            return None
        return self.open_session(username, lifetime)

    def password_hash(self, username: str) -> str | None:
        """The stored hash of an active user. The gateway checks it off the store's thread:
        scrypt takes tens of milliseconds, and residents' messages wait on that thread."""
        with self._sessions() as session:
            row = session.get(ConsoleUserRow, username)
            return row.password_hash if row is not None and row.active else None

    def open_session(self, username: str, lifetime: timedelta
                     ) -> tuple[str, ConsoleSession] | None:
        """A new session for a user whose password was just checked."""
        with self._sessions() as session:
            row = session.get(ConsoleUserRow, username)
            if row is None or not row.active:
                return None
            token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
            expires = self.clock() + lifetime
            session.add(ConsoleSessionRow(token_hash=_sha256(token), username=username,
                                          csrf_token=csrf, expires_at=expires))
            session.commit()
            return token, ConsoleSession(_user(row), csrf, expires)

    def session(self, token: str) -> ConsoleSession | None:
        with self._sessions() as session:
            row = session.get(ConsoleSessionRow, _sha256(token))
            if row is None:
                return None
            if row.expires_at <= self.clock():
                session.delete(row)
                session.commit()
                return None
            user = session.get(ConsoleUserRow, row.username)
            if user is None or not user.active:
                return None
            return ConsoleSession(_user(user), row.csrf_token, row.expires_at)

    def logout(self, token: str) -> None:
        with self._sessions() as session:
            row = session.get(ConsoleSessionRow, _sha256(token))
            if row is not None:
                session.delete(row)
                session.commit()

    def audit(self, username: str, action: str, object_kind: str, object_id: str,
              allowed: bool = True) -> None:
        with self._sessions() as session:
            session.add(AuditRow(at=self.clock(), username=username, action=action,
                                 object_kind=object_kind, object_id=object_id, allowed=allowed))
            session.commit()

    def viewed_since(self, username: str, object_kind: str, object_id: str,
                     since: datetime) -> bool:
        """Whether the user opened this object (an allowed ``view``) since ``since``."""
        with self._sessions() as session:
            return session.execute(select(AuditRow.id).where(
                AuditRow.username == username, AuditRow.action == "view",
                AuditRow.object_kind == object_kind, AuditRow.object_id == object_id,
                AuditRow.allowed.is_(True), AuditRow.at >= since).limit(1)).first() is not None

    def audit_log(self, limit: int = 200) -> list[AuditRow]:
        with self._sessions() as session:
            return list(session.execute(select(AuditRow).order_by(AuditRow.id.desc())
                                        .limit(limit)).scalars())


def _sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
