"""The gateway's store: residents, their channel identities, received documents, idempotency.

``models`` holds the tables (documented in docs/channels.md), ``crypto`` the keys derived from
RELAIS_SECRET_KEY, ``repository`` the few operations the channels need.
"""

from bot.store import dossiers  # noqa: F401  (registers the dossier tables on Base)
from bot.store.repository import (
    AsyncStore,
    ChannelIdentity,
    Repository,
    StoredDocument,
    open_repository,
)

__all__ = ["AsyncStore", "ChannelIdentity", "Repository", "StoredDocument", "open_repository"]
