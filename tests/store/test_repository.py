"""The gateway's store: residents found by keyed hashes, addresses and files encrypted."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from bot.store.crypto import InvalidToken, StoreKeys
from bot.store.models import utcnow
from bot.store.repository import open_repository

PHONE = "+33612345678"


def test_the_same_phone_number_on_sms_and_whatsapp_is_one_resident(repo):
    sms = repo.record_inbound("sms", PHONE)
    whatsapp = repo.record_inbound("whatsapp", PHONE)
    other = repo.record_inbound("sms", "+33698765432")
    assert sms.resident_id == whatsapp.resident_id != other.resident_id
    assert sms.id != whatsapp.id
    assert [i.channel for i in repo.identities_of(sms.resident_id)] == ["sms", "whatsapp"]
    assert repo.record_inbound("sms", PHONE).id == sms.id  # found again, not duplicated


def test_a_telegram_user_is_not_mixed_with_a_phone_number_of_the_same_digits(repo):
    phone = repo.record_inbound("sms", "33612345678")
    telegram = repo.record_inbound("telegram", "33612345678")
    assert phone.resident_id != telegram.resident_id


def test_no_phone_number_is_stored_in_clear_but_the_address_can_be_read_back(
        repo, database_bytes):
    identity = repo.record_inbound("whatsapp", PHONE)
    assert repo.address_of(identity.id) == PHONE
    database = database_bytes()
    for variant in (PHONE, PHONE[1:], "0612345678", "612345678"):
        assert variant.encode() not in database


def test_a_provider_message_id_is_claimed_once(repo):
    assert repo.claim_inbound("sms", "SM123") is True
    assert repo.claim_inbound("sms", "SM123") is False
    assert repo.claim_inbound("telegram", "SM123") is True


def test_claims_from_many_threads_let_exactly_one_through(repo):
    results: list[bool] = []
    lock = threading.Lock()

    def claim() -> None:
        won = repo.claim_inbound("sms", "SMrace")
        with lock:
            results.append(won)

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 7 + [True]


def test_documents_are_encrypted_on_disk_and_linked_to_the_resident(repo, tmp_path):
    identity = repo.record_inbound("sms", PHONE)
    photo = b"\xff\xd8\xff\xe0 JPEG of a payslip: SALAIRE NET 1234,56"
    saved = repo.save_document(identity.resident_id, "sms", "image/jpeg", photo, "ME1")
    assert saved.size_bytes == len(photo) and saved.dossier_id is None
    assert repo.read_document(saved.id) == photo
    assert [d.id for d in repo.documents_of(identity.resident_id)] == [saved.id]
    stored = list((tmp_path / "documents").iterdir())
    assert len(stored) == 1 and b"SALAIRE" not in stored[0].read_bytes()
    assert stored[0].stat().st_mode & 0o077 == 0


def test_opt_out_and_outbound_counts_are_kept_per_identity(repo):
    identity = repo.record_inbound("sms", PHONE)
    repo.set_opted_out(identity.id, True)
    assert repo.identity(identity.id).opted_out
    repo.count_outbound(identity.id, messages=2, segments=5)
    after = repo.count_outbound(identity.id, messages=1, segments=1)
    assert (after.messages_out, after.segments_out) == (3, 6)
    repo.set_opted_out(identity.id, False)
    assert not repo.identity(identity.id).opted_out


def test_another_secret_key_cannot_read_or_find_anything(repo, database_url, tmp_path):
    identity = repo.record_inbound("sms", PHONE)
    other = open_repository(database_url, "another key", tmp_path)
    assert other.find_identity("sms", PHONE) is None
    with pytest.raises(InvalidToken):
        other.address_of(identity.id)


def test_lookup_and_encryption_keys_differ_and_depend_on_the_secret():
    keys = StoreKeys("k")
    assert keys.lookup_hash("phone", PHONE) == StoreKeys("k").lookup_hash("phone", PHONE)
    assert keys.lookup_hash("phone", PHONE) != StoreKeys("k2").lookup_hash("phone", PHONE)
    assert keys.decrypt(keys.encrypt(b"x")) == b"x"


def test_expired_download_links_and_their_files_are_purged(repo, tmp_path):
    resident = repo.record_inbound("sms", PHONE).resident_id
    token = repo.save_outbound_file(resident, "d.pdf", "application/pdf", b"%PDF",
                                    timedelta(days=7))
    assert repo.read_outbound_file(token) == ("d.pdf", "application/pdf", b"%PDF")
    assert repo.purge_expired_files() == 0
    later = utcnow() + timedelta(days=8)
    assert repo.read_outbound_file(token, now=later) is None
    assert repo.purge_expired_files(now=later) == 1
    assert list((tmp_path / "outbox").iterdir()) == []


def test_old_provider_ids_are_forgotten(repo):
    repo.claim_inbound("sms", "SMold")
    assert repo.forget_inbound_before(utcnow() + timedelta(seconds=1)) == 1
    assert repo.claim_inbound("sms", "SMold") is True


def test_the_sqlite_store_keeps_its_connection_and_survives_a_process_crash_setting(tmp_path):
    """One connection reused across sessions (not one opened per call), in WAL mode with
    ``synchronous=NORMAL``: a commit is safe from a crash of the process (docs/performance.md)."""
    from sqlalchemy import text

    from bot.store.repository import create_store_engine

    engine = create_store_engine(f"sqlite:///{tmp_path / 'relais.db'}")
    seen = []  # the objects themselves: an id could be reused once one is freed
    for _ in range(3):
        with engine.connect() as connection:
            seen.append(connection.connection.dbapi_connection)
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
    assert all(dbapi is seen[0] for dbapi in seen)
    engine.dispose()
