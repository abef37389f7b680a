"""The whole assistant in production mode: PostgreSQL, Redis, two Rasa and two action servers.

Started exactly as ``make run`` starts it (``python -m bot.supervisor``), with
RELAIS_ENV=production and private PostgreSQL and Redis servers (tests/production/services.py).
Used by the production tests and by ``bench/faults.py``.
"""

from __future__ import annotations

import json
import os
import signal
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text

from bot.store.rasa_tracker import tracker_cipher
from tests.processes import (
    consecutive_free_ports,
    http,
    relais_env,
    relais_processes,
    running_relais,
)
from tests.production.services import PostgresServer, RedisServer

RASA_TOKEN = "production-test-rasa-token"
SECRET_KEY = "production-test-secret-key"
INSTANCES = 2


@dataclass
class ProductionStack:
    data_dir: Path
    env: dict[str, str]
    postgres: PostgresServer
    redis: RedisServer

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.env['RELAIS_GATEWAY_PORT']}"

    def port(self, name: str, index: int = 0) -> int:
        return int(self.env[f"RELAIS_{name.upper()}_PORT"]) + index

    def health(self) -> tuple[int, dict]:
        return http("GET", f"{self.url}/health", timeout=10)

    def output(self) -> str:
        return (self.data_dir / "supervisor.log").read_text(errors="replace")

    def pid(self, service: str, index: int = 0) -> int:
        """The process of "rasa", "actions" (instance ``index``) or "eligibility"."""
        markers = {
            "rasa": [b"bot.rasa_server", f"RELAIS_RASA_PORT={self.port('rasa', index)}".encode()],
            "actions": [b"rasa_sdk", str(self.port("actions", index)).encode()],
            "eligibility": [b"eligibility", b"-m"],
        }[service]
        for pid, cmdline, environ in relais_processes(self.data_dir):
            if all(m in cmdline or m in environ for m in markers):
                return pid
        raise LookupError(f"no {service} process {index}")

    def kill(self, service: str, index: int = 0) -> None:
        os.kill(self.pid(service, index), signal.SIGKILL)

    def tracker_user_message_ids(self) -> Counter:
        """How many times each message id is in Rasa's tracker (PostgreSQL): 1 each, or a
        message was handled twice."""
        engine = create_engine(self.env["RELAIS_TRACKER_DB_URL"], future=True)
        try:
            with engine.connect() as connection:
                rows = connection.execute(
                    text("SELECT data FROM events WHERE type_name = 'user'")).scalars().all()
        finally:
            engine.dispose()
        cipher = tracker_cipher(SECRET_KEY)  # events are encrypted at rest (bot/store/rasa_tracker)
        ids = Counter()
        for data in rows:
            metadata = json.loads(cipher.decrypt(data.encode("ascii"))).get("metadata") or {}
            if "relais_message_id" in metadata:
                ids[metadata["relais_message_id"]] += 1
        return ids


@contextmanager
def production_stack(data_dir: Path, postgres: PostgresServer, redis: RedisServer
                     ) -> Iterator[ProductionStack]:
    tag = data_dir.name.replace("-", "_").lower()
    env = relais_env(data_dir, rasa=consecutive_free_ports(INSTANCES),
                     actions=consecutive_free_ports(INSTANCES, start=25_000))
    env.update({
        "RELAIS_ENV": "production",
        "RELAIS_RASA_TOKEN": RASA_TOKEN,
        "RELAIS_SECRET_KEY": SECRET_KEY,
        "RELAIS_DATABASE_URL": postgres.create_database(f"relais_{tag}"),
        "RELAIS_TRACKER_DB_URL": postgres.create_database(f"rasa_{tag}"),
        "RELAIS_REDIS_URL": redis.url(1),
        "RELAIS_RASA_INSTANCES": str(INSTANCES),
        "RELAIS_ACTIONS_INSTANCES": str(INSTANCES),
    })
    with running_relais(env, data_dir):
        yield ProductionStack(data_dir, env, postgres, redis)
