"""A message moves its resident's last activity: retention (bot/dossiers/retention.py) erases
residents silent for too long, never one who just wrote."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from bot.store.models import Resident, utcnow

PHONE = "+33612345678"


def _last_activity(repo, resident_id: str):
    with Session(repo.engine) as session:
        return session.get(Resident, resident_id).last_activity_at


def test_each_message_moves_the_residents_last_activity_whatever_the_channel(repo):
    first = utcnow() - timedelta(days=300)
    sms = repo.record_inbound("sms", PHONE, at=first)
    assert _last_activity(repo, sms.resident_id) == first
    later = first + timedelta(days=200)
    whatsapp = repo.record_inbound("whatsapp", PHONE, at=later)  # a new identity, same person
    assert whatsapp.resident_id == sms.resident_id
    assert _last_activity(repo, sms.resident_id) == later
    latest = later + timedelta(days=50)
    assert repo.record_inbound("sms", PHONE, at=latest).last_inbound_at == latest
    assert _last_activity(repo, sms.resident_id) == latest


def test_a_known_sender_is_returned_as_the_store_holds_them(repo):
    """Known senders take a path of their own (SQL statements, no ORM objects): what it
    returns and what it writes must be what the ORM path does."""
    first = repo.record_inbound("whatsapp", PHONE, at=utcnow() - timedelta(hours=1))
    repo.set_opted_out(first.id, True)
    repo.count_outbound(first.id, messages=2, segments=0)
    again = repo.record_inbound("whatsapp", PHONE)
    assert again == repo.identity(first.id)
    assert (again.opted_out, again.messages_out) == (True, 2)
    assert again.last_inbound_at > first.last_inbound_at
    counted = repo.count_outbound(first.id, messages=1, segments=0)
    assert counted == repo.identity(first.id) and counted.messages_out == 3


def test_counting_what_was_sent_to_an_erased_resident_writes_nothing(repo):
    identity = repo.record_inbound("sms", PHONE)
    with Session(repo.engine) as session:
        session.delete(session.get(Resident, identity.resident_id))
        session.commit()
    assert repo.count_outbound(identity.id, messages=1, segments=1) is None
    assert repo.identity(identity.id) is None
