"""A removed piece of text, and the text tools every detector shares."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache


def _combining_marks() -> str:
    """The vowel signs and other marks of the Indian scripts, Arabic and Thai, which Python's
    ``\\w`` leaves out: without them "வணக்கம்" (Tamil) or "থাকি" (Bengali) would be cut into
    pieces no list knows (round 8)."""
    marks = [chr(code) for code in range(0x0300, 0x10000)
             if unicodedata.category(chr(code)) in ("Mn", "Mc")]
    ranges, start = [], None
    for index, char in enumerate(marks):
        if start is None:
            start = char
        if index + 1 == len(marks) or ord(marks[index + 1]) != ord(char) + 1:
            ranges.append(f"\\u{ord(start):04x}-\\u{ord(char):04x}" if start != char
                          else f"\\u{ord(char):04x}")
            start = None
    return "".join(ranges)


MARKS = _combining_marks()
# A letter of Arabic script as Arabic, Farsi, Urdu and Pashto write it (with Urdu's retroflex
# "ٹ", "ڈ", "ڑ": "بٹ", Butt, is a family name), not its punctuation, digits or vowel marks.
ARABIC_LETTER = r"[\u0621-\u064a\u0671-\u06d3]"
TOKEN = re.compile(rf"[^\W\d_][\w{MARKS}-]*['’]?|\d\w*")
# "de", "la"…: the small words inside a place's name ("cité des Courtillières").
PLACE_LINKS = frozenset({"de", "des", "du", "d", "la", "le", "les", "l", "d'", "l'", "de la"})


@dataclass(frozen=True)
class Span:
    """A removed piece of text: [start, end) in the original, and what kind of identifier."""

    start: int
    end: int
    kind: str
    by: str  # which detector found it (regex, lexicon, ner, capitalised)


def fold(text: str) -> str:
    """Lower case without accents, same length as ``text`` (so offsets stay valid)."""
    return "".join(map(_fold_char, text))


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFD", char)
    return (decomposed[0] if decomposed else char).lower()[:1] or char


def sentence_start(text: str, position: int) -> bool:
    before = text[:position]
    stripped = before.rstrip()
    return not stripped or stripped[-1] in ".!?:;\n«\"(" or "\n" in before[len(stripped):]


def merge(spans: list[Span]) -> list[Span]:
    """Overlapping spans become one, keeping the kind of the longest."""
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        if merged and span.start <= merged[-1].end:
            last = merged[-1]
            if span.end > last.end:
                longest = span if span.end - span.start > last.end - last.start else last
                merged[-1] = Span(last.start, span.end, longest.kind, last.by)
            continue
        merged.append(span)
    return merged
