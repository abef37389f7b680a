"""Starts every process of Relais, waits until all are healthy, and stops them all on Ctrl-C.

``make run`` is ``python -m bot.supervisor``. Each child runs in its own process group with
its output in ``<data dir>/logs/<name>.log``; the supervisor alone decides the order of
shutdown, so a Ctrl-C leaves no orphan process and no port in use. A child that dies after
start-up is restarted with a growing delay: the assistant heals itself, and /health says 503
meanwhile.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from bot.channels.setup import channel_states
from bot.config import REPO_ROOT, ConfigError, Settings

POLL_S = 0.5
STOP_GRACE_S = 20.0
MAX_FAILED_STARTS = 3
MAX_RESTART_DELAY_S = 30.0


def say(message: str) -> None:
    print(f"[relais] {message}", flush=True)


def _die_with_parent() -> None:
    """Children get SIGTERM if the supervisor itself is killed (Linux prctl PR_SET_PDEATHSIG)."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)
    except OSError:
        pass


def _answers_200(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (local URL)
            return response.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


def _gateway_says_ok(url: str) -> bool:
    """The gateway's /health answers "ok": every Rasa instance, action server and the
    eligibility service are up as the gateway sees them.

    Each child answering its own readiness URL is not enough: the gateway keeps its last
    probe for a second (bot/health.py), and a probe made while the last Rasa instance was
    still loading would have /health say "degraded" just after "Relais is ready.".
    """
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (local URL)
            return json.load(response).get("status") == "ok"
    except (urllib.error.URLError, OSError, ValueError):
        return False


def _port_in_use(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1" if host == "0.0.0.0" else host, port)) == 0


@dataclass
class Service:
    """One child process and how to tell that it is ready."""

    name: str
    argv: list[str]
    port: int
    ready_url: str
    extra_env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen | None = None
    log: IO[bytes] | None = None
    ready: bool = False
    started_at: float = 0.0
    failed_starts: int = 0
    restart_at: float | None = None

    def start(self, env: dict[str, str], log_dir: Path) -> None:
        if self.log is None:
            self.log = open(log_dir / f"{self.name}.log", "ab")  # noqa: SIM115 (kept open)
        self.process = subprocess.Popen(
            self.argv,
            cwd=REPO_ROOT,
            env={**env, **self.extra_env},
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
        self.ready = False
        self.started_at = time.monotonic()
        self.restart_at = None

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def signal_group(self, signum: int) -> None:
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signum)
        except ProcessLookupError:
            pass


def _numbered(name: str, index: int, count: int) -> str:
    """"rasa" alone; "rasa-1", "rasa-2"… when there are several (log files, messages)."""
    return name if count == 1 else f"{name}-{index + 1}"


# A Rasa instance killed while it answered leaves its conversation's lock in Redis; another
# instance waits at most this long for it (Rasa's default is 60 s, longer than the gateway
# waits). It must stay above the longest turn (an eligibility calculation takes seconds).
TICKET_LOCK_LIFETIME_S = 20


def build_services(settings: Settings) -> list[Service]:
    """The processes of the assistant, in start-up order (see docs/architecture.md)."""
    python = sys.executable
    services = [
        Service(
            name="eligibility",
            argv=[str(settings.eligibility_python), "-m", "eligibility"],
            port=settings.eligibility_port,
            ready_url=f"{settings.eligibility_url}/health",
        ),
    ]
    for index, port in enumerate(settings.actions_ports):
        services.append(Service(
            name=_numbered("actions", index, settings.actions_instances),
            argv=[python, "-m", "rasa_sdk", "--actions", "actions", "--port", str(port)],
            port=port,
            ready_url=f"{settings.url(port)}/health",
            # rasa-sdk has no --interface option; it reads the bind address from here.
            extra_env={"SANIC_HOST": settings.host},
        ))
    for index, port in enumerate(settings.rasa_ports):
        services.append(Service(
            name=_numbered("rasa", index, settings.rasa_instances),
            argv=[python, "-m", "bot.rasa_server"],
            port=port,
            ready_url=f"{settings.url(port)}/status?token={settings.rasa_token}",
            extra_env={"RELAIS_RASA_PORT": str(port),
                       "RELAIS_ACTIONS_URL": f"{settings.actions_url_for(index)}/webhook",
                       "RELAIS_ACTIONS_URLS": ",".join(
                           f"{settings.actions_url_for(index + k)}/webhook"
                           for k in range(settings.actions_instances)),
                       "TICKET_LOCK_LIFETIME": str(TICKET_LOCK_LIFETIME_S)},
        ))
    services.append(Service(
        name="gateway",
        argv=[python, "-m", "bot.gateway"],
        port=settings.gateway_port,
        ready_url=f"{settings.gateway_url}/health",
    ))
    return services


class Supervisor:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.services = build_services(settings)
        self.log_dir = settings.data_dir / "logs"
        self.env = {**os.environ, **settings.child_environment(),
                    "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2",
                    "PYTHONUNBUFFERED": "1"}
        self.stopping = False

    def request_stop(self, signum: int, _frame: object) -> None:
        self.stopping = True

    def check_prerequisites(self) -> None:
        if not self.settings.model_path.exists():
            raise ConfigError(f"No trained model at {self.settings.model_path}: run `make run`.")
        if not self.settings.eligibility_python.exists():
            raise ConfigError(
                f"No eligibility environment at {self.settings.eligibility_python}: run `make run`."
            )
        busy = [s for s in self.services if _port_in_use(self.settings.host, s.port)]
        if busy:
            names = ", ".join(f"{s.name} port {s.port}" for s in busy)
            raise ConfigError(
                f"Already in use: {names}. Is another Relais running? "
                "Stop it, or choose other ports (RELAIS_*_PORT, see README)."
            )

    def run(self, start_timeout_s: float) -> int:
        self.check_prerequisites()
        self.log_dir.mkdir(parents=True, exist_ok=True)
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, self.request_stop)
        for service in self.services:
            service.start(self.env, self.log_dir)
            say(f"{service.name}: started (pid {service.process.pid}), "
                f"log {self.log_dir / (service.name + '.log')}")
        try:
            return self._watch(start_timeout_s)
        finally:
            self.stop_all()

    def _watch(self, start_timeout_s: float) -> int:
        deadline = time.monotonic() + start_timeout_s
        announced = False
        while not self.stopping:
            for service in self.services:
                if not self._tend(service, announced):
                    return 1
            if not announced:
                if (all(s.ready for s in self.services)
                        and _gateway_says_ok(f"{self.settings.gateway_url}/health")):
                    self._announce()
                    announced = True
                elif time.monotonic() > deadline:
                    waiting = (", ".join(s.name for s in self.services if not s.ready)
                               or "the gateway's /health does not say ok")
                    say(f"error: not ready after {start_timeout_s:.0f} s: {waiting}. "
                        f"See the logs in {self.log_dir}.")
                    return 1
            time.sleep(POLL_S)
        say("stopping…")
        return 0

    def _tend(self, service: Service, running: bool) -> bool:
        """Notices readiness and deaths; restarts a dead child. False means give up."""
        now = time.monotonic()
        if service.alive():
            if not service.ready and _answers_200(service.ready_url):
                service.ready = True
                service.failed_starts = 0
                if running:
                    say(f"{service.name}: ready again")
            return True
        if service.restart_at is None:
            code = service.process.returncode if service.process else None
            if not service.ready:
                service.failed_starts += 1
            service.ready = False
            if not running and service.failed_starts >= MAX_FAILED_STARTS:
                say(f"error: {service.name} exited {MAX_FAILED_STARTS} times during start-up "
                    f"(last exit code {code}). See {self.log_dir / (service.name + '.log')}.")
                return False
            delay = min(2.0 ** service.failed_starts, MAX_RESTART_DELAY_S)
            say(f"{service.name}: exited with code {code}; restarting in {delay:.0f} s")
            service.restart_at = now + delay
        elif now >= service.restart_at:
            service.start(self.env, self.log_dir)
        return True

    def _announce(self) -> None:
        url = self.settings.gateway_url
        say("Relais is ready.")
        say(f"  chat in your browser   {url}/")
        say(f"  health                 {url}/health")
        say(f"  web channel API        POST {url}/web/messages")
        say(f"  agents' console        {url}/console  (accounts: python -m bot.console.users add)")
        say(f"  data and logs          {self.settings.data_dir}")
        for channel, state in channel_states(self.settings).items():
            say(f"  {channel:<22} {state}")
        say("Press Ctrl-C to stop every process.")

    def stop_all(self) -> None:
        """Gateway first (no new messages), then Rasa, actions, eligibility; SIGKILL after grace."""
        ordered = list(reversed(self.services))
        for service in ordered:
            if service.alive():
                service.signal_group(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_S
        for service in ordered:
            if service.process is None:
                continue
            try:
                service.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                say(f"{service.name}: did not stop in time, killing it")
            # Whatever the group leader did, nothing of the group may outlive us.
            service.signal_group(signal.SIGKILL)
            if service.process.poll() is None:
                service.process.wait()
            if service.log is not None:
                service.log.close()
        say("all processes stopped.")


def main() -> None:
    try:
        settings = Settings.from_env()
        supervisor = Supervisor(settings)
        start_timeout = float(os.environ.get("RELAIS_START_TIMEOUT", "600"))
        code = supervisor.run(start_timeout)
    except ConfigError as exc:
        say(f"error: {exc}")
        code = 2
    sys.exit(code)


if __name__ == "__main__":
    main()
