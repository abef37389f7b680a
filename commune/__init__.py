"""The commune file: a town's facts as data (local schemes, places, phone numbers, hours).

Pure Python (PyYAML + jsonschema), importable from the Rasa environment (3.10) and the eligibility
service (3.11). Every value is a fact ``{value, verified, source, date}``; unknown values are null.
"""

from __future__ import annotations

import copy
import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

COMMUNE_DIR = Path(__file__).resolve().parent
SCHEMA_PATH = COMMUNE_DIR / "schema.json"
DEFAULT_PATH = COMMUNE_DIR / "pantin.yml"
ENV_VARIABLE = "RELAIS_COMMUNE_FILE"


class CommuneFileError(ValueError):
    """The commune file is missing, unreadable or does not match the schema."""


@lru_cache(maxsize=1)
def _schema() -> dict[str, Any]:
    with SCHEMA_PATH.open(encoding="utf-8") as handle:
        return json.load(handle)


def load_commune(path: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """Read and validate a commune file.

    ``path`` defaults to ``$RELAIS_COMMUNE_FILE``, then to ``commune/pantin.yml``. Raises
    :class:`CommuneFileError` naming the faulty field when the file does not match the schema.
    The actions read it on almost every answer: a file unchanged since the last read (same
    size and modification time) is not parsed again, an edited one is, without a restart.
    """
    chosen = Path(path or os.environ.get(ENV_VARIABLE) or DEFAULT_PATH)
    try:
        status = chosen.stat()
    except OSError as error:
        raise CommuneFileError(
            f"fichier commune illisible : {chosen} ({error.strerror})"
        ) from error
    stamp = (str(chosen.resolve()), status.st_mtime_ns, status.st_size)
    if _last_read.get("stamp") != stamp:
        _last_read.clear()
        _last_read.update(stamp=stamp, data=_read_and_validate(chosen))
    return copy.deepcopy(_last_read["data"])


_last_read: dict[str, Any] = {}


def _read_and_validate(chosen: Path) -> dict[str, Any]:
    try:
        with chosen.open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except OSError as error:
        raise CommuneFileError(
            f"fichier commune illisible : {chosen} ({error.strerror})"
        ) from error
    except yaml.YAMLError as error:
        raise CommuneFileError(f"fichier commune mal formé : {chosen} ({error})") from error
    validator = jsonschema.Draft202012Validator(_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = ".".join(str(part) for part in first.absolute_path) or "(racine)"
        raise CommuneFileError(
            f"fichier commune invalide : {chosen} — champ {where} : {first.message}"
        )
    # Imported here: commune.closures reads this package's verified_value.
    from commune.closures import closure_problems

    problems = closure_problems(data)
    if problems:
        raise CommuneFileError(f"fichier commune invalide : {chosen} — {problems[0]}")
    return data


def fact_value(fact: dict[str, Any] | None) -> Any:
    """The value of a fact, or None when the fact is absent or unknown."""
    return None if not fact else fact.get("value")


__all__ = ["CommuneFileError", "load_commune", "fact_value", "DEFAULT_PATH", "SCHEMA_PATH"]


def verified_value(fact: Any) -> Any | None:
    """The value of a fact only when it is verified: the bot states nothing else as fact."""
    if isinstance(fact, dict) and fact.get("verified") and fact.get("value") is not None:
        return fact["value"]
    return None
