"""Pseudonymous conversation ids: Rasa and the logs never see a raw channel identity."""

from __future__ import annotations

import hashlib
import hmac


def conversation_id(secret_key: str, channel: str, channel_user_id: str) -> str:
    """A stable id for one person on one channel, that cannot be turned back into the identity.

    HMAC rather than a plain hash: phone numbers are few enough to be brute-forced from a hash.
    """
    message = f"{channel}:{channel_user_id}".encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()[:32]
