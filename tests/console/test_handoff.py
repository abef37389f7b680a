"""Handoff to a person: escalation, agent mode, the console's access rules, hand-back."""

from __future__ import annotations

import asyncio

import pytest

from bot.channels.conversation import Conversations
from bot.console.routing import HandoffRouter
from bot.identity import conversation_id
from bot.rasa_client import BotMessage
from bot.store.handoff import check_password, hash_password
from bot.web_channel import OfferedButtons
from tests.console.conftest import BOT_ANSWER, SECRET_KEY, Stack

CONSOLE_PAGES = ["/console", "/console/dossiers"]
CONSOLE_GETS = ["/console/api/me", "/console/api/queue", "/console/api/colleagues",
                "/console/api/canned", "/console/api/handoffs/1"]
CONSOLE_POSTS = [f"/console/api/handoffs/1/{a}"
                 for a in ("take", "reply", "note", "transfer", "handback", "close")]


def test_the_escalation_endpoint_needs_the_internal_token(run_stack):
    async def scenario(s: Stack) -> None:
        assert (await s.escalate("r1", "asked", token="wrong")).status == 403
        no_token = await s.client.post("/internal/handoffs", json={
            "conversation_id": "0" * 32, "reason": "asked"})
        assert no_token.status == 403
        proxied = await s.escalate("r1", "asked", headers={"X-Forwarded-For": "203.0.113.9"})
        assert proxied.status == 403
        assert (await s.escalate("r1", "bored")).status == 422
        created = await s.escalate("r1", "asked")
        assert created.status == 201 and (await created.json())["position"] == 1
        again = await s.escalate("r1", "asked")
        assert again.status == 200 and (await again.json())["created"] is False
    run_stack(scenario)


def test_a_crisis_goes_first_then_the_longest_wait(run_stack):
    async def scenario(s: Stack) -> None:
        await s.escalate("early", "asked")
        s.clock.advance(minutes=5)
        await s.escalate("later", "misunderstood")
        s.clock.advance(minutes=5)
        await s.escalate("crisis", "crisis")
        await s.login("amina")
        queue = await (await s.client.get("/console/api/queue")).json()
        reasons = [h["reason"] for h in queue["handoffs"]]
        assert reasons == ["crisis", "asked", "misunderstood"]
        assert queue["handoffs"][1]["waiting_minutes"] == 10
    run_stack(scenario)


def test_in_agent_mode_the_bot_never_answers_even_after_an_hour(run_stack):
    async def scenario(s: Stack) -> None:
        assert (await s.say("r1", "bonjour"))["messages"][0]["text"] == BOT_ANSWER
        await s.escalate("r1", "asked")
        sent_to_rasa = len(s.rasa_messages)
        assert (await s.say("r1", "vous êtes là ?"))["messages"] == []
        s.clock.advance(hours=1, minutes=30)
        later = await s.say("r1", "toujours personne ?")
        assert later == {"messages": [], "mode": "agent"}
        assert len(s.rasa_messages) == sent_to_rasa  # Rasa never saw them
        cid = conversation_id(SECRET_KEY, "web", "r1")
        texts = [e.text for e in s.handoffs.transcript(cid)]
        assert texts == ["vous êtes là ?", "toujours personne ?"]
    run_stack(scenario)


def test_a_crisis_written_while_waiting_for_a_person_moves_to_the_top(run_stack):
    async def scenario(s: Stack) -> None:
        await s.escalate("first", "asked")
        s.clock.advance(minutes=1)
        await s.escalate("second", "asked")
        assert (await s.say("second", "j'ai envie de mourir"))["messages"] == []
        await s.login("amina")
        queue = await (await s.client.get("/console/api/queue")).json()
        assert [h["id"] for h in queue["handoffs"]] == [2, 1]
        assert queue["handoffs"][0]["crisis"] is True
    run_stack(scenario)


