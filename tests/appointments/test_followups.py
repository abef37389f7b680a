"""The follow-up against non-take-up: asked once, RELAIS_FOLLOWUP_DAYS after the PDF; counted."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

import pytest

from bot.config import ConfigError, Settings
from bot.store.dossiers import DossierStore
from bot.store.followups import followup_counts
from tests.appointments.conftest import SECRET_KEY

PHONE = "+33612000009"


def iso(moment: datetime) -> str:
    return moment.replace(tzinfo=timezone.utc).isoformat()


async def produced_dossier(stack, phone: str = PHONE, status: str = "envoye"):
    """A CSS dossier whose PDF was just produced and sent, for a resident reachable by SMS."""
    gateway = stack.gateway
    identity = await gateway.store(lambda r: r.record_inbound("sms", phone))
    repository = gateway.app["store"].repository
    dossiers = DossierStore(repository.engine, repository.keys,
                            gateway.app["settings"].data_dir)

    def create():
        dossier = dossiers.create(identity.resident_id, "css")
        dossiers.set_status(dossier.id, "pret")
        if status != "pret":
            dossiers.set_status(dossier.id, status)
        return dossier
    return identity.resident_id, await gateway.store(lambda _r: create())


async def run_jobs(gateway, now: datetime) -> dict:
    status, report = await gateway.api("POST", "/internal/jobs/run", {"now": iso(now)})
    assert status == 200
    return report["followups"]


def test_the_question_comes_after_five_days_once_with_three_choices(run_stack):
    async def scenario(stack):
        start = datetime.utcnow()
        _, dossier = await produced_dossier(stack)
        assert await run_jobs(stack.gateway, start + timedelta(days=4)) == {}
        assert stack.sms_to(PHONE) == []
        assert await run_jobs(stack.gateway, start + timedelta(days=5, minutes=1)) == {"sent": 1}
        [body] = stack.sms_to(PHONE)
        assert body == ("Il y a quelques jours, nous avons préparé votre demande de "
                        "complémentaire santé solidaire. Avez-vous pu la déposer ?\n\n"
                        "1. Déjà fait\n2. Pas réussi\n3. Besoin d'aide\nRépondez 1, 2 ou 3.")
        assert await run_jobs(stack.gateway, start + timedelta(days=9)) == {}
        assert len(stack.sms_to(PHONE)) == 1
    run_stack(scenario, datetime.utcnow())


def test_two_gateways_ask_once(run_stack):
    async def scenario(stack):
        start = datetime.utcnow()
        for i in range(3):
            await produced_dossier(stack, f"+3361200002{i}")
        later = start + timedelta(days=6)
        reports = await asyncio.gather(*(run_jobs(g, later) for g in stack.gateways
                                         for _ in range(3)))
        assert sum(r.get("sent", 0) for r in reports) == 3
        assert all(len(stack.sms_to(f"+3361200002{i}")) == 1 for i in range(3))
    run_stack(scenario, datetime.utcnow(), gateways=2)


def test_a_submitted_or_unfinished_dossier_is_not_asked_about(run_stack):
    async def scenario(stack):
        start = datetime.utcnow()
        await produced_dossier(stack, "+33612000031", status="depose")
        gateway = stack.gateway
        identity = await gateway.store(lambda r: r.record_inbound("sms", "+33612000032"))
        repository = gateway.app["store"].repository
        dossiers = DossierStore(repository.engine, repository.keys,
                            gateway.app["settings"].data_dir)
        await gateway.store(lambda _r: dossiers.create(identity.resident_id, "css"))
        assert await run_jobs(gateway, start + timedelta(days=30)) == {}
    run_stack(scenario, datetime.utcnow())


def test_answers_are_stored_for_the_resident_asked_and_counted(run_stack):
    async def scenario(stack):
        start = datetime.utcnow()
        resident, dossier = await produced_dossier(stack)
        other, _ = await produced_dossier(stack, "+33612000041")
        await produced_dossier(stack, "+33612000042")
        await run_jobs(stack.gateway, start + timedelta(days=6))
        api = stack.gateway.api
        status, _ = await api("POST", f"/internal/followups/{dossier.id}",
                              {"conversation_id": other, "outcome": "deja_fait"})
        assert status == 404  # not that resident's dossier
        status, _ = await api("POST", f"/internal/followups/{dossier.id}",
                              {"conversation_id": resident, "outcome": "peut-etre"})
        assert status == 422
        status, data = await api("POST", f"/internal/followups/{dossier.id}",
                                 {"conversation_id": resident, "outcome": "pas_reussi"})
        assert (status, data) == (200, {"outcome": "pas_reussi"})
        engine = stack.gateway.app["store"].repository.engine
        counts = await stack.gateway.store(lambda _r: followup_counts(engine))
        assert counts == {"asked": 3, "deja_fait": 0, "pas_reussi": 1, "besoin_aide": 0,
                          "sans_reponse": 2}
    run_stack(scenario, datetime.utcnow())


def test_the_followup_delay_is_a_setting(monkeypatch, tmp_path):
    monkeypatch.setenv("RELAIS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("RELAIS_SECRET_KEY", SECRET_KEY)
    monkeypatch.setenv("RELAIS_RASA_TOKEN", "t")
    monkeypatch.setenv("RELAIS_FOLLOWUP_DAYS", "3")
    assert Settings.from_env().followup_days == 3
    monkeypatch.delenv("RELAIS_FOLLOWUP_DAYS")
    assert Settings.from_env().followup_days == 5
    monkeypatch.setenv("RELAIS_FOLLOWUP_DAYS", "cinq")
    with pytest.raises(ConfigError, match="RELAIS_FOLLOWUP_DAYS"):
        Settings.from_env()
