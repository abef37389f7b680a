"""Relais under load, beside the stock ``rasa init`` assistant measured in the same run.

Run from the repository root, with nothing else heavy running:

    flock /tmp/relais-heavy.lock .venvs/rasa/bin/python -m bench.benchmark [--quick]

In one run it prints: training time; Rasa server start-up time (alone, and the whole stack) and
memory (RSS);
messages/s and p50/p95 latency at 1, 16 and 64 concurrent conversations, for Relais (through
the gateway's web and Twilio SMS channels, bench/load.py) and for the stock assistant (through
its REST channel); the p95 of a conversation's 10th and 300th message; and each target of
issue 8 with its verdict. A benchmark, not a test: the figures depend on the machine and on
what else runs on it (docs/performance.md says how they were taken).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bench.load import LONG_CONVERSATION, LoadResult, Plan, TwilioSetup, run_load
from tests.processes import (
    REPO_ROOT,
    consecutive_free_ports,
    free_port,
    http,
    pids_of,
    relais_env,
    relais_processes,
    wait_until,
)

TWILIO = {"sid": "AC" + "b" * 32, "token": "benchmark-twilio-token"}
PUBLIC_URL = "https://relais.benchmark.invalid"
RASA_TOKEN = "benchmark-rasa-token"
START_TIMEOUT_S = 600


@dataclass
class Scale:
    """How much to measure: the full run, or a smoke run (``--quick``)."""

    levels: tuple[int, ...] = (1, 16, 64)
    duration_s: float = 30.0
    warmup_messages: int = 2
    long_residents: int = 8
    long_messages: int = 300  # a multiple of len(LONG_CONVERSATION)
    sms_share: float = 0.25

    @classmethod
    def quick(cls) -> Scale:
        return cls(levels=(1, 4), duration_s=4.0, warmup_messages=1, long_residents=2,
                   long_messages=30)


@dataclass
class Figures:
    training_s: float | None = None
    startup_s: float | None = None  # the Rasa server alone, from its start to /status 200
    stack_ready_s: float | None = None  # Relais: every process healthy (make run's wait)
    rss_mb: float | None = None
    peak_rss_mb: float | None = None
    levels: dict[int, LoadResult] = field(default_factory=dict)


def say(text: str = "") -> None:
    print(text, flush=True)


def _rss_mb(pid: int) -> tuple[float, float]:
    """Current and peak resident memory of a process, in MB (from /proc)."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    to_mb = lambda v: int(v.split()[0]) / 1024  # noqa: E731 (kB in /proc)
    return to_mb(fields["VmRSS"]), to_mb(fields["VmHWM"])


def _quiet_env() -> dict[str, str]:
    return {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2",
            "TQDM_DISABLE": "1", "PYTHONDONTWRITEBYTECODE": "1"}


def _timed(argv: list[str], cwd: Path, env: dict[str, str], log: Path) -> float:
    started = time.perf_counter()
    with log.open("wb") as out:
        subprocess.run(argv, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, check=True)
    return time.perf_counter() - started


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# --- CPU by process ---------------------------------------------------------------------------
# Where a message's CPU goes on this 2-core machine, process by process: each process's user +
# system time (/proc/<pid>/stat) before and after a level, divided by the messages sent
# (warm-up included). The load generator (this process) shares the cores too.

PROCESS_NAMES = (("bot.rasa_server", "rasa"), ("rasa_sdk", "actions"),
                 ("eligibility", "eligibility"), ("bot.gateway", "gateway"),
                 ("bot.supervisor", "supervisor"))


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_by_process(data_dir: Path) -> dict[str, float]:
    """CPU seconds used so far by each process of the Relais whose data folder is data_dir."""
    used: dict[str, float] = {"load generator": sum(os.times()[:2])}
    for pid, cmdline, _ in relais_processes(data_dir):
        line = b" ".join(cmdline).decode(errors="replace")
        name = next((label for module, label in PROCESS_NAMES if module in line), None)
        if name is None or pid == os.getpid():
            continue
        try:
            used[name] = used.get(name, 0.0) + _cpu_seconds(pid)
        except OSError:
            continue  # exited meanwhile
    return used


