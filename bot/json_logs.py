"""One JSON object per log line, so a town's log collector can filter without parsing prose.

What a line may hold is decided where it is written (counts, codes, classes of errors — never a
message text, a phone number or an id of a person); the formatter adds one more guard: an
exception is logged as its class and its stack of code locations, not its message, because
messages quote the values that failed ("invalid literal for int(): '0612…'").
"""

from __future__ import annotations

import json
import logging
import traceback
from datetime import datetime, timezone

# Attributes every LogRecord has; anything else was passed with ``extra=`` and is a field.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


def _stack(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    where = "; ".join(f"{f.filename}:{f.lineno} in {f.name}" for f in frames)
    return f"Traceback (most recent call last): {where}"


class JsonFormatter(logging.Formatter):
    """``{"time", "level", "logger", "message", …extra fields, "exception"?, "stack"?}``."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, timezone.utc)
                            .isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                line[key] = value
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            line["exception"] = type(exc).__name__
            line["stack"] = _stack(exc)
        return json.dumps(line, ensure_ascii=False, default=str)


def configure(level: int = logging.INFO) -> None:
    """Sends every logger of the process to stderr as JSON lines."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
