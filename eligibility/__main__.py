"""Start the eligibility service: ``python -m eligibility`` (from the repository root).

Environment: RELAIS_ELIGIBILITY_HOST (default 127.0.0.1), RELAIS_ELIGIBILITY_PORT (default 8100),
RELAIS_COMMUNE_FILE (default commune/pantin.yml), RELAIS_LOG_LEVEL (default info).
"""

from __future__ import annotations

import logging
import os
import signal
import sys

import uvicorn

from commune import CommuneFileError
from eligibility.api import create_app


def main() -> int:
    host = os.environ.get("RELAIS_ELIGIBILITY_HOST", "127.0.0.1")
    raw_port = os.environ.get("RELAIS_ELIGIBILITY_PORT", "8100")
    try:
        port = int(raw_port)
    except ValueError:
        print(f"RELAIS_ELIGIBILITY_PORT doit être un nombre (reçu : {raw_port!r})", file=sys.stderr)
        return 2
    level = os.environ.get("RELAIS_LOG_LEVEL", "info").lower()
    logging.basicConfig(
        level=level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    try:
        app = create_app()
    except CommuneFileError as error:
        print(str(error), file=sys.stderr)
        return 2
    # uvicorn catches SIGTERM/SIGINT, stops accepting, finishes the requests in flight and runs the
    # lifespan exit; then it re-raises the signal with the handlers it found. These handlers turn
    # that re-raise into a normal exit, so a requested stop is a clean exit status 0.
    for stop_signal in (signal.SIGTERM, signal.SIGINT):
        signal.signal(stop_signal, _exit_cleanly)
    uvicorn.run(app, host=host, port=port, log_level=level, access_log=False)
    return 0


def _exit_cleanly(signum: int, frame: object) -> None:
    raise SystemExit(0)


if __name__ == "__main__":
    sys.exit(main())