def test_an_agent_replies_on_the_web_chat_and_hands_back_to_the_bot(run_stack):
    async def scenario(s: Stack) -> None:
        await s.escalate("r1", "crisis")
        csrf = await s.login("amina")
        headers = {"X-CSRF-Token": csrf}
        queue = await (await s.client.get("/console/api/queue")).json()
        handoff = queue["handoffs"][0]["id"]
        base = f"/console/api/handoffs/{handoff}"
        # Replying before taking the conversation is refused: two agents must not both answer.
        assert (await s.client.post(f"{base}/reply", json={"text": "x"},
                                    headers=headers)).status == 409
        assert (await s.client.post(f"{base}/take", headers=headers)).status == 200
        reply = await s.client.post(f"{base}/reply", json={"text": "Bonjour, je suis Amina."},
                                    headers=headers)
        assert reply.status == 201 and (await reply.json())["delivery"] == "sent"
        inbox = await (await s.client.get("/web/messages",
                                          headers={"X-Relais-Sender": "r1"})).json()
        assert inbox["mode"] == "agent"
        assert [m["text"] for m in inbox["messages"]] == ["Bonjour, je suis Amina."]
        detail = await (await s.client.get(base)).json()
        assert [e["from"] for e in detail["history"]][-2:] == ["resident", "bot"]
        assert detail["transcript"][0]["agent"] == "amina"
        assert (await s.client.post(f"{base}/handback", headers=headers)).status == 200
        answer = await s.say("r1", "merci, et pour la CSS ?")
        assert answer["messages"][0]["text"] == BOT_ANSWER
        assert s.rasa_messages[-1][1] == "merci, et pour la CSS ?"
        actions = [row.action for row in s.handoffs.audit_log()]
        assert {"view", "take", "reply", "close:handed_back"} <= set(actions)
    run_stack(scenario)


def test_notes_transfer_and_close_with_an_outcome(run_stack):
    async def scenario(s: Stack) -> None:
        await s.escalate("r1", "asked")
        headers = {"X-CSRF-Token": await s.login("amina")}
        base = "/console/api/handoffs/1"
        await s.client.post(f"{base}/take", headers=headers)
        note = await s.client.post(f"{base}/note", json={"text": "Parle mal le français."},
                                   headers=headers)
        assert note.status == 201
        moved = await s.client.post(f"{base}/transfer", json={"to": "bruno"}, headers=headers)
        assert (await moved.json())["agent"] == "bruno"
        # Once transferred, it is Bruno's: Amina can no longer close it.
        assert (await s.client.post(f"{base}/close", json={"outcome": "resolved"},
                                    headers=headers)).status == 409
        headers = {"X-CSRF-Token": await s.login("bruno")}
        detail = await (await s.client.get(base)).json()
        assert detail["notes"][0]["text"] == "Parle mal le français."
        assert (await s.client.post(f"{base}/close", json={"outcome": "nope"},
                                    headers=headers)).status == 422
        closed = await s.client.post(f"{base}/close", json={"outcome": "dossier_started"},
                                     headers=headers)
        assert (await closed.json())["outcome"] == "dossier_started"
        queue = await (await s.client.get("/console/api/queue")).json()
        assert queue["handoffs"] == []
    run_stack(scenario)


def test_without_a_session_pages_redirect_and_the_api_answers_401(run_stack):
    async def scenario(s: Stack) -> None:
        await s.escalate("r1", "asked")
        for path in CONSOLE_PAGES:
            response = await s.client.get(path, allow_redirects=False)
            assert response.status == 302 and response.headers["Location"] == "/console/login"
        for path in CONSOLE_GETS:
            assert (await s.client.get(path)).status == 401, path
        for path in CONSOLE_POSTS:
            response = await s.client.post(path, json={"text": "x"}, headers={
                "X-CSRF-Token": "guess"})
            assert response.status == 401, path
        forged = await s.client.get("/console/api/queue",
                                    cookies={"relais_console": "not-a-session"})
        assert forged.status == 401
    run_stack(scenario)


def test_a_post_without_its_csrf_token_is_refused(run_stack):
    async def scenario(s: Stack) -> None:
        await s.escalate("r1", "asked")
        csrf = await s.login("amina")
        for path in CONSOLE_POSTS:
            assert (await s.client.post(path, json={"text": "x"})).status == 403, path
            wrong = await s.client.post(path, json={"text": "x"},
                                        headers={"X-CSRF-Token": csrf[:-2] + "xx"})
            assert wrong.status == 403
        logout = await s.client.post("/console/logout", data={}, allow_redirects=False)
        assert logout.status == 403
        s.client.session.cookie_jar.clear()
        login = await s.client.post("/console/login", data={
            "username": "amina", "password": "un mot de passe assez long"})
        assert login.status == 403  # no login CSRF cookie: a forged cross-site login
    run_stack(scenario)


def test_a_commission_member_cannot_open_a_conversation_and_the_attempt_is_audited(run_stack):
    async def scenario(s: Stack) -> None:
        await s.escalate("r1", "asked")
        await s.login("commission")
        assert (await s.client.get("/console/dossiers")).status == 200
        assert (await s.client.get("/console", allow_redirects=False)).status == 403
        assert (await s.client.get("/console/api/queue")).status == 403
        assert (await s.client.get("/console/api/handoffs/1")).status == 403
        denied = [r for r in s.handoffs.audit_log() if not r.allowed]
        assert [(r.username, r.object_id) for r in denied] == [("commission", "1")]
    run_stack(scenario)


