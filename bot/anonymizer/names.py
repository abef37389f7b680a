"""Is this word a name? Capital letters, the French lexicon and the first-name lists decide."""

from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH_STOP_WORDS
from spacy.lang.fr.stop_words import STOP_WORDS

from .first_names import world_first_names
from .lexicon import Lexicon
from .spans import fold
from .unknown_words import is_inflected_abroad
from .vocabulary import glued_elision, is_french_word, is_verb_form, one_letter_off
from .word_frequency import (
    elsewhere_zipf,
    foreign_letters,
    is_everyday_elsewhere,
    is_everyday_english,
    is_spelled_elsewhere,
    zipf,
)

# A first name of the world list that spaCy's tables also list as a French word is read as the
# name with no cue at all when French text hardly uses the word (Zipf, ``word_frequency.py``):
# below 2.5, less than once in three million words ("kamala", "fatou"), unless it is a verb
# form ("raidi"); with a cue of a person, below 3.5 (``first_names.py``).
RARE_WORD_ALONE = 2.5
# In a script without capitals, a word this common in the languages of wordfreq ends a name
# found after a cue: "இல்லை" (Tamil "no", 6.3), "வேலை" ("work", 5.9); names reach 5 and more
# (محمد 6.1, বেগম 5.0), so the word right after the cue is a name whatever its frequency.
CASELESS_WORD = 5.5
# No name is this common in a language of wordfreq (محمد 6.1): its function words are ("আর",
# Bengali "and", 6.8; "في" 7.2).
FUNCTION_WORD = 6.5
# Arabic's present tense, "he/she/we …" before the root: "يعمل" (works), "تسكن" (lives),
# "يشتغل"; names of that shape (يوسف, ياسين, يونس) are in the first-names list or rarer.
_ARABIC_PRESENT_TENSE = re.compile(r"^[يت][\u0621-\u064a]{3,}$")
_EVERYDAY_VERB = 3.5
_NAMES_OF_THAT_SHAPE = frozenset({"يعقوب", "يزيد", "يسرى", "يمينة", "يامنة", "تسنيم", "توفيق",
                                  "تامر", "تيسير", "تقي", "تماضر"})
# Arabic's "and", "so" glued before a word ("وبنتي", "and my daughter").
_ARABIC_CLITIC = re.compile(r"^[وف](?=[\u0621-\u064a]{3})")


def is_name_word(word: str, lexicon: Lexicon, *, first: bool = False,
                 after_title: bool = False, world: bool = False, opening: bool = False) -> bool:
    """A capitalised word outside the keep-list, or a lower-case word that is no French word.

    ``first``: the word opening a name, where "Je suis Aide à domicile" is no name but
    "ma fille Rose" is (a first name that is also a word); ``world``: any first name of the
    world list is a name there ("tonton issa"); ``opening``: the word right after the cue."""
    folded = fold(word).rstrip("'’")
    if folded in lexicon.keep or folded in lexicon.not_names or not word[:1].isalpha() or (
            folded in lexicon.named_places) or word.islower() and folded in lexicon.foreign_words:
        return False  # "j'habite rés. les Pommiers": "rés" announces the name, is none
    if len(folded) < 2 or word.endswith(("'", "’")) and len(folded) <= 2:
        return False  # "I", "L'", "m'", "qu'": a letter or an elision
    if after_title:
        # "mme toure", "cité de l'ABREUVOIR": after a title, a word is a name
        return folded not in STOP_WORDS
    if word.isupper() and len(folded) > 2:
        return not is_french_word(folded)  # "MR OZTURK VEUT": typed in capitals
    if not word.islower() and not word[:1].isupper() and (
            _ARABIC_CLITIC.sub("", folded) in lexicon.foreign_words
            or elsewhere_zipf(folded) >= FUNCTION_WORD):
        # "مع ابني وبنتي": "and my daughter", a listed word with "and" glued; "আমার স্ত্রী আর
        # তিন বাচ্চা": "and" (6.8), commoner than any name (round 10)
        return False
    if not word.islower() and not word[:1].isupper() and _ARABIC_PRESENT_TENSE.match(folded) and (
            elsewhere_zipf(folded) >= _EVERYDAY_VERB and folded not in set(map(
                fold, lexicon.arabic_first_names)) and folded not in _NAMES_OF_THAT_SHAPE):
        return False  # "زوجي يعمل في", "أخي يشتغل": a verb after the family word (round 11)
    if not word.islower() and not word[:1].isupper():
        # a script without capitals after a cue: "اسمي خديجة", "என் பெயர் செல்வி"; names are
        # common words there too, so only the commonest words end a name ("கணேஷ் வேலை இல்லை")
        return opening or after_title or world or (
            folded not in lexicon.foreign_words and elsewhere_zipf(folded) < CASELESS_WORD)
    if word[:1].isupper():
        return not (first and folded not in lexicon.first_names
                    and is_common_word(word))
    if word.islower() and is_inflected_abroad(word, lexicon):
        return False  # "kebapçıda çalışıyor, ben evdeyim": Turkish words after "ben" (round 10)
    if foreign_letters(word) and is_spelled_elsewhere(word, cased=True):
        return False  # "Mehmet Bey kirayı artırdı": Turkish words end the name
    if folded in ENGLISH_STOP_WORDS or (folded not in world_first_names() and (
            folded not in lexicon.first_names) and (
            is_everyday_english(folded) or is_everyday_elsewhere(folded))):
        return False  # "karim and me", "jestem zmęczona": no French word, no name either
    if (world and folded in world_first_names() and folded not in STOP_WORDS
            and len(folded) > 3 and not is_verb_form(word)):
        return True  # "tonton issa": a first name of the world list, even if also a word
    if is_first_name(folded, lexicon):
        return True
    if is_french_word(word.rstrip("'’")):
        return False
    # "je suis enseinte": a typo of a long word, unless a first name of the world or the area
    return not (len(folded) >= 6 and folded not in world_first_names()
                and folded not in lexicon.area_names and one_letter_off(folded))


