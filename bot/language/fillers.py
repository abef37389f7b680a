"""Messages that say nothing yet: hesitations ("euh", "hmm", "bof") and punctuation alone.

A resident who types "euh" or "???" has not asked anything. The model, which must put every
message somewhere, puts such short texts with the greetings, and the bot then re-introduces
itself. The right reply is the fallback's: ask to rephrase, then offer a person after two
misunderstandings (docs/conversation.md). A list of hesitation words is more reliable here
than training examples: the model cannot learn "nothing" from a handful of sounds.

Pure Python, precompiled, run on every message by ``bot.language.filler_component``.
"""

from __future__ import annotations

import re
import unicodedata

from bot.language.normalize import normalize

__all__ = ["is_filler"]

# One hesitation or reaction word, in its normalised form (letters repeated three times or
# more are already folded: "euuuh" is "euh", "hmmm" is "hm", "pfff" is "pf").
_FILLER_WORD = re.compile(
    r"(?:e+u+h*|h?e+u+|h+m+|hu+m+|m+h+|m+|hein|bof|pf+|ben|bah|ah|oh|eh|bon)"
)


def _punctuation_only(text: str) -> bool:
    """True when ``text`` holds punctuation and spaces only ("???", "...", "?!").

    Emojis are not punctuation: "👍" may well mean "d'accord", and stays the model's.
    """
    stripped = [ch for ch in text if not ch.isspace()]
    return bool(stripped) and all(unicodedata.category(ch).startswith("P") for ch in stripped)


def is_filler(text: str) -> bool:
    """True when ``text`` is only hesitation words or only punctuation: nothing to answer."""
    if _punctuation_only(text):
        return True
    words = normalize(text).split()
    return bool(words) and all(_FILLER_WORD.fullmatch(word) for word in words)