def test_a_session_expires_and_a_wrong_password_gets_no_session(run_stack):
    async def scenario(s: Stack) -> None:
        await s.login("amina")
        assert (await s.client.get("/console/api/me")).status == 200
        s.clock.advance(hours=9)
        assert (await s.client.get("/console/api/me")).status == 401
        with pytest.raises(AssertionError):
            await s.login("amina", password="mauvais mot de passe")
    run_stack(scenario)


def test_the_session_cookie_is_httponly_and_samesite_strict(run_stack):
    async def scenario(s: Stack) -> None:
        page = await s.client.get("/console/login")
        import re
        token = re.search(r'name="csrf" value="([^"]+)"', await page.text()).group(1)
        response = await s.client.post("/console/login", data={
            "csrf": token, "username": "amina", "password": "un mot de passe assez long"},
            allow_redirects=False)
        cookie = [v for v in response.headers.getall("Set-Cookie") if "relais_console=" in v][0]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Max-Age" in cookie
    run_stack(scenario)


def test_channel_messages_in_agent_mode_go_to_the_console_only(run_stack):
    """The second call site: SMS, WhatsApp and Telegram turns (bot.channels.conversation)."""
    async def scenario(s: Stack) -> None:
        class RecordingRasa:
            sent: list[str] = []

            async def send(self, cid: str, text: str) -> list[BotMessage]:
                self.sent.append(text)
                return [BotMessage(BOT_ANSWER)]

        rasa = RecordingRasa()
        router = HandoffRouter(s.app["store"], s.handoffs)
        conversations = Conversations(rasa, OfferedButtons(), router)  # type: ignore[arg-type]
        resident = "a" * 32
        assert await conversations.ask(resident, "bonjour") == [BotMessage(BOT_ANSWER)]
        await s.app["store"].run(lambda _r: s.handoffs.escalate(resident, "channels", "asked"))
        s.clock.advance(hours=2)
        assert await conversations.ask(resident, "allô ?") == []
        assert rasa.sent == ["bonjour"]
        handoff = s.handoffs.open_handoff(resident)
        assert handoff is not None and handoff.last_resident_at == s.clock.now
        await asyncio.sleep(0)
    run_stack(scenario)


def test_passwords_are_scrypt_hashes_checked_in_constant_time():
    stored = hash_password("correct horse battery")
    assert stored.startswith("scrypt$") and "correct" not in stored
    assert check_password("correct horse battery", stored)
    assert not check_password("Correct horse battery", stored)
    assert not check_password("x", "garbage")


def test_the_users_command_creates_an_agent_with_a_speciality(tmp_path, monkeypatch, capsys):
    import io

    from bot.console import users

    monkeypatch.setenv("RELAIS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("RELAIS_SECRET_KEY", SECRET_KEY)
    monkeypatch.delenv("RELAIS_DATABASE_URL", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO("un mot de passe solide\n"))
    assert users.main(["add", "amina", "--name", "Amina B.", "--role", "agent",
                       "--speciality", "ecrivain_public", "--password-stdin"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("un mot de passe solide\n"))
    assert users.main(["add", "zoe", "--name", "Zoé", "--role", "agent",
                       "--password-stdin"]) == 1  # an agent needs a speciality
    monkeypatch.setattr("sys.stdin", io.StringIO("court\n"))
    assert users.main(["add", "yan", "--name", "Yan", "--role", "supervisor",
                       "--password-stdin"]) == 1
    assert users.main(["list"]) == 0
    assert "amina\tagent\tecrivain_public" in capsys.readouterr().out


def test_an_agent_reply_to_an_sms_resident_goes_out_through_the_outbox(run_stack):
    async def scenario(s: Stack) -> None:
        from bot.channels.twilio_channel import Delivery
        from bot.identity import internal_token

        sent: list[tuple[int, list[BotMessage]]] = []

        class FakeOutbox:
            async def send_first(self, identity_id: int, messages: list[BotMessage]) -> Delivery:
                sent.append((identity_id, messages))
                return Delivery("template")  # WhatsApp's window was closed, say

        s.app["outbox"] = FakeOutbox()
        store = s.app["store"]
        identity = await store.run(lambda r: r.record_inbound("sms", "+33612345678"))
        response = await s.client.post("/internal/handoffs", json={
            "conversation_id": identity.resident_id, "reason": "asked"},
            headers={"Authorization": "Bearer " + internal_token(SECRET_KEY)})
        assert response.status == 201
        headers = {"X-CSRF-Token": await s.login("amina")}
        await s.client.post("/console/api/handoffs/1/take", headers=headers)
        reply = await s.client.post("/console/api/handoffs/1/reply", headers=headers,
                                    json={"text": "Bonjour, ici Amina."})
        assert (await reply.json())["delivery"] == "template"  # the console says so
        assert sent == [(identity.id, [BotMessage("Bonjour, ici Amina.")])]
    run_stack(scenario)
