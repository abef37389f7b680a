"""An agent takes a crisis conversation in a real headless Chromium, then hands it back.

The whole assistant runs as ``make run`` starts it (supervisor, Rasa, actions, eligibility,
gateway). The resident uses the web chat page in one tab, the agent the console in another.
Screenshots are kept in var/test-results/console/.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import urllib.request

import pytest

from bot.identity import conversation_id, internal_token
from tests.e2e.browser import Browser, chromium_path
from tests.processes import REPO_ROOT, relais_env, running_relais

SHOTS = REPO_ROOT / "var" / "test-results" / "console"
SECRET_KEY = "console-e2e-secret-key"
PASSWORD = "mot de passe de test 2026"
CRISIS_TEXT = "j'ai envie de mourir"

pytestmark = pytest.mark.skipif(chromium_path() is None,
                                reason="chromium is not installed (make browser)")


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("relais-console")
    env = {**relais_env(data_dir), "RELAIS_SECRET_KEY": SECRET_KEY}
    add_user = subprocess.run(
        [sys.executable, "-m", "bot.console.users", "add", "amina", "--name", "Amina Benali",
         "--role", "agent", "--speciality", "ecrivain_public", "--password-stdin"],
        cwd=REPO_ROOT, env=env, input=PASSWORD + "\n", text=True, capture_output=True)
    assert add_user.returncode == 0, add_user.stderr
    with running_relais(env, data_dir):
        yield f"http://127.0.0.1:{env['RELAIS_GATEWAY_PORT']}"


def _queue_someone_who_asked_earlier(url: str) -> None:
    """Another resident already waits (not a crisis): the crisis must still come first."""
    body = json.dumps({"conversation_id": conversation_id(SECRET_KEY, "web", "resident-waiting"),
                       "reason": "asked"}).encode()
    request = urllib.request.Request(f"{url}/internal/handoffs", data=body, method="POST",
                                     headers={"Content-Type": "application/json",
                                              "Authorization": "Bearer "
                                              + internal_token(SECRET_KEY)})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 201


async def _type_in_chat(chat, text: str) -> None:
    await chat.js(f"document.getElementById('message').value = {text!r};"
                  "document.getElementById('composer').requestSubmit(); true")


async def _scenario(url: str) -> None:
    async with Browser() as browser:
        chat = await browser.new_page()
        await chat.goto(url + "/")
        await _type_in_chat(chat, CRISIS_TEXT)
        await chat.wait_for("[...document.querySelectorAll('.message.bot')]"
                            ".some(m => m.textContent.includes('3114'))", 60)
        await chat.wait_for("document.querySelectorAll('.message.bot').length >= 4", 30)
        bot_texts = await chat.js("[...document.querySelectorAll('.message.bot')]"
                                  ".map(m => m.textContent)")
        assert "3114" in bot_texts[0] and ("15" in bot_texts[1] and "112" in bot_texts[1])
        assert any("dès qu'une personne est disponible" in t for t in bot_texts), bot_texts
        await chat.screenshot(SHOTS / "01-resident-crisis.png")

        console = await browser.new_page()
        await console.goto(url + "/console")
        await console.wait_for("location.pathname === '/console/login'")
        await console.screenshot(SHOTS / "02-login.png")
        await console.js("document.getElementById('username').value = 'amina';"
                         f"document.getElementById('password').value = {PASSWORD!r};"
                         "document.querySelector('form').requestSubmit(); true")
        await console.wait_for("location.pathname === '/console' && "
                               "document.querySelectorAll('#queue li.item').length === 2", 20)
        first = await console.js("document.querySelector('#queue li.item').className")
        assert "crisis" in first
        await console.screenshot(SHOTS / "03-queue-crisis-first.png")

        await console.js("document.querySelector('#queue li.item button').click(); true")
        await console.wait_for("document.getElementById('take')")
        await console.js("document.getElementById('take').click(); true")
        await console.wait_for("document.getElementById('send') && "
                               "!document.getElementById('send').disabled")
        await console.wait_for("document.querySelector('.transcript').textContent"
                               f".includes({CRISIS_TEXT!r})")
        reply = "Bonjour, je suis Amina, de l'équipe de Pantin. Je suis là, on se parle ici."
        await console.js(f"document.getElementById('reply-text').value = {reply!r};"
                         "document.querySelector('form.composer').requestSubmit(); true")
        await console.wait_for("[...document.querySelectorAll('.msg-agent')]"
                               ".some(m => m.textContent.includes('Amina'))")
        await console.screenshot(SHOTS / "04-conversation-replied.png")

        await chat.wait_for("[...document.querySelectorAll('.message.agent')]"
                            f".some(m => m.textContent === {reply!r})", 20)
        await chat.screenshot(SHOTS / "05-resident-receives-reply.png")

        await console.js("document.getElementById('handback').click(); true")
        await console.wait_for("document.querySelectorAll('#queue li.item').length === 1", 20)
        await console.screenshot(SHOTS / "06-handed-back.png")

        bot_before = await chat.js("document.querySelectorAll('.message.bot').length")
        await _type_in_chat(chat, "bonjour")
        await chat.wait_for(f"document.querySelectorAll('.message.bot').length > {bot_before}",
                            60)
        answer = await chat.js("[...document.querySelectorAll('.message.bot')]"
                               f".slice({bot_before}).map(m => m.textContent).join(' ')")
        assert "Bonjour, je suis Relais" in answer
        await chat.screenshot(SHOTS / "07-bot-answers-again.png")


def test_an_agent_takes_a_crisis_replies_and_hands_back_to_the_bot(stack):
    _queue_someone_who_asked_earlier(stack)
    asyncio.run(_scenario(stack))
