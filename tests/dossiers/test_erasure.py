""""Supprimer mes données" and the retention purge: nothing about the resident is left."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import String, select
from sqlalchemy.orm import Session

from bot.dossiers.erasure import erase_resident, tracker_database_url
from bot.dossiers.retention import RetentionConfigError, purge_inactive, retention_days
from bot.store.models import Base, Resident, utcnow
from tests.dossiers.conftest import PHONE, add_tracker_events
from tests.dossiers.samples import CSS_ANSWERS

ROOT = Path(__file__).resolve().parents[2]
OTHER_PHONE = "+33698765432"
SAID = ["Bonjour je m'appelle Samira Benali", "mon numero est le 06 12 34 56 78"]


def populate(repo, store, tracker: Path, phone: str, answers: dict) -> str:
    """A resident on SMS and WhatsApp, a dossier with a document, a PDF link, consent, a read."""
    resident = repo.record_inbound("sms", phone).resident_id
    repo.record_inbound("whatsapp", phone)
    dossier = store.create(resident, "css")
    store.update_answers(dossier.id, answers)
    document = repo.save_document(resident, "whatsapp", "image/jpeg", b"avis d'imposition")
    store.attach_document(dossier.id, document.id, "avis_imposition")
    repo.save_outbound_file(resident, "dossier.pdf", "application/pdf", b"%PDF",
                            timedelta(days=7))
    store.record_consent(resident, "conserver_dossier", True, "v1")
    store.read(dossier.id, reader="agent:ccas-12", purpose="accompagnement")
    alias = "f" * 32 if phone == PHONE else "e" * 32  # an earlier Telegram conversation
    store.record_alias(resident, alias)
    add_tracker_events(tracker, resident, SAID if phone == PHONE else ["autre"])
    add_tracker_events(tracker, alias, ["ancien message"])
    return resident


def rows_mentioning(store, value: str) -> list[str]:
    """Every table and column of the store where ``value`` appears in a text column."""
    found = []
    with Session(store.engine, future=True) as session:
        for table in Base.metadata.sorted_tables:
            for column in table.c:
                if isinstance(column.type, String):
                    hit = session.execute(select(column).where(column == value)).first()
                    if hit is not None:
                        found.append(f"{table.name}.{column.name}")
    return found


def test_erasure_removes_everything_about_the_resident_and_says_how_much(
        repo, store, tracker, data_dir, database_bytes):
    alice = populate(repo, store, tracker, PHONE, CSS_ANSWERS)
    bob = populate(repo, store, tracker, OTHER_PHONE, {"nom": "Martin"})
    assert len(list((data_dir / "documents").iterdir())) == 2

    report = erase_resident(store, alice, tracker_url=tracker_database_url(data_dir))

    assert report.as_dict() == {
        "dossiers": 1, "documents": 1, "files": 2, "identities": 2, "consents": 1,
        "conversation_events": 3, "other_records": 0, "resident_found": True}
    assert rows_mentioning(store, alice) == []
    assert rows_mentioning(store, "f" * 32) == []
    assert repo.find_identity("sms", PHONE) is None
    assert len(list((data_dir / "documents").iterdir())) == 1
    assert len(list((data_dir / "outbox").iterdir())) == 1
    with sqlite3.connect(tracker) as connection:
        senders = {row[0] for row in connection.execute("SELECT sender_id FROM events")}
    assert senders == {bob, "e" * 32}
    # Deleted pages are overwritten (secure_delete): the words are not in the files either.
    tracker_bytes = b"".join(p.read_bytes() for p in data_dir.glob("rasa-tracker.db*"))
    assert b"Samira" not in tracker_bytes and b"06 12 34 56 78" not in tracker_bytes
    store_bytes = database_bytes()
    assert alice.encode() not in store_bytes
    # The other resident is untouched.
    assert [d.answers for d in store.for_resident(bob)] == [{"nom": "Martin"}]
    assert repo.find_identity("whatsapp", OTHER_PHONE).resident_id == bob
    assert store.conversation_ids(bob) == [bob, "e" * 32]


def test_erasing_an_unknown_resident_erases_nothing_and_says_so(store, data_dir):
    report = erase_resident(store, "0" * 32, tracker_url=tracker_database_url(data_dir))
    assert report.resident_found is False and report.dossiers == 0
    assert report.conversation_events == 0  # no tracker database yet: not an error


def _insert(store, table, **values) -> int:
    """A row with the given values and a plain value in every other required column."""
    for column in table.c:
        if column.name in values or column.primary_key or column.nullable:
            continue
        if column.default is not None or column.server_default is not None:
            continue
        kind = column.type.python_type
        values[column.name] = utcnow() if kind.__name__ == "datetime" else kind()
    with store.engine.begin() as connection:
        result = connection.execute(table.insert().values(**values))
        return result.inserted_primary_key[0]


def test_rows_of_other_modules_about_the_resident_are_erased_too(repo, store, tracker,
                                                                 data_dir):
    tables = Base.metadata.tables
    if "handoffs" not in tables or "access_audit" not in tables:
        pytest.skip("no handoff tables in this build")
    alice = populate(repo, store, tracker, PHONE, {"nom": "Benali"})
    dossier_id = store.for_resident(alice)[0].id
    handoff_id = _insert(store, tables["handoffs"], conversation_id=alice)
    audit = tables["access_audit"]
    _insert(store, audit, object_kind="handoff", object_id=str(handoff_id), username="agent")
    _insert(store, audit, object_kind="dossier", object_id=dossier_id, username="agent")
    kept = _insert(store, audit, object_kind="handoff", object_id="999999", username="agent")
    report = erase_resident(store, alice, tracker_url=tracker_database_url(data_dir))
    assert report.other_records == 3
    assert rows_mentioning(store, alice) == [] and rows_mentioning(store, dossier_id) == []
    with store.engine.connect() as connection:
        left = connection.execute(select(audit.c.id)).scalars().all()
    assert left == [kept]


def test_retention_erases_residents_silent_for_longer_than_the_period(repo, store, tracker,
                                                                      data_dir):
    old = populate(repo, store, tracker, PHONE, {"nom": "Benali"})
    recent = repo.record_inbound("sms", OTHER_PHONE).resident_id
    with Session(store.engine, future=True) as session:
        session.get(Resident, old).last_activity_at = utcnow() - timedelta(days=400)
        session.commit()
    dry = purge_inactive(store, days=365, tracker_url=tracker_database_url(data_dir),
                         dry_run=True)
    assert dry.residents == 1 and store.for_resident(old)
    report = purge_inactive(store, days=365, tracker_url=tracker_database_url(data_dir))
    assert report.residents == 1 and report.totals["dossiers"] == 1
    assert store.for_resident(old) == [] and rows_mentioning(store, old) == []
    assert repo.find_identity("sms", OTHER_PHONE).resident_id == recent


def test_the_retention_period_comes_from_the_environment_with_a_clear_error():
    assert retention_days({}) == 365
    assert retention_days({"RELAIS_RETENTION_DAYS": "30"}) == 30
    for wrong in ("0", "-3", "un an", "1.5"):
        with pytest.raises(RetentionConfigError, match="RELAIS_RETENTION_DAYS"):
            retention_days({"RELAIS_RETENTION_DAYS": wrong})


def test_the_retention_command_runs_on_the_data_dir(repo, store, tracker, data_dir,
                                                     database_url):
    old = populate(repo, store, tracker, PHONE, {"nom": "Benali"})
    with Session(store.engine, future=True) as session:
        session.get(Resident, old).last_activity_at = utcnow() - timedelta(days=40)
        session.commit()
    env = {"RELAIS_DATA_DIR": str(data_dir), "RELAIS_SECRET_KEY": "test secret for dossiers",
           "RELAIS_DATABASE_URL": database_url,
           "RELAIS_RETENTION_DAYS": "30", "PATH": "/usr/bin:/bin"}
    run = subprocess.run([sys.executable, "-m", "bot.dossiers.retention", "--dry-run"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "would erase 1 resident(s)" in run.stdout
    run = subprocess.run([sys.executable, "-m", "bot.dossiers.retention"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "erased 1 resident(s)" in run.stdout and store.for_resident(old) == []
    assert "Benali" not in run.stdout + run.stderr and PHONE not in run.stdout + run.stderr
    bad = subprocess.run([sys.executable, "-m", "bot.dossiers.retention"], cwd=ROOT,
                         env={**env, "RELAIS_RETENTION_DAYS": "jamais"}, capture_output=True,
                         text=True, timeout=120)
    assert bad.returncode != 0 and "RELAIS_RETENTION_DAYS" in bad.stderr
