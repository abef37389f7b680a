"""CPU of the gateway's store work for one SMS or WhatsApp message, in-process.

Each phone message costs the store three calls on its thread: the provider's id claimed, the
sender recorded (known sender), the replies counted. This prints their CPU milliseconds per
message on a SQLite store in a temporary folder (3 rounds of 3,000 messages from 50 senders):

    .venvs/rasa/bin/python -m bench.sms_store_cost
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bot.store.repository import open_repository

SENDERS = [f"+3361234{i:04d}" for i in range(50)]


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="relais-sms-store-"))
    repo = open_repository(f"sqlite:///{folder / 'relais.db'}", "bench secret key", folder)
    for phone in SENDERS:
        repo.record_inbound("sms", phone)

    def per_message(count: int) -> float:
        started = time.process_time()
        for i in range(count):
            repo.claim_inbound("twilio", f"SM{time.time_ns():032x}{i}")
            identity = repo.record_inbound("sms", SENDERS[i % len(SENDERS)])
            repo.count_outbound(identity.id, 1, 1)
        return (time.process_time() - started) * 1000 / count

    per_message(300)  # warm-up: compiled statements, pool
    rounds = ", ".join(f"{per_message(3000):.2f}" for _ in range(3))
    print(f"store CPU per phone message (claim, record, count): {rounds} ms")
    repo.close()


if __name__ == "__main__":
    main()