def _cpu_line(before: dict[str, float], after: dict[str, float], messages: int,
              elapsed_s: float) -> str:
    spent = {name: after[name] - before.get(name, 0.0) for name in after}
    total = sum(spent.values())
    parts = ", ".join(f"{name} {seconds * 1000 / messages:.1f}"
                      for name, seconds in sorted(spent.items(), key=lambda kv: -kv[1]))
    return (f"  CPU ms per message: {parts}; total {total * 1000 / messages:.1f} "
            f"({total / elapsed_s:.2f} cores busy, load {os.getloadavg()[0]:.2f})")


def _levels(url: str, scale: Scale, figures: Figures, *, stock: bool,
            twilio: TwilioSetup | None = None, data_dir: Path | None = None) -> None:
    for level in scale.levels:
        plan = Plan(level, duration_s=scale.duration_s, warmup_messages=scale.warmup_messages)
        before = cpu_by_process(data_dir) if data_dir else None
        started = time.perf_counter()
        result = asyncio.run(run_load(url, plan, stock=stock, sms_share=0 if stock
                                      else scale.sms_share, twilio=twilio))
        figures.levels[level] = result
        say("  " + result.line())
        if before is not None:
            messages = len(result.samples) + level * scale.warmup_messages
            say(_cpu_line(before, cpu_by_process(data_dir), max(messages, 1),
                          time.perf_counter() - started))


# --- the stock assistant ----------------------------------------------------------------------

@contextmanager
def stock_assistant(work: Path, figures: Figures) -> Iterator[str]:
    """``rasa init --no-prompt`` (which trains), then ``rasa run`` on its REST channel."""
    project = work / "stock"
    project.mkdir()
    # Relais's own settings (RELAIS_RASA_INSTANCES, RELAIS_REDIS_URL…) never reach the anchor.
    env = {**{k: v for k, v in _quiet_env().items() if not k.startswith("RELAIS_")},
           "RASA_CACHE_DIRECTORY": str(work / "stock-cache")}
    figures.training_s = _timed([sys.executable, "-m", "rasa", "init", "--no-prompt"],
                                project, env, work / "stock-init.log")
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "rasa", "run", "--enable-api", "--port", str(port),
         "--interface", "127.0.0.1"],
        cwd=project, env=env, stdout=(work / "stock-run.log").open("wb"),
        stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        ready = wait_until(lambda: http("GET", f"{url}/status", timeout=2)[0] == 200
                           or process.poll() is not None, START_TIMEOUT_S)
        if not ready or process.poll() is not None:
            raise RuntimeError("the stock assistant did not start; see " + str(work))
        figures.startup_s = time.perf_counter() - started
        yield url
        figures.rss_mb, figures.peak_rss_mb = _rss_mb(process.pid)
    finally:
        _stop(process)


# --- Relais -----------------------------------------------------------------------------------

def train_relais(work: Path) -> float:
    """A full training of Relais's model from an empty cache (the model in use is not touched;
    the rest of the run serves the model just trained)."""
    env = {**_quiet_env(), "RASA_CACHE_DIRECTORY": str(work / "relais-cache")}
    return _timed([sys.executable, "-m", "rasa", "train", "--domain", "domain.yml", "--config",
                   "config.yml", "--data", "nlu", "--out", str(work / "relais-model"),
                   "--fixed-model-name", "relais"], REPO_ROOT, env, work / "relais-train.log")


def _model_env(work: Path) -> dict[str, str]:
    """The model trained by this run if there is one, else the one in models/ (--no-training)."""
    trained = work / "relais-model" / "relais.tar.gz"
    return {"RELAIS_MODEL": str(trained)} if trained.exists() else {}


def rasa_alone(work: Path, figures: Figures) -> None:
    """Relais's Rasa server started on its own (nothing else competing for the CPU)."""
    data_dir = work / "rasa-alone"
    data_dir.mkdir()
    env = {**relais_env(data_dir), **_model_env(work)}
    env.pop("RELAIS_RASA_INSTANCES", None)  # one server, alone: no Redis to ask for
    env.update({"RELAIS_RASA_TOKEN": RASA_TOKEN, "RELAIS_SECRET_KEY": "benchmark-secret-key",
                "RELAIS_ACTIONS_URL": f"http://127.0.0.1:{free_port()}/webhook",
                "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"})
    status = f"http://127.0.0.1:{env['RELAIS_RASA_PORT']}/status?token={RASA_TOKEN}"
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "bot.rasa_server"], cwd=REPO_ROOT,
                               env=env, stdout=(data_dir / "rasa.log").open("wb"),
                               stderr=subprocess.STDOUT, start_new_session=True)
    try:
        up = wait_until(lambda: http("GET", status, timeout=2)[0] == 200
                        or process.poll() is not None, START_TIMEOUT_S, interval=0.25)
        if not up or process.poll() is not None:
            raise RuntimeError("Relais's Rasa server did not start; see " + str(data_dir))
        figures.startup_s = time.perf_counter() - started
    finally:
        _stop(process)


