"""The follow-up of a produced dossier against non-take-up: was the request submitted?

``RELAIS_FOLLOWUP_DAYS`` after a dossier's PDF is produced (its status first became ``pret``
or ``envoye``), the bot asks the resident, once. The question's row is also its claim: the
process that inserts it first (primary key: the dossier) sends it, so several gateways never
ask twice; a send the provider refused is tried again by a later run, a bounded number of
times (``bot.store.claims``). A dossier already ``depose`` or ``abandonne`` is never asked
about. The answer is stored as an outcome the statistics page counts (``followup_counts``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from bot.store.claims import SendClaims
from bot.store.dossiers import DossierEventRow, DossierRow
from bot.store.models import Base, utcnow

PRODUCED_STATUSES = ("pret", "envoye")  # the PDF exists; the resident has to submit it
OUTCOMES = ("deja_fait", "pas_reussi", "besoin_aide")
DEFAULT_FOLLOWUP_DAYS = 5

Clock = Callable[[], datetime]


class FollowupRow(Base):
    """One follow-up question about one dossier, and the resident's answer."""

    __tablename__ = "dossier_followups"

    dossier_id = Column(String(32), ForeignKey("dossiers.id", ondelete="CASCADE"),
                        primary_key=True)
    resident_id = Column(String(32), nullable=False, index=True)
    claimed_by = Column(String(64), nullable=False)
    asked_at = Column(DateTime, nullable=False)
    delivery = Column(String(16), nullable=False)  # claimed, then the Outbox's status
    outcome = Column(String(16), nullable=True)
    answered_at = Column(DateTime, nullable=True)
    attempts = Column(Integer, nullable=True, default=1)  # sends tried (null: one, before v6)


@dataclass(frozen=True)
class DueFollowup:
    dossier_id: str
    resident_id: str
    right: str
    code: str


class Followups:
    """Synchronous operations on ``dossier_followups``; run them on the store's thread."""

    def __init__(self, engine: Engine, clock: Clock = utcnow):
        self._sessions = sessionmaker(bind=engine, future=True, expire_on_commit=False)
        self.clock = clock
        self._claims = SendClaims(self._sessions, FollowupRow.dossier_id, FollowupRow.delivery,
                                  FollowupRow.asked_at)

    def due(self, days: int, now: datetime | None = None) -> list[DueFollowup]:
        """Dossiers produced at least ``days`` before ``now``, still not submitted, never
        asked about (or asked by a send that failed and may be tried again)."""
        horizon = (now or self.clock()) - timedelta(days=days)
        with self._sessions() as session:
            produced = (select(DossierEventRow.dossier_id,
                               func.min(DossierEventRow.at).label("produced_at"))
                        .where(DossierEventRow.kind == "statut",
                               DossierEventRow.detail.in_(PRODUCED_STATUSES))
                        .group_by(DossierEventRow.dossier_id).subquery())
            asked = self._claims.settled(now or self.clock())
            rows = session.execute(
                select(DossierRow).join(produced, produced.c.dossier_id == DossierRow.id)
                .where(produced.c.produced_at <= horizon,
                       DossierRow.status.in_(PRODUCED_STATUSES),
                       DossierRow.id.not_in(asked))
                .order_by(produced.c.produced_at)).scalars()
            return [DueFollowup(r.id, r.resident_id, r.right, r.code) for r in rows]

    def claim(self, due: DueFollowup, worker: str, now: datetime | None = None) -> bool:
        """True for the one process that asks (first, or again after a failed send)."""
        return self._claims.claim(FollowupRow(
            dossier_id=due.dossier_id, resident_id=due.resident_id, claimed_by=worker,
            asked_at=now or self.clock(), delivery="claimed"))

    def delivered(self, dossier_id: str, delivery: str) -> None:
        with self._sessions() as session:
            row = session.get(FollowupRow, dossier_id)
            if row is not None:
                row.delivery = delivery[:16]
                session.commit()

    def answer(self, dossier_id: str, resident_id: str, outcome: str) -> bool:
        """Stores the resident's answer to a question they were asked; the latest one counts."""
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {outcome!r}")
        with self._sessions() as session:
            row = session.get(FollowupRow, dossier_id)
            if row is None or row.resident_id != resident_id:
                return False
            row.outcome, row.answered_at = outcome, self.clock()
            session.commit()
            return True

    def get(self, dossier_id: str) -> FollowupRow | None:
        with self._sessions() as session:
            return session.get(FollowupRow, dossier_id)

    def counts(self) -> dict[str, int]:
        """``asked`` and one count per outcome, plus ``sans_reponse``: for the statistics page."""
        with self._sessions() as session:
            rows = session.execute(select(FollowupRow.outcome, func.count())
                                   .group_by(FollowupRow.outcome)).all()
        counts = {"asked": 0, **{outcome: 0 for outcome in OUTCOMES}, "sans_reponse": 0}
        for outcome, count in rows:
            counts["asked"] += count
            counts[outcome or "sans_reponse"] += count
        return counts


def followup_counts(engine: Engine) -> dict[str, int]:
    """How many follow-ups were asked and how residents answered (no one is identified)."""
    return Followups(engine).counts()
