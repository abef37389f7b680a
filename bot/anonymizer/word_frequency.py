"""How common a word is in a language, to tell a first name from a rare word ("avec kamala").

spaCy's lemmatizer tables list as French words many forms a resident never writes ("kamala",
"lamine", "olympe"): with them alone, such a first name typed in lower case is a known word
and stays. How often the word occurs in French text tells them apart: "patience" is common
(Zipf 4.3), "kamala" is not (2.3). The figures are wordfreq's lists (``wordfreq`` 2.5.1 on
PyPI; code MIT, data CC-BY-SA 4.0: Wikipedia, subtitles, news, books, web text and social
media, case folded). Only its data files are read, once, from the installed package: nothing
is downloaded, and the package's own code (which imports the deprecated ``pkg_resources``) is
not imported. Zipf is log10 of the frequency per billion words: 7 for "de", 3 for a word met
once in a million words, 0 for a word the list lacks.
"""

from __future__ import annotations

import gzip
import importlib.util
from functools import lru_cache
from pathlib import Path

import msgpack

from .spans import fold


def _data_file(name: str) -> Path:
    spec = importlib.util.find_spec("wordfreq")  # found, not imported
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("wordfreq is not installed: run `make setup`")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / f"{name}.msgpack.gz"


# French down to the rare words (the "large" list, Zipf 1 and up); the others only their
# common words (the "small" lists, Zipf 3 and up: smaller, read faster).
_LISTS = {"fr": "large_fr", "en": "small_en", "de": "small_de", "es": "small_es"}
# An English word residents mix with French ("school", "week-end", "works"): common in English
# (Zipf 4.5 and up, the ~2,000 commonest) and at least ten times rarer in French, German and
# Spanish, so that a name or a place, about as common in all of them, is not one ("smith",
# "khan", "london", "california" are not).
EVERYDAY_ENGLISH = 4.5
ENGLISH_OVER_OTHERS = 1.0


@lru_cache(maxsize=4)
def _table(language: str) -> dict[str, float]:
    """Each word of the language's list, folded (no accents), with its Zipf value.

    The file is wordfreq's "cBpack": a header, then lists of words, the n-th list holding the
    words whose frequency is 10^(-n/100)."""
    with gzip.open(_data_file(_LISTS[language]), "rb") as handle:
        header, *buckets = msgpack.load(handle, raw=False)
    if header.get("format") != "cB":
        raise RuntimeError(f"unexpected wordfreq data format: {header}")
    table: dict[str, float] = {}
    for index, words in enumerate(buckets):
        zipf = round(9 - index / 100, 2)
        for word in words:
            folded = word if word.isascii() else fold(word)
            table.setdefault(folded, zipf)  # the most frequent spelling first
    return table


def zipf(word: str, language: str = "fr") -> float:
    """How common ``word`` is (folded) in ``language``: 0 when the list lacks it."""
    return _table(language).get(fold(word), 0.0)


def is_everyday_english(folded: str) -> bool:
    """A common English word that French text hardly uses: "school", "works", "near"."""
    english = zipf(folded, "en")
    return english >= EVERYDAY_ENGLISH and all(
        english - zipf(folded, other) >= ENGLISH_OVER_OTHERS for other in ("fr", "de", "es"))
