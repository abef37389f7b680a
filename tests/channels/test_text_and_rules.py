"""Channel rules that need no server: splitting, numbered choices, SMS segments, STOP,
WhatsApp's 24-hour window, and the settings that switch channels on."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bot.channels.messages import choice_prompt
from bot.channels.text import sms_plain, sms_segments, split_message, with_numbered_choices
from bot.channels.twilio_channel import is_stop, parse_form, read_inbound, whatsapp_window_open
from bot.config import ConfigError, Settings
from bot.rasa_client import BotMessage, Button
from bot.web_channel import OfferedButtons


def test_choice_prompts_read_as_french():
    assert [choice_prompt(n) for n in (1, 2, 3, 4)] == [
        "Répondez 1.", "Répondez 1 ou 2.", "Répondez 1, 2 ou 3.", "Répondez 1, 2, 3 ou 4."]


def test_buttons_become_numbered_lines_and_a_prompt():
    message = BotMessage("Vous avez des enfants ?", (Button("Oui", "/affirm"),
                                                     Button("Non", "/deny")))
    assert with_numbered_choices(message) == (
        "Vous avez des enfants ?\n\n1. Oui\n2. Non\nRépondez 1 ou 2.")
    assert with_numbered_choices(BotMessage("Merci.")) == "Merci."


def test_a_reply_designates_a_choice_by_number_or_words_never_out_of_range():
    offered = OfferedButtons()
    offered.remember("c", [BotMessage("?", (Button("Oui", "/affirm"),
                                            Button("Pas du tout", "/deny")))])
    assert offered.choose("c", "2") == "/deny"
    assert offered.choose("c", " 1. ") == "/affirm"
    assert offered.choose("c", "PAS DU TOUT !") == "/deny"
    assert offered.choose("c", "3") is None
    assert offered.choose("c", "0") is None
    assert offered.choose("c", "oui mais") is None
    assert offered.choose("other", "1") is None


def test_long_texts_are_cut_between_sentences_then_words():
    text = "Première phrase. " * 150
    pieces = split_message(text, 1600)
    assert all(len(p) <= 1600 and p.endswith(".") for p in pieces)
    assert " ".join(pieces) == text.strip()
    one_long_sentence = "mot " * 1000
    assert all(len(p) <= 1600 for p in split_message(one_long_sentence, 1600))
    assert split_message("x" * 3300, 1600) == ["x" * 1600, "x" * 1600, "x" * 100]
    assert split_message("  ", 1600) == []


def test_sms_segments_follow_gsm7_and_ucs2_rules():
    assert sms_segments("a" * 160) == 1
    assert sms_segments("a" * 161) == 2
    assert sms_segments("é" * 160) == 1  # é is in the GSM alphabet
    assert sms_segments("ê" * 70) == 1  # ê is not: UCS-2, 70 a segment
    assert sms_segments("ê" * 71) == 2
    assert sms_segments("€" * 80) == 1 and sms_segments("€" * 81) == 2  # extension: 2 each
    assert sms_segments(sms_plain("C’est « noté »…")) == 1
    assert sms_segments("") == 0


@pytest.mark.parametrize("text", ["STOP", "stop", "Arrêt", "ARRET !", " arret ", "Stop SMS"])
def test_stop_words_unsubscribe(text):
    assert is_stop(text)


@pytest.mark.parametrize("text", ["stop les frais", "arrêt de travail", "", "1"])
def test_sentences_containing_stop_are_not_an_unsubscription(text):
    assert not is_stop(text)


def test_whatsapp_free_form_messages_are_allowed_for_24_hours_only():
    now = datetime(2026, 11, 22, 12, 0)
    assert whatsapp_window_open(now - timedelta(hours=23, minutes=59), now)
    assert not whatsapp_window_open(now - timedelta(hours=24), now)
    assert not whatsapp_window_open(None, now)


def test_twilio_forms_are_read_strictly():
    sid = "SM" + "a" * 32
    form = parse_form(f"MessageSid={sid}&From=whatsapp%3A%2B33612345678&Body=%20oui%00".encode())
    inbound = read_inbound(form)
    assert (inbound.channel, inbound.address, inbound.text) == ("whatsapp", "+33612345678", "oui")
    assert parse_form(b"\xff\xfe") is None
    assert read_inbound(parse_form(b"MessageSid=SM1&From=%2B33612345678")) is None
    assert read_inbound(parse_form(f"MessageSid={sid}&From=alice".encode())) is None
    assert read_inbound(parse_form(f"MessageSid={sid}&From=%2B336&NumMedia=x".encode())) is None


def _channel_env(monkeypatch, tmp_path, **values: str) -> None:
    monkeypatch.setenv("RELAIS_DATA_DIR", str(tmp_path))
    for name in ("RELAIS_ENV", "RELAIS_PUBLIC_URL", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN",
                 "TWILIO_SMS_FROM", "TWILIO_WHATSAPP_FROM", "TELEGRAM_BOT_TOKEN",
                 "TELEGRAM_WEBHOOK_SECRET", "RELAIS_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in values.items():
        monkeypatch.setenv(name, value)


def test_without_credentials_every_channel_is_off_and_the_store_is_in_the_data_folder(
        monkeypatch, tmp_path):
    _channel_env(monkeypatch, tmp_path)
    settings = Settings.from_env()
    assert settings.twilio is None and settings.telegram is None
    assert settings.database_url == f"sqlite:///{tmp_path.resolve()}/relais.db"


def test_half_configured_twilio_stops_the_process_with_the_missing_name(monkeypatch, tmp_path):
    _channel_env(monkeypatch, tmp_path, TWILIO_ACCOUNT_SID="AC1")
    with pytest.raises(ConfigError, match="TWILIO_AUTH_TOKEN"):
        Settings.from_env()
    _channel_env(monkeypatch, tmp_path, TWILIO_ACCOUNT_SID="AC1", TWILIO_AUTH_TOKEN="t")
    with pytest.raises(ConfigError, match="RELAIS_PUBLIC_URL"):
        Settings.from_env()


def test_twilio_senders_decide_which_of_sms_and_whatsapp_is_on(monkeypatch, tmp_path):
    _channel_env(monkeypatch, tmp_path, TWILIO_ACCOUNT_SID="AC1", TWILIO_AUTH_TOKEN="t",
                 RELAIS_PUBLIC_URL="https://relais.example.org/",
                 TWILIO_WHATSAPP_FROM="+33700000002")
    settings = Settings.from_env()
    assert settings.public_url == "https://relais.example.org"
    assert settings.twilio.sms_from is None
    assert settings.twilio.whatsapp_from == "whatsapp:+33700000002"
    assert settings.twilio.api_base_url == "https://api.twilio.com"


def test_production_needs_an_https_public_url_and_a_telegram_secret(monkeypatch, tmp_path):
    _channel_env(monkeypatch, tmp_path, RELAIS_ENV="production", RELAIS_RASA_TOKEN="r",
                 RELAIS_SECRET_KEY="s", RELAIS_PUBLIC_URL="http://relais.example.org",
                 RELAIS_DATABASE_URL="postgresql://relais@db/relais",
                 RELAIS_TRACKER_DB_URL="postgresql://rasa@db/rasa",
                 RELAIS_REDIS_URL="redis://cache:6379/1")
    with pytest.raises(ConfigError, match="RELAIS_PUBLIC_URL"):
        Settings.from_env()
    monkeypatch.setenv("RELAIS_PUBLIC_URL", "https://relais.example.org")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "1:x")
    with pytest.raises(ConfigError, match="TELEGRAM_WEBHOOK_SECRET"):
        Settings.from_env()
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", "has spaces")
    with pytest.raises(ConfigError, match="TELEGRAM_WEBHOOK_SECRET"):
        Settings.from_env()
