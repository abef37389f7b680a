"""The store suites' repository: on SQLite, and on PostgreSQL where ``database_url`` says so."""

from __future__ import annotations

import pytest

from bot.store.repository import open_repository


@pytest.fixture
def repo(database_url, tmp_path):
    repository = open_repository(database_url, "test secret", tmp_path)
    yield repository
    repository.close()
