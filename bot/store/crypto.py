"""Keys of the store, all derived from RELAIS_SECRET_KEY so that a town manages one secret.

Two independent keys come out of it with HKDF-SHA256 (distinct ``info`` labels), so that the
lookup hashes and the encrypted values never share a key:

- a lookup key: ``HMAC-SHA256(lookup key, "<kind>:<address>")`` finds a resident from a phone
  number or a Telegram user id without storing them in clear. HMAC rather than a plain hash:
  French mobile numbers are few enough (10^8) to be found back from an unkeyed hash.
- a Fernet key (AES-128-CBC + HMAC-SHA256): encrypts the raw address needed to reply, and the
  files residents send.

Changing RELAIS_SECRET_KEY makes every stored address and document unreadable and every lookup
miss: it is a data-loss operation (key rotation is not supported yet).
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

__all__ = ["InvalidToken", "StoreKeys", "derive_key"]


def derive_key(secret_key: str, label: bytes) -> bytes:
    """32 bytes for one purpose (``label``), independent of every other key from the secret."""
    if not secret_key:
        raise ValueError("the store needs a non-empty secret key")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"relais-store", info=label).derive(
        secret_key.encode()
    )


class StoreKeys:
    """The lookup HMAC and the Fernet cipher of the store."""

    def __init__(self, secret_key: str):
        if not secret_key:
            raise ValueError("the store needs a non-empty secret key")
        self._lookup_key = derive_key(secret_key, b"lookup v1")
        self._fernet = Fernet(base64.urlsafe_b64encode(derive_key(secret_key, b"fernet v1")))

    def lookup_hash(self, kind: str, address: str) -> str:
        """64 hex digits identifying an address (``kind`` is "phone" or "telegram")."""
        message = f"{kind}:{address}".encode()
        return hmac.new(self._lookup_key, message, hashlib.sha256).hexdigest()

    def encrypt(self, data: bytes) -> bytes:
        return self._fernet.encrypt(data)

    def decrypt(self, token: bytes) -> bytes:
        return self._fernet.decrypt(token)
