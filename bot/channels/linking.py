"""Linking a Telegram resident to their phone number with a one-time code sent by SMS.

Telegram gives no phone number, so the resident proves they own one: ``/lier 06 12 34 56 78``
sends a 6-digit code to that number; the 6 digits typed back in Telegram make the Telegram
identity join the resident of that number (same dossiers, same documents). Codes expire after
10 minutes, 5 wrong tries abandon one, and at most 3 are sent per Telegram identity and day, so
that the feature cannot be used to flood somebody else's phone.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Awaitable, Callable
from datetime import timedelta

from bot.channels import messages as say
from bot.store.repository import AsyncStore, ChannelIdentity

CODE_LIFETIME = timedelta(minutes=10)
MAX_ATTEMPTS = 5
MAX_CODES_PER_DAY = 3

_COMMAND = re.compile(r"/lier(@\w+)?(?:\s+(?P<number>.*))?", re.DOTALL | re.IGNORECASE)
_CODE = re.compile(r"\d{3}\s?\d{3}")

SendSms = Callable[[str, str], Awaitable[bool]]


def french_mobile(text: str) -> str | None:
    """"06 12 34 56 78", "+33 6 12…", "0033612…" → "+33612345678"; None if not a number."""
    digits = re.sub(r"[\s.\-()]", "", text)
    if re.fullmatch(r"0[1-9]\d{8}", digits):
        return "+33" + digits[1:]
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if re.fullmatch(r"\+[1-9]\d{7,14}", digits):
        return digits
    return None


class PhoneLinking:
    """Answers ``/lier`` and the code that follows; anything else is not its business."""

    def __init__(self, store: AsyncStore, send_sms: SendSms | None):
        self._store = store
        self._send_sms = send_sms

    async def handle(self, identity: ChannelIdentity, text: str) -> str | None:
        """The reply when ``text`` is a linking command or an awaited code, else None."""
        command = _COMMAND.fullmatch(text)
        if command is not None:
            return await self._start(identity, command.group("number") or "")
        if _CODE.fullmatch(text) and await self._store.run(
                lambda r: r.link_pending(identity.id)):
            return await self._check(identity, text.replace(" ", ""))
        return None

    async def _start(self, identity: ChannelIdentity, number: str) -> str:
        phone = french_mobile(number)
        if phone is None:
            return say.LINK_HOW
        if self._send_sms is None:
            return say.LINK_UNAVAILABLE
        code = f"{secrets.randbelow(10**6):06d}"
        allowed = await self._store.run(lambda r: r.start_link(
            identity.id, phone, code, lifetime=CODE_LIFETIME,
            max_codes_per_day=MAX_CODES_PER_DAY))
        if not allowed:
            return say.LINK_TOO_MANY
        if not await self._send_sms(phone, say.LINK_SMS.format(code=code)):
            return say.LINK_UNAVAILABLE
        return say.LINK_CODE_SENT

    async def _check(self, identity: ChannelIdentity, code: str) -> str:
        outcome = await self._store.run(
            lambda r: r.check_link_code(identity.id, code, max_attempts=MAX_ATTEMPTS))
        return {"linked": say.LINK_DONE, "wrong": say.LINK_WRONG_CODE,
                "abandoned": say.LINK_ABANDONED}.get(outcome, say.LINK_ABANDONED)
