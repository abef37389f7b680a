"""Throwaway PostgreSQL and Redis servers on loopback, from Debian's packages.

``make services`` installs the packages (``postgresql``, ``redis-server``); these start
private servers in a temporary folder, on free ports, with nothing kept afterwards. The tests
use them as fixtures (tests/conftest.py); bench/ scripts may use them the same way.
PostgreSQL refuses to run as root: when the tests run as root (CI), its processes run as the
``postgres`` user the package creates.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.processes import free_port, port_open, wait_until

SUPERUSER = "relais"


class ServiceMissing(RuntimeError):
    """A server's package is not installed; the message says how to install it."""


def postgres_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if not found:
        raise ServiceMissing("PostgreSQL is not installed: run `make services` "
                             "(apt-get install postgresql).")
    return found[-1].parent


def _run_as() -> str | None:
    """The user PostgreSQL runs as: ourselves, or ``postgres`` when we are root."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        raise ServiceMissing("running as root needs the `postgres` user of Debian's "
                             "postgresql package: run `make services`.") from None
    return "postgres"


class PostgresServer:
    """A private PostgreSQL cluster; ``url(name)`` after ``create_database(name)``."""

    def __init__(self, folder: Path, port: int, user: str | None):
        self.folder = folder
        self.port = port
        self.user = user
        self.bin = postgres_bin()
        self.data = folder / "data"

    def _run(self, *argv: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(self.bin / argv[0]), *argv[1:]], user=self.user,
                              capture_output=True, text=True, check=True, cwd=self.folder)

    def init(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "--auth=trust",
                  "--encoding=UTF8", "--locale=C.UTF-8")

    def start(self) -> None:
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 "
                   f"-c unix_socket_directories={self.folder} -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=300")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "postgres.log"),
                  "-o", options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def restart(self) -> None:
        """Every client loses its connections, as in a real database restart."""
        self.stop()
        self.start()

    def url(self, database: str) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        self._sql(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        self._sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _sql(self, statement: str) -> None:
        import psycopg2

        connection = psycopg2.connect(host="127.0.0.1", port=self.port, user=SUPERUSER,
                                      dbname="postgres")
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(statement)
        finally:
            connection.close()

    def dump(self, database: str) -> bytes:
        """Everything the database holds, as pg_dump writes it (to look for clear text)."""
        return subprocess.run(
            [str(self.bin / "pg_dump"), "-h", "127.0.0.1", "-p", str(self.port), "-U", SUPERUSER,
             database], capture_output=True, check=True).stdout


@contextmanager
def postgres_server() -> Iterator[PostgresServer]:
    user = _run_as()
    folder = Path(tempfile.mkdtemp(prefix="relais-postgres-"))
    if user is not None:
        shutil.chown(folder, user=user)
    server = PostgresServer(folder, free_port(), user)
    try:
        server.init()
        server.start()
        yield server
    finally:
        try:
            server.stop("immediate")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(folder, ignore_errors=True)


class RedisServer:
    def __init__(self, port: int, process: subprocess.Popen):
        self.port = port
        self.process = process

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"


@contextmanager
def redis_server() -> Iterator[RedisServer]:
    binary = shutil.which("redis-server")
    if binary is None:
        raise ServiceMissing("Redis is not installed: run `make services` "
                             "(apt-get install redis-server).")
    folder = Path(tempfile.mkdtemp(prefix="relais-redis-"))
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(folder)],
        stdout=(folder / "redis.log").open("wb"), stderr=subprocess.STDOUT)
    try:
        if not wait_until(lambda: port_open(port), timeout=20, interval=0.1):
            raise RuntimeError("redis-server did not start: "
                               + (folder / "redis.log").read_text(errors="replace"))
        yield RedisServer(port, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(folder, ignore_errors=True)


def unique_name(prefix: str) -> str:
    return f"{prefix}_{os.getpid()}_{time.monotonic_ns()}"
