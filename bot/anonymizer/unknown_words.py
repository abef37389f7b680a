"""Free text keeps only the words known not to identify anyone; every other word goes.

Rules that look for names (cues, lists, NER) close the gaps of the text they were tuned on and
fresh text shows as many new ones ("les kowalski", "Tran Thi Mai", a foreign town with no cue).
So the principle is turned round: a word stays only when it is KNOWN not to point to a person
or a place: a French word (spaCy's lemmatizer tables, with or without accents), a typo of
one (one letter off, five letters or more, and no first name), an SMS spelling ("jsui",
"jcomprend"), a French word cut short ("désintox"), a number, a word of the lexicon's lists
(institutions, brands, offices, feasts, SMS words, the everyday words of Creole, Wolof,
darija…), an English stop word or a common word of English or of another language that is
no name, country nor nationality ("school", "jestem": ``word_frequency.py``), a language's
own name ("Kurmancî"), an acronym. Anything else goes: a commission
examines the situation, and loses little when an odd word reads "[retiré]".

A first name that is also a French word ("Rose", "claire") is no unknown word: the cues find
it when the sentence gives it a person's role (``cues.py``).
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH_STOP_WORDS
from spacy.lang.fr.stop_words import STOP_WORDS

from .countries import english_country_words, language_self_names
from .first_names import is_world_first_name
from .lexicon import Lexicon
from .spans import TOKEN, Span, fold, sentence_start
from .vocabulary import french_words_in_order, glued_elision, is_french_word, one_letter_off
from .word_frequency import (
    elsewhere_zipf,
    foreign_letters,
    is_everyday_elsewhere,
    is_everyday_english,
    is_spelled_elsewhere,
    travels,
    turkish_zipf,
    zipf,
)

# "jcomprend", "jpeux", "chuis", "tinquiete": a pronoun glued to a French word.
# A word French text uses once in 30,000 words or more, no first name nor place, is French even
# when the lemmatizer's tables lack it ("dos", "temps").
COMMON_IN_FRENCH = 4.5
# A Chinese word or character this common (Zipf) is known: "申请" 5.1, "补助" 4.4, "玲" 3.3.
CHINESE_WORD = 3.0
_GLUED = ("j", "m", "t", "s", "l", "d", "qu", "ch", "jm", "jte", "jle", "jla", "jsp")


def unknown_word_spans(text: str, lexicon: Lexicon) -> list[Span]:
    """Each word of ``text`` not known to be harmless, as a span of its own."""
    spans = []
    for match in TOKEN.finditer(text):
        word = match.group().rstrip("'’-")
        if word and not known_word(word, lexicon,
                                   opening=sentence_start(text, match.start())):
            spans.append(Span(match.start(), match.start() + len(word), "unknown", "unknown"))
    return spans


def known_word(word: str, lexicon: Lexicon, *, opening: bool = False) -> bool:
    """True for a word that identifies no one whatever the text around it. ``opening``: the
    word opens a sentence, where a capital says nothing ("Dzień dobry")."""
    if _HAN.search(word):
        return _known_chinese(word, lexicon)
    if any(c.isdigit() for c in word) or len(word) < 3:
        return True  # numbers are the patterns' business; "bb", "L'", "M." are no names
    folded = fold(word)
    if word.isupper() and len(word) <= 5 and folded not in lexicon.area_names:
        return True  # an acronym: MDPH, OQTF, RSA
    if _listed(folded, lexicon) or folded in language_self_names() and (
            folded not in lexicon.nationalities):
        return True
    if is_french_word(word.lower()):
        return True
    if "-" in folded:
        return all(known_word(part, lexicon) for part in word.split("-") if part)
    if glued_elision(folded) and folded not in lexicon.area_names and not word[:1].isupper():
        return True  # an elision typed glued to a small word: "dun", "jen", "sil"
    if any(_listed(folded[:cut], lexicon) and _listed(folded[cut:], lexicon)
           for cut in range(3, len(folded) - 2)):
        return True  # two words typed as one: "assalamualaikum"
    if (not word[:1].isupper() and foreign_letters(word) and folded not in lexicon.area_names
            and folded not in lexicon.places and folded not in lexicon.nationalities
            and is_spelled_elsewhere(word, cased=word.lower() != word.upper())):
        return True  # "hỏi", "artırdı", "дочкою", "ساكنة": as another language spells them
    if is_world_first_name(folded) or folded in lexicon.area_names:
        return False
    if not word[:1].isupper() and is_inflected_abroad(word.lower(), lexicon):
        return True  # "kirayı", "doğumluyum", "alîkariyê", "bixwazim": a known stem inflected
    if zipf(folded) >= COMMON_IN_FRENCH and folded not in lexicon.places and (
            folded not in lexicon.nationalities) and (opening or not word[:1].isupper()):
        return True  # "dos", "temps": common French words the lemmatizer's tables lack
    if is_everyday_abroad(folded, lexicon) and (opening or not word[:1].isupper()):
        return True  # "school", "jestem", "oturuyorum": no country, no nationality, no place
    if _georgian_inflected(folded, lexicon):
        return True  # "ოთახში" (in the room), "ექიმთან" (at the doctor's): a listed word inflected
    clitic = _ARABIC_CLITICS.match(folded)
    stem = folded[clitic.end():] if clitic else ""
    if len(stem) >= 3 and (known_word(stem, lexicon) or elsewhere_zipf(stem) >= 3.5):
        return True  # "والبيت" ("and the house"), "ورطب": Arabic glues "and", "the" to words
    if word[:1].isupper():
        return False
    squeezed = re.sub(r"(.)\1+", r"\1", folded)  # "merciii", "ouiii"
    if squeezed != folded and (is_french_word(squeezed) or _listed(squeezed, lexicon)):
        return True
    if any(folded.startswith(glue) and len(folded) - len(glue) >= 3
           and is_french_word(folded[len(glue):]) for glue in _GLUED):
        return True
    if any(folded.startswith(glue) and len(folded) - len(glue) >= 3
           and _silent_end_dropped(folded[len(glue):]) for glue in _GLUED):
        return True  # "jdor": "je dors" glued, its silent "s" left out (round 9)
    return len(folded) >= 5 and one_letter_off(folded) or _cut_short(folded)


def _silent_end_dropped(folded: str) -> bool:
    """A common French word typed without its silent last letter: "dor" (dors), "fon" (font)."""
    return any(zipf(folded + end) >= COMMON_IN_FRENCH - 0.5 and is_french_word(folded + end)
               for end in "stxe")


# Arabic's clitics, glued before a word: "wa-" (and), "fa-", "bi-", "li-", "ka-", the article.
_ARABIC_CLITICS = re.compile(r"(?:[وف]?(?:[بلك]?ال|لل)|[وفبلك])(?=[\u0621-\u064a])")


_HAN = re.compile(r"[\u4e00-\u9fff]+")


def _known_chinese(word: str, lexicon: Lexicon) -> bool:
    """Chinese is written without spaces: a run of characters is known when it reads as words
    of wordfreq's Chinese list (the longest first, four characters at most; single characters
    are words there too), the Latin words inside it as any word ("问一下CAF的"). Names and
    places are found by the words around them (``cues.chinese_spans``)."""
    position = 0
    for run in _HAN.finditer(word):
        latin = word[position:run.start()]
        if latin.strip("'’-") and not known_word(latin.strip("'’-"), lexicon):
            return False
        index, han = 0, run.group()
        while index < len(han):
            length = next((size for size in range(min(4, len(han) - index), 0, -1)
                           if zipf(han[index:index + size], "zh") >= CHINESE_WORD), 0)
            if not length:
                return False
            index += length
        position = run.end()
    rest = word[position:].strip("'’-")
    return not rest or known_word(rest, lexicon)


def is_everyday_abroad(folded: str, lexicon: Lexicon) -> bool:
    """A common word of English or of another language that is no country, nationality or
    place of the lexicon (``word_frequency.py``)."""
    return (is_everyday_english(folded) or is_everyday_elsewhere(folded)) and not (
        folded in english_country_words() or folded in lexicon.nationalities
        or folded in lexicon.places)


def _listed(folded: str, lexicon: Lexicon) -> bool:
    return (folded in lexicon.keep or folded in lexicon.not_names or folded in STOP_WORDS
            or folded in lexicon.foreign_words
            or folded in ENGLISH_STOP_WORDS or folded in lexicon.brands
            or folded in lexicon.relations or folded in lexicon.named_places
            or folded in _harmless_words(lexicon))


@lru_cache(maxsize=2)
def _harmless_words(lexicon: Lexicon) -> frozenset[str]:
    """Single words of the lexicon's lists of things that are no identifier."""
    words = set()
    for phrase in lexicon.keep_phrases + lexicon.street_kinds + lexicon.titles \
            + lexicon.professions:
        words.update(fold(phrase).replace("'", " ").split())
    return frozenset(words)



