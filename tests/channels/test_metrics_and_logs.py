"""What an operator sees: Prometheus counters on /metrics, JSON log lines without personal data."""

from __future__ import annotations

import json
import re
import urllib.request

from bot.metrics import Counter, GatewayMetrics, Histogram
from tests.channels.conftest import SMS_PATH, WHATSAPP_PATH, new_sid, twilio_form
from tests.processes import http, post_json

_SAMPLE = re.compile(r'^([a-z_]+)(\{[^}]*\})? (\S+)$')


def scrape(url: str) -> dict[str, float]:
    """``name{labels}`` → value, from the text format; fails on any malformed line."""
    with urllib.request.urlopen(f"{url}/metrics", timeout=10) as response:
        assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        text = response.read().decode()
    samples: dict[str, float] = {}
    for line in text.splitlines():
        if line.startswith("# HELP ") or line.startswith("# TYPE "):
            continue
        match = _SAMPLE.match(line)
        assert match, line
        samples[match[1] + (match[2] or "")] = float(match[3])
    return samples


def test_the_text_format_has_cumulative_buckets_and_escaped_labels():
    histogram = Histogram("t_seconds", "help", ["channel"], buckets=(0.1, 1.0))
    for seconds in (0.05, 0.5, 0.5, 3.0):
        histogram.observe(seconds, channel='s"m\\s')
    counter = Counter("c_total", "help", ["route"])
    counter.inc(route="/a")
    lines = list(histogram.samples()) + list(counter.samples())
    assert lines == [
        't_seconds_bucket{channel="s\\"m\\\\s",le="0.1"} 1',
        't_seconds_bucket{channel="s\\"m\\\\s",le="1"} 3',
        't_seconds_bucket{channel="s\\"m\\\\s",le="+Inf"} 4',
        't_seconds_sum{channel="s\\"m\\\\s"} 4.05',
        't_seconds_count{channel="s\\"m\\\\s"} 4',
        'c_total{route="/a"} 1',
    ]
    assert "# TYPE relais_turn_seconds histogram" in GatewayMetrics().render()


def test_metrics_count_messages_by_channel_and_time_the_turns(gateway):
    before = scrape(gateway.url)
    for n in range(3):
        post_json(f"{gateway.url}/web/messages", {"sender": f"metrics-{n}", "text": "bonjour"})
    phone = "+33611000301"
    gateway.twilio_post(SMS_PATH, twilio_form(new_sid(), phone, "bonjour"))
    gateway.twilio_post(WHATSAPP_PATH, twilio_form(new_sid(), "whatsapp:+33611000302", "aide"))
    gateway.twilio.wait_for(lambda c: c.form.get("To") in (phone, "whatsapp:+33611000302"), 2)
    after = scrape(gateway.url)

    def grew(name: str) -> float:
        return after.get(name, 0) - before.get(name, 0)

    assert grew('relais_messages_total{channel="web"}') == 3
    assert grew('relais_messages_total{channel="sms"}') == 1
    assert grew('relais_messages_total{channel="whatsapp"}') == 1
    assert grew('relais_turn_seconds_count{channel="web"}') == 3
    assert grew('relais_http_requests_total{route="/web/messages",status="2xx"}') == 3
    assert "relais_handoff_queue_length" in after and "relais_turns_in_progress" in after
    assert after["relais_rasa_turns_waiting"] == 0  # Rasa not saturated by these few
    # No sender, phone number or text in any label.
    assert not [k for k in after if "metrics-" in k or "3361100" in k or "bonjour" in k]


def test_metrics_are_refused_to_a_caller_behind_a_proxy(gateway):
    status, body = http("GET", f"{gateway.url}/metrics", headers={"X-Forwarded-For": "8.8.8.8"})
    assert status == 403 and body["error"] == "forbidden"


def test_log_lines_are_json_without_texts_numbers_or_file_tokens(gateway):
    post_json(f"{gateway.url}/web/messages", {"sender": "log-check", "text": "mon loyer Zorglub"})
    gateway.twilio_post(SMS_PATH, twilio_form(new_sid(), "+33611000303", "loyer impayé Zorglub"))
    gateway.twilio.wait_for(lambda c: c.form.get("To") == "+33611000303")
    http("GET", f"{gateway.url}/channels/files/secret-token-123?x=1")
    lines = [json.loads(line) for line in gateway.log().splitlines() if line.strip()]
    assert all({"time", "level", "logger", "message"} <= set(line) for line in lines)
    access = [line for line in lines if line.get("route") == "/web/messages"]
    assert access and all(line["method"] == "POST" and "ms" in line for line in access)
    text = gateway.log()
    for personal in ("log-check", "loyer", "Zorglub", "33611000303", "secret-token-123"):
        assert personal not in text, personal
