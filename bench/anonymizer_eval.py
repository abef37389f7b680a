"""Measures the anonymizer on bench/anonymizer_set.yml: recall of identifiers, over-removal.

    .venvs/rasa/bin/python bench/anonymizer_eval.py [--json PATH] [--details]

An identifier (between [[ ]] in the set) counts as removed only when every one of its
characters (spaces aside) is inside a removed span: half a name is a name. Over-removal is the
words removed that are not part of any identifier, over all such words. Each detector family is
also measured alone (ablation), since the lexicon was written by the same hand as the set.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.anonymizer import find_identifiers  # noqa: E402

SET_PATH = ROOT / "bench" / "anonymizer_set.yml"
# The first held-out set (anonymizer_heldout.yml) was read while tuning: it measures nothing now.
HELDOUT_PATH = ROOT / "bench" / "anonymizer_heldout_2026_11.yml"
CONFIGURATIONS = {
    "regex only": {"use_ner": False, "use_lexicon": False, "use_capitalised": False},
    "regex + lexicon": {"use_ner": False, "use_lexicon": True, "use_capitalised": False},
    "regex + spaCy NER": {"use_ner": True, "use_lexicon": False, "use_capitalised": False},
    "regex + NER + lexicon": {"use_ner": True, "use_lexicon": True, "use_capitalised": False},
    "all (shipped)": {"use_ner": True, "use_lexicon": True, "use_capitalised": True},
}


@dataclass(frozen=True)
class Case:
    text: str
    gold: list[tuple[int, int]]


def parse(marked: str) -> Case:
    """Removes the [[ ]] marks and returns the identifiers' offsets in the clean text."""
    text, gold, position = "", [], 0
    for match in re.finditer(r"\[\[(.+?)\]\]", marked):
        text += marked[position:match.start()]
        start = len(text)
        text += match.group(1)
        gold.append((start, len(text)))
        position = match.end()
    text += marked[position:]
    return Case(text, gold)


def load_set(path: Path = SET_PATH) -> list[Case]:
    with path.open(encoding="utf-8") as handle:
        return [parse(answer) for answer in yaml.safe_load(handle)["answers"]]


def evaluate(cases: list[Case], **switches: bool) -> dict:
    identifiers = removed_identifiers = other_words = over_words = 0
    missed: list[str] = []
    over: list[str] = []
    for case in cases:
        covered = [False] * len(case.text)
        for span in find_identifiers(case.text, **switches):
            for index in range(span.start, span.end):
                covered[index] = True
        in_gold = [False] * len(case.text)
        for start, end in case.gold:
            identifiers += 1
            for index in range(start, end):
                in_gold[index] = True
            if all(covered[i] for i in range(start, end) if not case.text[i].isspace()):
                removed_identifiers += 1
            else:
                missed.append(case.text[start:end])
        for word in re.finditer(r"\w+", case.text):
            if any(in_gold[word.start():word.end()]):
                continue
            other_words += 1
            if any(covered[word.start():word.end()]):
                over_words += 1
                over.append(word.group())
    return {
        "answers": len(cases), "identifiers": identifiers, "removed": removed_identifiers,
        "recall": removed_identifiers / identifiers if identifiers else 1.0,
        "other_words": other_words, "over_removed_words": over_words,
        "over_removal_rate": over_words / other_words if other_words else 0.0,
        "missed": missed, "over_removed": over,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--details", action="store_true", help="what each configuration missed")
    parser.add_argument("--heldout", type=Path, default=HELDOUT_PATH,
                        help="the held-out set (its misses are counted, never printed)")
    args = parser.parse_args()
    cases = load_set()
    results = {name: evaluate(cases, **switches) for name, switches in CONFIGURATIONS.items()}
    print(f"{len(cases)} answers, {results['all (shipped)']['identifiers']} identifiers")
    print(f"{'configuration':<24} {'recall':>8} {'over-removal':>13}")
    for name, result in results.items():
        print(f"{name:<24} {result['recall']:>8.1%} {result['over_removal_rate']:>8.1%} "
              f"({result['over_removed_words']}/{result['other_words']} words)")
    shipped = results["all (shipped)"]
    print("missed:", shipped["missed"])
    print("over-removed words:", sorted(set(shipped["over_removed"])))
    if args.details:
        for name, result in results.items():
            print(f"{name}: missed {result['missed']}")
    heldout = evaluate(load_set(args.heldout))
    results["held-out (shipped)"] = heldout
    print(f"\nheld-out set ({heldout['answers']} answers, {heldout['identifiers']} identifiers, "
          f"never used for tuning): recall {heldout['recall']:.1%}, over-removal "
          f"{heldout['over_removal_rate']:.1%} ({heldout['over_removed_words']}/"
          f"{heldout['other_words']} words)")
    # Misses are not printed: whoever reads them writes the next lexicon entry for them, and
    # the set stops measuring anything (that is what happened to anonymizer_heldout.yml).
    print(f"missed: {len(heldout['missed'])} identifiers (not shown)")
    print("over-removed words:", sorted(set(heldout["over_removed"])))
    heldout.pop("missed")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
