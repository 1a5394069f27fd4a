"""Accounts: roles and API tokens. Pure functions; the ledger stores users (``store/accounts.py``).

A token is ``<key>.<secret>``: ``key`` finds the user row, ``secret`` is checked against a salted
PBKDF2 hash, so the database never holds a usable token.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from enum import StrEnum

from armsledger.errors import UsageError

# OWASP's 2023 password-storage guidance gives 600,000 PBKDF2-HMAC-SHA256 iterations for passwords;
# tokens here are 256-bit random secrets that no dictionary can reach, so a lower count keeps each
# request cheap (~10 ms, measured on the CI machine) while a stolen hash still costs a real search.
PBKDF2_ITERATIONS = 60_000
TOKEN_KEY_BYTES = 6
TOKEN_SECRET_BYTES = 32
_NAME = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")


class Role(StrEnum):
    """What an account may do: viewers read, analysts also review claims, admins also manage accounts."""

    VIEWER = "viewer"
    ANALYST = "analyst"
    ADMIN = "admin"

    @property
    def can_review(self) -> bool:
        return self in (Role.ANALYST, Role.ADMIN)


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A freshly made token: the value shown once to the user, and what the ledger stores."""

    token: str
    key: str
    salt: str
    hash: str


@dataclass(frozen=True, slots=True)
class User:
    """An account as the ledger holds it (without its token hash)."""

    id: int
    name: str
    role: Role


def parse_role(value: str) -> Role:
    """The role named ``value``; raises :class:`UsageError` listing the roles otherwise."""
    try:
        return Role(value.strip().lower())
    except ValueError:
        raise UsageError(
            f"role {value!r} is not known", hint=f"use one of: {', '.join(r.value for r in Role)}"
        ) from None


def check_name(name: str) -> str:
    """``name`` if it is a valid account name (letters, digits, ``_.@-``, at most 64)."""
    if not _NAME.match(name):
        raise UsageError(f"account name {name!r} is not valid", hint="use 1-64 letters, digits or _ . @ -")
    return name


def hash_secret(secret: str, salt: str) -> str:
    """The stored form of a token secret: hex PBKDF2-HMAC-SHA256 with ``salt``."""
    digest = hashlib.pbkdf2_hmac("sha256", secret.encode(), bytes.fromhex(salt), PBKDF2_ITERATIONS)
    return digest.hex()


def issue_token() -> IssuedToken:
    """A new random token and its salted hash."""
    key = secrets.token_hex(TOKEN_KEY_BYTES)
    secret = secrets.token_urlsafe(TOKEN_SECRET_BYTES)
    salt = secrets.token_hex(16)
    return IssuedToken(token=f"{key}.{secret}", key=key, salt=salt, hash=hash_secret(secret, salt))


def split_token(token: str) -> tuple[str, str] | None:
    """``(key, secret)`` of a well-formed token, else None."""
    key, sep, secret = token.strip().partition(".")
    if not sep or not key or not secret or len(key) != 2 * TOKEN_KEY_BYTES:
        return None
    return key, secret


def secret_matches(secret: str, salt: str, stored_hash: str) -> bool:
    """True when ``secret`` hashes to ``stored_hash`` (constant-time comparison)."""
    return hmac.compare_digest(hash_secret(secret, salt), stored_hash)
