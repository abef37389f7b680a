"""Production mode: what it refuses to start without, and how instances get their ports."""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml

from bot.config import REPO_ROOT, ConfigError, Settings
from bot.health import overall_status
from bot.rasa_server import endpoints_file
from bot.supervisor import build_services

PRODUCTION = {
    "RELAIS_ENV": "production", "RELAIS_RASA_TOKEN": "t", "RELAIS_SECRET_KEY": "k",
    "RELAIS_DATABASE_URL": "postgresql://relais:pw@db:5432/relais",
    "RELAIS_TRACKER_DB_URL": "postgresql://rasa:pw@db:5432/rasa",
    "RELAIS_REDIS_URL": "redis://:s%40cret@cache:6380/2",
}


@pytest.fixture
def env(monkeypatch, tmp_path):
    for name in ("RELAIS_ENV", "RELAIS_RASA_TOKEN", "RELAIS_SECRET_KEY", "RELAIS_DATABASE_URL",
                 "RELAIS_TRACKER_DB_URL", "RELAIS_REDIS_URL", "RELAIS_RASA_INSTANCES",
                 "RELAIS_ACTIONS_INSTANCES", "RELAIS_PUBLIC_URL", "TELEGRAM_BOT_TOKEN",
                 "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RELAIS_DATA_DIR", str(tmp_path))

    def setenv(**values: str) -> None:
        for name, value in values.items():
            monkeypatch.setenv(name, value)
    return setenv


def test_production_without_configuration_names_every_missing_setting_at_once(env):
    env(RELAIS_ENV="production")
    with pytest.raises(ConfigError) as error:
        Settings.from_env()
    for name in ("RELAIS_RASA_TOKEN", "RELAIS_SECRET_KEY", "RELAIS_DATABASE_URL",
                 "RELAIS_TRACKER_DB_URL", "RELAIS_REDIS_URL"):
        assert name in str(error.value)


def test_production_refuses_sqlite_files_for_its_stores(env):
    env(**{**PRODUCTION, "RELAIS_TRACKER_DB_URL": "sqlite:////tmp/rasa.db"})
    with pytest.raises(ConfigError, match="RELAIS_TRACKER_DB_URL") as error:
        Settings.from_env()
    assert "RELAIS_DATABASE_URL" not in str(error.value)


def test_the_rasa_slots_setting_is_read_with_a_clear_error(env):
    assert Settings.from_env().rasa_slots_per_instance == 4
    env(RELAIS_RASA_SLOTS_PER_INSTANCE="2")
    assert Settings.from_env().rasa_slots_per_instance == 2
    env(RELAIS_RASA_SLOTS_PER_INSTANCE="beaucoup")
    with pytest.raises(ConfigError, match="RELAIS_RASA_SLOTS_PER_INSTANCE must be a whole"):
        Settings.from_env()


def test_several_rasa_instances_without_redis_are_refused(env):
    env(RELAIS_RASA_INSTANCES="2")
    with pytest.raises(ConfigError, match="RELAIS_REDIS_URL"):
        Settings.from_env()


def test_a_wrong_redis_url_is_named(env):
    env(**{**PRODUCTION, "RELAIS_REDIS_URL": "http://cache"})
    with pytest.raises(ConfigError, match="RELAIS_REDIS_URL"):
        Settings.from_env()


def test_instances_run_on_consecutive_ports_each_rasa_with_its_own_action_server_first(env):
    env(**PRODUCTION, RELAIS_RASA_INSTANCES="3", RELAIS_ACTIONS_INSTANCES="2",
        RELAIS_RASA_PORT="6000", RELAIS_ACTIONS_PORT="6100")
    settings = Settings.from_env()
    services = {s.name: s for s in build_services(settings)}
    assert [n for n in services] == ["eligibility", "actions-1", "actions-2", "rasa-1",
                                     "rasa-2", "rasa-3", "gateway"]
    assert [services[f"rasa-{i}"].port for i in (1, 2, 3)] == [6000, 6001, 6002]
    assert services["rasa-2"].extra_env["RELAIS_ACTIONS_URLS"] == (
        "http://127.0.0.1:6101/webhook,http://127.0.0.1:6100/webhook")
    assert services["rasa-3"].extra_env["RELAIS_ACTIONS_URL"] == "http://127.0.0.1:6100/webhook"
    assert settings.redis.host == "cache" and settings.redis.port == 6380
    assert settings.redis.db == 2 and settings.redis.password == "s@cret"
    child = settings.child_environment()
    assert child["RELAIS_TRACKER_DB_URL"] == PRODUCTION["RELAIS_TRACKER_DB_URL"]
    assert child["RELAIS_REDIS_PASSWORD"] == "s@cret"


def test_the_redis_endpoints_are_chosen_with_redis_and_every_value_comes_from_the_environment(
        env):
    env(**PRODUCTION)
    assert endpoints_file(Settings.from_env()) == "endpoints-redis.yml"
    for name in ("endpoints.yml", "endpoints-redis.yml"):
        text = (REPO_ROOT / name).read_text()
        config = yaml.safe_load(text)
        assert config["tracker_store"] == {"type": "bot.tracker_store.PatientSQLTrackerStore",
                                           "url": "${RELAIS_TRACKER_DB_URL}"}
        # Rasa expands ${…} only in plain scalars: a quoted one would reach it unexpanded.
        assert "'${" not in text and '"${' not in text
    lock_store = yaml.safe_load((REPO_ROOT / "endpoints-redis.yml").read_text())["lock_store"]
    assert lock_store["type"] == "redis" and lock_store["url"] == "${RELAIS_REDIS_HOST}"


def test_health_is_degraded_not_down_while_one_instance_of_each_kind_answers():
    assert overall_status({"rasa-1": True, "rasa-2": True, "actions": True,
                           "eligibility": True}) == "ok"
    assert overall_status({"rasa-1": False, "rasa-2": True, "actions": True,
                           "eligibility": True}) == "degraded"
    assert overall_status({"rasa-1": False, "rasa-2": False, "actions": True,
                           "eligibility": True}) == "unavailable"


def test_make_run_in_production_without_configuration_stops_at_once_naming_what_is_missing(
        tmp_path):
    env = {"PATH": "/usr/bin:/bin", "RELAIS_ENV": "production", "RELAIS_DATA_DIR": str(tmp_path)}
    run = subprocess.run([sys.executable, "-m", "bot.supervisor"], cwd=REPO_ROOT, env=env,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2
    assert "RELAIS_DATABASE_URL (postgresql://…)" in run.stdout
    assert "RELAIS_REDIS_URL" in run.stdout and "RELAIS_SECRET_KEY" in run.stdout
    assert not (tmp_path / "logs").exists()  # nothing was started
