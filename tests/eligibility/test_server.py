"""The real start command: 503 while loading, 200 when ready, clean stop on SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_start_health_and_sigterm():
    port = free_port()
    env = {
        **os.environ,
        "RELAIS_ELIGIBILITY_PORT": str(port),
        "RELAIS_ELIGIBILITY_HOST": "127.0.0.1",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "eligibility"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        seen = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
                seen.append(response.status_code)
                if response.status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        assert seen and seen[-1] == 200, f"not ready in time: {seen[-5:]}"
        assert 503 in seen, "health must answer 503 while the engine loads"
        assert response.json()["status"] == "ok"
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_bad_port_stops_with_a_sentence():
    env = {**os.environ, "RELAIS_ELIGIBILITY_PORT": "huit-mille"}
    result = subprocess.run(
        [sys.executable, "-m", "eligibility"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "RELAIS_ELIGIBILITY_PORT" in result.stderr
