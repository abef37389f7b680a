"""Telegram as the Bot API drives it: updates built with python-telegram-bot's own classes
posted to the webhook, and the Bot API calls the gateway makes read from a fake API."""

from __future__ import annotations

import time
from datetime import datetime, timezone
from itertools import count

from telegram import (
    CallbackQuery,
    Chat,
    Document,
    Message,
    PhotoSize,
    Update,
    User,
    Voice,
)

from bot.channels import messages as say
from tests.channels.conftest import (
    PUBLIC_URL,
    SMS_PATH,
    TELEGRAM_PATH,
    TELEGRAM_SECRET,
    new_sid,
    twilio_form,
)
from tests.channels.fakes import PHOTO_BYTES, telegram_params

_update_ids = count(1000)
NOW = datetime(2026, 11, 22, 9, 0, tzinfo=timezone.utc)


def resident(user_id: int) -> User:
    return User(id=user_id, first_name="Awa", is_bot=False, language_code="fr")


def message_update(user_id: int, text: str | None = None, chat_type: str = Chat.PRIVATE,
                   update_id: int | None = None, **content) -> Update:
    chat = Chat(id=user_id if chat_type == Chat.PRIVATE else -100123, type=chat_type)
    message = Message(message_id=next(_update_ids), date=NOW, chat=chat,
                      from_user=resident(user_id), text=text, **content)
    return Update(update_id=update_id or next(_update_ids), message=message)


def button_update(user_id: int, data: str) -> Update:
    bot_message = Message(message_id=next(_update_ids), date=NOW,
                          chat=Chat(id=user_id, type=Chat.PRIVATE), text="?")
    query = CallbackQuery(id=f"cq{next(_update_ids)}", from_user=resident(user_id),
                          chat_instance="ci", data=data, message=bot_message)
    return Update(update_id=next(_update_ids), callback_query=query)


def calls(gateway, method: str, chat_id: int | None = None, n: int = 1, timeout: float = 15):
    found = gateway.telegram.wait_for(
        lambda c: c.path == method and (
            chat_id is None or str(telegram_params(c).get("chat_id")) == str(chat_id)),
        n, timeout)
    return [telegram_params(c) for c in found]


def resident_id(gateway, user_id: int) -> str:
    return gateway.repo.find_identity("telegram", str(user_id)).resident_id


def test_the_webhook_was_registered_with_the_public_url_and_the_secret(gateway):
    [params] = calls(gateway, "setWebhook")
    assert params["url"] == PUBLIC_URL + TELEGRAM_PATH
    assert params["secret_token"] == TELEGRAM_SECRET
    assert params["allowed_updates"] == ["message", "callback_query"]


def test_start_greets_with_the_offered_choices_as_an_inline_keyboard(gateway):
    user = 7001
    status, _ = gateway.telegram_post(message_update(user, "/start"))
    assert status == 200
    first, second = calls(gateway, "sendMessage", user, 2)
    assert first["text"].startswith("Bonjour, je suis Relais.")
    assert "reply_markup" not in first
    assert second["reply_markup"] == {"inline_keyboard": [
        [{"text": "Ce que vous savez faire", "callback_data": "/capabilities"}],
        [{"text": "Parler à une personne", "callback_data": "/ask_human"}],
        [{"text": "Complémentaire santé", "callback_data": "/css"}],
    ]}
    rid = resident_id(gateway, user)
    assert gateway.rasa_messages(rid) == [(rid, "/greet")]


def test_a_pressed_button_is_answered_and_its_payload_goes_to_the_assistant(gateway):
    user = 7002
    gateway.telegram_post(message_update(user, "/start"))
    calls(gateway, "sendMessage", user, 2)
    update = button_update(user, "/capabilities")
    gateway.telegram_post(update)
    [answered] = gateway.telegram.wait_for(
        lambda c: c.path == "answerCallbackQuery"
        and telegram_params(c)["callback_query_id"] == update.callback_query.id)
    assert answered
    assert calls(gateway, "sendMessage", user, 3)[2]["text"].startswith("Je peux vous dire")
    rid = resident_id(gateway, user)
    assert [m for _, m in gateway.rasa_messages(rid)] == ["/greet", "/capabilities"]


def test_a_typed_intent_or_a_stale_button_is_not_obeyed(gateway):
    user = 7003
    gateway.telegram_post(message_update(user, "/restart"))
    calls(gateway, "sendMessage", user, 1)
    gateway.telegram_post(button_update(user, "/crisis"))
    calls(gateway, "sendMessage", user, 2)
    rid = resident_id(gateway, user)
    assert [m for _, m in gateway.rasa_messages(rid)] == ["restart", "crisis"]


def test_a_duplicate_update_id_is_processed_once(gateway):
    user = 7004
    update = message_update(user, "bonjour")
    for _ in range(3):
        assert gateway.telegram_post(update)[0] == 200
    calls(gateway, "sendMessage", user, 2)
    time.sleep(1.0)
    assert len(gateway.rasa_messages(resident_id(gateway, user))) == 1


def test_a_wrong_or_missing_secret_token_is_refused_and_nothing_is_processed(gateway):
    user = 7005
    before = gateway.repo.stats()
    assert gateway.telegram_post(message_update(user, "bonjour"), secret="wrong")[0] == 403
    assert gateway.telegram_post(message_update(user, "bonjour"), secret=None)[0] == 403
    time.sleep(0.5)
    assert gateway.repo.find_identity("telegram", str(user)) is None
    assert gateway.repo.stats() == before


