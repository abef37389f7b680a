"""The anonymizer's word lists (``lexicon.yml``), loaded once, folded for matching."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from spacy.lang.fr.stop_words import STOP_WORDS

from .countries import country_names
from .first_names import first_names_also_words, world_first_names
from .spans import ARABIC_LETTER, MARKS, Span, fold

LEXICON_PATH = Path(__file__).resolve().parent / "lexicon.yml"


@dataclass(frozen=True)
class Lexicon:
    places: tuple[str, ...]
    capitalised_places: str  # a pattern: these names are also common words in lower case
    capitalised_place_words: frozenset[str]  # the same, folded: "LABE" typed in capitals
    street_kinds: tuple[str, ...]
    titles: tuple[str, ...]
    professions: tuple[str, ...]
    nationalities: tuple[str, ...]
    keep: frozenset[str]
    keep_phrases: tuple[str, ...]
    named_places: tuple[str, ...]
    relations: tuple[str, ...]
    first_names: frozenset[str]
    not_names: frozenset[str]
    foreign_words: frozenset[str]  # everyday words of other languages ("mwen", "amra")
    area_names: frozenset[str]  # first names and family names of the area
    brands: tuple[str, ...]
    employers_only: tuple[str, ...]  # companies no one is a customer of: always the employer
    car_models: frozenset[str]  # brands of what the person drives, never an employer
    my_name_is: tuple[str, ...]  # "my name is" in the languages residents write in, folded
    countries: frozenset[str]  # in ``places`` too
    # family names of the area and of the world: after a first name, they continue the name
    surnames: frozenset[str]
    places_in_han: tuple[str, ...]  # found inside Chinese sentences, which have no spaces
    arabic_first_names: tuple[str, ...]  # in Arabic script, no everyday word


def _joined(data: dict, *keys: str) -> list:
    """The lists of several keys of lexicon.yml, one after the other."""
    return [word for key in keys for word in data[key]]


def _nationality_forms(words: list[str]) -> set[str]:
    """Each nationality with its plural and, for "sri-lankais", the spellings with a space and
    glued ("cap-verdienne", "cap verdienne", "capverdienne")."""
    forms = set()
    for word in words:
        for spelling in {word, word.replace("-", " "), word.replace("-", "")}:
            forms.add(spelling)
            forms.add(spelling if spelling.endswith("s") else spelling + "s")
        forms |= _arabic_script_plurals(word)
    return {fold(form) for form in forms}


def _arabic_script_plurals(word: str) -> set[str]:
    """An Arabic nisba in its plurals and feminine (round 11: "إحنا مصريين", we are Egyptians):
    "مصري" → مصريين, مصريون, مصرية, مصريه, مصريات; Farsi and Urdu plurals "افغان‌ها"."""
    if not re.fullmatch(rf"{ARABIC_LETTER}+", word):
        return set()
    if word.endswith(("ية", "يه")):
        return {word[:-1] + "ات", word[:-1] + "ه", word[:-1] + "ة"}
    if word.endswith(("ي", "ی")):
        return {word + ending for ending in ("ين", "ون", "ية", "يه", "يات", "ها", "\u200cها",
                                             "یان", "ان")}
    return set()


@lru_cache(maxsize=2)
def load_lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    keep = [fold(str(k)) for k in _joined(
        data, "keep", "keep_more", "keep_offices_feasts_charities", "keep_situation_words",
        "keep_services_acronyms", "keep_university_years_and_cars", "keep_form_labels",
        "keep_asylum_procedure")]
    countries, capitalised_countries = country_names()
    foreign_words = frozenset(fold(word) for words in data["foreign_everyday_words"].values()
                              for word in words)
    capitalised_places = (tuple(data["capitalised_places"]) + tuple(capitalised_countries)
                          + tuple(data["capitalised_paris_places"]))
    by_length = lambda words: tuple(sorted(set(words), key=len, reverse=True))  # noqa: E731
    return Lexicon(
        # "Robert-Debré" is also typed "robert debre", "Fort d'Aubervilliers" "fort d aubervilliers"
        places=by_length([*_tamil_oblique_stems(data["towns_of_origin"]
                                                + data["towns_of_origin_in_scripts"]),
                          *[fold(v) for p in data["places"] + data["towns_of_origin"]
                          + data["places_around_pantin"] + data["towns_of_origin_as_spelt_there"]
                          + data["towns_of_origin_in_arabic_latin"] + data["towns_of_the_world"]
                          + data["paris_places"] + data["turkish_provinces"]
                          + data["towns_of_origin_in_scripts"]
                          for saint in {p, _saint_shortened(p)}
                          for v in (saint, saint.replace("-", " "), saint.replace(" ", "-"),
                                    saint.replace("'", " "), saint.replace("'", "’"),
                                    # glued: "o 4chemins", "a villeevrard"
                                    re.sub(r"[\s'-]", "", saint))]
                          + list(countries)]),
        capitalised_place_words=frozenset(fold(place) for place in capitalised_places),
        capitalised_places=rf"(?<![\w-])(?:{alternation(capitalised_places)})"
                           r"(?![\w-])",
        street_kinds=tuple(data["street_kinds"]),
        titles=tuple(data["titles"]),
        professions=tuple(data["professions"]),
        nationalities=by_length(_nationality_forms(data["nationalities"]
                                                   + data["nationalities_as_residents_say_them"]
                                                   + data["nationalities_in_scripts"])),
        keep=frozenset(keep),
        keep_phrases=by_length(k for k in keep if len(k) > 1 and k not in STOP_WORDS),
        named_places=by_length(fold(w) for w in data["named_places"]
                               + data["named_places_after_a_town"]),
        relations=by_length(fold(w) for w in _joined(data, "relations",
                                                      "relations_in_other_languages",
                                                      "relations_in_french_slang")),
        first_names=frozenset(fold(w) for w in data["first_names_also_words"]
                              + data["first_names_also_words_abroad"])
        | first_names_also_words(),
        # the everyday words of other languages are no names either ("mwen", "rekk"), but
        # those that are also first names somewhere are names with a capital: "Amra" is
        # Bengali "we" and a Bosnian first name (round 7)
        not_names=frozenset(fold(w) for w in data["not_names"]) | (
            foreign_words - world_first_names()
            - {fold(w) for w in data["first_names_also_words_abroad"]}),
        foreign_words=foreign_words,
        area_names=frozenset(fold(w) for w in data["first_names_of_the_area"]
                             + data["surnames_of_the_area"]),
        brands=by_length(fold(w) for w in data["brands"] + data["brands_in_other_scripts"]
                         + data["car_makes"] + data["car_models"]),
        car_models=frozenset(fold(w) for w in data["car_models"]),
        employers_only=by_length(fold(w) for w in data["employers_only"]),
        my_name_is=tuple(fold(phrase) for phrase in data["my_name_is"]),
        countries=frozenset(countries),
        surnames=frozenset(fold(w) for w in data["surnames_of_the_area"]
                           + data["surnames_of_the_world"]),
        places_in_han=by_length(data["places_in_han"]),
        arabic_first_names=by_length(data["arabic_script_first_names"]),
    )


_TAMIL_LETTER = "\u0b80-\u0bff"


def _tamil_oblique_stems(places: list[str]) -> list[str]:
    """Tamil changes a place's end before its case endings (round 11): "யாழ்ப்பாணம்" (Jaffna)
    is "யாழ்ப்பாணத்திலிருந்து" (from Jaffna), "யாழ்ப்பாணத்தில்" (in Jaffna); "கொழும்பு"
    (Colombo) is "கொழும்பில்". The stems, which ``words_pattern`` takes with what follows."""
    stems = []
    for place in places:
        if not re.fullmatch(rf"[{_TAMIL_LETTER}]+", place):
            continue
        if place.endswith("ம்"):  # -am: the oblique "-att-"
            stems.append(place[:-2] + "த்")
        elif place.endswith("ு"):  # a final -u falls before a vowel
            stems.append(place[:-1])
    return [fold(stem) for stem in stems]


def _saint_shortened(place: str) -> str:
    """"Saint-Denis" as residents type it: "St-Denis", "st denis", "Ste-Marthe" (round 8)."""
    return re.sub(r"(?i)\b(saint)e?\b", lambda m: "Ste" if m.group().lower() == "sainte"
                  else "St", place)


def alternation(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=8)
def words_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """One compiled pattern per word list (hundreds of small ones would overflow re's cache)."""
    # A listed word may carry a short suffix after a hyphen: "La Courneuve-la" (Tamil "in"),
    # "Aubervilliers-এ" (Bengali; round 9); not a longer word ("Noisy-le-Sec" is not "Noisy").
    # The Indian scripts glue their case endings to a name: "இலங்கையில்" (in Sri Lanka), taken
    # whole (held-out 1 Dec d).
    return re.compile(rf"(?<![\w-])(?:{alternation(words)})"
                      rf"(?:(?<=[{_INDIC}])(?:(?=[{_INDIC}])[\w{MARKS}])+)?"
                      rf"(?![\w{MARKS}]|-(?![\w{MARKS}]{{1,3}}(?![\w{MARKS}-])))")


_INDIC = "\u0900-\u0dff"  # Devanagari to Sinhala: Hindi, Bengali, Gurmukhi, Tamil, Telugu…


def word_spans(folded: str, words: tuple[str, ...], kind: str) -> list[Span]:
    return [Span(match.start(), match.end(), kind, "lexicon")
            for match in words_pattern(words).finditer(folded)]
