"""Runs the Rasa server with its REST channel and a token-protected HTTP API.

``rasa run`` would take the token on its command line, where any local user can read it
with ``ps``; started from here, it comes from the environment (RELAIS_RASA_TOKEN).
With several instances, the supervisor gives each its own RELAIS_RASA_PORT and its list of
action servers (RELAIS_ACTIONS_URLS, its own first), and all of them share the tracker store
and the lock store in Redis (endpoints-redis.yml).
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

from bot.config import REPO_ROOT, ConfigError, Settings


def endpoints_file(settings: Settings) -> str:
    """With Redis configured, the lock store is shared; otherwise Rasa keeps it in memory."""
    return "endpoints-redis.yml" if settings.redis is not None else "endpoints.yml"


def failover_action_endpoint(urls: list[str]) -> Any:
    """Rasa's action endpoint, calling the next action server when one cannot be reached.

    Rasa calls one action server URL; when it is down, Rasa logs the error, drops the
    action's events and goes on, so the resident would get a reply missing its substance
    (the questionnaire's next question, a calculation). Going to another action server
    instead keeps the answer whole. An action server that died during the call may have
    started the action: only the handoff has an effect outside Rasa, and the gateway keeps
    one handoff per conversation.
    """
    import aiohttp
    from rasa.utils.endpoints import EndpointConfig

    class FailoverEndpoint(EndpointConfig):
        def __init__(self, urls: list[str]) -> None:
            super().__init__(url=urls[0])
            self.urls = urls

        async def request(self, *args: Any, **kwargs: Any) -> Any:
            for url in self.urls[:-1]:
                try:
                    return await EndpointConfig(url=url).request(*args, **kwargs)
                except aiohttp.ClientConnectionError:
                    logging.getLogger("relais.rasa").warning(
                        "action server %s unreachable; trying the next one", url)
            return await EndpointConfig(url=self.urls[-1]).request(*args, **kwargs)

        def copy(self) -> FailoverEndpoint:
            return FailoverEndpoint(self.urls)

    return FailoverEndpoint(urls)


def main() -> None:
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        print(f"relais rasa: {exc}", file=sys.stderr)
        sys.exit(2)
    # endpoints*.yml read ${RELAIS_…} values: the supervisor sets them, and so does this, from the
    # same settings, when the server is started on its own (a benchmark, a systemd unit).
    for name, value in settings.child_environment().items():
        os.environ.setdefault(name, value)

    import rasa.core.run
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    from bot import heap, rasa_sessions, rasa_speedups

    # At DEBUG, Rasa logs every message text; residents' words must never reach a log file.
    configure_logging_and_warnings(logging.INFO)
    configure_structlog(logging.INFO)
    rasa_speedups.apply()
    rasa_sessions.apply()
    endpoints = AvailableEndpoints.read_endpoints(str(REPO_ROOT / endpoints_file(settings)))
    action_urls = os.environ.get("RELAIS_ACTIONS_URLS", "").split(",")
    if len([u for u in action_urls if u]) > 1:
        endpoints.action = failover_action_endpoint([u for u in action_urls if u])
    rasa.core.run.serve_application(
        model_path=str(settings.model_path),
        channel="rest",
        interface=settings.host,
        port=settings.rasa_port,
        enable_api=True,
        auth_token=settings.rasa_token,
        endpoints=endpoints,
        server_listeners=[(rasa_speedups.close_action_session, "after_server_stop"),
                          # the model is loaded before the server starts (Rasa's listener)
                          (heap.freeze_after_rasa_start, "after_server_start")],
    )


if __name__ == "__main__":
    main()
