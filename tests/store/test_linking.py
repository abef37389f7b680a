"""Linking a Telegram resident to a phone number: codes, limits and the merge of residents."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.channels.linking import french_mobile
from bot.store.models import utcnow

LIFE = timedelta(minutes=10)


def start(repo, identity_id, phone="+33611223344", code="123456", now=None):
    return repo.start_link(identity_id, phone, code, lifetime=LIFE, max_codes_per_day=3,
                           now=now)


def test_the_right_code_makes_telegram_join_the_phone_resident_with_its_documents(repo):
    sms = repo.record_inbound("sms", "+33611223344")
    telegram = repo.record_inbound("telegram", "555")
    document = repo.save_document(telegram.resident_id, "telegram", "image/jpeg", b"photo")
    assert start(repo, telegram.id)
    assert repo.link_pending(telegram.id)
    assert repo.check_link_code(telegram.id, "123456", max_attempts=5) == "linked"
    assert repo.identity(telegram.id).resident_id == sms.resident_id
    assert [d.id for d in repo.documents_of(sms.resident_id)] == [document.id]
    assert repo.stats()["residents"] == 1  # the Telegram-only resident is gone
    assert not repo.link_pending(telegram.id)
    assert repo.check_link_code(telegram.id, "123456", max_attempts=5) == "none"


def test_a_number_never_seen_becomes_an_sms_identity_of_the_telegram_resident(repo):
    telegram = repo.record_inbound("telegram", "556")
    start(repo, telegram.id, phone="+33699887766")
    assert repo.check_link_code(telegram.id, "123456", max_attempts=5) == "linked"
    later_sms = repo.record_inbound("sms", "+33699887766")
    later_whatsapp = repo.record_inbound("whatsapp", "+33699887766")
    assert later_sms.resident_id == later_whatsapp.resident_id == telegram.resident_id


def test_wrong_codes_are_counted_and_the_fifth_abandons_the_code(repo):
    telegram = repo.record_inbound("telegram", "557")
    start(repo, telegram.id)
    outcomes = [repo.check_link_code(telegram.id, "000000", max_attempts=5) for _ in range(5)]
    assert outcomes == ["wrong"] * 4 + ["abandoned"]
    assert repo.check_link_code(telegram.id, "123456", max_attempts=5) == "none"


def test_an_expired_code_is_refused(repo):
    telegram = repo.record_inbound("telegram", "558")
    start(repo, telegram.id, now=utcnow() - timedelta(minutes=11))
    assert repo.check_link_code(telegram.id, "123456", max_attempts=5) == "none"


def test_at_most_three_codes_a_day_are_sent_for_one_telegram_identity(repo):
    telegram = repo.record_inbound("telegram", "559")
    yesterday = utcnow() - timedelta(hours=25)
    assert [start(repo, telegram.id, now=yesterday) for _ in range(4)] == [True] * 3 + [False]
    assert [start(repo, telegram.id) for _ in range(4)] == [True] * 3 + [False]


def test_codes_and_numbers_are_not_stored_in_clear(repo, database_bytes):
    telegram = repo.record_inbound("telegram", "560")
    start(repo, telegram.id, phone="+33655443322", code="987654")
    database = database_bytes()
    assert b"987654" not in database and b"55443322" not in database


@pytest.mark.parametrize(("typed", "phone"), [
    ("06 12 34 56 78", "+33612345678"), ("06.12.34.56.78", "+33612345678"),
    ("+33 6 12 34 56 78", "+33612345678"), ("0033612345678", "+33612345678"),
    ("0712345678", "+33712345678"), ("+44 7700 900123", "+447700900123"),
    ("", None), ("06 12", None), ("bonjour", None), ("0012", None),
])
def test_phone_numbers_are_read_as_residents_type_them(typed, phone):
    assert french_mobile(typed) == phone
