"""A long conversation with the real assistant: Rasa closes its long sessions at quiet moments
(bot/rasa_sessions.py) and the resident notices nothing.

The whole stack runs as `make run` starts it, with a session bound of 40 events instead of 150
so that a few minutes of conversation cross it several times. The resident's questionnaire
answers, given sessions ago, are still known; the agent's console still reads the whole
conversation; erasure still deletes every session.
"""

from __future__ import annotations

import sqlite3

import pytest

from bot.identity import conversation_id
from tests.processes import http, post_json, relais_env, running_relais

SECRET_KEY = "e2e-long-secret"
RASA_TOKEN = "e2e-long-rasa-token"
CSS_TURNS = ["je voudrais la cmu", "/css_check", "34 et 6", "Non", "0", "1 100 €", "1", "150"]
HOUSING = "comment faire une demande de logement social"
CHATTER = ["c'est quoi la caisse alimentaire", "merci", "et la mutuelle communale ?", "merci"]


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("relais-long")
    env = relais_env(data_dir)
    env.update({"RELAIS_SECRET_KEY": SECRET_KEY, "RELAIS_RASA_TOKEN": RASA_TOKEN,
                "RELAIS_SESSION_MAX_EVENTS": "40"})
    with running_relais(env, data_dir):
        yield env, data_dir


def say(env, sender: str, text: str) -> str:
    status, body = post_json(f"http://127.0.0.1:{env['RELAIS_GATEWAY_PORT']}/web/messages",
                             {"sender": sender, "text": text}, timeout=90)
    assert status == 200, body
    return " | ".join(m["text"] for m in body["messages"])


def sessions(data_dir, sender: str) -> int:
    cid = conversation_id(SECRET_KEY, "web", sender)
    with sqlite3.connect(data_dir / "rasa-tracker.db") as db:
        return db.execute("SELECT count(*) FROM events WHERE sender_id = ? AND type_name = "
                          "'session_started'", (cid,)).fetchone()[0]


def test_answers_given_sessions_ago_are_not_asked_again(stack):
    env, data_dir = stack
    # Without earlier answers, the social-housing check starts with the household's ages.
    say(env, "resident-new", HOUSING)
    assert "Quel âge" in say(env, "resident-new", "/social_housing_check")

    replies = [say(env, "resident-long", text) for text in CSS_TURNS]
    assert "Complémentaire santé solidaire" in replies[-1]
    for _ in range(6):
        for text in CHATTER:
            assert say(env, "resident-long", text)
    assert sessions(data_dir, "resident-long") >= 3  # the bound was crossed, twice at least

    say(env, "resident-long", HOUSING)
    asked = say(env, "resident-long", "/social_housing_check")
    assert "Quel âge" not in asked and "couple" not in asked.lower()
    assert "?" in asked  # the check goes on with what it does not know yet


def test_the_whole_conversation_is_still_read_by_the_console(stack):
    env, _ = stack
    cid = conversation_id(SECRET_KEY, "web", "resident-long")
    status, tracker = http("GET", f"http://127.0.0.1:{env['RELAIS_RASA_PORT']}/conversations/"
                                  f"{cid}/tracker?token={RASA_TOKEN}")
    assert status == 200
    said = [e["text"] for e in tracker["events"] if e.get("event") == "user"]
    assert said[:3] == CSS_TURNS[:3]  # from the first session on
    assert len(said) == len(CSS_TURNS) + 6 * len(CHATTER) + 2


def test_erasure_deletes_every_session(stack):
    env, data_dir = stack
    assert sessions(data_dir, "resident-long") >= 3
    status, body = post_json(f"http://127.0.0.1:{env['RELAIS_GATEWAY_PORT']}/web/messages",
                             {"sender": "resident-long", "text": "supprimer mes données"})
    assert status == 200 and body["messages"][-1]["buttons"][0]["title"] == "Oui, tout effacer"
    said = say(env, "resident-long", "Oui, tout effacer")
    assert "effacé" in said, said
    cid = conversation_id(SECRET_KEY, "web", "resident-long")
    with sqlite3.connect(data_dir / "rasa-tracker.db") as db:
        assert db.execute("SELECT count(*) FROM events WHERE sender_id = ?",
                          (cid,)).fetchone()[0] == 0
