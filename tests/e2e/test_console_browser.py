"""An agent takes a crisis conversation in a real headless Chromium, then hands it back;
then opens another resident's dossier and eligibility explanation; a commission member sees
that dossier anonymized and is refused the full one.

The whole assistant runs as ``make run`` starts it (supervisor, Rasa, actions, eligibility,
gateway). The resident uses the web chat page in one tab, the agent the console in another.
Screenshots are kept in var/test-results/console/.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from bot.identity import conversation_id
from bot.store.dossiers import DossierStore
from bot.store.handoff import Handoffs
from bot.store.models import Resident
from bot.store.repository import default_database_url, open_repository
from tests.dossiers.samples import CSS_ANSWERS
from tests.e2e.browser import Browser, chromium_path
from tests.processes import REPO_ROOT, post_json, relais_env, running_relais

SHOTS = REPO_ROOT / "var" / "test-results" / "console"
SECRET_KEY = "console-e2e-secret-key"
PASSWORD = "mot de passe de test 2026"
CRISIS_TEXT = "j'ai envie de mourir"
WAITING = "resident-waiting"

pytestmark = pytest.mark.skipif(chromium_path() is None,
                                reason="chromium is not installed (make browser)")


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("relais-console")
    env = {**relais_env(data_dir), "RELAIS_SECRET_KEY": SECRET_KEY}
    for username, name, role in (("amina", "Amina Benali", "agent"),
                                 ("claire", "Claire Martin", "commission")):
        extra = ["--speciality", "ecrivain_public"] if role == "agent" else []
        add_user = subprocess.run(
            [sys.executable, "-m", "bot.console.users", "add", username, "--name", name,
             "--role", role, *extra, "--password-stdin"],
            cwd=REPO_ROOT, env=env, input=PASSWORD + "\n", text=True, capture_output=True)
        assert add_user.returncode == 0, add_user.stderr
    with running_relais(env, data_dir):
        yield f"http://127.0.0.1:{env['RELAIS_GATEWAY_PORT']}", data_dir


def _say(url: str, text: str) -> str:
    status, body = post_json(f"{url}/web/messages", {"sender": WAITING, "text": text})
    assert status == 200, body
    return "\n".join(m["text"] for m in body["messages"])


def _someone_checked_the_css_then_cannot_write(url: str) -> None:
    """Another resident (not a crisis) ran the CSS questionnaire, then asked for a person
    because they cannot write: they wait in the queue with reason "flow"."""
    _say(url, "je voudrais la cmu")  # offers "Oui, vérifier" (/css_check)
    assert "Quel âge" in _say(url, "/css_check")
    for answer in ("34 et 6", "Non", "0", "1 100 €", "1"):
        _say(url, answer)
    assert "Complémentaire santé solidaire" in _say(url, "150")
    assert "écrivain public" in _say(url, "je ne sais pas écrire, aidez moi")


def _their_dossier_is_ready(data_dir: Path) -> tuple[str, str]:
    """A CSS dossier of that resident, ready: what the agent and the commission will open."""
    repository = open_repository(default_database_url(data_dir), SECRET_KEY, data_dir)
    resident = conversation_id(SECRET_KEY, "web", WAITING)
    with Session(repository.engine) as session:
        if session.get(Resident, resident) is None:
            now = datetime.utcnow()
            session.add(Resident(id=resident, created_at=now, last_activity_at=now))
            session.commit()
    store = DossierStore(repository.engine, repository.keys, data_dir)
    dossier = store.create(resident, "css")
    store.update_answers(dossier.id, CSS_ANSWERS)
    store.set_status(dossier.id, "pret")
    repository.close()
    return dossier.code, dossier.id


def _audit(data_dir: Path) -> list[tuple[str, str, str, bool]]:
    repository = open_repository(default_database_url(data_dir), SECRET_KEY, data_dir)
    rows = Handoffs(repository.engine, repository.keys).audit_log(1000)
    repository.close()
    return [(r.username, r.action, r.object_kind, r.allowed) for r in reversed(rows)]


async def _log_in(page, url: str, username: str) -> None:
    await page.goto(url + "/console/login")
    await page.js(f"document.getElementById('username').value = {username!r};"
                  f"document.getElementById('password').value = {PASSWORD!r};"
                  "document.querySelector('form').requestSubmit(); true")
    await page.wait_for("location.pathname !== '/console/login'", 20)


async def _type_in_chat(chat, text: str) -> None:
    await chat.js(f"document.getElementById('message').value = {text!r};"
                  "document.getElementById('composer').requestSubmit(); true")


async def _scenario(url: str, data_dir: Path, code: str, dossier_id: str) -> None:
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

        # The resident who cannot write: their need, their dossier, their last calculation.
        await console.js("document.querySelector('#queue li.item button').click(); true")
        await console.wait_for("document.getElementById('eligibility') && document"
                               ".getElementById('eligibility').textContent"
                               ".includes('Complémentaire santé solidaire')", 20)
        header = await console.js("document.querySelector('.conv-header').textContent")
        assert "Besoin d'une personne" in header and "écrivain public" in header
        await console.js("document.querySelector('[data-dossier]').click(); true")
        await console.wait_for("document.getElementById('dossier-view') && document"
                               ".getElementById('dossier-view').textContent.includes('Benali')")
        await asyncio.sleep(7)  # two or three refreshes of the open conversation
        await console.wait_for("document.getElementById('dossier-view')")  # still shown
        await console.screenshot(SHOTS / "08-dossier-and-eligibility.png")
        opens = [row for row in _audit(data_dir) if row[0] == "amina" and row[1] == "view"]
        # One row per real open (two conversations, one dossier), none per refresh.
        assert opens == [("amina", "view", "handoff", True)] * 2 + [
            ("amina", "view", "dossier", True)]

    async with Browser() as browser:
        commission = await browser.new_page()
        await _log_in(commission, url, "claire")
        await commission.wait_for("location.pathname === '/console/dossiers'")
        await commission.wait_for(f"document.body.textContent.includes({code!r})")
        await commission.screenshot(SHOTS / "09-commission-list.png")
        await commission.js("document.querySelector('.dossier-list a').click(); true")
        await commission.wait_for(f"location.pathname === '/console/dossiers/{code}' && "
                                  "document.querySelector('article.dossier')", 60)
        page = await commission.js("document.body.textContent")
        assert "[retiré]" in page and "conjoint" in page
        for secret in ("Benali", "Samira", "Hoche", "06 12 34 56 78", "17/04/1986"):
            assert secret not in page, secret
        await commission.screenshot(SHOTS / "10-commission-dossier-anonymized.png")
        for path in (f"/console/api/handoffs/1/dossiers/{dossier_id}", "/console/api/handoffs/1",
                     "/console/api/handoffs/1/updates", "/console/api/queue"):
            status = await commission.js(f"fetch({path!r}).then(r => r.status)")
            assert status == 403, path
        await commission.goto(url + "/console")
        assert "Accès refusé" in await commission.js("document.body.textContent")
        await commission.screenshot(SHOTS / "11-commission-refused.png")
    refused = [row for row in _audit(data_dir) if row[0] == "claire" and not row[3]]
    assert ("claire", "get dossier", "dossier", False) in refused


def test_an_agent_takes_a_crisis_replies_and_hands_back_then_reads_a_dossier(stack):
    url, data_dir = stack
    _someone_checked_the_css_then_cannot_write(url)
    code, dossier_id = _their_dossier_is_ready(data_dir)
    asyncio.run(_scenario(url, data_dir, code, dossier_id))
