"""Appointments with a person, and the claim rows that make each reminder go out once.

A seat of a slot is a row: ``(place_id, start_at, seat)`` is unique, so two residents (or two
gateway processes) booking the last seat at the same instant cannot both get it. A cancelled
or moved appointment gives its seat back (``seat`` becomes null; null never collides).

A reminder is sent by whichever process first inserts its claim row (primary key: the
appointment): with several gateways running the same job, exactly one sends it. A send the
provider refused is tried again by a later run, a bounded number of times
(``bot.store.claims``); once a reminder has gone out it is never repeated — a resident is never
reminded twice. No personal data here: the resident's pseudonymous id, a place id and times.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    String,
    UniqueConstraint,
    func,
    select,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from bot.store.claims import SendClaims, insert_once
from bot.store.models import Base, utcnow

STATUSES = ("booked", "cancelled", "moved")
REMINDER_STATUSES = ("claimed", "sent", "template", "window_closed", "opted_out", "failed",
                     "no_channel", "shown_web")

Clock = Callable[[], datetime]


class AppointmentRow(Base):
    """One resident's appointment at one permanence slot (times naive UTC)."""

    __tablename__ = "appointments"
    __table_args__ = (UniqueConstraint("place_id", "start_at", "seat",
                                       name="uq_appointment_seat"),)

    id = Column(Integer, primary_key=True)
    resident_id = Column(String(32), nullable=False, index=True)  # = the Rasa conversation id
    place_id = Column(String(64), nullable=False)
    kind = Column(String(32), nullable=False)  # ecrivain_public / france_services / ccas
    start_at = Column(DateTime, nullable=False, index=True)
    end_at = Column(DateTime, nullable=False)
    seat = Column(Integer, nullable=True)  # null once cancelled or moved: the seat is free
    status = Column(String(16), nullable=False)
    moved_to = Column(Integer, nullable=True)
    created_at = Column(DateTime, nullable=False)
    updated_at = Column(DateTime, nullable=False)


class ReminderClaimRow(Base):
    """The one process that sends an appointment's reminder, and what became of it."""

    __tablename__ = "appointment_reminders"

    appointment_id = Column(Integer, primary_key=True)
    resident_id = Column(String(32), nullable=False, index=True)
    claimed_by = Column(String(64), nullable=False)
    claimed_at = Column(DateTime, nullable=False)
    status = Column(String(16), nullable=False)
    finished_at = Column(DateTime, nullable=True)
    attempts = Column(Integer, nullable=True, default=1)  # sends tried (null: one, before v6)


@dataclass(frozen=True)
class Appointment:
    id: int
    resident_id: str
    place_id: str
    kind: str
    start_at: datetime
    end_at: datetime
    status: str
    moved_to: int | None
    created_at: datetime
    reminder: str | None = None  # the reminder's status, when one was claimed


def _appointment(row: AppointmentRow, reminder: str | None = None) -> Appointment:
    return Appointment(row.id, row.resident_id, row.place_id, row.kind, row.start_at, row.end_at,
                       row.status, row.moved_to, row.created_at, reminder)


