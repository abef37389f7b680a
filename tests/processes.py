"""Starting and finding the real processes of Relais from the tests."""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def _ephemeral_range() -> tuple[int, int]:
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999


def _all_bindable(ports: range) -> bool:
    """True when every one of these loopback ports can be bound now (they are released)."""
    sockets: list[socket.socket] = []
    try:
        for port in ports:
            sock = socket.socket()
            sockets.append(sock)
            sock.bind(("127.0.0.1", port))
        return True
    except OSError:
        return False
    finally:
        for sock in sockets:
            sock.close()


def free_port() -> int:
    """A port free now and outside the kernel's ephemeral range.

    Port 0 would hand out an ephemeral port, which the many short client connections of a
    running stack may take as their local port before a server binds it (EADDRINUSE).
    """
    low, _ = _ephemeral_range()
    candidates = list(range(10_000, min(low, 30_000)))
    random.shuffle(candidates)
    for port in candidates:
        if _all_bindable(range(port, port + 1)):
            return port
    raise RuntimeError("no free port below the ephemeral range")


def consecutive_free_ports(count: int, start: int = 20_000) -> int:
    """A first port such that it and the ``count - 1`` after it are free now (N instances of
    a service listen on consecutive ports), below the ephemeral range like ``free_port``."""
    low, _ = _ephemeral_range()
    base = start + (os.getpid() * 37) % 5_000
    while base + count <= min(low, 30_000):
        if _all_bindable(range(base, base + count)):
            return base
        base += count
    raise RuntimeError("no block of free ports")


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def relais_env(data_dir: Path, **ports: int) -> dict[str, str]:
    """An environment for a private Relais: its own data folder and free ports."""
    env = {**os.environ, "RELAIS_DATA_DIR": str(data_dir), "RASA_TELEMETRY_ENABLED": "false"}
    for name in ("gateway", "rasa", "actions", "eligibility"):
        env[f"RELAIS_{name.upper()}_PORT"] = str(ports.get(name) or free_port())
    return env


def http(method: str, url: str, body: bytes | None = None,
         headers: dict[str, str] | None = None, timeout: float = 60) -> tuple[int, dict]:
    """One HTTP call; returns the status and the JSON body (or {} when it is not JSON).

    Status 0 means nothing answered (connection refused, or timed out).
    """
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    except (urllib.error.URLError, OSError):
        return 0, {}
    try:
        return status, json.loads(raw)
    except ValueError:
        return status, {}


def post_json(url: str, payload: object, timeout: float = 60) -> tuple[int, dict]:
    return http("POST", url, json.dumps(payload).encode(),
                {"Content-Type": "application/json"}, timeout)


def wait_until(predicate, timeout: float, interval: float = 0.5) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def start_module(module: str, env: dict[str, str], log: Path) -> subprocess.Popen:
    """Starts ``python -m module`` from the repository root, output to a log file."""
    return subprocess.Popen(
        [sys.executable, "-m", module], cwd=REPO_ROOT, env=env,
        stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True,
    )


def relais_processes(data_dir: Path) -> Iterator[tuple[int, list[bytes], list[bytes]]]:
    """(pid, command line, environment) of each process of the Relais whose data folder is
    data_dir: its environment names that folder."""
    marker = f"RELAIS_DATA_DIR={data_dir}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
            environ = (entry / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        if marker in environ:
            yield int(entry.name), cmdline, environ


def pids_of(module: str, data_dir: Path) -> list[int]:
    """Processes running ``-m module`` for the Relais whose data folder is data_dir."""
    return [pid for pid, cmdline, _ in relais_processes(data_dir) if module.encode() in cmdline]


SUPERVISOR_START_TIMEOUT_S = 420


@contextmanager
def running_relais(env: dict[str, str], data_dir: Path,
                   timeout: float = SUPERVISOR_START_TIMEOUT_S) -> Iterator[subprocess.Popen]:
    """The whole assistant, started as ``make run`` starts it, until Ctrl-C at the end.

    Its output goes to ``data_dir/supervisor.log``; if it does not become ready, the test
    fails with that output. A test may stop it itself (SIGINT) before the end.
    """
    log = data_dir / "supervisor.log"
    process = subprocess.Popen([sys.executable, "-m", "bot.supervisor"], cwd=REPO_ROOT, env=env,
                               stdout=log.open("wb"), stderr=subprocess.STDOUT)
    ready = wait_until(lambda: "Relais is ready." in log.read_text(errors="replace")
                       or process.poll() is not None, timeout, interval=1)
    if not ready or process.poll() is not None:
        process.kill()
        raise AssertionError("the assistant did not start:\n" + log.read_text(errors="replace"))
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=60)
