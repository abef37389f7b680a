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

import bisect
import gzip
import importlib.util
from functools import lru_cache
from pathlib import Path

import msgpack

from .spans import fold
from .vocabulary import is_french_word


def _data_file(name: str) -> Path:
    spec = importlib.util.find_spec("wordfreq")  # found, not imported
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("wordfreq is not installed: run `make setup`")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / f"{name}.msgpack.gz"


# French down to the rare words (the "large" list, Zipf 1 and up); the others only their
# common words (the "small" lists, Zipf 3 and up: smaller, read faster).
_LISTS = {"fr": "large_fr", "en": "small_en", "de": "small_de", "es": "small_es",
          "zh": "small_zh"}
# The other languages wordfreq knows that residents of the area write in or mix with French
# (Arabic, Bengali, Farsi, Hindi, Urdu, Tamil, Vietnamese, Tagalog; the languages of Eastern and
# Southern Europe, Turkish, Portuguese, Spanish, Italian, German, Dutch): their small lists.
_OTHER_LANGUAGES = ("ar", "bg", "bn", "cs", "de", "el", "es", "fa", "fil", "hi", "hu", "it",
                    "lt", "mk", "nl", "pl", "pt", "ro", "ru", "sh", "sk", "sl", "ta", "tr", "uk",
                    "ur", "vi")
# A word of another language is everyday there from Zipf 4 (once in 100,000 words: "jestem"
# 6.2, "dzieci" 5.8, "molim" 4.7, "oturuyorum" 4.1) …
EVERYDAY_ELSEWHERE = 4.0
# … and stays there: names and places travel into French text ("kowalski" 2.6, "konya" 2.0,
# "szabo" 2.3, "beograd" 1.8), everyday words hardly do ("jestem" 1.1, "dzień" 1.1, "dobry" 1.5).
TRAVELS = 1.6
# Endings that make family names in those languages, whatever their frequency: Serbo-Croatian
# "-ić", Polish "-ski/-cka", Romanian "-escu/-eanu", Ukrainian "-enko/-chuk", Turkish "-oğlu",
# Russian and Bulgarian "-ov/-eva".
_FAMILY_NAME_ENDINGS = ("ic", "vic", "ski", "ska", "cki", "cka", "dzki", "dzka", "escu", "eanu",
                        "enko", "chuk", "czuk", "oglu", "ov", "ova", "ev", "eva", "ovic", "evic",
                        "owski", "owska", "ewski", "ewska", "yan", "ian", "dze", "shvili",
                        "енко", "чук", "ський", "ська", "ский", "ская")
# An English word residents mix with French ("school", "week-end", "works"): common in English
# (Zipf 4.5 and up, the ~2,000 commonest) and at least ten times rarer in French, German and
# Spanish, so that a name or a place, about as common in all of them, is not one ("smith",
# "khan", "london", "california" are not).
EVERYDAY_ENGLISH = 4.5
ENGLISH_OVER_OTHERS = 1.0


@lru_cache(maxsize=4)
def _table(language: str) -> dict[str, float]:
    return _read(_LISTS[language])


def _read(name: str, down_to: float = 0.0) -> dict[str, float]:
    """Each word of the language's list, folded (no accents), with its Zipf value."""
    table: dict[str, float] = {}
    for word, zipf in _words(name, down_to):
        table.setdefault(word if word.isascii() else fold(word), zipf)  # the commonest first
    return table


def _words(name: str, down_to: float):
    """The list's words as written, commonest first, with their Zipf value.

    The file is wordfreq's "cBpack": a header, then lists of words, the n-th list holding the
    words whose frequency is 10^(-n/100)."""
    with gzip.open(_data_file(name), "rb") as handle:
        header, *buckets = msgpack.load(handle, raw=False)
    if header.get("format") != "cB":
        raise RuntimeError(f"unexpected wordfreq data format: {header}")
    for index, words in enumerate(buckets[:round((9 - down_to) * 100) + 1]):
        zipf = round(9 - index / 100, 2)
        for word in words:
            yield word, zipf


def zipf(word: str, language: str = "fr") -> float:
    """How common ``word`` is (folded) in ``language``: 0 when the list lacks it."""
    return _table(language).get(fold(word), 0.0)


def is_everyday_english(folded: str) -> bool:
    """A common English word that French text hardly uses: "school", "works", "near"."""
    english = zipf(folded, "en")
    return english >= EVERYDAY_ENGLISH and all(
        english - zipf(folded, other) >= ENGLISH_OVER_OTHERS for other in ("fr", "de", "es"))


@lru_cache(maxsize=1)
def _elsewhere() -> tuple[dict[str, float], tuple[str, ...], dict[str, float]]:
    """The words of the other languages down to Zipf 3.5, folded, each with its highest Zipf in
    any of them; the same words in alphabetical order (to find the base form of an inflected
    one); and, down to Zipf 3, the words spelled with a letter French does not write, as
    written (round 9). One pass over the lists."""
    table: dict[str, float] = {}
    spelled: dict[str, float] = {}
    for language in _OTHER_LANGUAGES:
        seen: set[str] = set()
        for word, value in _words(f"small_{language}", SPELLED_ELSEWHERE):
            if value >= 3.5:
                folded = word if word.isascii() else fold(word)
                if folded not in seen:  # the language's commonest spelling first
                    seen.add(folded)
                    if value > table.get(folded, 0.0):
                        table[folded] = value
            if not word.isascii() and value > spelled.get(word, 0.0) and foreign_letters(word):
                spelled[word] = value
    return table, tuple(sorted(table)), spelled


