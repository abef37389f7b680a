"""A fresh store and a Rasa-like tracker database per test, in a temporary data dir.

The store is on SQLite and on PostgreSQL in turn (``database_url``, tests/conftest.py).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from bot.store.dossiers import DossierStore, open_dossier_store
from bot.store.repository import Repository, open_repository
from tests.console.conftest import run_stack  # noqa: F401 (an in-process gateway, for the API)

SECRET = "test secret for dossiers"
PHONE = "+33612345678"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path


@pytest.fixture
def repo(data_dir: Path, database_url: str) -> Repository:
    repository = open_repository(database_url, SECRET, data_dir)
    yield repository
    repository.close()


@pytest.fixture
def store(repo: Repository, data_dir: Path, database_url: str) -> DossierStore:
    dossiers = open_dossier_store(database_url, SECRET, data_dir)
    yield dossiers
    dossiers.engine.dispose()


@pytest.fixture
def tracker(data_dir: Path) -> Path:
    """The shape of Rasa 3.6's SQLTrackerStore table, with messages in clear as Rasa keeps them."""
    path = data_dir / "rasa-tracker.db"
    with sqlite3.connect(path) as connection:
        connection.execute(
            "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT NULL, "
            "type_name VARCHAR(255) NOT NULL, timestamp FLOAT, intent_name VARCHAR(255), "
            "action_name VARCHAR(255), data TEXT)")
        connection.execute("CREATE INDEX ix_events_sender_id ON events (sender_id)")
    return path


def add_tracker_events(path: Path, sender_id: str, texts: list[str]) -> None:
    with sqlite3.connect(path) as connection:
        for index, text in enumerate(texts):
            connection.execute(
                "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, ?, ?, ?)",
                (sender_id, "user", 1_700_000_000 + index,
                 json.dumps({"event": "user", "text": text})))
