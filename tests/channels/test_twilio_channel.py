"""SMS and WhatsApp as Twilio drives them: signed form webhooks in, REST API calls out.

A real gateway process talks to a fake Rasa and a fake Twilio API on loopback (see
conftest.py); the tests read what the gateway sent them.
"""

from __future__ import annotations

import base64
import re
import time

from bot.channels import messages as say
from bot.channels.text import sms_segments
from tests.channels.conftest import (
    SMS_FROM,
    SMS_PATH,
    WHATSAPP_FROM,
    WHATSAPP_PATH,
    new_sid,
    twilio_form,
)
from tests.channels.fakes import LONG_ANSWER, PHOTO_BYTES, TWILIO_SID, TWILIO_TOKEN, media_path

EMPTY_TWIML = b'<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def sent_to(gateway, to: str, count: int = 1, timeout: float = 15) -> list[dict]:
    """The messages the gateway asked Twilio to send to ``to`` (waits for ``count``)."""
    calls = gateway.twilio.wait_for(
        lambda c: c.method == "POST" and c.form.get("To") == to, count, timeout)
    return [c.form for c in calls]


def resident_of(gateway, channel: str, phone: str) -> str:
    identity = gateway.repo.find_identity(channel, phone)
    assert identity is not None
    return identity.resident_id


def test_an_sms_is_answered_with_an_empty_twiml_then_a_rest_reply_with_numbered_choices(gateway):
    phone = "+33611000001"
    status, body = gateway.twilio_post(SMS_PATH, twilio_form(new_sid(), phone, "bonjour"))
    assert (status, body) == (200, EMPTY_TWIML)

    [reply] = sent_to(gateway, phone)
    assert reply["From"] == SMS_FROM
    assert reply["Body"] == (
        "Bonjour, je suis Relais. Je vous aide à connaître vos droits.\n\n"
        "Que puis-je faire pour vous ?\n\n"
        "1. Ce que vous savez faire\n2. Parler à une personne\n3. Complémentaire santé\n"
        "Répondez 1, 2 ou 3."
    )
    # Rasa saw a pseudonym, never the phone number.
    resident = resident_of(gateway, "sms", phone)
    assert gateway.rasa_messages(resident) == [(resident, "bonjour")]
    assert re.fullmatch(r"[0-9a-f]{32}", resident)
    # The REST call is authenticated as the configured account.
    [call] = gateway.twilio.matching(lambda c: c.form.get("To") == phone)
    credentials = base64.b64encode(f"{TWILIO_SID}:{TWILIO_TOKEN}".encode()).decode()
    assert call.headers["Authorization"] == f"Basic {credentials}"


def test_a_number_or_the_words_of_a_choice_become_its_payload_and_a_typed_intent_does_not(
        gateway):
    phone = "+33611000002"
    gateway.twilio_post(SMS_PATH, twilio_form(new_sid(), phone, "bonjour"))
    sent_to(gateway, phone, 1)
    gateway.twilio_post(SMS_PATH, twilio_form(new_sid(), phone, " 1. "))
    sent_to(gateway, phone, 2)
    gateway.twilio_post(SMS_PATH, twilio_form(new_sid(), phone, "bonjour"))
    sent_to(gateway, phone, 3)
    gateway.twilio_post(SMS_PATH, twilio_form(new_sid(), phone, "parler a une PERSONNE !"))
    sent_to(gateway, phone, 4)
    gateway.twilio_post(SMS_PATH, twilio_form(new_sid(), phone, "/restart"))
    sent_to(gateway, phone, 5)
    resident = resident_of(gateway, "sms", phone)
    assert [m for _, m in gateway.rasa_messages(resident)] == [
        "bonjour", "/capabilities", "bonjour", "/ask_human", "restart"]


def test_a_forged_or_missing_signature_is_refused_and_nothing_is_processed(gateway):
    phone = "+33611000003"
    form = twilio_form(new_sid(), phone, "bonjour")
    before = gateway.repo.stats()
    assert gateway.twilio_post(SMS_PATH, form, signature="bm90IGEgc2lnbmF0dXJl")[0] == 403
    assert gateway.twilio_post(SMS_PATH, form, signature="")[0] == 403
    # Signed for another address: a signature cannot be replayed on another route.
    assert gateway.twilio_post(SMS_PATH, form, signed_path=WHATSAPP_PATH)[0] == 403
    # Signed, then a field changed on the way.
    from twilio.request_validator import RequestValidator

    from tests.channels.conftest import PUBLIC_URL
    good = RequestValidator(TWILIO_TOKEN).compute_signature(PUBLIC_URL + SMS_PATH, form)
    assert gateway.twilio_post(SMS_PATH, {**form, "Body": "autre"}, signature=good)[0] == 403
    time.sleep(0.5)
    assert gateway.repo.find_identity("sms", phone) is None
    assert gateway.repo.stats() == before
    assert not gateway.twilio.matching(lambda c: c.form.get("To") == phone)