class Appointments:
    """Synchronous operations on the appointment tables; run them on the store's thread."""

    def __init__(self, engine: Engine, clock: Clock = utcnow):
        self._sessions = sessionmaker(bind=engine, future=True, expire_on_commit=False)
        self.clock = clock
        self._reminder_claims = SendClaims(self._sessions, ReminderClaimRow.appointment_id,
                                           ReminderClaimRow.status, ReminderClaimRow.claimed_at)

    def book(self, resident_id: str, place_id: str, kind: str, start: datetime, end: datetime,
             seats: int) -> Appointment | None:
        """Takes a free seat of the slot; None when every seat is taken."""
        now = self.clock()
        for seat in range(seats):
            row = AppointmentRow(resident_id=resident_id, place_id=place_id, kind=kind,
                                 start_at=start, end_at=end, seat=seat, status="booked",
                                 created_at=now, updated_at=now)
            if insert_once(self._sessions, row):
                return _appointment(row)
        return None

    def get(self, appointment_id: int) -> Appointment | None:
        with self._sessions() as session:
            row = session.get(AppointmentRow, appointment_id)
            return _appointment(row) if row else None

    def upcoming(self, resident_id: str) -> list[Appointment]:
        """The resident's booked appointments that have not started, soonest first."""
        with self._sessions() as session:
            rows = session.execute(
                select(AppointmentRow).where(AppointmentRow.resident_id == resident_id,
                                             AppointmentRow.status == "booked",
                                             AppointmentRow.start_at > self.clock())
                .order_by(AppointmentRow.start_at)).scalars()
            return [_appointment(r) for r in rows]

    def _release(self, appointment_id: int, resident_id: str, status: str,
                 moved_to: int | None = None) -> Appointment | None:
        with self._sessions() as session:
            row = session.get(AppointmentRow, appointment_id)
            if row is None or row.resident_id != resident_id or row.status != "booked":
                return None
            row.status, row.seat, row.moved_to = status, None, moved_to
            row.updated_at = self.clock()
            session.commit()
            return _appointment(row)

    def cancel(self, appointment_id: int, resident_id: str) -> Appointment | None:
        """Only the resident's own booked appointment; its seat is free again."""
        return self._release(appointment_id, resident_id, "cancelled")

    def move(self, appointment_id: int, resident_id: str, start: datetime, end: datetime,
             seats: int) -> Appointment | None:
        """A new appointment at the same place, then the old one released; None if impossible."""
        old = self.get(appointment_id)
        if old is None or old.resident_id != resident_id or old.status != "booked":
            return None
        new = self.book(resident_id, old.place_id, old.kind, start, end, seats)
        if new is None:
            return None
        self._release(appointment_id, resident_id, "moved", moved_to=new.id)
        return new

    def booked_counts(self, start: datetime, end: datetime) -> dict[tuple[str, datetime], int]:
        """Booked seats per (place, slot start) between two moments."""
        with self._sessions() as session:
            rows = session.execute(
                select(AppointmentRow.place_id, AppointmentRow.start_at, func.count())
                .where(AppointmentRow.status == "booked", AppointmentRow.start_at >= start,
                       AppointmentRow.start_at < end)
                .group_by(AppointmentRow.place_id, AppointmentRow.start_at))
            return {(place_id, at): count for place_id, at, count in rows}

    def between(self, start: datetime, end: datetime, kinds: tuple[str, ...] | None = None
                ) -> list[Appointment]:
        """Every appointment (booked or not) starting in [start, end), with its reminder."""
        with self._sessions() as session:
            query = (select(AppointmentRow, ReminderClaimRow.status)
                     .outerjoin(ReminderClaimRow,
                                ReminderClaimRow.appointment_id == AppointmentRow.id)
                     .where(AppointmentRow.start_at >= start, AppointmentRow.start_at < end))
            if kinds is not None:
                query = query.where(AppointmentRow.kind.in_(kinds))
            rows = session.execute(query.order_by(AppointmentRow.start_at, AppointmentRow.id))
            return [_appointment(row, reminder) for row, reminder in rows]

    # --- reminders ---------------------------------------------------------------------

    def reminder_candidates(self, start: datetime, end: datetime, booked_before: datetime,
                            now: datetime) -> list[Appointment]:
        """Booked appointments starting in [start, end), made before ``booked_before`` (the
        reminder's moment: one booked later has just had its confirmation), not yet claimed
        (or claimed by a send that failed and may be tried again at ``now``)."""
        with self._sessions() as session:
            claimed = self._reminder_claims.settled(now)
            rows = session.execute(
                select(AppointmentRow).where(
                    AppointmentRow.status == "booked", AppointmentRow.start_at >= start,
                    AppointmentRow.start_at < end, AppointmentRow.created_at < booked_before,
                    AppointmentRow.id.not_in(claimed))
                .order_by(AppointmentRow.start_at)).scalars()
            return [_appointment(r) for r in rows]

    def claim_reminder(self, appointment: Appointment, worker: str,
                       now: datetime | None = None) -> bool:
        """True for the one process that claims it first, or takes back a failed send."""
        return self._reminder_claims.claim(ReminderClaimRow(
            appointment_id=appointment.id, resident_id=appointment.resident_id,
            claimed_by=worker, claimed_at=now or self.clock(), status="claimed"))

    def finish_reminder(self, appointment_id: int, status: str) -> None:
        if status not in REMINDER_STATUSES:
            raise ValueError(f"unknown reminder status {status!r}")
        with self._sessions() as session:
            row = session.get(ReminderClaimRow, appointment_id)
            if row is not None:
                row.status, row.finished_at = status, self.clock()
                session.commit()

    def pending_web_reminders(self, resident_id: str) -> list[Appointment]:
        """The resident's coming appointments whose reminder found no channel (web chat)."""
        with self._sessions() as session:
            rows = session.execute(
                select(AppointmentRow).join(
                    ReminderClaimRow, ReminderClaimRow.appointment_id == AppointmentRow.id)
                .where(AppointmentRow.resident_id == resident_id,
                       AppointmentRow.status == "booked",
                       AppointmentRow.start_at > self.clock(),
                       ReminderClaimRow.status == "no_channel")
                .order_by(AppointmentRow.start_at)).scalars()
            return [_appointment(r) for r in rows]

    def mark_shown_on_web(self, appointment_id: int) -> bool:
        """True for the one poll that shows a web reminder (two open tabs show it once)."""
        with self._sessions() as session:
            result = session.execute(
                update(ReminderClaimRow)
                .where(ReminderClaimRow.appointment_id == appointment_id,
                       ReminderClaimRow.status == "no_channel")
                .values(status="shown_web", finished_at=self.clock()))
            session.commit()
            return result.rowcount == 1

    def reminder_status(self, appointment_id: int) -> str | None:
        with self._sessions() as session:
            row = session.get(ReminderClaimRow, appointment_id)
            return row.status if row else None