def is_common_word(word: str) -> bool:
    """A French word whatever its capitals, but "Haut-Pantin" or "Bois-Colombes" (capitalised
    parts joined by hyphens) are names even though "haut", "pantin" and "bois" are words."""
    parts = word.split("-")
    if len(parts) > 1 and all(part[:1].isupper() for part in parts if part):
        return False
    return is_french_word(word.lower())


def is_first_name(folded: str, lexicon: Lexicon) -> bool:
    """A first name that is also a word, alone or in a compound: "rose", "jean-pierre",
    "lamine" (a rare French word)."""
    return any(part in lexicon.first_names for part in folded.split("-"))


def is_rare_word_name(folded: str, below: float) -> bool:
    """A first name of the world list that French text rarely uses as a word (Zipf < below)."""
    return (len(folded) > 3 and folded in world_first_names() and folded not in STOP_WORDS
            and zipf(folded) < below)


def is_name_alone(word: str, lexicon: Lexicon) -> bool:
    """A first name whatever the words around it: "karim", "Sofiane", "fatou".

    It must be in the world's first names (``first_names.py``) or the area's, and be no French
    word ("pierre", "rose" need a cue) unless French text hardly uses that word ("kamala"),
    no English one ("you", "so"), nothing of the keep-list, no brand and no SMS spelling
    ("jai")."""
    folded = fold(word).rstrip("'’")
    if len(folded) < 3 or "-" in folded.strip("-") and not all(
            part in world_first_names() for part in folded.split("-")):
        return False
    if folded not in world_first_names() and folded not in lexicon.area_names:
        return False
    if word.islower() and foreign_letters(word) and is_spelled_elsewhere(word, cased=True):
        return False  # "tôi muốn hỏi": Vietnamese "ask", though "hoi" is a name somewhere
    if glued_elision(folded) and folded not in lexicon.area_names:
        return False  # "besoin dun papier": "d'un"
    if (folded in lexicon.keep or folded in lexicon.not_names or folded in STOP_WORDS
            or word.islower() and folded in lexicon.foreign_words
            or folded in ENGLISH_STOP_WORDS or folded in lexicon.brands
            or folded in lexicon.relations or folded in lexicon.named_places):
        return False  # "rés. les Pommiers": "rés" is no "Res"
    return not is_french_word(word.rstrip("'’")) or (
        is_rare_word_name(folded, RARE_WORD_ALONE) and not is_verb_form(folded))
