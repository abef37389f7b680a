"""The web channel refuses bad input with a 4xx JSON error and never crashes.

These run against a real gateway process with nothing behind it: validation must not
depend on Rasa being up, and a dead Rasa must give a clear 503, not a hang.
"""

from __future__ import annotations

import json

import pytest

from tests.processes import free_port, http, post_json, relais_env, start_module, wait_until


@pytest.fixture(scope="module")
def gateway(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("gateway")
    port = free_port()
    env = relais_env(data_dir, gateway=port)
    process = start_module("bot.gateway", env, data_dir / "gateway.log")
    url = f"http://127.0.0.1:{port}"
    try:
        assert wait_until(lambda: http("GET", f"{url}/health", timeout=5)[0] != 0, 30), (
            (data_dir / "gateway.log").read_text()
        )
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def post_raw(url: str, body: bytes, content_type: str = "application/json"):
    return http("POST", f"{url}/web/messages", body, {"Content-Type": content_type})


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"text": "bonjour"}, "sender"),
        ({"sender": "abc"}, "text"),
        ({"sender": "", "text": "bonjour"}, "sender"),
        ({"sender": 12, "text": "bonjour"}, "sender"),
        ({"sender": "abc", "text": ["bonjour"]}, "text"),
        ({"sender": "x" * 500, "text": "bonjour"}, "sender"),
        ({"sender": "abc", "text": "bonjour", "message_id": "a b"}, "message_id"),
        ({"sender": "abc", "text": "bonjour", "message_id": "x" * 65}, "message_id"),
        ({"sender": "abc", "text": "bonjour", "message_id": 7}, "message_id"),
    ],
)
def test_missing_or_wrong_fields_are_named_in_a_422(gateway, payload, field):
    status, body = post_json(f"{gateway}/web/messages", payload)
    assert status == 422
    assert body["field"] == field
    assert body["message"]


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "\x00\x01", "///"])
def test_an_empty_message_is_refused_with_a_sentence_in_french(gateway, text):
    status, body = post_json(f"{gateway}/web/messages", {"sender": "abc", "text": text})
    assert status == 422
    assert body["error"] == "empty_text"
    assert "vide" in body["message"]


def test_a_100_kb_message_is_refused_as_too_large(gateway):
    status, body = post_json(f"{gateway}/web/messages", {"sender": "abc", "text": "a" * 100_000})
    assert status == 413
    assert body["error"] == "payload_too_large"


def test_a_message_longer_than_a_long_story_is_refused(gateway):
    status, body = post_json(f"{gateway}/web/messages", {"sender": "abc", "text": "mot " * 2000})
    assert status == 413
    assert body["field"] == "text"


@pytest.mark.parametrize("raw", [b"{not json", b"", b"\xff\xfe\x00", b"null", b"[1, 2]", b'"text"'])
def test_invalid_json_gets_a_4xx_json_error(gateway, raw):
    status, body = post_raw(gateway, raw)
    assert status in (400, 422)
    assert body["error"] in ("invalid_json", "invalid_request")


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x"])
def test_a_wrong_content_type_gets_a_415(gateway, content_type):
    body = json.dumps({"sender": "abc", "text": "bonjour"}).encode()
    status, answer = post_raw(gateway, body, content_type)
    assert status == 415
    assert answer["error"] == "unsupported_media_type"


def test_unknown_paths_and_methods_answer_json(gateway):
    assert http("GET", f"{gateway}/nowhere") == (404, {"error": "not_found",
                                                        "message": "Cette adresse n'existe pas."})
    status, body = http("PUT", f"{gateway}/web/messages")
    assert status == 405 and body["error"] == "method_not_allowed"
    # GET is the chat page's poll for agents' replies: it needs the sender.
    status, body = http("GET", f"{gateway}/web/messages")
    assert status == 422 and body["field"] == "sender"


def test_a_valid_message_while_rasa_is_down_gets_a_clear_503(gateway):
    status, body = post_json(f"{gateway}/web/messages", {"sender": "abc", "text": "bonjour"},
                             timeout=10)
    assert status == 503
    assert body["error"] == "assistant_unavailable"
    assert "indisponible" in body["message"]


def test_health_is_503_and_names_the_services_down(gateway):
    status, body = http("GET", f"{gateway}/health")
    assert status == 503
    assert body["services"] == {"rasa": "down", "actions": "down", "eligibility": "down"}


def test_the_chat_page_is_served_in_french(gateway):
    import urllib.request

    with urllib.request.urlopen(f"{gateway}/") as response:
        page = response.read().decode()
    assert '<html lang="fr">' in page and "/static/chat.js" in page
