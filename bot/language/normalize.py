"""Normalisation of residents' French before it is matched or classified.

Residents write by SMS, WhatsApp or Telegram: no accents or random ones, capitals,
"trooop" for emphasis, SMS spellings ("jsp", "chui", "g pa d sous"), emojis, a word of
English or Arabic. The crisis safety net and the NLU pipeline both need one canonical
form so that a rule written once ("je suis", "j'ai") matches every way of typing it.

The canonical form is: lower case, no accents, letters and digits only (apostrophes of
elisions kept, "j'ai"), runs of three or more identical letters folded to one, common SMS
spellings expanded to plain French, number words turned into digits when ``text2num`` is
installed, single spaces. Non-Latin letters (Arabic script) are kept, so a lexicon can
still match them.

Everything here is pure Python and precompiled: it runs on every incoming message.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

__all__ = ["SMS_EXPANSIONS", "normalize", "strip_accents"]

try:  # text2num ships in the Rasa environment; the module name differs from the package.
    from text_to_num import alpha2digit as _alpha2digit
except ImportError:  # pragma: no cover - depends on the environment
    _alpha2digit = None

# Typed alias: None when text2num is not installed (normalisation then keeps number words).
_alpha2digit_fn: Callable[[str, str], str] | None = _alpha2digit

#: SMS spellings → plain French, applied token by token after accents and case are gone.
#: Only spellings that cannot be an ordinary French word are listed ("sa", "mais"/"me",
#: "ts" are ambiguous and left alone; "ts" is also "une TS", a suicide attempt).
SMS_EXPANSIONS: dict[str, str] = {
    # je + verb, glued
    "jsp": "je sais pas",
    "jsais": "je sais",
    "chui": "je suis",
    "chuis": "je suis",
    "shui": "je suis",
    "jsui": "je suis",
    "jsuis": "je suis",
    "jss": "je suis",
    "jveux": "je veux",
    "jveu": "je veux",
    "jvx": "je veux",
    "jvoudrais": "je voudrais",
    "jvais": "je vais",
    "jvai": "je vais",
    "jpeux": "je peux",
    "jpeu": "je peux",
    "jpp": "j'en peux plus",
    "jen": "j'en",
    "jme": "je me",
    "jte": "je te",
    "jle": "je le",
    "jla": "je la",
    "jfais": "je fais",
    "jfai": "je fais",
    "jcrois": "je crois",
    "jpense": "je pense",
    "jai": "j'ai",
    "jaime": "j'aime",
    "jarrive": "j'arrive",
    "jhabite": "j'habite",
    "jattends": "j'attends",
    "g": "j'ai",
    # c'est, il y a
    "cest": "c'est",
    "c": "c'est",
    "ct": "c'etait",
    "ya": "il y a",
    "y'a": "il y a",
    "yen": "il y en",
    "yora": "il y aura",
    # questions and connectors
    "pk": "pourquoi",
    "pq": "pourquoi",
    "pkoi": "pourquoi",
    "pourkoi": "pourquoi",
    "prq": "pourquoi",
    "koi": "quoi",
    "kwa": "quoi",
    "ke": "que",
    "ki": "qui",
    "kel": "quel",
    "kelle": "quelle",
    "keske": "qu'est ce que",
    "kan": "quand",
    "qd": "quand",
    "qnd": "quand",
    "cb": "combien",
    "cmb": "combien",
    "cmt": "comment",
    "komen": "comment",
    "pcq": "parce que",
    "pck": "parce que",
    "psk": "parce que",
    "pcke": "parce que",
    "paske": "parce que",
    "pasque": "parce que",
    "dc": "donc",
    "ds": "dans",
    "pr": "pour",
    "ac": "avec",
    "avc": "avec",
    "ptet": "peut etre",
    "ptetre": "peut etre",
    "ptt": "peut etre",
    # quantities and time
    "bcp": "beaucoup",
    "bcq": "beaucoup",
    "tjrs": "toujours",
    "tjr": "toujours",
    "tjs": "toujours",
    "tt": "tout",
    "tte": "toute",
    "ttes": "toutes",
    "tro": "trop",
    "pa": "pas",
    "plu": "plus",
    "qqn": "quelqu'un",
    "qqun": "quelqu'un",
    "qlq": "quelque",
    "qqch": "quelque chose",
    "auj": "aujourd'hui",
    "ajd": "aujourd'hui",
    "aujd": "aujourd'hui",
    "mtn": "maintenant",
    "mnt": "maintenant",
    "dmn": "demain",
    "dem1": "demain",
    "bi1": "bien",
    "ri1": "rien",
    "rdv": "rendez vous",
    "msg": "message",
    "ns": "nous",
    "vs": "vous",
    "vx": "veux",
    "tlm": "tout le monde",
    "raf": "rien a foutre",
    "nn": "non",
    "ouai": "oui",
    "ouais": "oui",
    "dsl": "desole",
    # greetings and politeness
    "slt": "salut",
    "bjr": "bonjour",
    "bjour": "bonjour",
    "bonjoure": "bonjour",
    "bsr": "bonsoir",
    "cc": "coucou",
    "mrc": "merci",
    "mci": "merci",
    "mrci": "merci",
    "merki": "merci",
    "stp": "s'il te plait",
    "svp": "s'il vous plait",
    "svpl": "s'il vous plait",
    "stvp": "s'il vous plait",
    "tkt": "t'inquiete",
}

# After these words a lone "c" or "g" is a letter (batiment C, escalier G), not SMS.
_LETTER_CONTEXT = frozenset(
    {"batiment", "bat", "bt", "escalier", "esc", "bloc", "porte", "appartement", "appt",
     "lettre", "case", "hall", "tour", "entree", "allee", "vitamine", "classe", "type"}
)
# Elided words typed with a space instead of an apostrophe, and their full form.
_ELIDABLE = {"j": "je", "l": "le", "m": "me", "t": "te", "s": "se", "n": "ne", "d": "de",
             "qu": "que"}
_VOWEL_START = re.compile(r"^[aeiouyh]")

_APOSTROPHES = re.compile(r"[\u2019\u2018\u02bc\u02b9`\u00b4\u2032]")
_CMU_C = re.compile(r"\bcmu[\s\-]*c\b")
_EURO = re.compile(r"\s*\u20ac")
# "1.200" and "1 200" are thousands; "12,50" is a decimal, written with a point.
_THOUSANDS = re.compile(r"(?<=\d)[. ](?=\d{3}(?!\d))")
_DECIMAL = re.compile(r"(?<=\d),(?=\d)")
# Everything that is not a letter, a digit, an apostrophe or a space becomes a space,
# except a decimal point between digits.
_NOT_WORD = re.compile(r"(?!(?<=\d)\.(?=\d))[^\w']|_")
_REPEATS = re.compile(r"([^\W\d_])\1{2,}")
_EDGE_APOSTROPHES = re.compile(r"(?<!\w)'|'(?!\w)")
_SPACES = re.compile(r"\s+")


def strip_accents(text: str) -> str:
    """Lower-case ``text`` and remove accents (é→e, ç→c, œ→oe) but keep other scripts."""
    text = text.casefold().replace("œ", "oe").replace("æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _expand_tokens(tokens: list[str]) -> list[str]:
    """Expand SMS spellings and re-glue elisions typed with a space ("j ai" → "j'ai")."""
    out: list[str] = []
    n = len(tokens)
    i = 0
    while i < n:
        tok = tokens[i]
        nxt = tokens[i + 1] if i + 1 < n else ""
        prev = out[-1] if out else ""
        if tok in ("c", "g") and prev in _LETTER_CONTEXT:
            out.append(tok)
        elif tok == "c" and nxt == "est":
            out.append("c'est")
            i += 1
        elif tok in _ELIDABLE and nxt and _VOWEL_START.match(nxt) and nxt.isalpha():
            out.append(f"{tok}'{SMS_EXPANSIONS.get(nxt, nxt)}")
            i += 1
        elif tok in _ELIDABLE and nxt and tok not in ("l", "d", "s"):
            out.append(_ELIDABLE[tok])
        elif tok in ("l", "d", "s") and nxt.isalpha() and prev not in _LETTER_CONTEXT:
            out.append(_ELIDABLE[tok])
        else:
            out.append(SMS_EXPANSIONS.get(tok, tok))
        i += 1
    return out


def normalize(text: str, *, numbers: bool = True) -> str:
    """Return the canonical form of a resident's message.

    ``numbers`` turns French number words into digits ("mille deux cents" → "1200") when
    ``text2num`` is available; small numbers such as "un", "une", "deux" stay words, so
    "une boite" or "mes deux enfants" are unchanged.

    >>> normalize("Bjr, chui trooop stressée pr mon HLM 😢")
    'bonjour je suis trop stressee pour mon hlm'
    >>> normalize("g pa d sous, 1.200€ de loyer")
    "j'ai pas de sous 1200 euros de loyer"
    """
    if not text:
        return ""
    text = strip_accents(text)
    text = _APOSTROPHES.sub("'", text)
    text = _CMU_C.sub("cmuc", text)
    text = _EURO.sub(" euros ", text)
    text = _DECIMAL.sub(".", _THOUSANDS.sub("", text))
    text = _NOT_WORD.sub(" ", text)
    text = _REPEATS.sub(r"\1", text)
    text = _EDGE_APOSTROPHES.sub(" ", text)
    tokens = _expand_tokens(text.split())
    text = " ".join(tokens)
    if numbers and _alpha2digit_fn is not None:
        try:
            text = _alpha2digit_fn(text, "fr")
        except Exception:  # a number parser must never stop a message
            pass
    return _SPACES.sub(" ", text).strip()