def elsewhere_zipf(folded: str) -> float:
    """How common ``folded`` is in the commonest of the other languages (0 when no list has
    it down to Zipf 3.5)."""
    return _elsewhere()[0].get(folded, 0.0)


def _travels(folded: str) -> bool:
    return zipf(folded, "fr") >= TRAVELS or zipf(folded, "en") > 0


def is_everyday_elsewhere(folded: str) -> bool:
    """An everyday word of another language that is no name nor place: "jestem", "dzieci",
    "oturuyorum", "molim". Not a word French or English text also uses ("kowalski", "konya",
    "szabo": names and places travel), nor an inflected form of one ("warszawy", "krakowa",
    "beogradu", "budapesten"), nor a word with a family name's ending ("kovacevic")."""
    table, ordered, _ = _elsewhere()
    if table.get(folded, 0.0) < EVERYDAY_ELSEWHERE or _travels(folded) or folded.endswith(
            _FAMILY_NAME_ENDINGS):
        return False
    for length in range(max(5, len(folded) - 3), len(folded)):
        stem = folded[:length]
        index = bisect.bisect_left(ordered, stem)
        while index < len(ordered) and ordered[index].startswith(stem):
            base = ordered[index]
            if (base != folded and len(base) <= length + 2 and _travels(base)
                    and not is_french_word(base) and zipf(base, "en") < EVERYDAY_ENGLISH):
                return False  # "warszawy" is Warszawa's, "krakowa" Kraków's
            index += 1
    return True


# Letters French does not write: "ı", "ğ", "ș", "ą", "ỏ", "ợ", and every letter of another
# script. A word spelled with them, as wordfreq spells it, belongs to that language's text.
_FRENCH_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzàâäçéèêëîïôöùûüÿœæ'’-")
# Its everyday words, as they are spelled there, from this Zipf (once in a million words; in a
# script without capitals, from 3.5): inflected forms are rarer than their stem ("çocuklarım"
# 3.8, "artırdı" 3.7, "sprzątaczka" 3.2, "дочкою" 3.8, "சேர்ந்தவன்" 3.6, "ساكنة" 3.6) and
# tone marks tell Vietnamese words from the names their letters also spell ("hỏi", "bảo",
# "trợ": "hoi", "bao" are first names somewhere).
SPELLED_ELSEWHERE = 3.0
SPELLED_ELSEWHERE_UNCASED = 3.5


def foreign_letters(word: str) -> bool:
    """``word`` (in lower case) holds a letter French does not write."""
    return any(c not in _FRENCH_LETTERS for c in word if not c.isdigit())


def is_spelled_elsewhere(word: str, *, cased: bool) -> bool:
    """An everyday word of another language as that language spells it ("hỏi", "artırdı",
    "дочкою"), in lower case (``cased``) or in a script without capitals; not with a family
    name's ending ("wiśniewska", "коваленко")."""
    lower = word.lower()
    threshold = SPELLED_ELSEWHERE if cased else SPELLED_ELSEWHERE_UNCASED
    spelled = _elsewhere()[2]
    return any(spelled.get(form, 0.0) >= threshold for form in (lower, *_written_tamil(lower))) \
        and not fold(lower).endswith(_FAMILY_NAME_ENDINGS)


# Spoken Tamil as typed, and the written form wordfreq lists (round 10): the plural "-ங்க" for
# "-கள்" ("பிள்ளைங்க", children), the present "-றார்", "-றேன்", "-றோம்", "-றாங்க" for
# "-கிறார்"… ("செய்றார்", he does; "இருக்கோம்" is listed as spoken).
_SPOKEN_TAMIL = (("றாங்க", "கிறார்கள்"), ("றார்", "கிறார்"), ("றேன்", "கிறேன்"),
                 ("றோம்", "கிறோம்"), ("றீங்க", "கிறீர்கள்"), ("ங்க", "கள்"))


def _written_tamil(lower: str) -> tuple[str, ...]:
    return tuple(lower[:-len(spoken)] + written for spoken, written in _SPOKEN_TAMIL
                 if lower.endswith(spoken) and len(lower) > len(spoken) + 1)


@lru_cache(maxsize=1)
def _turkish_as_typed() -> dict[str, float]:
    """Turkish's everyday words as a phone without Turkish letters types them ("doğum" as
    "dogum", "kişi" as "kisi", "çalışmak" as "calismak"), each with its Zipf value (round 10)."""
    table: dict[str, float] = {}
    for word, value in _words("small_tr", EVERYDAY_ELSEWHERE):
        table.setdefault(fold(word).replace("ı", "i"), value)
    return table


def turkish_zipf(typed: str) -> float:
    """How common ``typed`` (folded, "ı" typed "i") is in Turkish: 0 below Zipf 4."""
    return _turkish_as_typed().get(typed, 0.0)


def travels(folded: str) -> bool:
    """French or English text uses the word too: names and places do ("konya" 2.0)."""
    return _travels(folded)
