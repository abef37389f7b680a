"""Fixtures for the eligibility suite, and collection of the OpenFisca YAML tests in ``openfisca/``.

The YAML tests run against the reformed tax-benefit system (OpenFisca-France + Relais reform),
loaded once per session and shared with the engine fixture.
"""

from __future__ import annotations

import pathlib

import pytest
from openfisca_core.tools.test_runner import YamlFile

from eligibility.engine import Engine

YAML_DIR = pathlib.Path(__file__).parent / "openfisca"
_ENGINE: Engine | None = None


def shared_engine() -> Engine:
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = Engine()
    return _ENGINE


def pytest_collect_file(parent, file_path: pathlib.Path):
    if file_path.suffix in (".yaml", ".yml") and YAML_DIR in file_path.parents:
        return YamlFile.from_parent(
            parent,
            path=file_path,
            tax_benefit_system=shared_engine().tax_benefit_system,
            options={},
        )
    return None


@pytest.fixture(scope="session")
def engine() -> Engine:
    return shared_engine()
