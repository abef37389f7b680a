"""Retention: a resident silent for RELAIS_RETENTION_DAYS (default 365) is erased entirely.

    python -m bot.dossiers.retention [--days N] [--dry-run]

Activity is the resident's ``last_activity_at``: every message they send and every change to
one of their dossiers moves it; an agent reading a dossier does not. The purge calls the same
``erase_resident`` as "supprimer mes données", so nothing is kept that erasure would remove.
Run it daily (cron, systemd timer) or let the gateway call ``purge_inactive``.
"""

from __future__ import annotations

import argparse
import logging
import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.dossiers.erasure import ErasureReport, erase_resident
from bot.store.dossiers import DossierStore
from bot.store.models import Resident, utcnow

log = logging.getLogger(__name__)
RETENTION_VARIABLE = "RELAIS_RETENTION_DAYS"
DEFAULT_RETENTION_DAYS = 365


class RetentionConfigError(ValueError):
    """RELAIS_RETENTION_DAYS is not a positive whole number of days."""


def retention_days(environ: dict[str, str] | None = None) -> int:
    raw = (environ if environ is not None else os.environ).get(RETENTION_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_RETENTION_DAYS
    if not raw.isdigit() or int(raw) < 1:
        raise RetentionConfigError(
            f"{RETENTION_VARIABLE} must be a whole number of days (1 or more), got {raw!r}.")
    return int(raw)


@dataclass
class RetentionReport:
    """How many residents were (or, in a dry run, would be) erased, and what went with them."""

    cutoff: datetime
    residents: int = 0
    dry_run: bool = False
    totals: dict[str, int] = field(default_factory=dict)

    def add(self, report: ErasureReport) -> None:
        for name, value in report.as_dict().items():
            if isinstance(value, int) and not isinstance(value, bool):
                self.totals[name] = self.totals.get(name, 0) + value


def inactive_residents(store: DossierStore, cutoff: datetime) -> list[str]:
    with Session(store.engine, future=True) as session:
        return list(session.execute(select(Resident.id).where(
            Resident.last_activity_at < cutoff).order_by(Resident.last_activity_at)).scalars())


def purge_inactive(store: DossierStore, days: int | None = None, now: datetime | None = None,
                   tracker_url: str | None = None, dry_run: bool = False) -> RetentionReport:
    """Erases every resident inactive for ``days``; returns the counts."""
    days = days if days is not None else retention_days()
    cutoff = (now or utcnow()) - timedelta(days=days)
    report = RetentionReport(cutoff=cutoff, dry_run=dry_run)
    for resident_id in inactive_residents(store, cutoff):
        report.residents += 1
        if not dry_run:
            report.add(erase_resident(store, resident_id, tracker_url=tracker_url))
    log.info("retention purge: %d resident(s) %s, totals %s", report.residents,
             "would be erased" if dry_run else "erased", report.totals)
    return report


def main(argv: list[str] | None = None) -> int:
    from bot.config import Settings
    from bot.store.dossiers import open_dossier_store

    parser = argparse.ArgumentParser(
        prog="python -m bot.dossiers.retention",
        description="Erase residents inactive for longer than the retention period.")
    parser.add_argument("--days", type=int, default=None,
                        help=f"retention in days (default ${RETENTION_VARIABLE} or "
                             f"{DEFAULT_RETENTION_DAYS})")
    parser.add_argument("--dry-run", action="store_true", help="count, erase nothing")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        days = args.days if args.days is not None else retention_days()
        if days < 1:
            raise RetentionConfigError("--days must be 1 or more.")
    except RetentionConfigError as error:
        parser.error(str(error))
    settings = Settings.from_env()
    store = open_dossier_store(settings.database_url, settings.secret_key, settings.data_dir)
    try:
        report = purge_inactive(store, days=days, dry_run=args.dry_run)
    finally:
        store.engine.dispose()
    verb = "would erase" if args.dry_run else "erased"
    print(f"retention {days} days (before {report.cutoff:%Y-%m-%d}): {verb} "
          f"{report.residents} resident(s); {report.totals or 'nothing else'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