def _cut_short(folded: str) -> bool:
    """A French word cut short, six letters or more: "désintox", "psycho", "gyneco"."""
    if len(folded) < 6:
        return False
    words = french_words_in_order()
    index = bisect.bisect_left(words, folded)
    return index < len(words) and words[index].startswith(folded) and (
        len(words[index]) >= len(folded) + 2)


# The endings Turkish and Kurmanji glue to a word (case, possession, person, plural; Kurmanji's
# ezafe), longest first; and Kurmanji's verb prefixes, which change with the tense ("dixwazim",
# "bixwazim"). A word is known when, with some of them cut, its stem is an everyday word of
# another language (round 9): wordfreq lists the stem, rarely each of its hundred forms.
_SUFFIXES = ("mamızı", "memizi", "lıyım", "liyim", "luyum", "lüyüm", "ları", "leri", "ımız",
             "imiz", "umuz", "ümüz", "yım", "yim", "yum", "yüm", "lar", "ler", "dan", "den",
             "tan", "ten", "nın", "nin", "yla", "yle", "yê", "ya", "ye", "yı", "yi", "yu", "yü",
             "ım", "im", "um", "üm", "ın", "in", "da", "de", "ta", "te", "lı", "li", "lu",
             "lü", "ê", "ı", "ü")
