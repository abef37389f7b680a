"""First names of the world, to find a name typed with no cue: "j'ai vu karim hier".

The list is ``nam_dict.txt`` from the ``gender-guesser`` package (Jörg Michael's dictionary,
GNU Free Documentation License; the package's code, GPLv3, is not used): about 45,000 first
names with how common each is in 54 countries, Maghreb and the Middle East ("Arabia/Persia"),
Turkey and Africa ("other countries") included. Only the names are read, once, from the
installed package: nothing is downloaded at run time. West African first names it lacks
("fatoumata", "ibrahima") are in ``lexicon.yml`` (``first_names_of_the_area``).

A first name that is also a French word ("pierre", "rose", "claire") is no name on its own:
it needs a cue (a capital mid-sentence, "avec", "ma fille", "… a 4 ans"). Those common in
France are added to ``lexicon.yml``'s ``first_names_also_words`` so that the cues know them.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

from spacy.lang.fr.stop_words import STOP_WORDS

from .spans import fold
from .vocabulary import is_french_word
from .word_frequency import zipf

_HEX = "0123456789ABCDEF"
_FRANCE = 7  # the France column in nam_dict.txt's frequency columns
# Frequency in France (1 = rare … 13 = very common) from which a first name that is also a
# French word is known to the cues ("avec claire"): rarer ones are mostly just words.
COMMON_IN_FRANCE = 3
# First names common in France that are more often an ordinary word even with a capital or
# after "avec" ("la Marine", "avec Aime", "le Manuel"): left to NER.
# A first name of the world list is read as a name after a cue of a person ("chez lamine",
# "sana m'a aidée", "avec issa") when French text uses it as a word less than once in 300,000
# words; "patience" (4.3), "rose" (4.7) or "prince" (4.8) need a stronger cue.
RARE_AS_A_WORD = 3.5
_MOSTLY_WORDS = frozenset({"line", "eve", "aime", "martial", "manuel", "marine", "maxime",
                           "robin", "noel", "france", "major", "morgan", "flora", "leone"})


@lru_cache(maxsize=1)
def _dictionary() -> dict[str, int]:
    """Each first name, folded, with how common it is in France (0: not listed there)."""
    names: dict[str, int] = {}
    text = files("gender_guesser").joinpath("data/nam_dict.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        # '+' in column 30: the same name with umlauts expanded, listed twice.
        if not line or line[0] in "#=" or line[29:30] == "+":
            continue
        parts = line.split()
        if len(parts) < 2:
            continue
        france = line[30 + _FRANCE:31 + _FRANCE].strip()
        frequency = int(france, 16) if france and france in _HEX else 0
        for spelling in {parts[1].replace("+", "-"), parts[1].replace("+", "")}:
            folded = fold(spelling)
            names[folded] = max(names.get(folded, 0), frequency)
    return names


@lru_cache(maxsize=1)
def world_first_names() -> frozenset[str]:
    """Every first name of the dictionary, folded (lower case, no accents)."""
    return frozenset(_dictionary())


@lru_cache(maxsize=1)
def first_names_also_words() -> frozenset[str]:
    """First names that are also French words, which the cues know as names: those common in
    France ("pierre", "claire", "rose") and those French text hardly uses as words ("lamine",
    "issa", "imane": Zipf below 3.5, ``word_frequency.py``; "patience", 4.3, stays a word)."""
    return frozenset(name for name, frequency in _dictionary().items()
                     if name not in _MOSTLY_WORDS and is_french_word(name) and (
                         frequency >= COMMON_IN_FRANCE or len(name) > 3
                         and name not in STOP_WORDS and zipf(name) < RARE_AS_A_WORD))


# Cyrillic to Latin letters, Russian and Ukrainian readings: "Оксана" is "oksana", "Олена"
# "olena", "Мирослава" "myroslava" (round 7: the world list is in Latin letters).
_CYRILLIC = str.maketrans({"а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e",
                           "є": "ye", "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "yi",
                           "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
                           "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
                           "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ъ": "", "ы": "y",
                           "э": "e", "ю": "yu", "я": "ya", "ё": "e"})
_UKRAINIAN = str.maketrans({"и": "y", "г": "h"})


def is_world_first_name(folded: str) -> bool:
    """A first name of the world list, also written in Cyrillic letters ("оксана")."""
    names = world_first_names()
    if folded in names:
        return True
    if folded.isascii():
        return False
    return any(spelling.translate(_CYRILLIC) in names
               for spelling in (folded, folded.translate(_UKRAINIAN)))
