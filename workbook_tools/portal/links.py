"""Upload links: one unguessable token per unit, form and period.

The token is 256 random bits (:func:`secrets.token_urlsafe`); the registry
keeps only its SHA-256, so a copy of the database does not hand out working
links. A high-entropy token needs no slow hash: SHA-256 cannot be reversed and
there is nothing to guess. The stored hash is compared with
:func:`hmac.compare_digest`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

TOKEN_BYTES = 32
LINK_PATH = "/nop/"
"""The unit page's path prefix: ``<base>/nop/<token>``."""


@dataclass(frozen=True)
class Link:
    """A unit's upload link as the registry keeps it (without the token)."""

    id: int
    form_id: str
    period: str
    unit_code: str
    unit_name: str
    created_at: datetime
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True)
class IssuedLink:
    """A link just issued: the only moment its token exists in clear."""

    link: Link
    token: str


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def same_hash(a: str, b: str) -> bool:
    """Constant-time comparison of two token hashes."""
    return hmac.compare_digest(a.encode("ascii"), b.encode("ascii"))


def link_url(base_url: str, token: str) -> str:
    """The address a unit opens: ``base_url`` (e.g. http://10.0.0.5:8000) + /nop/<token>."""
    return base_url.rstrip("/") + LINK_PATH + token