_PREFIXES = ("di", "bi", "ne", "na", "de")


@lru_cache(maxsize=8192)
def _inflected_known(lower: str, lexicon: Lexicon, depth: int = 2) -> bool:
    if len(lower) < 6 or lower.isascii() and not lower.startswith(_PREFIXES):
        return False  # written with Turkish or Kurmanji letters, or with a verb prefix
    stems = [other + lower[len(prefix):] for prefix in _PREFIXES if lower.startswith(prefix)
             for other in ("", *_PREFIXES) if other != prefix]
    stems += [lower[:-len(suffix)] for suffix in _SUFFIXES if lower.endswith(suffix)]
    for stem in stems:
        if len(stem) < 3:
            continue
        folded = fold(stem)
        if is_world_first_name(folded) or folded in lexicon.area_names or (
                folded in lexicon.places or folded in lexicon.nationalities):
            continue
        if (folded in lexicon.foreign_words or is_spelled_elsewhere(stem, cased=True)
                or is_everyday_elsewhere(folded)
                or depth > 1 and _inflected_known(stem, lexicon, depth - 1)):
            return True
    return False



# Georgian's case endings and postpositions glued to a noun, and its plural (round 11): a word
# of the Georgian script is known when, cut of them, it is a listed everyday word (its stem or
# the stem with the nominative "ი"). wordfreq has no Georgian, and a place stays a place:
# "საქართველოდან" (from Georgia) is no listed word once cut.
_GEORGIAN = re.compile(r"[\u10d0-\u10ff]+")
_GEORGIAN_ENDINGS = ("ებისთვის", "ისთვის", "ებთან", "ებიდან", "ებში", "ებზე", "ების", "ებით",
                     "ები", "ებს", "თვის", "იდან", "დან", "თან", "მდე", "ში", "ზე", "ის", "ით",
                     "ად", "ს", "ო", "მა", "მ")


def _georgian_inflected(folded: str, lexicon: Lexicon) -> bool:
    if not _GEORGIAN.fullmatch(folded):
        return False
    for ending in _GEORGIAN_ENDINGS:
        stem = folded[:-len(ending)]
        if folded.endswith(ending) and len(stem) >= 2 and (
                stem in lexicon.foreign_words or stem + "ი" in lexicon.foreign_words
                or stem + "ა" in lexicon.foreign_words):
            return True
    return False


def is_inflected_abroad(lower: str, lexicon: Lexicon) -> bool:
    """A word of another language whose stem is known, inflected: with Turkish or Kurmanji
    letters ("kirayı", "bixwazim"), or Turkish typed without its letters ("dogumluyum")."""
    return _inflected_known(lower, lexicon) or _turkish_typed_inflected(
        fold(lower).replace("ı", "i"), lexicon)


# Turkish's endings as typed without Turkish letters (round 10: "basvurusu", "ilkokulda",
# "kisiyiz", "tarihim", "kaliyor", "yaptik", "calisamiyor"), longest first: case, possession,
# person, plural, "-lı" (from), "-cı" (trade); and the verb's tenses, negation and person, after
# which the stem is a verb's root, known by its infinitive ("yap" by "yapmak").
_TURKISH_NOUN_ENDINGS = ("luyum", "liyim", "lular", "liler", "ndan", "nden", "lari", "leri",
                         "imiz", "umuz", "iniz", "unuz", "yim", "yum", "yiz", "yuz", "nda",
                         "nde", "nin", "nun", "dan", "den", "tan", "ten", "lar", "ler", "miz",
                         "muz", "niz", "nuz", "yla", "yle", "si", "su", "yi", "yu", "ni", "nu",
                         "im", "um", "iz", "uz", "in", "un", "da", "de", "ta", "te", "li", "lu",
                         "ci", "cu", "ca", "ce", "ya", "ye")
