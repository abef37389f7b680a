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


def internal_token(secret_key: str) -> str:
    """The bearer token of the gateway's internal API (``/internal/…``), for the action server.

    Derived from RELAIS_SECRET_KEY, which the supervisor already gives every child: no new
    secret to manage, and it cannot be mistaken for a conversation id (distinct label).
    """
    return hmac.new(secret_key.encode(), b"relais internal api v1", hashlib.sha256).hexdigest()
