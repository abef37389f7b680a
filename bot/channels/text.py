"""Shaping the bot's messages for channels without buttons and with length limits."""

from __future__ import annotations

import math
import re

from bot.channels.messages import choice_prompt
from bot.rasa_client import BotMessage

_SENTENCE_END = re.compile(r"(?<=[.!?…:;])\s+|\n+")

# GSM 03.38: what fits in a 160-character SMS segment. Anything else (ê, ç, ô, œ, ’, emoji…)
# switches the whole message to UCS-2 and its segments to 70 characters.
_GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENDED = set("^{}\\[~]|€\f")  # each costs two characters

# Typography that would turn an SMS into UCS-2 for nothing.
_SMS_PLAIN = str.maketrans({
    "’": "'", "‘": "'", "“": '"', "”": '"', "«": '"', "»": '"', "…": "...",
    "–": "-", "—": "-", "\u00a0": " ", "\u202f": " ",
})


def split_message(text: str, limit: int) -> list[str]:
    """Pieces of at most ``limit`` characters, cut between sentences whenever possible."""
    text = text.strip()
    if len(text) <= limit:
        return [text] if text else []
    pieces: list[str] = []
    current = ""
    for sentence in _units(text, limit):
        candidate = f"{current} {sentence}" if current else sentence
        if len(candidate) <= limit:
            current = candidate
        else:
            pieces.append(current)
            current = sentence
    if current:
        pieces.append(current)
    return pieces


def _units(text: str, limit: int) -> list[str]:
    """Sentences; a sentence longer than the limit is cut between words, a word by force."""
    units: list[str] = []
    for sentence in filter(None, (s.strip() for s in _SENTENCE_END.split(text))):
        while len(sentence) > limit:
            cut = sentence.rfind(" ", 0, limit + 1)
            cut = cut if cut > 0 else limit
            units.append(sentence[:cut].strip())
            sentence = sentence[cut:].strip()
        if sentence:
            units.append(sentence)
    return units


def with_numbered_choices(message: BotMessage, start: int = 1) -> str:
    """The text, then "1. …" per button and "Répondez 1 ou 2." (SMS and WhatsApp)."""
    if not message.buttons:
        return message.text
    lines = [message.text, ""]
    lines += [f"{start + i}. {b.title}" for i, b in enumerate(message.buttons)]
    lines.append(choice_prompt(start + len(message.buttons) - 1))
    return "\n".join(lines)


def sms_plain(text: str) -> str:
    """Straight quotes and plain dashes: the same words in fewer SMS segments."""
    return text.translate(_SMS_PLAIN)


def sms_segments(text: str) -> int:
    """How many segments an SMS of this text is billed as (GSM-7 or UCS-2 encoding)."""
    if not text:
        return 0
    if all(c in _GSM_BASIC or c in _GSM_EXTENDED for c in text):
        units = sum(2 if c in _GSM_EXTENDED else 1 for c in text)
        return 1 if units <= 160 else math.ceil(units / 153)
    units = len(text.encode("utf-16-le")) // 2
    return 1 if units <= 70 else math.ceil(units / 67)
