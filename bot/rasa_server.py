"""Runs the Rasa server with its REST channel and a token-protected HTTP API.

``rasa run`` would take the token on its command line, where any local user can read it
with ``ps``; started from here, it comes from the environment (RELAIS_RASA_TOKEN).
"""

from __future__ import annotations

import logging
import sys

from bot.config import REPO_ROOT, ConfigError, Settings


def main() -> None:
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        print(f"relais rasa: {exc}", file=sys.stderr)
        sys.exit(2)

    import rasa.api
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    from bot import rasa_speedups

    # At DEBUG, Rasa logs every message text; residents' words must never reach a log file.
    configure_logging_and_warnings(logging.INFO)
    configure_structlog(logging.INFO)
    rasa_speedups.apply()
    rasa.api.run(
        model=str(settings.model_path),
        endpoints=str(REPO_ROOT / "endpoints.yml"),
        connector="rest",
        interface=settings.host,
        port=settings.rasa_port,
        enable_api=True,
        auth_token=settings.rasa_token,
    )


if __name__ == "__main__":
    main()
