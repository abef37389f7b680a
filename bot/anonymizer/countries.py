"""Every country's French and English name, from Babel's CLDR data (installed with Rasa).

A country or a territory names where a person comes from ("je viens du mali", "née en
Algérie"): the commission must not see origin, so each one is removed, in lower case too.
The few whose French name is also an ordinary word ("chili", "grenade", "jersey",
"réunion") are removed only with their capital; France is kept (where the person lives).
"""

from __future__ import annotations

from functools import lru_cache

from .spans import fold

# CLDR codes that are no country: the European Union, the euro zone, the UN, "outlying Oceania",
# "unknown region".
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "ZZ", "FR"})
# Country names that are also ordinary words in lower case: only taken with a capital.
ORDINARY_IN_LOWER_CASE = frozenset({"argentine", "chili", "grenade", "jersey", "equateur",
                                    "la reunion", "reunion", "antarctique", "panama", "suisse",
                                    "saint-martin", "philippines", "canada", "malte"})


@lru_cache(maxsize=1)
def country_names() -> tuple[frozenset[str], frozenset[str]]:
    """(names removed in any case, folded; names removed only as written, with capitals)."""
    from babel import Locale

    from .vocabulary import is_french_word

    anywhere, capitalised = set(), set()
    for code, name in Locale("fr").territories.items():
        if len(code) != 2 or not code.isalpha() or code in _NOT_COUNTRIES:
            continue
        for spelling in {name, name.replace("’", "'"), name.replace("’", " ")}:
            folded = fold(spelling)
            if folded in ORDINARY_IN_LOWER_CASE:
                capitalised.add(spelling)
            else:
                anywhere.add(folded)
    # The English names too, said in answers written in English or Spanish ("from india",
    # "soy de colombia"); those that are also a French or English word ("Chile", "Jersey",
    # "Turkey") only with their capital.
    for code, name in Locale("en").territories.items():
        if len(code) != 2 or not code.isalpha() or code in _NOT_COUNTRIES or not (
                name.replace(" ", "").isalpha()):
            continue
        folded = fold(name)
        if folded in anywhere:
            continue
        if is_french_word(folded) or folded in ("turkey", "chad", "jordan"):
            capitalised.add(name)
        else:
            anywhere.add(folded)
    # And in the scripts residents write that French text never mixes up with its own words
    # (round 9): "پاکستان", "مصر", "ኤርትራ", "இலங்கை", "Україна". Not the Latin-script languages,
    # whose country names are words there ("Anh", the United Kingdom, is "brother" in
    # Vietnamese), nor Chinese, written without spaces (``cues.chinese_spans``).
    for language in _COUNTRY_SCRIPTS:
        for code, name in Locale(language).territories.items():
            if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES and not any(
                    "a" <= c <= "z" for c in fold(name)):
                anywhere.add(fold(name))
    return frozenset(anywhere), frozenset(capitalised)


_COUNTRY_SCRIPTS = ("ar", "fa", "ur", "ps", "bn", "hi", "ta", "am", "ti", "ru", "uk")


@lru_cache(maxsize=1)
def english_country_words() -> frozenset[str]:
    """Each word of the countries' English names, folded: "italy", "brazil", "kingdom". An
    English word is kept as everyday English (``unknown_words.py``) only if it is none."""
    from babel import Locale

    return frozenset(word for code, name in Locale("en").territories.items()
                     if len(code) == 2 and code.isalpha()
                     for word in fold(name).replace("&", " ").split() if len(word) > 3) | {
        "england", "scotland", "wales", "britain", "turkey", "europe", "asia", "america"}


# Languages residents speak (round 7): each one's own name for itself is a word of the
# situation, like "wolof" or "lingala" in lexicon.yml ("Kurmancî", "polski", "türkçe", "shqip").
_SPOKEN = ("ar", "bg", "bn", "bs", "cs", "el", "es", "fa", "ff", "hi", "hr", "hu", "it", "ku",
           "lt", "mk", "nl", "pl", "ps", "pt", "ro", "ru", "sk", "sl", "so", "sq", "sr", "sw",
           "ta", "ti", "tr", "uk", "ur", "vi", "wo", "yo", "zh", "am", "ln", "bm", "ha", "ig")


@lru_cache(maxsize=1)
def language_self_names() -> frozenset[str]:
    """Each word of these languages' names in themselves, folded: "kurdi", "kurmanci",
    "polski", "turkce", "shqip" (CLDR data, from Babel)."""
    from babel import Locale, UnknownLocaleError

    words = set()
    for code in _SPOKEN:
        try:
            name = Locale.parse(code).get_display_name(code) or ""
        except (UnknownLocaleError, ValueError):
            continue
        words.update(fold(name).replace("(", " ").replace(")", " ").split())
    return frozenset(word for word in words if len(word) > 3)
