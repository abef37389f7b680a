"""Fixtures shared by every suite: the store's database, on SQLite and on PostgreSQL.

The store suites take ``database_url``, so each of their tests runs twice: on the SQLite
file of a local run and on a private PostgreSQL server (production), started once per
session from Debian's package (``make services`` installs it; tests/production/services.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.store.repository import default_database_url
from tests.production.services import postgres_server, redis_server, unique_name


@pytest.fixture(scope="session")
def postgres():
    with postgres_server() as server:
        yield server


@pytest.fixture(scope="session")
def redis():
    with redis_server() as server:
        yield server


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path: Path) -> str:
    """A fresh, empty store database for one test."""
    if request.param == "sqlite":
        yield default_database_url(tmp_path)
        return
    server = request.getfixturevalue("postgres")
    name = unique_name("store")
    url = server.create_database(name)
    yield url
    server.drop_database(name)


@pytest.fixture
def database_bytes(request, database_url: str, tmp_path: Path):
    """Everything the store database holds, as bytes: to check nothing is kept in clear."""
    def read() -> bytes:
        if database_url.startswith("sqlite"):
            return b"".join(p.read_bytes() for p in sorted(tmp_path.glob("relais.db*")))
        server = request.getfixturevalue("postgres")
        return server.dump(database_url.rsplit("/", 1)[1])
    return read