_TURKISH_VERB_ENDINGS = ("yamiyorum", "yemiyorum", "yamiyoruz", "yemiyoruz", "yamiyor",
                         "yemiyor", "amiyorum", "emiyorum", "amiyoruz", "emiyoruz", "amiyor",
                         "emiyor",
                         "iyorum", "uyorum", "iyoruz", "uyoruz", "iyorlar", "uyorlar", "iyor",
                         "uyor", "madim", "medim", "madik", "medik", "mayiz", "meyiz", "dik",
                         "duk", "tik", "tuk", "dim", "dum", "tim", "tum", "din", "dun", "tin",
                         "tun", "di", "du", "ti", "tu", "mis", "mus", "acak", "ecek")


@lru_cache(maxsize=8192)
def _turkish_typed_inflected(typed: str, lexicon: Lexicon, depth: int = 2) -> bool:
    """``typed``: folded, "ı" as "i". Its stem, once one or two endings are cut, is an everyday
    Turkish word French and English text do not use (no place, no name: "konyada" stays
    unknown, since "konya" travels), or a verb's root with its infinitive everyday."""
    if len(typed) < 6 or not typed.isascii() or any(
            typed[:cut] in _origins(lexicon) and _endings_only(typed[cut:])
            for cut in range(4, len(typed))):
        return False  # "sudani", "malatyadan": a place or a nationality with an ending
    for endings, verb in ((_TURKISH_NOUN_ENDINGS, False), (_TURKISH_VERB_ENDINGS, True)):
        for ending in endings:
            stem = typed[:-len(ending)]
            if not typed.endswith(ending) or len(stem) < (2 if verb else 3):
                continue  # "öd-üyorum" (I pay): a verb's root may be two letters
            if not verb and (is_world_first_name(stem) or stem in lexicon.area_names) or (
                    stem in lexicon.places or stem in lexicon.nationalities):
                continue  # a name takes no verb ending: "kal-iyor" (stays) is no "Kal"
            if verb:
                if any(turkish_zipf(root + infinitive) and not travels(root + infinitive)
                       for root in (stem, stem + "a", stem + "e")
                       for infinitive in ("mak", "mek")):
                    return True
            elif not travels(stem) and turkish_zipf(stem) or depth > 1 and _turkish_typed_inflected(
                    stem, lexicon, depth - 1):
                return True
    return False


@lru_cache(maxsize=2)
def _origins(lexicon: Lexicon) -> frozenset[str]:
    """The places, countries and nationalities of the lexicon, as a set, and the countries'
    names in Turkish and Kurmanji as typed without their letters ("almanya", "suriye": CLDR
    data, from Babel): "almanyada" is a country with an ending."""
    from babel import Locale

    in_turkish = {fold(name).replace("ı", "i") for language in ("tr", "ku")
                  for code, name in Locale(language).territories.items()
                  if len(code) == 2 and code.isalpha() and code != "FR"}
    return frozenset(lexicon.places) | frozenset(lexicon.nationalities) | frozenset(
        english_country_words()) | frozenset(in_turkish)


def _endings_only(rest: str) -> bool:
    """``rest`` is one or two of Turkish's noun endings ("dan", "liyim", "si-nde"), or a vowel
    (a country's "-i", "-e")."""
    return len(rest) == 1 or rest in _TURKISH_NOUN_ENDINGS or any(
        rest.startswith(first) and rest[len(first):] in _TURKISH_NOUN_ENDINGS
        for first in _TURKISH_NOUN_ENDINGS)


@lru_cache(maxsize=2)
def _places_abroad(lexicon: Lexicon) -> frozenset[str]:
    """``_origins`` without the nationalities: "Kürdüm" (I am a Kurd) is left to their rules."""
    return _origins(lexicon) - frozenset(lexicon.nationalities)


# "-ce", "-ca" make a language of a people: "Türkçe", "Kürtçe", "Almanca" are no origin.
_LANGUAGE_ENDINGS = ("ce", "ca")
_LATIN_WORD = re.compile(r"(?<![\w'’-])[^\W\d_]{6,}(?![\w'’-])")


def turkish_glued_place_spans(text: str, lexicon: Lexicon) -> list[Span]:
    """A place or a country with Turkish endings glued, no apostrophe, capitalised (round 11:
    "Kayseriliyim", I am from Kayseri; "Almanyada", "Malatyalıyız"): the whole word is the
    place. NER and the capitals rule miss it; in lower case ("konyadan") the unknown-word rule
    removes it already. Not a French or English word ("Parisienne")."""
    spans = []
    for match in _LATIN_WORD.finditer(text):
        typed = fold(match.group()).replace("ı", "i")
        if not match.group()[:1].isupper() or not typed.isascii() or is_french_word(typed) or (
                zipf(typed, "en") > 0):
            continue
        if any(typed[:cut] in _places_abroad(lexicon) and len(typed) - cut > 1
               and _endings_only(typed[cut:]) and typed[cut:cut + 2] not in _LANGUAGE_ENDINGS
               for cut in range(4, len(typed) - 1)):
            spans.append(Span(*match.span(), "place", "context"))
    return spans
