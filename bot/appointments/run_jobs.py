"""``python -m bot.appointments.run_jobs [--now 2026-12-01T10:00:00+01:00]``

Asks the running gateway to send the reminders and follow-ups due now (or as of ``--now``),
and prints what went out. The gateway already does this every minute; the command is for a
cron-driven deployment, for replaying a morning the gateway missed, and for the tests.
Claim rows make it safe to run at the same time as the gateway's own loop.
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.error
import urllib.request

from bot.config import ConfigError, Settings
from bot.identity import internal_token


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.appointments.run_jobs")
    parser.add_argument("--now", help="ISO moment with its time zone (default: the clock)")
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        print(f"relais jobs: {exc}", file=sys.stderr)
        return 2
    body = json.dumps({"now": args.now} if args.now else {}).encode()
    request = urllib.request.Request(
        f"{settings.url(settings.gateway_port)}/internal/jobs/run", data=body, method="POST",
        headers={"Content-Type": "application/json",
                 "Authorization": "Bearer " + internal_token(settings.secret_key)})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            print(response.read().decode())
            return 0
    except urllib.error.HTTPError as error:
        print(f"relais jobs: the gateway answered HTTP {error.code}", file=sys.stderr)
    except (urllib.error.URLError, OSError) as error:
        print(f"relais jobs: the gateway cannot be reached ({error})", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
