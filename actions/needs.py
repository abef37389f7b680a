"""When a flow needs a person: the resident cannot write, lacks papers, or the case is complex.

A chat cannot finish every request: someone who cannot read or write, whose papers are lost,
or whose situation mixes several problems needs a public writer, a France services advisor or
a social worker. These patterns read the resident's words (normalised: no accents, SMS
spellings expanded, ``bot.language.normalize``) and name the need, so the conversation is
escalated with the reason ``flow`` and the agents see why. They are deliberately narrow:
"je ne sais pas" alone is an answer to a question ("une estimation suffit"), not a need.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from bot.language.normalize import normalize
from bot.store.handoff import NEEDS

_NEG = r"(?:ne |n')?"
_DOCUMENT = (r"(?:papiers?|documents?|justificatifs?|pieces?(?: d'identite| justificatives?)?"
             r"|carte d'identite|carte vitale|titre de sejour|passeport|avis d'imposition"
             r"|avis d'impot|feuilles? d'impots?|fiches? de paie|bulletins? de salaire"
             r"|attestations?|acte de naissance|rib|quittances?|livret de famille)")

PATTERNS: dict[str, tuple[re.Pattern[str], ...]] = {
    "cannot_write": tuple(re.compile(p) for p in (
        rf"\b(?:je |j')?{_NEG}(?:sais|sait|peux|arrive|savais)(?: pas| plus| vraiment pas)"
        r"(?: tres| bien| tres bien)? (?:a )?(?:lire|ecrire|remplir|taper)\b",
        r"\bje ne sais ni lire ni ecrire\b",
        r"\b(?:illettre|illettree|analphabete)\b",
        rf"\b(?:je |j')?{_NEG}(?:parle|comprends|lis|ecris)(?: pas| mal| peu)(?: bien| tres bien)?"
        r" (?:le |en )?francais\b",
        r"\bc'est (?:mon|ma|mes) \w+ qui (?:ecrit|ecrivent|tape|tapent|m'aide)\b",
        r"\b(?:malvoyante?|aveugle)\b",
        rf"\b(?:je |j')?{_NEG}(?:sais|peux)(?: pas| plus) (?:utiliser|me servir d')"
        r" ?(?:un |l')?(?:ordinateur|internet|telephone|site)\b",
    )),
    "no_documents": tuple(re.compile(p) for p in (
        rf"\b(?:je |j')?{_NEG}(?:ai|a) (?:pas|plus|aucun|aucune|jamais eu)"
        rf" (?:de |d'|mes |les |mon |ma |la |le |l')?{_DOCUMENT}\b",
        rf"\b(?:j'ai |on m'a )?(?:perdu|vole|egare)(?:e|es|s)? (?:tous |toutes )?"
        r"(?:mes |mon |ma |les )?"
        rf"{_DOCUMENT}\b",
        rf"\b(?:je |j')?{_NEG}(?:trouve|retrouve)(?: pas| plus) (?:mes |mon |ma |les )?"
        rf"{_DOCUMENT}\b",
        rf"\b(?:mes |mon |ma )?{_DOCUMENT} (?:sont|est) (?:perimes?|perimees?|expires?)\b",
        rf"\bsans (?:aucun )?{_DOCUMENT}\b",
    )),
    "complex_case": tuple(re.compile(p) for p in (
        r"\bc'est (?:trop |tres |vraiment |un peu )?(?:complique|complexe)\b",
        r"\bma situation (?:est )?(?:trop |tres |vraiment |un peu )?"
        r"(?:compliquee|complexe|particuliere|speciale)\b",
        r"\bsituation (?:tres |trop )?(?:compliquee|complexe)\b",
        r"\b(?:un |mon )?cas (?:particulier|special|complique)\b",
        r"\bplusieurs problemes\b",
        r"\bje suis (?:completement |totalement |un peu )?(?:perdu|perdue) "
        r"(?:dans|avec) (?:mes|les|ces) (?:demarches|papiers|dossiers|courriers)\b",
        r"\b(?:mon dossier|ma demande) (?:est )?(?:bloque|bloquee|coince|coincee)\b",
    )),
}


def detect_need(text: str) -> str | None:
    """``cannot_write``, ``no_documents`` or ``complex_case`` when the words say so, else None.

    Button payloads ("/ask_human") carry no need.
    """
    if not isinstance(text, str) or text.lstrip().startswith("/"):
        return None
    plain = normalize(text, numbers=False)
    for need in NEEDS:
        if any(pattern.search(plain) for pattern in PATTERNS[need]):
            return need
    return None


def recent_need(events: Iterable[dict[str, Any]], lookback: int = 3) -> str | None:
    """The need in one of the resident's last messages (the latest first), if any.

    A resident who wrote "je ne sais pas écrire" then pressed "Parler à une personne" still
    has that need: the button's payload says nothing about it.
    """
    seen = 0
    for event in reversed(list(events)):
        if event.get("event") != "user":
            continue
        need = detect_need(event.get("text") or "")
        if need:
            return need
        seen += 1
        if seen >= lookback:
            break
    return None
