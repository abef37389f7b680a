"""What refusing a bad call costs the gateway: CPU milliseconds per call, by kind of call.

    python -m bench.refusals [--calls 3000]

starts a lone gateway (no Rasa is needed to refuse), sends each kind of bad call 8 at a time,
first with a new connection per call (as bench/fuzz.py does), then over kept-alive
connections, and prints the gateway's CPU (utime + stime from /proc) per call and the rate.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

from tests.processes import free_port, http, relais_env, start_module, wait_until

JSON = {"Content-Type": "application/json"}
REFUSED = [  # (what, method, path, body, headers)
    ("Twilio, unsigned", "POST", "/channels/twilio/sms", b"Body=x&From=%2B33612345678",
     {"Content-Type": "application/x-www-form-urlencoded"}),
    ("Telegram, no secret", "POST", "/channels/telegram/webhook", b"{}", JSON),
    ("web, broken JSON", "POST", "/web/messages", b"{", JSON),
    ("console, guessed cookie", "GET", "/console/api/queue", None,
     {"Cookie": "relais_console=x"}),
    ("unknown path", "GET", "/admin", None, {}),
]


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def send(url: str, method: str, body: bytes | None, headers: dict[str, str],
               count: int, keep_alive: bool) -> set[int]:
    connector = aiohttp.TCPConnector(limit=8, force_close=not keep_alive)
    async with aiohttp.ClientSession(connector=connector,
                                     skip_auto_headers=("Content-Type",)) as session:
        room = asyncio.Semaphore(8)

        async def one() -> int:
            async with room, session.request(method, url, data=body, headers=headers) as r:
                await r.read()
                return r.status

        return set(await asyncio.gather(*(one() for _ in range(count))))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=3000)
    args = parser.parse_args(argv)
    data_dir = Path(tempfile.mkdtemp(prefix="relais-refusals-"))
    port = free_port()
    env = relais_env(data_dir, gateway=port)
    env.update({"RELAIS_SECRET_KEY": "refusals-secret-key", "RELAIS_PUBLIC_URL":
                "https://relais.example.org", "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
                "TWILIO_AUTH_TOKEN": "refusals-token", "TWILIO_SMS_FROM": "+33700000001",
                "TELEGRAM_BOT_TOKEN": "123456:refusals", "TELEGRAM_WEBHOOK_SECRET": "secret"})
    gateway = start_module("bot.gateway", env, data_dir / "gateway.log")
    url = f"http://127.0.0.1:{port}"
    try:
        if not wait_until(lambda: http("GET", f"{url}/metrics", timeout=5)[0] == 200, 60):
            print((data_dir / "gateway.log").read_text(), file=sys.stderr)
            return 1
        for keep_alive in (False, True):
            for what, method, path, body, headers in REFUSED:
                spent, began = cpu_seconds(gateway.pid), time.perf_counter()
                statuses = asyncio.run(send(url + path, method, body, headers, args.calls,
                                            keep_alive))
                per_call = (cpu_seconds(gateway.pid) - spent) / args.calls * 1000
                rate = args.calls / (time.perf_counter() - began)
                print(f"{'kept-alive' if keep_alive else 'new conn.'}  {what:24} "
                      f"{sorted(statuses)}  {per_call:.2f} ms CPU a call, {rate:.0f} calls/s")
    finally:
        gateway.terminate()
        gateway.wait(timeout=15)
    return 0


if __name__ == "__main__":
    sys.exit(main())
