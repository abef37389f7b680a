"""Trains each NLU pipeline on nlu/ and measures it on the held-out first messages.

Usage (Rasa environment, from the repository root)::

    .venvs/rasa/bin/python -m bench.compare_nlu_pipelines [config.yml bench/pipelines/light.yml]

Prints, per pipeline: training time, right-topic rate, crisis recall and false alarms (model
alone and with the safety net, when the pipeline has it), and parse latency per message. The
models go to var/bench/; the held-out set is never trained on (tests/nlu_eval/README.md).
"""

from __future__ import annotations

import pathlib
import subprocess
import sys
import time

from tests.nlu_eval.evaluate import evaluate, format_report, load_held_out

REPO_ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT_DIR = REPO_ROOT / "var" / "bench" / "nlu"
DEFAULT_CONFIGS = ["config.yml", "bench/pipelines/spacy_diet.yml"]


def train(config: str) -> tuple[pathlib.Path, float]:
    name = pathlib.Path(config).stem
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "rasa",
            "train",
            "nlu",
            "--config",
            config,
            "--nlu",
            "nlu",
            "--out",
            str(OUT_DIR),
            "--fixed-model-name",
            name,
        ],
        cwd=REPO_ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return OUT_DIR / f"{name}.tar.gz", time.perf_counter() - started


def main(configs: list[str]) -> int:
    held_out = load_held_out()
    rows = []
    for config in configs:
        model, seconds = train(config)
        report = evaluate(str(model), held_out)
        print(format_report(report, f"{config} (trained in {seconds:.0f} s)"), flush=True)
        rows.append((config, seconds, report))
    print("\npipeline                       train  topic  crisis(model) false  p95 ms")
    for config, seconds, r in rows:
        print(
            f"{config:<30} {seconds:5.0f}s {r.topic_accuracy:6.1%} "
            f"{r.model_only_crisis_recall:8.1%}     {r.model_only_crisis_false_alarms:5d} "
            f"{r.latency_ms_p95:7.1f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:] or DEFAULT_CONFIGS))
