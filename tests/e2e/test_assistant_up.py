"""The whole assistant, started the way `make run` starts it, answers a resident.

One supervisor runs every real process (eligibility, action server, Rasa, gateway) on free
ports with a private data folder. The tests run in file order: the last ones kill Rasa and
then press Ctrl-C, so they come after the conversation tests.
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import time

import pytest

from bot.identity import conversation_id
from tests.processes import (
    SUPERVISOR_START_TIMEOUT_S,
    http,
    pids_of,
    port_open,
    post_json,
    relais_env,
    running_relais,
    wait_until,
)


class Stack:
    def __init__(self, data_dir, env, process):
        self.data_dir = data_dir
        self.env = env
        self.process = process
        self.url = f"http://127.0.0.1:{env['RELAIS_GATEWAY_PORT']}"
        self.ports = [int(env[f"RELAIS_{n}_PORT"])
                      for n in ("GATEWAY", "RASA", "ACTIONS", "ELIGIBILITY")]

    def say(self, text: str, sender: str = "resident-1") -> list[dict]:
        status, body = post_json(f"{self.url}/web/messages", {"sender": sender, "text": text})
        assert status == 200, body
        return body["messages"]

    def output(self) -> str:
        return (self.data_dir / "supervisor.log").read_text(errors="replace")


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("relais")
    env = relais_env(data_dir)
    with running_relais(env, data_dir) as process:
        yield Stack(data_dir, env, process)


def test_health_is_200_when_every_process_answers(stack):
    status, body = http("GET", f"{stack.url}/health")
    assert status == 200
    assert body == {"status": "ok",
                    "services": {"rasa": "up", "actions": "up", "eligibility": "up"}}


def test_bonjour_gets_a_french_greeting_and_an_offer_of_help(stack):
    messages = stack.say("bonjour")
    assert messages[0]["text"].startswith("Bonjour, je suis Relais.")
    assert messages[-1]["buttons"] == [{"title": "Ce que vous savez faire",
                                        "payload": "/capabilities"}]


def test_the_offered_button_leads_to_what_relais_can_do(stack):
    stack.say("bonjour", sender="resident-2")
    messages = stack.say("/capabilities", sender="resident-2")
    assert "à quelles aides vous avez droit" in messages[0]["text"]


def test_sms_spelling_goodbye_and_out_of_scope_are_understood(stack):
    assert stack.say("merci bcp")[0]["text"].startswith("Avec plaisir")
    assert "droits sociaux" in stack.say("donne moi les resultats du foot ce soir")[0]["text"]
    assert stack.say("aurevoir")[0]["text"].startswith("Au revoir")


def test_a_suicidal_message_gets_3114_and_15_112_in_the_very_next_reply(stack):
    stack.say("bonjour", sender="resident-crisis")
    texts = [m["text"] for m in stack.say("je veux mourir", sender="resident-crisis")]
    assert "3114" in texts[0]
    assert any("15" in t and "112" in t for t in texts)


def test_not_understood_twice_leads_to_a_person_through_the_action_server(stack):
    # What residents type when they do not know what to ask: fillers, then punctuation.
    first = [m["text"] for m in stack.say("euh", sender="resident-lost")]
    assert first[0].startswith("Je n'ai pas bien compris")
    second = [m["text"] for m in stack.say("???", sender="resident-lost")]
    assert second[0].startswith("Je n'arrive pas à vous comprendre")
    assert any(t.startswith("Je transmets votre demande à l'équipe") for t in second)
    # The action server queued it in the gateway: agent mode, the bot stays silent now.
    assert stack.say("allô ?", sender="resident-lost") == []


def _texts(messages: list[dict]) -> str:
    return "\n".join(m["text"] for m in messages)


def _start_css_questionnaire(stack, sender: str) -> None:
    offer = stack.say("je voudrais la cmu", sender=sender)
    assert {"title": "Oui, vérifier", "payload": "/css_check"} in offer[-1]["buttons"]
    assert "Quel âge" in _texts(stack.say("/css_check", sender=sender))


def _answer_css_questionnaire(stack, who: str) -> list[dict]:
    """A couple (34, child of 6), no RSA, 1,100 €/month, tenant with 150 € housing aid."""
    _start_css_questionnaire(stack, who)
    assert "Une estimation suffit" in _texts(stack.say("jsp", sender=who))
    assert "en couple" in _texts(stack.say("34 et 6", sender=who))
    assert "RSA" in _texts(stack.say("Non", sender=who))
    assert "combien votre foyer" in _texts(stack.say("0", sender=who))
    assert "situation de logement" in _texts(stack.say("1 100 €", sender=who))
    assert "aide au logement" in _texts(stack.say("1", sender=who))  # "1" = Locataire
    return stack.say("150", sender=who)


def test_the_css_questionnaire_ends_with_the_calculation_and_its_sources(stack):
    result = _answer_css_questionnaire(stack, "resident-css")
    text = _texts(result)
    assert "Complémentaire santé solidaire gratuite" in text
    assert "Ressources du foyer sur les 12 derniers mois (déclarées) : 13\u202f200 €/an" in text
    assert "depuis le 01/04/2026" in text and "estimation" in text
    assert "source : Code de la sécurité sociale" in text
    assert result[-1]["buttons"], "other rights to check are offered"


def test_social_housing_ceilings_are_checked_with_the_households_category(stack):
    who = "resident-hlm"
    offer = stack.say("comment faire une demande de logement social", sender=who)
    assert offer[-1]["buttons"] == [{"title": "Oui, vérifier", "payload": "/social_housing_check"}]
    assert "Quel âge" in _texts(stack.say("/social_housing_check", sender=who))
    assert "en couple" in _texts(stack.say("38 et 9", sender=who))
    assert "handicap" in _texts(stack.say("non", sender=who))
    assert "revenu fiscal de référence" in _texts(stack.say("Non", sender=who))
    text = _texts(stack.say("16 400 €", sender=who))
    assert "logement social" in text
    assert "Catégorie de ménage" in text and "Plafond PLUS pour la catégorie 3" in text


def test_the_quotient_familial_is_computed_step_by_step_after_a_css_check(stack):
    who = "resident-qf"
    _answer_css_questionnaire(stack, who)  # ages known from the CSS check: not asked again
    assert "quotient familial" in _texts(stack.say("c'est quoi le quotient familial", sender=who))
    asked = _texts(stack.say("/qf_check", sender=who))
    assert "revenu fiscal de référence" in asked and "Quel âge" not in asked
    assert "prestations familiales" in _texts(stack.say("13200", sender=who))
    text = _texts(stack.say("120", sender=who))
    assert "Votre quotient familial estimé est de 488 €" in text
    assert "Quotient familial = (13\u202f200 € ÷ 12 + 120,00 €) ÷ 2.5 parts" in text
    assert "grille" in text  # the town's tariff grid is not published: said, not invented


def test_a_question_in_the_middle_of_the_questionnaire_is_answered_then_it_goes_on(stack):
    who = "resident-css-question"
    _start_css_questionnaire(stack, who)
    stack.say("29", sender=who)
    text = _texts(stack.say("c'est quoi le rsa au fait", sender=who))
    assert "revenu minimum" in text and "Reprenons les questions." in text
    assert text.endswith("Écrivez 0 si vous ne le touchez pas.")


def test_a_crisis_in_the_questionnaire_gets_3114_and_the_form_does_not_resume(stack):
    who = "resident-css-crisis"
    _start_css_questionnaire(stack, who)
    stack.say("45", sender=who)
    assert "3114" in stack.say("je veux en finir", sender=who)[0]["text"]
    after = _texts(stack.say("1200", sender=who))
    assert "RSA" not in after and "Quel âge" not in after


def test_when_the_calculation_is_down_the_resident_is_told_and_offered_a_person(stack):
    who = "resident-css-down"
    _start_css_questionnaire(stack, who)
    for answer in ("70", "0", "900"):
        stack.say(answer, sender=who)
    [eligibility_pid] = pids_of("eligibility", stack.data_dir)
    os.kill(eligibility_pid, signal.SIGKILL)
    text = _texts(stack.say("Propriétaire", sender=who))
    assert "Le calcul est indisponible pour le moment." in text
    assert "CCAS" in text
    # Back by itself: the supervisor restarts it. Asked of the service itself, not only of the
    # gateway's /health, whose last probe (kept a second) may predate the kill.
    eligibility = f"http://127.0.0.1:{stack.env['RELAIS_ELIGIBILITY_PORT']}/health"
    assert wait_until(lambda: http("GET", eligibility, timeout=5)[0] == 200, 120)
    assert wait_until(lambda: http("GET", f"{stack.url}/health", timeout=5)[0] == 200, 120)


def test_the_towns_schemes_come_from_the_commune_file_through_the_action_server(stack):
    mutuelle = _texts(stack.say("la mutuelle communale c'est quoi", sender="resident-local"))
    assert "pas encore publiées : à confirmer auprès du CCAS" in mutuelle
    food = _texts(stack.say("on a plus rien a manger", sender="resident-local"))
    assert "caisse sociale alimentaire" in food and "à confirmer auprès du CCAS" in food


def test_every_service_listens_on_loopback_only(stack):
    listening = subprocess.run(["ss", "-ltnH"], capture_output=True, text=True).stdout
    for port in stack.ports:
        local = [line.split()[3] for line in listening.splitlines()
                 if line.split()[3].endswith(f":{port}")]
        assert local and all(addr.startswith("127.0.0.1:") for addr in local), (port, local)


def test_rasa_api_refuses_calls_without_the_token(stack):
    rasa = f"http://127.0.0.1:{stack.env['RELAIS_RASA_PORT']}"
    assert http("GET", f"{rasa}/status")[0] == 401
    assert http("GET", f"{rasa}/status?token=wrong")[0] == 401


def test_conversations_are_stored_under_pseudonyms_and_encrypted_in_the_data_folder(stack):
    stack.say("bonjour tout le monde", sender="web-visitor-4242")
    secret_key = (stack.data_dir / "secrets" / "secret_key").read_text().strip()
    conversation = conversation_id(secret_key, "web", "web-visitor-4242")
    tracker_file = stack.data_dir / "rasa-tracker.db"
    with sqlite3.connect(tracker_file) as db:
        rows = db.execute("SELECT count(*) FROM events WHERE sender_id = ?",
                          (conversation,)).fetchone()[0]
    assert rows > 0  # the conversation is there, under its pseudonym
    tracker = tracker_file.read_bytes()
    assert b"web-visitor-4242" not in tracker
    assert b"tout le monde" not in tracker  # what the resident wrote is encrypted


def test_no_log_file_holds_what_residents_wrote(stack):
    stack.say("je m'appelle Zorglub Martin, j'habite rue Hoche")
    logs = stack.data_dir / "logs"
    for log in logs.iterdir():
        text = log.read_text(errors="replace")
        assert "Zorglub" not in text and "resultats du foot" not in text, log.name


def test_rasa_and_the_gateway_keep_their_start_up_objects_out_of_full_collections(stack):
    """A full garbage collection paused every conversation for 0.2 to 0.8 s (bot/heap.py)."""
    for name in ("rasa", "gateway"):
        log = (stack.data_dir / "logs" / f"{name}.log").read_text(errors="replace")
        frozen = re.search(r"start-up objects kept out of garbage collection: (\d+)", log)
        assert frozen and int(frozen.group(1)) > 100_000, name


def test_a_killed_rasa_makes_health_503_and_messages_a_clear_error_then_recovers(stack):
    [rasa_pid] = pids_of("bot.rasa_server", stack.data_dir)
    os.kill(rasa_pid, signal.SIGKILL)
    killed_at = time.monotonic()
    assert wait_until(lambda: http("GET", f"{stack.url}/health", timeout=5)[0] == 503, 10)
    assert time.monotonic() - killed_at < 5
    status, body = http("GET", f"{stack.url}/health")
    assert body["services"]["rasa"] == "down"

    status, body = post_json(f"{stack.url}/web/messages", {"sender": "r3", "text": "bonjour"},
                             timeout=30)
    assert status in (503, 504)
    assert "Réessayez" in body["message"]

    # The supervisor restarts Rasa by itself; the next message gets a real answer.
    assert wait_until(lambda: http("GET", f"{stack.url}/health", timeout=5)[0] == 200,
                      SUPERVISOR_START_TIMEOUT_S, interval=2), stack.output()
    assert stack.say("bonjour", sender="r3")[0]["text"].startswith("Bonjour")


def test_ctrl_c_stops_every_process_and_frees_every_port(stack):
    stack.process.send_signal(signal.SIGINT)
    assert stack.process.wait(timeout=60) == 0
    assert "all processes stopped." in stack.output()
    for module in ("bot.gateway", "bot.rasa_server", "rasa_sdk", "eligibility"):
        assert pids_of(module, stack.data_dir) == [], module
    assert not any(port_open(port) for port in stack.ports)
