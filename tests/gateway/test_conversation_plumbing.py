"""How the gateway turns residents' messages into Rasa's and back, without a server."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, Settings
from bot.identity import conversation_id
from bot.rasa_client import BotMessage, Button, parse_rasa_reply
from bot.web_channel import OfferedButtons


def test_rasa_texts_and_buttons_are_kept_and_other_kinds_dropped():
    reply = [
        {"recipient_id": "x", "text": "Bonjour.",
         "buttons": [{"title": "Oui", "payload": "/affirm"}, {"title": "broken"}]},
        {"recipient_id": "x", "image": "http://example.invalid/a.png"},
        {"recipient_id": "x", "text": "Que puis-je faire ?"},
    ]
    assert parse_rasa_reply(reply) == [
        BotMessage("Bonjour.", (Button("Oui", "/affirm"),)),
        BotMessage("Que puis-je faire ?"),
    ]
    assert parse_rasa_reply({"unexpected": True}) == []


def test_a_typed_intent_is_not_obeyed_but_an_offered_button_is():
    offered = OfferedButtons()
    offered.remember("c1", [BotMessage("?", (Button("Ce que vous savez faire", "/capabilities"),))])
    assert offered.sanitize("c1", "/capabilities") == "/capabilities"
    assert offered.sanitize("c1", "/restart") == "restart"
    assert offered.sanitize("c2", "/capabilities") == "capabilities"
    assert offered.sanitize("c1", "///") == ""
    assert offered.sanitize("c1", "bonjour / merci") == "bonjour / merci"


def test_offered_buttons_are_forgotten_beyond_capacity():
    offered = OfferedButtons(capacity=2)
    for name in ("a", "b", "c"):
        offered.remember(name, [BotMessage("?", (Button("x", "/greet"),))])
    assert offered.sanitize("a", "/greet") == "greet"
    assert offered.sanitize("c", "/greet") == "/greet"


def test_conversation_ids_are_stable_pseudonyms_per_channel():
    first = conversation_id("key", "sms", "+33612345678")
    assert first == conversation_id("key", "sms", "+33612345678")
    assert first != conversation_id("key", "web", "+33612345678")
    assert first != conversation_id("other key", "sms", "+33612345678")
    assert "3361234" not in first and len(first) == 32


def test_a_bad_port_stops_the_process_with_its_name(monkeypatch, tmp_path):
    monkeypatch.setenv("RELAIS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("RELAIS_RASA_PORT", "rasa")
    with pytest.raises(ConfigError, match="RELAIS_RASA_PORT"):
        Settings.from_env()


def test_production_requires_its_secrets_by_name(monkeypatch, tmp_path):
    monkeypatch.setenv("RELAIS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("RELAIS_ENV", "production")
    monkeypatch.delenv("RELAIS_RASA_TOKEN", raising=False)
    with pytest.raises(ConfigError, match="RELAIS_RASA_TOKEN"):
        Settings.from_env()


def test_development_secrets_are_generated_once_and_private(monkeypatch, tmp_path):
    monkeypatch.setenv("RELAIS_DATA_DIR", str(tmp_path))
    for name in ("RELAIS_ENV", "RELAIS_RASA_TOKEN", "RELAIS_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    first, second = Settings.from_env(), Settings.from_env()
    assert first.rasa_token == second.rasa_token and len(first.rasa_token) >= 32
    assert first.rasa_token != first.secret_key
    assert (tmp_path / "secrets" / "rasa_token").stat().st_mode & 0o077 == 0
    assert first.host == "127.0.0.1" and first.gateway_port == 8000