@contextmanager
def relais(work: Path, figures: Figures, telegram_secret: str | None = None,
           rasa_instances: int = 1, postgres_tracker: bool = False
           ) -> Iterator[tuple[str, TwilioSetup, Path]]:
    """The whole assistant as ``make run`` starts it, Twilio pointed at bench/load.py's fake.

    With ``telegram_secret`` the Telegram webhook is on too, its Bot API pointed at a closed
    port: what the gateway sends back fails (and is logged as such); what comes in is served.
    With ``rasa_instances`` above 1, that many Rasa servers behind the gateway, sharing their
    conversation locks in a Redis started on loopback for the run (as the tests start it).
    With ``postgres_tracker``, Rasa's tracker store is a PostgreSQL started likewise (several
    Rasa processes writing one SQLite file wait on its write lock: production uses PostgreSQL).
    """
    from tests.production.services import postgres_server, redis_server
    with ExitStack() as resources:
        extra = {}
        if rasa_instances > 1:
            redis = resources.enter_context(redis_server())
            extra = {"RELAIS_RASA_INSTANCES": str(rasa_instances),
                     "RELAIS_REDIS_URL": redis.url(1)}
        if postgres_tracker:
            postgres = resources.enter_context(postgres_server())
            extra["RELAIS_TRACKER_DB_URL"] = postgres.create_database("rasa_benchmark")
        yield resources.enter_context(_relais(work, figures, telegram_secret, extra))


@contextmanager
def _relais(work: Path, figures: Figures, telegram_secret: str | None,
            extra: dict[str, str]) -> Iterator[tuple[str, TwilioSetup, Path]]:
    data_dir = work / "relais"
    data_dir.mkdir()
    twilio = TwilioSetup(PUBLIC_URL, TWILIO["sid"], TWILIO["token"], free_port())
    # N instances listen on consecutive ports from RELAIS_RASA_PORT.
    env = {**relais_env(data_dir, rasa=consecutive_free_ports(4)), **_model_env(work)}
    env.update({
        "RELAIS_RASA_TOKEN": RASA_TOKEN, "RELAIS_SECRET_KEY": "benchmark-secret-key",
        "RELAIS_PUBLIC_URL": PUBLIC_URL, "TWILIO_ACCOUNT_SID": twilio.account_sid,
        "TWILIO_AUTH_TOKEN": twilio.auth_token, "TWILIO_SMS_FROM": twilio.sms_number,
        # WhatsApp on as well: hostile calls (bench/fuzz.py) must reach a working channel, not
        # the 503 "channel_disabled" of an unconfigured one.
        "TWILIO_WHATSAPP_FROM": f"whatsapp:{twilio.sms_number}",
        "TWILIO_API_BASE_URL": f"http://127.0.0.1:{twilio.api_port}",
        **extra,
    })
    if telegram_secret:
        env.update({"TELEGRAM_BOT_TOKEN": "123456:benchmark", "TELEGRAM_WEBHOOK_SECRET":
                    telegram_secret, "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{free_port()}"})
    log = data_dir / "supervisor.log"
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "bot.supervisor"], cwd=REPO_ROOT, env=env,
                               stdout=log.open("wb"), stderr=subprocess.STDOUT,
                               start_new_session=True)
    rasa_status = f"http://127.0.0.1:{env['RELAIS_RASA_PORT']}/status?token={RASA_TOKEN}"
    try:
        up = wait_until(lambda: http("GET", rasa_status, timeout=2)[0] == 200
                        or process.poll() is not None, START_TIMEOUT_S, interval=0.25)
        rasa_in_stack = time.perf_counter() - started
        ready = wait_until(lambda: "Relais is ready." in log.read_text(errors="replace")
                           or process.poll() is not None, START_TIMEOUT_S)
        figures.stack_ready_s = time.perf_counter() - started
        say(f"  Rasa answered /status {rasa_in_stack:.1f} s after the start, every process "
            f"was healthy after {figures.stack_ready_s:.1f} s")
        if not (up and ready) or process.poll() is not None:
            raise RuntimeError("Relais did not start:\n" + log.read_text(errors="replace"))
        yield f"http://127.0.0.1:{env['RELAIS_GATEWAY_PORT']}", twilio, data_dir
        rasa_pids = pids_of("bot.rasa_server", data_dir)
        if rasa_pids:
            figures.rss_mb, figures.peak_rss_mb = _rss_mb(rasa_pids[0])
    finally:
        _stop(process)