def test_a_photo_is_downloaded_kept_encrypted_and_confirmed(gateway):
    user = 7006
    photo = [PhotoSize(file_id="small", file_unique_id="s", width=90, height=120,
                       file_size=1000),
             PhotoSize(file_id="large", file_unique_id="l", width=900, height=1200,
                       file_size=len(PHOTO_BYTES))]
    gateway.telegram_post(message_update(user, photo=photo))
    [reply] = calls(gateway, "sendMessage", user, 1)
    assert reply["text"] == say.DOCUMENT_RECEIVED
    [get_file] = gateway.telegram.wait_for(lambda c: c.path == "getFile"
                                           and telegram_params(c)["file_id"] == "large")
    assert get_file
    [document] = gateway.repo.documents_of(resident_id(gateway, user))
    assert gateway.repo.read_document(document.id) == PHOTO_BYTES
    assert document.channel == "telegram"


def test_a_pdf_document_is_kept_and_other_files_are_politely_refused(gateway):
    user = 7007
    pdf = Document(file_id="large", file_unique_id="pdf1", file_name="avis.pdf",
                   mime_type="application/pdf", file_size=len(PHOTO_BYTES))
    gateway.telegram_post(message_update(user, document=pdf))
    assert calls(gateway, "sendMessage", user, 1)[0]["text"] == say.DOCUMENT_RECEIVED
    exe = Document(file_id="x", file_unique_id="exe1", file_name="a.exe",
                   mime_type="application/x-msdownload", file_size=10)
    gateway.telegram_post(message_update(user, document=exe))
    assert calls(gateway, "sendMessage", user, 2)[1]["text"] == say.UNSUPPORTED_MEDIA
    assert len(gateway.repo.documents_of(resident_id(gateway, user))) == 1


def test_a_voice_message_gets_a_polite_request_to_write(gateway):
    user = 7008
    voice = Voice(file_id="v", file_unique_id="v1", duration=12, mime_type="audio/ogg")
    gateway.telegram_post(message_update(user, voice=voice))
    assert calls(gateway, "sendMessage", user, 1)[0]["text"] == say.VOICE_NOTE
    assert gateway.repo.documents_of(resident_id(gateway, user)) == []


def test_group_chats_are_ignored(gateway):
    user = 7009
    assert gateway.telegram_post(message_update(user, "bonjour", chat_type=Chat.GROUP))[0] == 200
    time.sleep(1.0)
    assert gateway.repo.find_identity("telegram", "-100123") is None
    assert not gateway.telegram.matching(
        lambda c: c.path == "sendMessage" and str(telegram_params(c)["chat_id"]) == "-100123")


def test_the_telegram_token_and_texts_stay_out_of_the_log(gateway):
    log = gateway.log()
    assert "TEST-telegram-token" not in log and "Awa" not in log


def sms_code(gateway, phone: str, n: int = 1) -> str:
    """The code in the n-th SMS the gateway asked Twilio to send to ``phone``."""
    calls = gateway.twilio.wait_for(lambda c: c.form.get("To") == phone, n)
    body = calls[n - 1].form["Body"]
    assert body.startswith("Relais : votre code est ")
    return body.split("code est ")[1][:6]


def test_a_telegram_resident_linked_by_sms_code_continues_the_phone_conversation(gateway):
    phone, user = "+33611000099", 7101
    gateway.twilio_post(SMS_PATH, twilio_form(new_sid(), phone, "bonjour"))
    gateway.twilio.wait_for(lambda c: c.form.get("To") == phone)
    phone_resident = gateway.repo.find_identity("sms", phone).resident_id

    gateway.telegram_post(message_update(user, "/lier 06 11 00 00 99"))
    assert calls(gateway, "sendMessage", user, 1)[0]["text"] == say.LINK_CODE_SENT
    code = sms_code(gateway, phone, 2)
    wrong = "000000" if code != "000000" else "111111"
    gateway.telegram_post(message_update(user, wrong))
    assert calls(gateway, "sendMessage", user, 2)[1]["text"] == say.LINK_WRONG_CODE
    gateway.telegram_post(message_update(user, f"{code[:3]} {code[3:]}"))
    assert calls(gateway, "sendMessage", user, 3)[2]["text"] == say.LINK_DONE
    assert resident_id(gateway, user) == phone_resident

    # "1" on Telegram designates the choice offered by SMS: one conversation.
    gateway.telegram_post(message_update(user, "1"))
    assert calls(gateway, "sendMessage", user, 4)[3]["text"].startswith("Je peux vous dire")
    assert [m for _, m in gateway.rasa_messages(phone_resident)] == ["bonjour", "/capabilities"]
    log = gateway.log()
    assert "votre code" not in log and f" {code} " not in log and "11000099" not in log


def test_lier_without_a_number_explains_how_and_sends_nothing(gateway):
    user = 7102
    gateway.telegram_post(message_update(user, "/lier"))
    assert calls(gateway, "sendMessage", user, 1)[0]["text"] == say.LINK_HOW
    gateway.telegram_post(message_update(user, "123456"))  # no code pending: for Rasa
    calls(gateway, "sendMessage", user, 2)
    assert [m for _, m in gateway.rasa_messages(resident_id(gateway, user))] == ["123456"]
