"""The deployment files: no container engine or systemd runs here, so their syntax and their
agreement with the code are what can be checked (docs/deployment.md says so)."""

from __future__ import annotations

import configparser
import re

import yaml

from bot.config import REPO_ROOT

DEPLOY = REPO_ROOT / "deploy"
README = (REPO_ROOT / "README.md").read_text()


def test_the_compose_file_runs_postgres_redis_and_relais_in_production_mode():
    compose = yaml.safe_load((DEPLOY / "compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"postgres", "redis", "relais"}
    relais = services["relais"]
    environment = relais["environment"]
    assert environment["RELAIS_ENV"] == "production"
    assert environment["RELAIS_DATABASE_URL"].startswith("postgresql://")
    assert environment["RELAIS_TRACKER_DB_URL"].startswith("postgresql://")
    assert environment["RELAIS_REDIS_URL"].startswith("redis://redis:")
    assert set(relais["depends_on"]) == {"postgres", "redis"}
    assert (DEPLOY / relais["build"]["dockerfile"].removeprefix("deploy/")).exists()
    assert relais["env_file"] == "relais.env" and (DEPLOY / "relais.env.example").exists()
    assert relais["ports"] == ["127.0.0.1:8000:8000"]  # the gateway only, behind a proxy


def test_every_variable_the_deployment_sets_is_one_the_readme_documents():
    texts = [(DEPLOY / "compose.yml").read_text(), (DEPLOY / "relais.env.example").read_text()]
    texts += [p.read_text() for p in (DEPLOY / "systemd").iterdir()]
    used = {name for text in texts for name in re.findall(r"\b((?:RELAIS|TWILIO|TELEGRAM)_[A-Z_]+)",
                                                         text)}
    used -= {"RELAIS_POSTGRES_PASSWORD"}  # the compose file's own, for the postgres image
    undocumented = {name for name in used if f"`{name}`" not in README}
    assert not undocumented


def test_the_systemd_units_start_modules_that_exist():
    for unit in ("relais.service", "relais-retention.service"):
        parser = configparser.ConfigParser(strict=False, interpolation=None)
        parser.optionxform = str
        parser.read(DEPLOY / "systemd" / unit)
        exec_start = parser["Service"]["ExecStart"].split()
        assert exec_start[1:3] == ["-m", exec_start[2]]
        module = REPO_ROOT / (exec_start[2].replace(".", "/") + ".py")
        assert module.exists(), module
        assert parser["Service"]["User"] == "relais"
    timer = configparser.ConfigParser(strict=False, interpolation=None)
    timer.read(DEPLOY / "systemd" / "relais-retention.timer")
    assert timer["Timer"]["OnCalendar"]
