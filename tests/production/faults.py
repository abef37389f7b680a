"""Residents talking at once while a fault is injected, and what each of them got.

Each simulated resident goes through the CSS questionnaire on the web channel (eight turns,
the last one calls the eligibility service), then a new resident starts. A resident whose
message gets a "réessayez" sends the same message again with the same ``message_id``, as
the chat page does; a message counts as lost when it never gets an answer (an empty answer,
an error without "réessayez", or still no answer after ``GIVE_UP_S``). Duplicates are counted
in Rasa's tracker: a message id found on two user events was handled twice.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.processes import post_json
from tests.production.stack import ProductionStack

CSS_TURNS = ["je voudrais la cmu", "/css_check", "34 et 6", "Non", "0", "1 100 €", "1", "150"]
GIVE_UP_S = 180.0
RETRY_AFTER_S = 1.0


@dataclass
class Tally:
    """What the residents got during one fault (counts only: no message text is kept)."""

    fault: str
    messages: int = 0
    answered: int = 0
    without_calculation: int = 0  # answered "Le calcul est indisponible pour le moment."
    retry_told: int = 0  # "réessayez" answers, each followed by the same message again
    lost: int = 0
    duplicates: int = 0
    recovery_s: float | None = None  # from the fault to /health "ok" again, by itself
    lost_how: Counter = field(default_factory=Counter)  # "HTTP 200 empty", "HTTP 500"…
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, **counts: int) -> None:
        with self.lock:
            for name, value in counts.items():
                setattr(self, name, getattr(self, name) + value)

    def row(self) -> str:
        recovery = f"{self.recovery_s:.0f} s" if self.recovery_s is not None else "no"
        return (f"| {self.fault} | {self.messages} | {self.answered} | "
                f"{self.without_calculation} | {self.retry_told} | {self.lost} | "
                f"{self.duplicates} | {recovery} |")


TABLE_HEADER = ("| fault | messages | answered | of which \"calcul indisponible\" | "
                "\"réessayez\", then answered | lost | duplicates | /health \"ok\" again after |\n"
                "|---|---:|---:|---:|---:|---:|---:|---:|")


def _say_until_answered(stack: ProductionStack, sender: str, text: str, tally: Tally,
                        sent_ids: list[str]) -> bool:
    message_id = uuid.uuid4().hex
    sent_ids.append(message_id)
    tally.add(messages=1)
    give_up = time.monotonic() + GIVE_UP_S
    while time.monotonic() < give_up:
        status, body = post_json(f"{stack.url}/web/messages",
                                 {"sender": sender, "text": text, "message_id": message_id},
                                 timeout=90)
        if status == 200 and body.get("messages"):
            unavailable = any("calcul est indisponible" in m.get("text", "")
                              for m in body["messages"])
            tally.add(answered=1, without_calculation=int(unavailable))
            return True
        if status in (500, 503, 504) and "Réessayez" in str(body.get("message", "")):
            tally.add(retry_told=1)
            time.sleep(RETRY_AFTER_S)
            continue
        # An empty answer, or an error that does not tell the resident what to do.
        how = f"HTTP {status} {body.get('error') or body.get('mode') or 'empty'}"
        break
    else:
        how = f"no answer in {GIVE_UP_S:.0f} s"
    with tally.lock:
        tally.lost_how[how] += 1
    tally.add(lost=1)
    return False


def _resident(stack: ProductionStack, number: int, stop: threading.Event, tally: Tally,
              sent_ids: list[str]) -> None:
    while not stop.is_set():
        sender = f"resident-{number}-{uuid.uuid4().hex[:12]}"
        for text in CSS_TURNS:
            if not _say_until_answered(stack, sender, text, tally, sent_ids):
                break  # this resident's questionnaire cannot go on; the next one starts


def _healthy(stack: ProductionStack) -> bool:
    status, body = stack.health()
    return status == 200 and body.get("status") == "ok"


def time_to_recover(stack: ProductionStack, since: float, timeout_s: float) -> float | None:
    """Seconds from ``since`` until /health says "ok" again (0 when it never stopped)."""
    deadline = since + timeout_s
    while time.monotonic() < deadline:
        if _healthy(stack):
            return time.monotonic() - since
        time.sleep(0.5)
    return None


def run_fault(stack: ProductionStack, fault: str, inject: Callable[[], None],
              residents: int = 8, before_s: float = 5.0, after_s: float = 20.0,
              recovery_timeout_s: float = 400.0) -> Tally:
    """Load, the fault, load until /health is "ok" again and at least ``after_s`` have passed."""
    tally = Tally(fault)
    stop = threading.Event()
    sent_ids: list[str] = []
    threads = [threading.Thread(target=_resident, args=(stack, n, stop, tally, sent_ids),
                                daemon=True) for n in range(residents)]
    for thread in threads:
        thread.start()
    time.sleep(before_s)
    inject()
    injected_at = time.monotonic()
    time.sleep(1.0)  # the supervisor and /health notice a death within a second
    tally.recovery_s = time_to_recover(stack, injected_at, recovery_timeout_s)
    time.sleep(max(0.0, injected_at + after_s - time.monotonic()))
    stop.set()
    for thread in threads:
        thread.join(timeout=GIVE_UP_S + 100)
    counts = stack.tracker_user_message_ids()
    tally.duplicates = sum(counts[i] - 1 for i in set(sent_ids) if counts[i] > 1)
    return tally


def kill_one_rasa(stack: ProductionStack) -> None:
    stack.kill("rasa", 0)


def kill_one_action_server(stack: ProductionStack) -> None:
    stack.kill("actions", 0)


def kill_eligibility(stack: ProductionStack) -> None:
    stack.kill("eligibility")


def restart_postgres(stack: ProductionStack) -> None:
    stack.postgres.restart()


FAULTS: list[tuple[str, Callable[[ProductionStack], None]]] = [
    ("one Rasa instance killed", kill_one_rasa),
    ("one action server killed", kill_one_action_server),
    ("eligibility service killed", kill_eligibility),
    ("PostgreSQL restarted", restart_postgres),
]
