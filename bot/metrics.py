"""The gateway's counters for Prometheus, served as text on ``GET /metrics``.

Written by hand rather than with prometheus_client, which is not in the Rasa environment: the
text exposition format (version 0.0.4) is a few lines, and a dependency less is one lock
entry less to keep compatible with Rasa's pins. Labels hold channel names, routes, reasons,
rights and outcomes only — never a conversation id, a phone number or a message text.
"""

from __future__ import annotations

import bisect
import math
import threading
from collections.abc import Iterable, Sequence

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

# Seconds: a turn through Rasa takes tens to hundreds of milliseconds, a slow one seconds.
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0)


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _labels(names: Sequence[str], values: Sequence[str], extra: str = "") -> str:
    pairs = [f'{n}="{_escape(v)}"' for n, v in zip(names, values, strict=True)]
    if extra:
        pairs.append(extra)
    return "{" + ",".join(pairs) + "}" if pairs else ""


def _number(value: float) -> str:
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return repr(float(value)) if not float(value).is_integer() else str(int(value))


class _Metric:
    kind = "untyped"

    def __init__(self, name: str, help_text: str, labels: Sequence[str] = ()):
        self.name = name
        self.help = help_text
        self.label_names = tuple(labels)
        self._lock = threading.Lock()

    def _key(self, labels: dict[str, str]) -> tuple[str, ...]:
        if set(labels) != set(self.label_names):
            raise ValueError(f"{self.name} takes labels {self.label_names}, got {sorted(labels)}")
        return tuple(str(labels[n]) for n in self.label_names)

    def header(self) -> list[str]:
        return [f"# HELP {self.name} {self.help}", f"# TYPE {self.name} {self.kind}"]

    def samples(self) -> Iterable[str]:
        raise NotImplementedError


class Counter(_Metric):
    """A count that only goes up (messages received, handoffs created)."""

    kind = "counter"

    def __init__(self, name: str, help_text: str, labels: Sequence[str] = ()):
        super().__init__(name, help_text, labels)
        self._values: dict[tuple[str, ...], float] = {}

    def inc(self, amount: float = 1.0, **labels: str) -> None:
        key = self._key(labels)
        with self._lock:
            self._values[key] = self._values.get(key, 0.0) + amount

    def value(self, **labels: str) -> float:
        return self._values.get(self._key(labels), 0.0)

    def samples(self) -> Iterable[str]:
        with self._lock:
            items = sorted(self._values.items())
        for key, value in items:
            yield f"{self.name}{_labels(self.label_names, key)} {_number(value)}"


class Gauge(_Metric):
    """A value read when it is scraped (the handoff queue's length, turns in progress)."""

    kind = "gauge"

    def __init__(self, name: str, help_text: str):
        super().__init__(name, help_text)
        self._value = 0.0

    def set(self, value: float) -> None:
        self._value = float(value)

    def samples(self) -> Iterable[str]:
        yield f"{self.name} {_number(self._value)}"


class Histogram(_Metric):
    """Durations in buckets, so Prometheus can compute p50 and p95 over any window."""

    kind = "histogram"

    def __init__(self, name: str, help_text: str, labels: Sequence[str] = (),
                 buckets: Sequence[float] = LATENCY_BUCKETS):
        super().__init__(name, help_text, labels)
        self.buckets = tuple(sorted(buckets))
        self._series: dict[tuple[str, ...], tuple[list[int], list[float]]] = {}

    def observe(self, seconds: float, **labels: str) -> None:
        key = self._key(labels)
        with self._lock:
            counts, total = self._series.setdefault(key, ([0] * (len(self.buckets) + 1), [0.0]))
            counts[bisect.bisect_left(self.buckets, seconds)] += 1
            total[0] += seconds

    def count(self, **labels: str) -> int:
        series = self._series.get(self._key(labels))
        return sum(series[0]) if series else 0

    def samples(self) -> Iterable[str]:
        with self._lock:
            items = sorted((k, (list(c), t[0])) for k, (c, t) in self._series.items())
        for key, (counts, total) in items:
            cumulative = 0
            for bound, count in zip((*self.buckets, math.inf), counts, strict=True):
                cumulative += count
                le = 'le="' + _number(bound) + '"'
                yield f"{self.name}_bucket{_labels(self.label_names, key, le)} {cumulative}"
            yield f"{self.name}_sum{_labels(self.label_names, key)} {_number(total)}"
            yield f"{self.name}_count{_labels(self.label_names, key)} {cumulative}"


class GatewayMetrics:
    """Everything ``/metrics`` shows; one instance per gateway (``app["metrics"]``)."""

    def __init__(self) -> None:
        self.messages = Counter(
            "relais_messages_total", "Residents' messages received, by channel.", ["channel"])
        self.turn_seconds = Histogram(
            "relais_turn_seconds",
            "Time from a resident's message to the bot's answer (Rasa included), by channel.",
            ["channel"])
        self.assistant_errors = Counter(
            "relais_assistant_errors_total",
            "Turns answered with a 'réessayez' because Rasa was down or too slow.", ["kind"])
        self.http_requests = Counter(
            "relais_http_requests_total", "HTTP requests answered, by route and status class.",
            ["route", "status"])
        self.handoffs = Counter(
            "relais_handoffs_total", "Conversations newly queued for a person, by reason.",
            ["reason"])
        self.handoff_queue = Gauge(
            "relais_handoff_queue_length", "Conversations waiting for or held by a person now.")
        self.turns_in_progress = Gauge(
            "relais_turns_in_progress",
            "Channel turns (SMS, WhatsApp, Telegram) accepted and not yet answered.")
        self.rasa_turns_waiting = Gauge(
            "relais_rasa_turns_waiting",
            "Turns waiting for room in Rasa (bot/admission.py): above zero, Rasa is saturated.")
        self.eligibility_calls = Counter(
            "relais_eligibility_calls_total",
            "Eligibility calculations asked by the actions, by right and outcome.",
            ["right", "outcome"])

    def all(self) -> list[_Metric]:
        return [self.messages, self.turn_seconds, self.assistant_errors, self.http_requests,
                self.handoffs, self.handoff_queue, self.turns_in_progress,
                self.rasa_turns_waiting, self.eligibility_calls]

    def render(self) -> str:
        lines: list[str] = []
        for metric in self.all():
            lines += metric.header()
            lines += metric.samples()
        return "\n".join(lines) + "\n"