def test_twilio_retries_of_the_same_message_sid_are_processed_once(gateway):
    phone = "+33611000004"
    form = twilio_form(new_sid(), phone, "ça va ?")
    for _ in range(3):
        assert gateway.twilio_post(SMS_PATH, form) == (200, EMPTY_TWIML)
    sent_to(gateway, phone, 1)
    time.sleep(1.0)
    assert len(gateway.twilio.matching(lambda c: c.form.get("To") == phone)) == 1
    assert len(gateway.rasa_messages(resident_of(gateway, "sms", phone))) == 1


def test_a_conversation_started_by_sms_continues_on_whatsapp_as_the_same_resident(gateway):
    phone = "+33611000005"
    gateway.twilio_post(SMS_PATH, twilio_form(new_sid(), phone, "bonjour"))
    sent_to(gateway, phone, 1)
    # Same number on WhatsApp: "1" still designates what was offered by SMS.
    gateway.twilio_post(WHATSAPP_PATH, twilio_form(new_sid("MM"), f"whatsapp:{phone}", "1"))
    [reply] = sent_to(gateway, f"whatsapp:{phone}", 1)
    assert reply["From"] == WHATSAPP_FROM
    assert reply["Body"] == "Je peux vous dire à quelles aides vous avez droit."
    sms_resident = resident_of(gateway, "sms", phone)
    assert resident_of(gateway, "whatsapp", phone) == sms_resident
    assert gateway.rasa_messages(sms_resident) == [
        (sms_resident, "bonjour"), (sms_resident, "/capabilities")]


def test_whatsapp_gets_one_message_per_bot_message_with_the_choices_numbered(gateway):
    phone = "whatsapp:+33611000006"
    gateway.twilio_post(WHATSAPP_PATH, twilio_form(new_sid(), phone, "bonjour"))
    first, second = sent_to(gateway, phone, 2)
    assert first["Body"].startswith("Bonjour, je suis Relais.")
    assert second["Body"].endswith("3. Complémentaire santé\nRépondez 1, 2 ou 3.")


def test_long_answers_are_split_between_sentences_under_1600_characters(gateway):
    phone = "+33611000007"
    gateway.twilio_post(SMS_PATH, twilio_form(new_sid(), phone, "long"))
    time.sleep(1.0)
    bodies = [m["Body"] for m in sent_to(gateway, phone, 2)]
    assert len(bodies) == 2
    assert all(len(b) <= 1600 and b.endswith(".") for b in bodies)
    assert " ".join(bodies) == LONG_ANSWER


def test_sms_segments_are_counted_per_conversation(gateway):
    phone = "+33611000008"
    gateway.twilio_post(SMS_PATH, twilio_form(new_sid(), phone, "bonjour"))
    [reply] = sent_to(gateway, phone, 1)
    expected = sms_segments(reply["Body"])
    assert expected == 3  # "à", "ç"… make it UCS-2: 67 characters a segment
    assert wait_identity(gateway, "sms", phone, lambda i: i.segments_out == expected)
    assert gateway.repo.find_identity("sms", phone).messages_out == 1


