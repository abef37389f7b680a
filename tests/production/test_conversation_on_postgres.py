"""The whole assistant in production mode answers residents, with PostgreSQL and Redis.

Two Rasa instances and two action servers run behind the gateway; conversations and the
store live in PostgreSQL, the conversations' locks in Redis.
"""

from __future__ import annotations

from sqlalchemy import create_engine, inspect, text

from tests.processes import post_json
from tests.production.faults import CSS_TURNS


def say(stack, sender: str, words: str) -> str:
    status, body = post_json(f"{stack.url}/web/messages", {"sender": sender, "text": words})
    assert status == 200, body
    return "\n".join(m["text"] for m in body["messages"])


def test_health_lists_every_instance_and_says_ok(stack):
    status, body = stack.health()
    assert status == 200
    assert body == {"status": "ok", "services": {
        "rasa-1": "up", "rasa-2": "up", "actions-1": "up", "actions-2": "up",
        "eligibility": "up"}}


def test_the_css_questionnaire_ends_with_its_calculation_whichever_instance_answers(stack):
    replies = [say(stack, "resident-pg-1", words) for words in CSS_TURNS]
    assert "Quel âge" in replies[1]
    assert "Complémentaire santé solidaire gratuite" in replies[-1]
    assert "source : Code de la sécurité sociale" in replies[-1]


def test_every_conversation_is_kept_in_postgresql(stack):
    for n in range(12):
        assert say(stack, f"resident-spread-{n}", "bonjour").startswith("Bonjour, je suis Relais.")
    engine = create_engine(stack.env["RELAIS_TRACKER_DB_URL"], future=True)
    with engine.connect() as connection:
        senders = connection.execute(text(
            "SELECT COUNT(DISTINCT sender_id) FROM events WHERE type_name = 'user'")).scalar_one()
    engine.dispose()
    assert senders >= 13


def test_the_gateway_store_is_in_postgresql_and_no_sqlite_file_is_written(stack):
    engine = create_engine(stack.env["RELAIS_DATABASE_URL"], future=True)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert {"residents", "channel_identities", "handoffs"} <= tables
    assert not list(stack.data_dir.glob("*.db"))
