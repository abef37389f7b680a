"""Dossiers, consent and the read audit: what is stored, encrypted, and logged."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import create_engine, inspect, select, text

from bot.store import migrations
from bot.store.crypto import StoreKeys
from bot.store.dossiers import DossierStore
from bot.store.handoff import Handoffs
from bot.store.models import Base
from bot.store.repository import Repository, default_database_url, open_repository
from tests.dossiers.conftest import PHONE, SECRET
from tests.dossiers.samples import CSS_ANSWERS


def test_a_dossier_keeps_answers_and_a_history_of_field_names_only(repo, store):
    resident = repo.record_inbound("sms", PHONE).resident_id
    dossier = store.create(resident, "css")
    assert dossier.status == "en_cours" and dossier.answers == {}
    assert re.fullmatch(r"D-[A-HJ-NP-Z2-9]{6}", dossier.code)
    store.update_answers(dossier.id, {"nom": "Benali", "prenom": "Samira"})
    store.update_answers(dossier.id, {"prenom": "Samia", "nom": "Benali"})  # a correction
    updated = store.update_answers(dossier.id, {"telephone": None})
    assert updated.answers == {"nom": "Benali", "prenom": "Samia"}
    history = store.history(dossier.id)
    assert [(e.kind, e.detail) for e in history] == [
        ("cree", "css"), ("reponses", "nom,prenom"), ("reponses", "prenom")]
    assert all("Samia" not in (e.detail or "") for e in history)


def test_a_resident_only_reaches_their_own_dossiers(repo, store):
    alice = repo.record_inbound("sms", PHONE).resident_id
    bob = repo.record_inbound("sms", "+33698765432").resident_id
    dossier = store.create(alice, "logement_social", "renouvellement")
    assert [d.id for d in store.for_resident(alice)] == [dossier.id]
    assert store.for_resident(bob) == []
    with pytest.raises(KeyError):
        store.get_for_resident(bob, dossier.id)


def test_unknown_rights_variants_and_statuses_are_refused(repo, store):
    resident = repo.record_inbound("sms", PHONE).resident_id
    with pytest.raises(ValueError):
        store.create(resident, "rsa")
    with pytest.raises(ValueError):
        store.create(resident, "logement_social")  # first request or renewal must be said
    with pytest.raises(ValueError):
        store.create(resident, "css", "renouvellement")
    dossier = store.create(resident, "mutuelle_communale")
    with pytest.raises(ValueError):
        store.set_status(dossier.id, "perdu")
    assert store.set_status(dossier.id, "pret").status == "pret"


def test_every_read_by_a_person_is_logged_with_who_why_and_which_view(repo, store):
    resident = repo.record_inbound("sms", PHONE).resident_id
    dossier = store.create(resident, "css")
    store.read(dossier.id, reader="agent:ccas-12", purpose="accompagnement")
    store.read(dossier.id, reader="commission:logement", purpose="commission",
               view="anonymise")
    reads = store.reads_of(dossier.id)
    assert [(r.reader, r.purpose, r.view) for r in reads] == [
        ("agent:ccas-12", "accompagnement", "complet"),
        ("commission:logement", "commission", "anonymise")]
    with pytest.raises(ValueError):
        store.read(dossier.id, reader="", purpose="curiosité")
    with pytest.raises(KeyError):
        store.read("0" * 32, reader="agent:x", purpose="accompagnement")
    assert len(store.reads_of(dossier.id)) == 2


def test_consent_is_appended_and_the_latest_answer_counts(repo, store):
    resident = repo.record_inbound("sms", PHONE).resident_id
    assert not store.has_consent(resident, "partage_ccas")
    store.record_consent(resident, "partage_ccas", True, "v1")
    store.record_consent(resident, "partage_ccas", False, "v1")
    assert not store.has_consent(resident, "partage_ccas")
    assert [c.granted for c in store.consents_of(resident)] == [True, False]


def test_a_received_document_is_attached_to_the_dossier(repo, store):
    resident = repo.record_inbound("sms", PHONE).resident_id
    other = repo.record_inbound("sms", "+33698765432").resident_id
    dossier = store.create(resident, "css")
    document = repo.save_document(resident, "sms", "image/jpeg", b"avis")
    foreign = repo.save_document(other, "sms", "image/jpeg", b"x")
    updated = store.attach_document(dossier.id, document.id, "avis_imposition")
    assert updated.documents_received == {"avis_imposition": [document.id]}
    assert repo.documents_of(resident)[0].dossier_id == dossier.id
    with pytest.raises(KeyError):
        store.attach_document(dossier.id, foreign.id, "avis_imposition")


def test_a_file_sent_in_the_chat_joins_the_open_dossier_to_be_sorted(repo, store):
    resident = repo.record_inbound("sms", PHONE).resident_id
    filed = store.create(resident, "logement_social", "premiere_demande")
    store.set_status(filed.id, "depose")
    open_one = store.create(resident, "css")
    photo = repo.save_document(resident, "whatsapp", "image/jpeg", b"photo")
    assert repo.documents_of(resident)[0].dossier_id == open_one.id
    assert store.get_for_resident(resident, open_one.id).documents_received == {
        "a_classer": [photo.id]}
    assert store.get_for_resident(resident, filed.id).documents_received == {}


def test_a_file_from_a_resident_without_an_open_dossier_stays_with_the_resident(repo, store):
    resident = repo.record_inbound("sms", PHONE).resident_id
    assert repo.save_document(resident, "sms", "image/jpeg", b"photo").dossier_id is None


def test_no_name_phone_or_address_is_in_the_database_file_in_clear(repo, store, data_dir):
    resident = repo.record_inbound("whatsapp", PHONE).resident_id
    dossier = store.create(resident, "css")
    store.update_answers(dossier.id, CSS_ANSWERS)
    store.read(dossier.id, reader="agent:ccas-12", purpose="accompagnement")
    assert store.get_for_resident(resident, dossier.id).answers["nom"] == "Benali"
    raw = b"".join(path.read_bytes() for path in data_dir.glob("relais.db*"))
    for secret in ("Benali", "Samira", "Hoche", "06 12 34 56 78", PHONE, "0612345678",
                   "2 86 04 93 055", "1986-04-17", "traiteur"):
        assert secret.encode() not in raw, secret


def test_a_telegram_resident_merged_into_a_phone_keeps_dossiers_and_old_conversation_id(
        repo, store):
    phone = repo.record_inbound("sms", PHONE)
    telegram = repo.record_inbound("telegram", "424242")
    dossier = store.create(telegram.resident_id, "caisse_sociale_alimentaire")
    store.record_consent(telegram.resident_id, "conserver_dossier", True, "v1")
    assert repo.start_link(telegram.id, PHONE, "123456", lifetime=timedelta(minutes=10),
                           max_codes_per_day=3)
    assert repo.check_link_code(telegram.id, "123456", max_attempts=5) == "linked"
    assert [d.id for d in store.for_resident(phone.resident_id)] == [dossier.id]
    assert store.has_consent(phone.resident_id, "conserver_dossier")
    assert store.conversation_ids(phone.resident_id) == [phone.resident_id,
                                                         telegram.resident_id]


def test_migrations_build_a_fresh_database_and_record_their_versions(tmp_path):
    engine = create_engine(default_database_url(tmp_path), future=True)
    assert migrations.current_version(engine) == 0
    applied = migrations.migrate(engine)
    assert applied[:3] == [1, 2, 3] and applied == sorted(applied)
    assert migrations.migrate(engine) == []  # idempotent
    assert migrations.current_version(engine) == applied[-1]
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) | {"schema_version"} <= tables
    with engine.connect() as connection:
        rows = connection.execute(select(migrations.schema_version)).all()
    assert [row.version for row in rows] == applied


def test_every_table_of_the_store_is_created_by_a_migration():
    """A module that declares a table on Base must add a migration for it (no create_all)."""
    assert migrations.unmigrated_tables() == []


def test_migrations_adopt_a_store_created_before_them_without_losing_rows(tmp_path):
    """A relais.db built by create_all (before migrations) keeps its rows when migrated."""
    engine = create_engine(default_database_url(tmp_path), future=True)
    before = [Base.metadata.tables[name] for name in (
        "residents", "channel_identities", "processed_inbound", "received_documents",
        "pending_links", "outbound_files", "handoffs", "handoff_transcript", "handoff_notes",
        "console_users", "console_sessions", "access_audit")]
    Base.metadata.create_all(engine, tables=before)
    with engine.begin() as connection:  # the handoffs table as main's create_all built it
        connection.execute(text("ALTER TABLE handoffs DROP COLUMN need"))
    engine.dispose()
    repository = Repository(create_engine(default_database_url(tmp_path), future=True),
                            StoreKeys(SECRET), tmp_path / "documents")
    resident = repository.record_inbound("sms", PHONE).resident_id
    with repository.engine.begin() as connection:
        connection.execute(text("INSERT INTO handoffs (conversation_id, channel, reason, "
                                "priority, status, created_at) VALUES (:c, 'channels', 'asked', "
                                "1, 'queued', '2026-11-22 09:00:00')"), {"c": resident})
    repository.close()
    engine = create_engine(default_database_url(tmp_path), future=True)
    assert migrations.migrate(engine, target=1) == [1]
    assert migrations.migrate(engine) == [v for v, _, _ in migrations.MIGRATIONS if v > 1]
    store = DossierStore(engine, repository.keys, tmp_path)
    assert store.create(resident, "css").resident_id == resident
    reopened = open_repository(default_database_url(tmp_path), SECRET, tmp_path)
    assert reopened.find_identity("sms", PHONE).resident_id == resident
    assert Handoffs(reopened.engine, reopened.keys).mode_of(resident) == "agent"
    reopened.close()


def test_a_migration_skipped_by_an_earlier_merge_order_is_still_applied(tmp_path):
    engine = create_engine(default_database_url(tmp_path), future=True)
    assert migrations.migrate(engine, target=2) == [1, 2]
    with engine.begin() as connection:  # as if a later version had run before version 3
        connection.execute(migrations.schema_version.insert().values(
            version=99, description="from another branch", applied_at=datetime.utcnow()))
    assert 3 in migrations.migrate(engine)
    assert "handoffs" in inspect(engine).get_table_names()
