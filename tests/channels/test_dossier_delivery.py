"""The PDF of a confirmed request reaches the resident on SMS, WhatsApp and Telegram.

The gateway runs in this process with its real channels, store and PDF; Twilio and Telegram
are the loopback fakes. Rasa is played by a small server that does what Rasa does when a
resident confirms their summary: it runs the real ``action_request_deliver`` (which calls
the gateway's internal API, as the action server does, while the resident's turn is still
open) and answers with the sentences of ``domain.yml``.
"""

from __future__ import annotations

import asyncio
import io
import json
from urllib.parse import urlencode

import aiohttp
import pytest
from aiohttp import web
from pypdf import PdfReader
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from twilio.request_validator import RequestValidator

from actions.dossier_client import call
from actions.requests import ActionRequestDeliver
from bot.config import Settings
from bot.dossiers.routes import sentence
from tests.channels.conftest import twilio_form
from tests.channels.fakes import TWILIO_TOKEN, FakeServer, telegram_params
from tests.channels.test_outbox import fakes, run_gateway, settings  # noqa: F401 (fixtures)
from tests.channels.test_telegram_channel import message_update
from tests.dossiers.samples import CSS_ANSWERS

CONFIRM = "C'est juste"


def fake_rasa_confirming() -> FakeServer:
    """Rasa at the summary: "C'est juste" runs the real deliver action, whose sentences it says."""
    app = web.Application()
    server = FakeServer(app)

    async def webhook(request: web.Request) -> web.Response:
        body = await request.json()
        sender = body["sender"]
        current = (await call("dossiers/current", sender))["dossier"]
        dispatcher = CollectingDispatcher()
        tracker = Tracker(sender, {"request_dossier_id": current["id"]},
                          {"text": body["message"]}, [], False, None, {}, "action_listen")
        await ActionRequestDeliver().run(dispatcher, tracker, {})
        return web.json_response([{"recipient_id": sender, "text": sentence(m["response"], **m)}
                                  for m in dispatcher.messages])

    app.router.add_post("/webhooks/rest/webhook", webhook)
    return server.start()


@pytest.fixture
def confirming(settings, monkeypatch):  # noqa: F811 (the fixture imported above)
    """Settings whose Rasa is the confirming fake, and the action server's environment."""
    rasa = fake_rasa_confirming()
    _, port = settings
    monkeypatch.setenv("RELAIS_RASA_PORT", str(rasa.port))
    monkeypatch.setenv("RELAIS_GATEWAY_URL", f"http://127.0.0.1:{port}")
    yield Settings.from_env(), port
    rasa.stop()


async def _dossier_for(app, channel: str, address: str, name: str) -> tuple[str, str]:
    """A resident of that channel whose CSS request waits for confirmation: (code, resident)."""
    store, dossiers = app["store"], app["dossiers"]
    identity = await store.run(lambda r: r.record_inbound(channel, address))
    resident = identity.resident_id

    def fill():
        dossier = dossiers.create(resident, "css", None)
        dossiers.update_answers(dossier.id, {**CSS_ANSWERS, "nom": name}, actor="resident")
        return dossiers.set_status(dossier.id, "a_confirmer", actor="relais").code

    return await store.run(lambda _r: fill()), resident


async def _confirm_by_twilio(http: aiohttp.ClientSession, public: str, channel: str,
                             sender: str, sid: str) -> None:
    path = f"/channels/twilio/{channel}"
    form = twilio_form(sid, sender, CONFIRM)
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(public + path, form)
    async with http.post(public + path, data=urlencode(form), headers={
            "X-Twilio-Signature": signature,
            "Content-Type": "application/x-www-form-urlencoded"}) as response:
        assert response.status == 200


async def _pdf_text(http: aiohttp.ClientSession, link: str) -> tuple[int, str]:
    async with http.get(link) as response:
        if response.status != 200:
            return response.status, ""
        assert response.headers["Content-Type"] == "application/pdf"
        data = await response.read()
    assert data.startswith(b"%PDF")
    return 200, " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _wait(server: FakeServer, predicate, count: int = 1):
    return asyncio.to_thread(server.wait_for, predicate, count, 30)


