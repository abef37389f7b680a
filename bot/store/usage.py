"""Monthly counts for the town's analysis of social needs: what residents ask, what they get.

Only counts are kept, by month: never a conversation id, a text or anything about one
person. Three sources feed them:
- topics asked: the intent of each resident message in Rasa's tracker store, read (never
  written) from the last event already counted onwards, by ``collect_topics``;
- rights checked and found: what the action server reports after each eligibility
  calculation (``POST /internal/eligibility``, bot/console/internal.py);
- handoffs and their outcomes: counted from the handoffs table when the page is shown.
The console shows them with every count under 10 hidden (bot/console/statistics.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlalchemy import (
    Column,
    Integer,
    String,
    column,
    create_engine,
    inspect,
    select,
    table,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from bot.store.handoff import HandoffRow
from bot.store.models import Base, utcnow

# The intents that say what a resident needs; greetings and buttons are not needs.
TOPICS = ("css", "mutuelle_communale", "food_aid", "social_housing_request",
          "social_housing_renewal", "social_housing_status", "social_housing_delay",
          "eviction_prevention", "substandard_housing", "quotient_familial", "rsa",
          "prime_activite", "housing_aid", "aah", "domiciliation", "mental_health_support",
          "crisis", "ask_human", "book_appointment", "delete_my_data", "out_of_scope",
          "nlu_fallback")
FOUND_STATUSES = ("eligible", "eligible_with_participation")
BATCH = 5000


class UsageCountRow(Base):
    """How many times ``key`` of ``kind`` happened in ``period`` (a month, "2026-11")."""

    __tablename__ = "usage_counts"

    period = Column(String(7), primary_key=True)
    kind = Column(String(16), primary_key=True)  # topic, right_checked, right_found
    key = Column(String(64), primary_key=True)
    count = Column(Integer, nullable=False)


class UsageMarkRow(Base):
    """The last row of a source already counted (the tracker's events table)."""

    __tablename__ = "usage_marks"

    source = Column(String(32), primary_key=True)
    last_id = Column(Integer, nullable=False)


def month(moment: datetime) -> str:
    return moment.strftime("%Y-%m")


_events = table("events", column("id"), column("type_name"), column("intent_name"),
                column("timestamp"))


class Statistics:
    """Synchronous; run on the store's thread like the other store operations."""

    def __init__(self, engine: Engine, tracker_url: str | None,
                 clock: Callable[[], datetime] = utcnow):
        self._sessions = sessionmaker(bind=engine, future=True)
        self._tracker_url = tracker_url
        self._tracker: Engine | None = None
        self.clock = clock

    def add(self, kind: str, key: str, amount: int = 1, period: str | None = None) -> None:
        self._add_many({(period or month(self.clock()), kind, key): amount})

    def _add_many(self, counts: dict[tuple[str, str, str], int], mark: int | None = None
                  ) -> None:
        """Adds the counts, and moves the tracker mark with them (one transaction)."""
        with self._sessions() as session:
            for (period, kind, key), amount in counts.items():
                # An UPDATE in SQL (no ORM object per count), an INSERT for a new count.
                added = session.execute(
                    update(UsageCountRow)
                    .where(UsageCountRow.period == period, UsageCountRow.kind == kind,
                           UsageCountRow.key == key)
                    .values(count=UsageCountRow.count + amount)
                    .execution_options(synchronize_session=False))
                if added.rowcount == 0:
                    session.add(UsageCountRow(period=period, kind=kind, key=key, count=amount))
            if mark is not None:
                row = session.get(UsageMarkRow, "tracker_events")
                if row is None:
                    session.add(UsageMarkRow(source="tracker_events", last_id=mark))
                else:
                    row.last_id = mark
            session.commit()

    def record_eligibility(self, results: list[tuple[str, str]]) -> None:
        """Counts each (right, status) of one calculation, in one transaction."""
        counts: dict[tuple[str, str, str], int] = {}
        period = month(self.clock())
        for right, status in results:
            kinds = ("right_checked", "right_found") if status in FOUND_STATUSES else (
                "right_checked",)
            for kind in kinds:
                counts[(period, kind, right)] = counts.get((period, kind, right), 0) + 1
        if counts:
            self._add_many(counts)

    # --- topics, from Rasa's tracker store --------------------------------------------------

    def _tracker_engine(self) -> Engine | None:
        if self._tracker is None and self._tracker_url:
            if self._tracker_url.startswith("sqlite:///") and not Path(
                    self._tracker_url.removeprefix("sqlite:///")).exists():
                return None
            self._tracker = create_engine(self._tracker_url, future=True)
        if self._tracker is None or not inspect(self._tracker).has_table("events"):
            return None
        return self._tracker

    def collect_topics(self) -> int:
        """Counts the intents of resident messages stored since the last call; returns how many."""
        tracker = self._tracker_engine()
        if tracker is None:
            return 0
        with self._sessions() as session:
            mark = session.get(UsageMarkRow, "tracker_events")
            last = mark.last_id if mark else 0
        counted = 0
        while True:
            with tracker.connect() as connection:
                rows = connection.execute(
                    select(_events.c.id, _events.c.type_name, _events.c.intent_name,
                           _events.c.timestamp)
                    .where(_events.c.id > last).order_by(_events.c.id).limit(BATCH)).all()
            if not rows:
                break
            counts: Counter[tuple[str, str, str]] = Counter()
            for _id, type_name, intent, timestamp in rows:
                if type_name == "user" and intent in TOPICS:
                    when = datetime.utcfromtimestamp(timestamp) if timestamp else self.clock()
                    counts[(month(when), "topic", intent)] += 1
            last = rows[-1][0]
            self._add_many(counts, mark=last)
            counted += sum(counts.values())
        return counted

    # --- reading ---------------------------------------------------------------------------

    def counts(self, kind: str, periods: list[str]) -> dict[str, dict[str, int]]:
        """key → period → count, for the periods asked."""
        with self._sessions() as session:
            rows = session.execute(select(UsageCountRow).where(
                UsageCountRow.kind == kind, UsageCountRow.period.in_(periods))).scalars().all()
        table_: dict[str, dict[str, int]] = {}
        for row in rows:
            table_.setdefault(row.key, {})[row.period] = row.count
        return table_

    def handoff_counts(self, periods: list[str]) -> tuple[dict[str, dict[str, int]],
                                                          dict[str, dict[str, int]]]:
        """Handoffs by reason (month queued) and closed ones by outcome (month closed)."""
        reasons: dict[str, dict[str, int]] = {}
        outcomes: dict[str, dict[str, int]] = {}
        with self._sessions() as session:
            rows = session.execute(select(HandoffRow.reason, HandoffRow.created_at,
                                          HandoffRow.outcome, HandoffRow.closed_at)).all()
        for reason, created_at, outcome, closed_at in rows:
            if created_at is not None and month(created_at) in periods:
                by_period = reasons.setdefault(reason, {})
                by_period[month(created_at)] = by_period.get(month(created_at), 0) + 1
            if outcome and closed_at is not None and month(closed_at) in periods:
                by_period = outcomes.setdefault(outcome, {})
                by_period[month(closed_at)] = by_period.get(month(closed_at), 0) + 1
        return reasons, outcomes

    def close(self) -> None:
        if self._tracker is not None:
            self._tracker.dispose()


def last_months(now: datetime, count: int) -> list[str]:
    """``count`` months back from ``now``'s, the most recent first ("2026-11", "2026-10"…)."""
    year, number = now.year, now.month
    periods = []
    for _ in range(count):
        periods.append(f"{year:04d}-{number:02d}")
        year, number = (year, number - 1) if number > 1 else (year - 1, 12)
    return periods
