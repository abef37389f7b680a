"""Messages the town sends first (agent replies, reminders): STOP and WhatsApp's 24-hour rule.

The Twilio channel runs in this process against the fake Twilio API; time is moved by
writing the resident's last-message time in the store.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import aiohttp
import pytest
from sqlalchemy import update

from bot.channels.conversation import Conversations
from bot.channels.twilio_channel import TwilioChannel
from bot.config import TwilioSettings
from bot.rasa_client import BotMessage
from bot.rasa_pool import RasaPool
from bot.store.models import ChannelIdentityRow, utcnow
from bot.store.repository import AsyncStore, default_database_url, open_repository
from bot.web_channel import OfferedButtons
from tests.channels.fakes import TWILIO_SID, TWILIO_TOKEN, fake_twilio

TEMPLATE = "HX" + "1" * 32


@pytest.fixture(scope="module")
def twilio_api():
    server = fake_twilio()
    yield server
    server.stop()


def run_channel(twilio_api, tmp_path, template: str | None, scenario):
    """Builds the channel on a fresh store, runs ``scenario(channel, repo)``, closes it."""
    repo = open_repository(default_database_url(tmp_path), "k", tmp_path)
    settings = TwilioSettings(account_sid=TWILIO_SID, auth_token=TWILIO_TOKEN,
                              sms_from="+33700000001", whatsapp_from="whatsapp:+33700000002",
                              api_base_url=twilio_api.url, whatsapp_template_sid=template)

    async def main():
        async with aiohttp.ClientSession() as http:
            store = AsyncStore(repo)
            conversations = Conversations(RasaPool(http, ["http://127.0.0.1:9"], "t", patience_s=0),
                                          OfferedButtons())
            channel = TwilioChannel(settings, "https://relais.example.org", store,
                                    conversations, http)
            try:
                return await scenario(channel, repo)
            finally:
                await channel.close()
                store.close()

    return asyncio.run(main())


def heard(repo, channel: str, phone: str, hours_ago: float) -> int:
    identity = repo.record_inbound(channel, phone)
    with repo._engine.begin() as connection:
        connection.execute(update(ChannelIdentityRow).where(ChannelIdentityRow.id == identity.id)
                           .values(last_inbound_at=utcnow() - timedelta(hours=hours_ago)))
    return identity.id


def sent_to(twilio_api, to: str) -> list[dict]:
    return [c.form for c in twilio_api.matching(lambda c: c.form.get("To") == to)]


def test_within_24_hours_the_text_goes_as_is(twilio_api, tmp_path):
    async def scenario(channel, repo):
        identity = heard(repo, "whatsapp", "+33622000001", hours_ago=23)
        return await channel.send_first(identity, [BotMessage("Votre rendez-vous est demain.")])

    assert run_channel(twilio_api, tmp_path, TEMPLATE, scenario).status == "sent"
    [message] = sent_to(twilio_api, "whatsapp:+33622000001")
    assert message["Body"] == "Votre rendez-vous est demain."
    assert "ContentSid" not in message


def test_after_24_hours_only_the_approved_template_goes(twilio_api, tmp_path):
    async def scenario(channel, repo):
        identity = heard(repo, "whatsapp", "+33622000002", hours_ago=25)
        return await channel.send_first(identity, [BotMessage("Texte libre de l'agent.")])

    assert run_channel(twilio_api, tmp_path, TEMPLATE, scenario).status == "template"
    [message] = sent_to(twilio_api, "whatsapp:+33622000002")
    assert message["ContentSid"] == TEMPLATE and "Body" not in message


def test_after_24_hours_without_a_template_nothing_goes_and_the_caller_is_told(
        twilio_api, tmp_path):
    async def scenario(channel, repo):
        identity = heard(repo, "whatsapp", "+33622000003", hours_ago=48)
        return await channel.send_first(identity, [BotMessage("Texte.")])

    assert run_channel(twilio_api, tmp_path, None, scenario).status == "window_closed"
    assert sent_to(twilio_api, "whatsapp:+33622000003") == []


def test_sms_has_no_window_but_stop_is_respected(twilio_api, tmp_path):
    async def scenario(channel, repo):
        old = heard(repo, "sms", "+33622000004", hours_ago=100)
        first = await channel.send_first(old, [BotMessage("Rappel : rendez-vous demain.")])
        repo.set_opted_out(old, True)
        second = await channel.send_first(old, [BotMessage("Encore un rappel.")])
        return first.status, second.status

    assert run_channel(twilio_api, tmp_path, None, scenario) == ("sent", "opted_out")
    assert [m["Body"] for m in sent_to(twilio_api, "+33622000004")] == [
        "Rappel : rendez-vous demain."]
