"""Escalations for a flow that needs a person, and what the bot says inside and outside the
team's hours — the handoff action against a real gateway (in-process) and a fictitious commune
whose weekly hours are verified (``commune_fictive.yml``)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

import actions.handoff
from actions.handoff import ActionRequestHuman
from actions.misunderstanding import ActionHandleMisunderstanding
from bot.identity import conversation_id
from commune.hours import PARIS
from tests.console.conftest import SECRET_KEY, Stack

FICTIVE = Path(__file__).with_name("commune_fictive.yml")
TUESDAY_10H = datetime(2026, 11, 24, 10, 0, tzinfo=PARIS)
SATURDAY_13H = datetime(2026, 11, 28, 13, 0, tzinfo=PARIS)


def _tracker(sender: str, intent: str, *texts: str) -> Tracker:
    events = [{"event": "user", "text": text,
               "parse_data": {"intent": {"name": intent if i == len(texts) - 1 else "x"}}}
              for i, text in enumerate(texts)]
    latest = {"text": texts[-1], "intent": {"name": intent, "confidence": 0.9}}
    return Tracker(conversation_id(SECRET_KEY, "web", sender), {}, latest, events, False,
                   None, {}, "action_listen")


def _said(dispatcher: CollectingDispatcher) -> list[tuple[str, dict]]:
    return [(m["response"], {k: v for k, v in m.items() if k in ("when", "until")})
            for m in dispatcher.messages]


def _prepare(monkeypatch, s: Stack, now: datetime, commune: Path | None = FICTIVE) -> None:
    monkeypatch.setenv("RELAIS_GATEWAY_URL", str(s.client.make_url("")).rstrip("/"))
    if commune is not None:
        monkeypatch.setenv("RELAIS_COMMUNE_FILE", str(commune))
    monkeypatch.setattr(actions.handoff, "now_in_paris", lambda: now)


async def _run(action, tracker: Tracker) -> CollectingDispatcher:
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, tracker, {})
    return dispatcher


def test_a_resident_who_cannot_write_is_queued_for_a_flow_and_told_who_and_until_when(
        run_stack, monkeypatch):
    async def scenario(s: Stack) -> None:
        _prepare(monkeypatch, s, TUESDAY_10H)
        dispatcher = await _run(ActionRequestHuman(), _tracker(
            "r1", "ask_human", "je ne sais pas écrire, aidez moi"))
        assert _said(dispatcher) == [("utter_handoff_flow_cannot_write", {}),
                                     ("utter_handoff_when_open", {"until": "12 h 30"})]
        [handoff] = s.handoffs.queue()
        assert (handoff.reason, handoff.need, handoff.priority) == ("flow", "cannot_write", 1)
        await s.login("amina")
        queue = await (await s.client.get("/console/api/queue")).json()
        assert queue["handoffs"][0]["need_label"].startswith("Ne peut pas écrire")
    run_stack(scenario)


def test_a_misunderstood_message_that_shows_a_need_goes_to_a_person_at_once(
        run_stack, monkeypatch):
    async def scenario(s: Stack) -> None:
        _prepare(monkeypatch, s, TUESDAY_10H)
        dispatcher = await _run(ActionHandleMisunderstanding(), _tracker(
            "r1", "nlu_fallback", "g perdu tous mes papiers"))
        assert _said(dispatcher)[0] == ("utter_handoff_flow_no_documents", {})
        assert [(h.reason, h.need) for h in s.handoffs.queue()] == [("flow", "no_documents")]
    run_stack(scenario)


def test_outside_hours_the_bot_says_when_and_offers_an_appointment_before_queuing(
        run_stack, monkeypatch):
    async def scenario(s: Stack) -> None:
        _prepare(monkeypatch, s, SATURDAY_13H)
        dispatcher = await _run(ActionRequestHuman(), _tracker(
            "r1", "ask_human", "c'est trop compliqué pour moi"))
        assert _said(dispatcher) == [
            ("utter_handoff_closed_now", {"when": "lundi 30 novembre à 9 h"}),
            ("utter_handoff_offer_appointment_complex_case", {})]
        assert s.handoffs.queue() == []  # the resident chooses first
        # "Laisser un message": queued now, with the need said two messages earlier.
        dispatcher = await _run(ActionRequestHuman(), _tracker(
            "r1", "wait_for_person", "c'est trop compliqué pour moi", "/wait_for_person"))
        assert _said(dispatcher) == [
            ("utter_handoff_flow_complex_case", {}),
            ("utter_handoff_when_closed", {"when": "lundi 30 novembre à 9 h"})]
        assert [(h.reason, h.need) for h in s.handoffs.queue()] == [("flow", "complex_case")]
    run_stack(scenario)


def test_a_crisis_outside_hours_is_queued_at_once_and_the_3114_is_named_meanwhile(
        run_stack, monkeypatch):
    async def scenario(s: Stack) -> None:
        _prepare(monkeypatch, s, SATURDAY_13H)
        dispatcher = await _run(ActionRequestHuman(), _tracker(
            "r1", "crisis", "j'ai envie de mourir"))
        assert _said(dispatcher) == [
            ("utter_handoff_crisis", {}),
            ("utter_handoff_when_closed", {"when": "lundi 30 novembre à 9 h"}),
            ("utter_handoff_crisis_meanwhile", {})]
        assert [h.reason for h in s.handoffs.queue()] == ["crisis"]
    run_stack(scenario)


def test_outside_hours_a_plain_request_gets_the_general_appointment_offer(
        run_stack, monkeypatch):
    async def scenario(s: Stack) -> None:
        _prepare(monkeypatch, s, SATURDAY_13H)
        dispatcher = await _run(ActionRequestHuman(), _tracker("r1", "ask_human",
                                                               "je veux parler à quelqu'un"))
        assert [r for r, _ in _said(dispatcher)] == ["utter_handoff_closed_now",
                                                     "utter_handoff_offer_appointment"]
    run_stack(scenario)


def _closed(tmp_path: Path, closure: dict) -> Path:
    """The fictive commune with one verified closure of the town's services."""
    import yaml

    data = yaml.safe_load(FICTIVE.read_text(encoding="utf-8"))
    data["closures"] = {"value": [closure], "verified": True, "source": "délibération fictive",
                        "date": "2026-11"}
    path = tmp_path / "commune.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_closure_on_monday_moves_the_teams_return_to_tuesday(run_stack, monkeypatch,
                                                               tmp_path):
    commune = _closed(tmp_path, {"from": "2026-11-30", "reason": "pont"})

    async def scenario(s: Stack) -> None:
        _prepare(monkeypatch, s, SATURDAY_13H, commune)
        dispatcher = await _run(ActionRequestHuman(), _tracker(
            "r1", "crisis", "j'ai envie de mourir"))
        assert _said(dispatcher) == [
            ("utter_handoff_crisis", {}),
            ("utter_handoff_when_closed", {"when": "mardi 1er décembre à 9 h"}),
            ("utter_handoff_crisis_meanwhile", {})]
    run_stack(scenario)