def gateway_counters(url: str) -> str:
    """What the gateway's /metrics counted during the run (a check that every path worked)."""
    import urllib.request
    with urllib.request.urlopen(f"{url}/metrics", timeout=10) as response:  # noqa: S310
        text = response.read().decode()
    totals: dict[str, float] = {}
    for line in text.splitlines():
        name = line.split("{")[0].split(" ")[0]
        if line.startswith("#") or not name.endswith("_total"):
            continue
        label = line[line.find("{"):line.rfind("}") + 1] if "{" in line else ""
        if name in ("relais_messages_total", "relais_assistant_errors_total"):
            key = f"{name.removeprefix('relais_').removesuffix('_total')}{label}"
        elif name == "relais_eligibility_calls_total":
            key = "eligibility_calls"
        else:
            continue
        totals[key] = totals.get(key, 0) + float(line.rsplit(" ", 1)[1])
    return ", ".join(f"{k} {v:.0f}" for k, v in sorted(totals.items()))


def long_conversations(url: str, scale: Scale, twilio: TwilioSetup) -> tuple[float, float]:
    """p95 of a conversation's 1st-10th messages and of its 291st-300th (the same texts)."""
    cycle = len(LONG_CONVERSATION)
    plan = Plan(scale.long_residents, messages=scale.long_messages, seed=300,
                cycle=LONG_CONVERSATION)
    result = asyncio.run(run_load(url, plan, sms_share=0, twilio=twilio))
    early = range(1, cycle + 1)
    late = range(scale.long_messages - cycle + 1, scale.long_messages + 1)
    say(f"  {scale.long_residents} conversations of {scale.long_messages} messages: "
        f"{result.rate:.1f} msg/s, {result.errors} errors")
    return result.percentile(95, early), result.percentile(95, late)


# --- the report ------------------------------------------------------------------------------

def _verdict(ok: bool | None) -> str:
    return "n/a " if ok is None else ("MET " if ok else "MISS")


