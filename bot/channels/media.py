"""Files residents send: which ones are kept as documents, and fetching them with a size cap."""

from __future__ import annotations

import enum

import aiohttp

MAX_DOCUMENT_BYTES = 16 * 1024 * 1024  # WhatsApp's own media limit; a phone photo is ~3 MB
DOCUMENT_TYPES = frozenset({
    "image/jpeg", "image/png", "image/webp", "image/heic", "image/heif", "image/gif",
    "application/pdf",
})
_TIMEOUT = aiohttp.ClientTimeout(total=60)


class MediaKind(enum.Enum):
    DOCUMENT = "document"  # kept, encrypted, for the resident's request
    VOICE = "voice"  # not understood yet: the resident is asked to write
    OTHER = "other"  # video, contact card, sticker…: politely refused


class TooLarge(Exception):
    """The file is over MAX_DOCUMENT_BYTES."""


def media_kind(content_type: str | None) -> MediaKind:
    kind = (content_type or "").split(";")[0].strip().lower()
    if kind in DOCUMENT_TYPES:
        return MediaKind.DOCUMENT
    if kind.startswith("audio/"):
        return MediaKind.VOICE
    return MediaKind.OTHER


async def download(session: aiohttp.ClientSession, url: str,
                   auth: aiohttp.BasicAuth | None = None,
                   limit: int = MAX_DOCUMENT_BYTES) -> bytes:
    """The file's bytes, refusing to read more than ``limit`` (whatever Content-Length says).

    aiohttp drops the credentials if the provider redirects to another origin (Twilio's
    media URLs redirect to its CDN).
    """
    async with session.get(url, auth=auth, timeout=_TIMEOUT) as resp:
        resp.raise_for_status()
        if (resp.content_length or 0) > limit:
            raise TooLarge()
        data = bytearray()
        async for chunk in resp.content.iter_chunked(64 * 1024):
            data += chunk
            if len(data) > limit:
                raise TooLarge()
        return bytes(data)
