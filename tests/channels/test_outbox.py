"""Sending first (agents, reminders, the PDF dossier) through the gateway's outbox.

The gateway application runs in this process (aiohttp test server) so the test can call
``app["outbox"]`` as issues 5 and 7 will; Twilio and Telegram are the loopback fakes.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlencode

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from twilio.request_validator import RequestValidator

from bot.config import Settings
from bot.gateway import create_app
from bot.http_errors import MESSAGES
from tests.channels.conftest import twilio_form
from tests.channels.fakes import (
    TELEGRAM_TOKEN,
    TWILIO_SID,
    TWILIO_TOKEN,
    fake_telegram,
    fake_twilio,
    telegram_params,
)
from tests.processes import free_port

PDF = b"%PDF-1.7 dossier CSS pre-rempli par Relais"


@pytest.fixture(scope="module")
def fakes():
    twilio, telegram = fake_twilio(), fake_telegram()
    yield twilio, telegram
    twilio.stop()
    telegram.stop()


@pytest.fixture
def settings(monkeypatch, tmp_path, fakes):
    twilio, telegram = fakes
    port = free_port()
    for name, value in {
        "RELAIS_DATA_DIR": str(tmp_path), "RELAIS_SECRET_KEY": "outbox-key",
        "RELAIS_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "TWILIO_ACCOUNT_SID": TWILIO_SID, "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
        "TWILIO_SMS_FROM": "+33700000001", "TWILIO_WHATSAPP_FROM": "whatsapp:+33700000002",
        "TWILIO_API_BASE_URL": twilio.url, "TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN,
        "TELEGRAM_WEBHOOK_SECRET": "s", "TELEGRAM_API_BASE_URL": telegram.url,
    }.items():
        monkeypatch.setenv(name, value)
    return Settings.from_env(), port


def run_gateway(settings_and_port, scenario):
    settings, port = settings_and_port

    async def main():
        server = TestServer(create_app(settings), host="127.0.0.1", port=port)
        await server.start_server()
        try:
            async with aiohttp.ClientSession() as http:
                return await scenario(server.app, http)
        finally:
            await server.close()

    return asyncio.run(main())


def test_the_dossier_goes_to_telegram_as_a_document(settings, fakes):
    _, telegram = fakes

    async def scenario(app, _http):
        identity = await app["store"].run(lambda r: r.record_inbound("telegram", "9001"))
        return await app["outbox"].send_document(
            identity.id, "dossier-css.pdf", "application/pdf", PDF, "Votre dossier CSS.")

    assert run_gateway(settings, scenario).status == "sent"
    [call] = telegram.wait_for(lambda c: c.path == "sendDocument"
                               and telegram_params(c).get("chat_id") == "9001")
    assert call.form["document"] == (PDF, "dossier-css.pdf")
    assert call.form["caption"] == "Votre dossier CSS."


def test_by_sms_the_dossier_is_a_private_link_that_downloads_it(settings, fakes):
    twilio, _ = fakes

    async def scenario(app, http):
        identity = await app["store"].run(lambda r: r.record_inbound("sms", "+33644000001"))
        delivery = await app["outbox"].send_document(
            identity.id, "dossier css.pdf", "application/pdf", PDF, "Votre dossier CSS :")
        [sent] = twilio.wait_for(lambda c: c.form.get("To") == "+33644000001")
        caption, link = sent.form["Body"].split("\n")
        async with http.get(link) as response:
            downloaded = (response.status, await response.read(), dict(response.headers))
        async with http.get(link[:-3] + "xyz") as response:
            tampered = response.status
        async with http.get(link.rsplit("/", 1)[0] + "/short") as response:
            malformed = response.status
        return delivery, caption, link, downloaded, tampered, malformed

    delivery, caption, link, downloaded, tampered, malformed = run_gateway(settings, scenario)
    assert delivery.status == "sent" and caption == "Votre dossier CSS :"
    assert "/channels/files/" in link
    status, body, headers = downloaded
    assert (status, body) == (200, PDF)
    assert headers["Content-Type"] == "application/pdf"
    assert headers["Content-Disposition"] == 'attachment; filename="dossier_css.pdf"'
    assert headers["Cache-Control"] == "no-store"
    assert (tampered, malformed) == (404, 404)


def test_on_whatsapp_the_caption_comes_first_then_the_dossier_alone_as_media(settings, fakes):
    twilio, _ = fakes

    async def scenario(app, _http):
        identity = await app["store"].run(
            lambda r: r.record_inbound("whatsapp", "+33644000002"))
        return await app["outbox"].send_document(
            identity.id, "dossier.pdf", "application/pdf", PDF, "Votre dossier.")

    assert run_gateway(settings, scenario).status == "sent"
    # Twilio drops a WhatsApp document's caption: the text is a message of its own.
    caption, media = twilio.wait_for(lambda c: c.form.get("To") == "whatsapp:+33644000002", 2)
    assert (caption.form["Body"], "MediaUrl" in caption.form) == ("Votre dossier.", False)
    assert "Body" not in media.form and "/channels/files/" in media.form["MediaUrl"]


def test_nothing_is_sent_first_to_a_resident_who_said_stop(settings, fakes):
    twilio, _ = fakes

    async def scenario(app, _http):
        store = app["store"]
        identity = await store.run(lambda r: r.record_inbound("sms", "+33644000003"))
        await store.run(lambda r: r.set_opted_out(identity.id, True))
        outbox = app["outbox"]
        return (await outbox.send_document(identity.id, "d.pdf", "application/pdf", PDF, "x"),
                await outbox.send_first(identity.id, []))

    document, message = run_gateway(settings, scenario)
    assert (document.status, message.status) == ("opted_out", "opted_out")
    assert twilio.matching(lambda c: c.form.get("To") == "+33644000003") == []


def test_when_the_assistant_is_down_the_resident_is_told_on_their_channel(
        settings, fakes, monkeypatch):
    twilio, _ = fakes
    monkeypatch.setenv("RELAIS_RASA_PORT", str(free_port()))  # nothing listens there
    down = (Settings.from_env(), settings[1])
    public = down[0].public_url
    form = twilio_form("SM" + "d" * 32, "+33644000009", "bonjour")
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(
        public + "/channels/twilio/sms", form)

    async def scenario(app, http):
        async with http.post(f"{public}/channels/twilio/sms", data=urlencode(form),
                             headers={"X-Twilio-Signature": signature, "Content-Type":
                                      "application/x-www-form-urlencoded"}) as response:
            assert response.status == 200
        await asyncio.sleep(0)
        return await asyncio.to_thread(
            twilio.wait_for, lambda c: c.form.get("To") == "+33644000009")

    [sent] = run_gateway(down, scenario)
    assert sent.form["Body"] == MESSAGES["assistant_unavailable"]
