"""Two costs Rasa 3.6 pays on every message that buy nothing, removed in the Rasa process.

Measured with py-spy under 16 concurrent conversations (docs/performance.md), the Rasa server
spent:
- 12 % of its time checking the action server's answers with ``jsonschema.validate``, which
  re-checks the (constant) schema against the JSON-Schema meta-schema on every call before
  checking the answer. A validator built once for that schema checks the answer the same way
  and raises the same ``ValidationError``.
- a commit with a full disk sync of the SQLite tracker store on every message. SQLite in
  write-ahead-log mode with ``synchronous=NORMAL`` stays consistent after a crash of the
  process or the machine (it may lose the last transactions on a power cut, which a resident
  sees as a message to send again); PostgreSQL, in production, is not affected.

``apply()`` is called by bot/rasa_server.py before Rasa loads; nothing else changes.
"""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

SQLITE_PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL")


@functools.lru_cache(maxsize=1)
def _action_result_validator() -> Any:
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)  # once, instead of on every message
    return cls(schema)


def _validate_action_result(self: Any, result: dict[str, Any]) -> bool:
    """Rasa's RemoteAction._validate_action_result, with the validator built once."""
    from jsonschema import ValidationError
    from rasa.shared.constants import DOCS_BASE_URL

    try:
        _action_result_validator().validate(result)
        return True
    except ValidationError as e:
        e.message += (
            ". Failed to validate Action server response from API, "
            "make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise e


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()


def apply() -> None:
    from rasa.core.actions.action import RemoteAction

    RemoteAction._validate_action_result = _validate_action_result
    if not event.contains(Engine, "connect", _sqlite_pragmas):
        event.listen(Engine, "connect", _sqlite_pragmas)