def report(relais_fig: Figures, stock_fig: Figures | None, early: float, late: float,
           scale: Scale) -> None:
    say()
    say("== Summary ==")
    say(f"{'':<28}{'Relais':>22}{'stock rasa init':>22}{'ratio':>10}")
    for level in scale.levels:
        mine = relais_fig.levels[level]
        theirs = stock_fig.levels.get(level) if stock_fig else None
        ratio = f"{mine.rate / theirs.rate:9.1f}x" if theirs and theirs.rate else "       —"
        cell = lambda r: (f"{r.rate:6.1f}/s {r.percentile(50) * 1000:5.0f}/"  # noqa: E731
                          f"{r.percentile(95) * 1000:5.0f} ms")
        say(f"{level:>3} concurrent (msg/s p50/p95){cell(mine):>24}"
            f"{cell(theirs) if theirs else '—':>22}{ratio}")

    def num(value: float | None, unit: str) -> str:
        return f"{value:.1f} {unit}" if value is not None else "—"

    for label, attr, unit in (("training", "training_s", "s"), ("Rasa start-up", "startup_s", "s"),
                              ("every process healthy", "stack_ready_s", "s"),
                              ("Rasa RSS after load", "rss_mb", "MB"),
                              ("Rasa peak RSS", "peak_rss_mb", "MB")):
        say(f"{label:<28}{num(getattr(relais_fig, attr), unit):>22}"
            f"{num(getattr(stock_fig, attr), unit) if stock_fig else '—':>22}")
    growth = late / early if early else float("nan")
    cycle = len(LONG_CONVERSATION)
    say(f"p95 of messages 1-{cycle} / {scale.long_messages - cycle + 1}-{scale.long_messages}: "
        f"{early * 1000:.0f} ms / {late * 1000:.0f} ms (ratio {growth:.2f})")

    say()
    say("== Targets (issue 8) ==")
    middle = 16 if 16 in scale.levels else scale.levels[-1]
    mine = relais_fig.levels[middle]
    theirs = stock_fig.levels.get(middle) if stock_fig else None
    ratio = mine.rate / theirs.rate if theirs and theirs.rate else None
    checks = [
        (f"throughput at {middle} concurrent >= 5x stock",
         None if ratio is None else ratio >= 5, "—" if ratio is None else f"{ratio:.1f}x"),
        (f"p95 at {middle} concurrent <= 300 ms", mine.percentile(95) <= 0.3,
         f"{mine.percentile(95) * 1000:.0f} ms"),
        ("Rasa start-up (alone) <= 40 s", None if relais_fig.startup_s is None
         else relais_fig.startup_s <= 40, num(relais_fig.startup_s, "s")),
        ("Rasa memory <= 900 MB", None if relais_fig.peak_rss_mb is None
         else relais_fig.peak_rss_mb <= 900, num(relais_fig.peak_rss_mb, "MB")),
        (f"p95 at {scale.long_messages}th <= 1.2x at 10th",
         growth <= 1.2, f"{growth:.2f}x"),
    ]
    for name, ok, value in checks:
        say(f"  [{_verdict(ok)}] {name:<40} {value}")
    errors = sum(r.errors for r in relais_fig.levels.values())
    say(f"  errors during the Relais runs: {errors}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run: seconds, not minutes")
    parser.add_argument("--no-stock", action="store_true", help="skip the stock assistant")
    parser.add_argument("--no-training", action="store_true",
                        help="skip timing a full training of Relais (uses the model in place)")
    parser.add_argument("--duration", type=float, help="seconds per concurrency level")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (logs)")
    parser.add_argument("--rasa-instances", type=int, default=1, metavar="N",
                        help="Relais only: N Rasa servers behind the gateway, their locks in a "
                             "Redis started on loopback (the stock assistant stays one server)")
    parser.add_argument("--postgres-tracker", action="store_true",
                        help="Relais only: Rasa's tracker store in a PostgreSQL on loopback")
    parser.add_argument("--levels", type=int, nargs="+",
                        help="concurrency levels instead of the scale's (e.g. --quick --levels 16)")
    args = parser.parse_args(argv)
    scale = Scale.quick() if args.quick else Scale()
    if args.duration:
        scale.duration_s = args.duration
    if args.levels:
        scale.levels = tuple(args.levels)
    work = Path(tempfile.mkdtemp(prefix="relais-bench-"))
    say(f"Relais benchmark ({'quick' if args.quick else 'full'}), {os.cpu_count()} CPU(s), "
        f"load {os.getloadavg()[0]:.2f}; work folder {work}")
    stock_fig: Figures | None = None
    try:
        if not args.no_stock:
            stock_fig = Figures()
            say("-- stock assistant: rasa init --no-prompt (trains), rasa run")
            with stock_assistant(work, stock_fig) as url:
                say(f"  trained in {stock_fig.training_s:.1f} s, "
                    f"started in {stock_fig.startup_s:.1f} s")
                _levels(url, scale, stock_fig, stock=True)
        relais_fig = Figures()
        if not args.no_training:
            say("-- Relais: training from an empty cache")
            relais_fig.training_s = train_relais(work)
            say(f"  trained in {relais_fig.training_s:.1f} s")
        say("-- Relais: the Rasa server alone, start-up")
        rasa_alone(work, relais_fig)
        say(f"  /status answered {relais_fig.startup_s:.1f} s after the start")
        say(f"-- Relais: python -m bot.supervisor ({args.rasa_instances} Rasa instance(s)); "
            "web and SMS residents")
        with relais(work, relais_fig, rasa_instances=args.rasa_instances,
                    postgres_tracker=args.postgres_tracker) as (
                url, twilio, data_dir):
            _levels(url, scale, relais_fig, stock=False, twilio=twilio, data_dir=data_dir)
            say(f"  gateway counted: {gateway_counters(url)}")
            early, late = long_conversations(url, scale, twilio)
        report(relais_fig, stock_fig, early, late, scale)
    finally:
        if args.keep:
            say(f"(work folder kept: {work})")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