def test_a_team_closed_for_over_a_year_is_not_given_a_return_date_and_the_3114_is_named(
        run_stack, monkeypatch, tmp_path):
    commune = _closed(tmp_path, {"from": "2026-11-01", "to": "2028-12-31",
                                 "places": ["handoff_team"], "reason": "équipe non recrutée"})

    async def scenario(s: Stack) -> None:
        _prepare(monkeypatch, s, SATURDAY_13H, commune)
        dispatcher = await _run(ActionRequestHuman(), _tracker(
            "r1", "crisis", "j'ai envie de mourir"))
        assert _said(dispatcher) == [("utter_handoff_crisis", {}),
                                     ("utter_handoff_when_unknown", {}),
                                     ("utter_handoff_crisis_meanwhile", {})]
        dispatcher = await _run(ActionRequestHuman(), _tracker(
            "r2", "ask_human", "je veux parler à quelqu'un"))
        assert _said(dispatcher) == [("utter_handoff_queued", {}),
                                     ("utter_handoff_when_unknown", {})]
    run_stack(scenario)


def test_each_need_specific_offer_books_with_the_person_that_need_calls_for():
    import yaml

    from bot.store.handoff import NEEDS
    domain = Path(__file__).resolve().parents[2] / "domain.yml"
    responses = yaml.safe_load(domain.read_text(encoding="utf-8"))["responses"]
    kinds = {"cannot_write": "ecrivain_public", "no_documents": "france_services",
             "complex_case": "ccas"}
    for need in NEEDS:
        [variant] = responses[f"utter_handoff_offer_appointment_{need}"]
        payloads = [b["payload"] for b in variant["buttons"]]
        assert payloads == [f'/book_appointment{{"permanence_kind":"{kinds[need]}"}}',
                            "/wait_for_person"]


def test_with_pantins_unverified_hours_nothing_is_announced_and_nothing_is_offered(
        run_stack, monkeypatch):
    async def scenario(s: Stack) -> None:
        monkeypatch.delenv("RELAIS_COMMUNE_FILE", raising=False)
        _prepare(monkeypatch, s, SATURDAY_13H, commune=None)
        dispatcher = await _run(ActionRequestHuman(), _tracker("r1", "ask_human",
                                                               "je veux parler à quelqu'un"))
        assert _said(dispatcher) == [("utter_handoff_queued", {}),
                                     ("utter_handoff_when_unknown", {})]
        assert [(h.reason, h.need) for h in s.handoffs.queue()] == [("asked", None)]
    run_stack(scenario)


def test_the_gateway_refuses_a_need_without_the_flow_reason(run_stack):
    async def scenario(s: Stack) -> None:
        from bot.identity import internal_token
        headers = {"Authorization": "Bearer " + internal_token(SECRET_KEY)}
        cid = conversation_id(SECRET_KEY, "web", "r1")
        for body in ({"reason": "asked", "need": "cannot_write"},
                     {"reason": "flow", "need": "bored"}):
            response = await s.client.post("/internal/handoffs", headers=headers,
                                            json={"conversation_id": cid, **body})
            assert response.status == 422, body
    run_stack(scenario)
