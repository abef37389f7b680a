"""Telegram without a public URL (a local run): the gateway polls getUpdates instead."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from telegram import Chat, Message, Update, User

from tests.channels.fakes import TELEGRAM_TOKEN, fake_rasa, fake_telegram, telegram_params
from tests.processes import free_port, http, relais_env, start_module, wait_until


@pytest.fixture(scope="module")
def polling_gateway(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("polling")
    rasa, telegram = fake_rasa(), fake_telegram()
    port = free_port()
    env = relais_env(data_dir, gateway=port, rasa=rasa.port)
    for name in ("RELAIS_PUBLIC_URL", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN"):
        env.pop(name, None)
    env.update({"TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN, "TELEGRAM_API_BASE_URL": telegram.url})
    process = start_module("bot.gateway", env, data_dir / "gateway.log")
    url = f"http://127.0.0.1:{port}"
    try:
        assert wait_until(lambda: http("GET", f"{url}/health", timeout=5)[0] != 0, 30)
        yield url, telegram, rasa, data_dir
    finally:
        process.terminate()
        process.wait(timeout=15)
        telegram.stop()
        rasa.stop()


def test_updates_are_fetched_by_polling_and_answered_once(polling_gateway):
    url, telegram, rasa, data_dir = polling_gateway
    telegram.wait_for(lambda c: c.path == "deleteWebhook")
    user = User(id=8001, first_name="Awa", is_bot=False)
    update = Update(update_id=500, message=Message(
        message_id=1, date=datetime(2026, 11, 22, tzinfo=timezone.utc),
        chat=Chat(id=8001, type=Chat.PRIVATE), from_user=user, text="/start"))
    telegram.updates.append(update.to_dict())

    first, second = [telegram_params(c) for c in telegram.wait_for(
        lambda c: c.path == "sendMessage", 2)]
    assert str(first["chat_id"]) == "8001" and first["text"].startswith("Bonjour, je suis Relais.")
    assert second["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "/capabilities"
    # The next poll acknowledges the update; it is never answered twice.
    telegram.wait_for(lambda c: c.path == "getUpdates"
                      and str(telegram_params(c).get("offset")) == "501")
    assert [c.json["message"] for c in rasa.calls] == ["/greet"]
    assert not telegram.matching(lambda c: c.path == "setWebhook")
    log = (data_dir / "gateway.log").read_text()
    assert "channel telegram: on (polling, no RELAIS_PUBLIC_URL)" in log
    assert "channel sms: off (TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN not set)" in log
    assert TELEGRAM_TOKEN not in log


def test_the_webhook_route_is_not_open_to_anyone_in_polling_mode(polling_gateway):
    url = polling_gateway[0]
    status, body = http("POST", f"{url}/channels/telegram/webhook", b"{}",
                        {"Content-Type": "application/json"})
    assert status == 403


def test_channels_without_credentials_answer_a_clear_503(polling_gateway):
    url = polling_gateway[0]
    status, body = http("POST", f"{url}/channels/twilio/sms", b"From=%2B33600000000",
                        {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 503
    assert body == {"error": "channel_disabled",
                    "message": "Ce canal n'est pas configuré sur ce serveur."}