def test_on_whatsapp_the_pdf_is_media_twilio_fetches_and_it_is_the_residents_own(
        confirming, fakes):  # noqa: F811
    twilio, _ = fakes
    phone = "+33645000001"

    async def scenario(app, http):
        code, _ = await _dossier_for(app, "whatsapp", phone, "Kouyaté")
        await _confirm_by_twilio(http, confirming[0].public_url, "whatsapp",
                                 f"whatsapp:{phone}", "SM" + "1" * 32)
        sent = await _wait(twilio, lambda c: c.form.get("To") == f"whatsapp:{phone}", 5)
        forms = [c.form for c in sent]
        [media_at] = [i for i, form in enumerate(forms) if "MediaUrl" in form]
        assert "Body" not in forms[media_at], forms  # Twilio would drop a document's caption
        link = forms[media_at]["MediaUrl"]
        return code, forms[media_at - 1]["Body"], [f.get("Body", "") for f in forms], \
            await _pdf_text(http, link), await _pdf_text(http, link[:-4] + "AAAA")

    code, caption, bodies, (status, text), (tampered, _) = run_gateway(confirming, scenario)
    assert code in caption  # "Votre demande pré-remplie (dossier D-…)"
    assert status == 200 and code in text and "Kouyaté" in text
    assert "Pré-rempli par Relais" in text
    assert any(sentence("utter_request_pdf_sent", code=code) in b for b in bodies), bodies
    assert tampered == 404


def test_by_sms_the_pdf_is_a_link_each_resident_downloads_their_own(confirming, fakes):  # noqa: F811
    twilio, _ = fakes
    phones = {"+33645000002": "Okafor", "+33645000003": "Nguyen"}

    async def scenario(app, http):
        codes, texts = {}, {}
        for index, (phone, name) in enumerate(phones.items()):
            codes[phone], _ = await _dossier_for(app, "sms", phone, name)
            await _confirm_by_twilio(http, confirming[0].public_url, "sms", phone,
                                     "SM" + str(index + 2) * 32)
        for phone in phones:
            sent = await _wait(twilio, lambda c, p=phone: c.form.get("To") == p
                               and "/channels/files/" in c.form.get("Body", ""))
            link = next(w for w in sent[0].form["Body"].split() if "/channels/files/" in w)
            texts[phone] = await _pdf_text(http, link)
        return codes, texts

    codes, texts = run_gateway(confirming, scenario)
    (first, second) = phones
    assert texts[first][0] == texts[second][0] == 200
    assert codes[first] in texts[first][1] and phones[first] in texts[first][1]
    assert codes[second] in texts[second][1] and phones[second] in texts[second][1]
    assert phones[second] not in texts[first][1] and phones[first] not in texts[second][1]
    assert codes[second] not in texts[first][1] and codes[first] not in texts[second][1]


def test_on_telegram_the_pdf_comes_as_a_document(confirming, fakes):  # noqa: F811
    _, telegram = fakes
    user = 770011

    async def scenario(app, http):
        code, _ = await _dossier_for(app, "telegram", str(user), "Traoré")
        update = message_update(user, CONFIRM).to_dict()
        async with http.post(f"{confirming[0].public_url}/channels/telegram/webhook",
                             data=json.dumps(update), headers={
                                 "Content-Type": "application/json",
                                 "X-Telegram-Bot-Api-Secret-Token": "s"}) as response:
            assert response.status == 200
        [document] = await _wait(telegram, lambda c: c.path == "sendDocument"
                                 and telegram_params(c).get("chat_id") == str(user))
        replies = await _wait(telegram, lambda c: c.path == "sendMessage"
                              and telegram_params(c).get("chat_id") == str(user), 3)
        return code, document.form, [telegram_params(c)["text"] for c in replies]

    code, form, replies = run_gateway(confirming, scenario)
    data, filename = form["document"]
    assert code in filename and "Traoré" not in filename
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert code in text and "Traoré" in text
    assert code in form["caption"]
    assert sentence("utter_request_pdf_sent", code=code) in replies
