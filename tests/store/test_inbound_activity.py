"""A message moves its resident's last activity: retention (bot/dossiers/retention.py) erases
residents silent for too long, never one who just wrote."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from bot.store.models import Resident, utcnow
from bot.store.repository import open_repository

PHONE = "+33612345678"


@pytest.fixture
def repo(database_url, tmp_path):
    repository = open_repository(database_url, "test secret", tmp_path)
    yield repository
    repository.close()


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