def wait_identity(gateway, channel, phone, predicate, timeout=5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        identity = gateway.repo.find_identity(channel, phone)
        if identity is not None and predicate(identity):
            return True
        time.sleep(0.05)
    return False


def test_a_photo_without_text_is_kept_encrypted_for_the_resident_and_confirmed(gateway):
    phone = "whatsapp:+33611000009"
    message_sid = new_sid("MM")
    form = twilio_form(message_sid, phone, "", NumMedia="1",
                       MediaContentType0="image/jpeg",
                       MediaUrl0=gateway.twilio.url + media_path(message_sid, "ME0001"))
    assert gateway.twilio_post(WHATSAPP_PATH, form)[0] == 200
    [reply] = sent_to(gateway, phone, 1)
    assert reply["Body"] == say.DOCUMENT_RECEIVED
    resident = resident_of(gateway, "whatsapp", "+33611000009")
    [document] = gateway.repo.documents_of(resident)
    assert document.content_type == "image/jpeg" and document.size_bytes == len(PHOTO_BYTES)
    assert gateway.repo.read_document(document.id) == PHOTO_BYTES
    on_disk = (gateway.data_dir / "documents" / f"{document.id}.bin").read_bytes()
    assert b"AVIS D'IMPOSITION" not in on_disk
    # Fetched from Twilio with the account's credentials; nothing asked of Rasa.
    [fetch] = gateway.twilio.matching(lambda c: c.method == "GET" and message_sid in c.path)
    assert fetch.headers["Authorization"].startswith("Basic ")
    assert gateway.rasa_messages(resident) == []


def test_a_photo_with_a_caption_is_kept_and_the_caption_answered(gateway):
    phone = "+33611000010"
    message_sid = new_sid("MM")
    form = twilio_form(message_sid, phone, "voici mon avis", NumMedia="1",
                       MediaContentType0="image/png",
                       MediaUrl0=gateway.twilio.url + media_path(message_sid, "ME0002"))
    gateway.twilio_post(SMS_PATH, form)
    [reply] = sent_to(gateway, phone, 1)
    assert reply["Body"] == f"{say.DOCUMENT_RECEIVED}\n\nReçu : voici mon avis"


def test_a_voice_note_gets_a_polite_request_to_write_and_nothing_is_stored(gateway):
    phone = "whatsapp:+33611000011"
    message_sid = new_sid("MM")
    form = twilio_form(message_sid, phone, "", NumMedia="1", MediaContentType0="audio/ogg",
                       MediaUrl0=gateway.twilio.url + media_path(message_sid, "ME0003"))
    gateway.twilio_post(WHATSAPP_PATH, form)
    [reply] = sent_to(gateway, phone, 1)
    assert reply["Body"] == say.VOICE_NOTE
    assert "crivez-moi en quelques mots" in reply["Body"]
    assert gateway.repo.documents_of(resident_of(gateway, "whatsapp", phone[9:])) == []
    assert not gateway.twilio.matching(lambda c: c.method == "GET" and message_sid in c.path)


def test_media_outside_twilio_is_never_fetched_and_too_large_files_are_refused(gateway):
    phone = "+33611000012"
    sid = new_sid("MM")
    elsewhere = twilio_form(sid, phone, "", NumMedia="1", MediaContentType0="image/jpeg",
                            MediaUrl0="http://169.254.169.254/latest/meta-data")
    gateway.twilio_post(SMS_PATH, elsewhere)
    assert sent_to(gateway, phone, 1)[0]["Body"] == say.DOCUMENT_FAILED
    sid = new_sid("MM")
    big = twilio_form(sid, phone, "", NumMedia="1", MediaContentType0="image/jpeg",
                      MediaUrl0=gateway.twilio.url + media_path(sid, "MEbig"))
    gateway.twilio_post(SMS_PATH, big)
    assert sent_to(gateway, phone, 2, timeout=30)[1]["Body"] == say.DOCUMENT_TOO_LARGE
    assert gateway.repo.documents_of(resident_of(gateway, "sms", phone)) == []


def test_stop_or_arret_unsubscribes_and_writing_again_resubscribes(gateway):
    phone = "+33611000013"
    gateway.twilio_post(SMS_PATH, twilio_form(new_sid(), phone, "Arrêt"))
    [reply] = sent_to(gateway, phone, 1)
    assert reply["Body"] == say.OPTED_OUT.replace("’", "'")
    assert gateway.repo.find_identity("sms", phone).opted_out
    assert gateway.rasa_messages(resident_of(gateway, "sms", phone)) == []
    gateway.twilio_post(SMS_PATH, twilio_form(new_sid(), phone, "bonjour"))
    sent_to(gateway, phone, 2)
    assert not gateway.repo.find_identity("sms", phone).opted_out


def test_the_webhook_answers_at_once_even_when_the_assistant_is_slow(gateway):
    phone = "+33611000014"
    started = time.monotonic()
    status, _ = gateway.twilio_post(SMS_PATH, twilio_form(new_sid(), phone, "lent"))
    assert status == 200 and time.monotonic() - started < 1.0
    assert sent_to(gateway, phone, 1, timeout=20)[0]["Body"] == "Reçu : lent"


def test_a_text_too_long_for_the_assistant_gets_a_request_to_split_it(gateway):
    phone = "whatsapp:+33611000015"
    gateway.twilio_post(WHATSAPP_PATH, twilio_form(new_sid(), phone, "mot " * 1100))
    assert sent_to(gateway, phone, 1)[0]["Body"] == say.TEXT_TOO_LONG
    assert gateway.rasa_messages(resident_of(gateway, "whatsapp", phone[9:])) == []


def test_no_log_line_holds_a_phone_number_or_a_message_text(gateway):
    log = gateway.log()
    assert "+3361100" not in log and "3361100" not in log
    assert "voici mon avis" not in log and "bonjour" not in log
    assert "segment(s)" in log  # the counts are logged, the content is not
