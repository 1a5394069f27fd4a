"""Accounts in the ledger: users with a role and a salted hash of their API token (SQL only here)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, func, insert, select

from armsledger.accounts import IssuedToken, Role, User, secret_matches, split_token
from armsledger.errors import UsageError
from armsledger.store.schema import users


def add_user(conn: Connection, name: str, role: Role, token: IssuedToken) -> User:
    """Insert a user; raises :class:`UsageError` when the name is taken."""
    taken = conn.execute(select(users.c.id).where(users.c.name == name)).first()
    if taken is not None:
        raise UsageError(f"account {name!r} already exists", hint="choose another name")
    result = conn.execute(
        insert(users).values(
            name=name,
            role=role.value,
            token_key=token.key,
            token_salt=token.salt,
            token_hash=token.hash,
            created_at=datetime.now(UTC),
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    return User(int(key[0]), name, role)


def user_by_token(conn: Connection, token: str) -> User | None:
    """The user a token belongs to, or None for an unknown or wrong token."""
    parts = split_token(token)
    if parts is None:
        return None
    row = conn.execute(select(users).where(users.c.token_key == parts[0])).first()
    if row is None or not secret_matches(parts[1], row.token_salt, row.token_hash):
        return None
    return User(int(row.id), row.name, Role(row.role))


def user_by_id(conn: Connection, user_id: int) -> User | None:
    """The user with this id, or None."""
    row = conn.execute(select(users).where(users.c.id == user_id)).first()
    return User(int(row.id), row.name, Role(row.role)) if row is not None else None


def list_users(conn: Connection) -> list[User]:
    """Every account, by name."""
    return [User(int(r.id), r.name, Role(r.role)) for r in conn.execute(select(users).order_by(users.c.name))]


def count_users(conn: Connection) -> int:
    """How many accounts exist."""
    return int(conn.execute(select(func.count()).select_from(users)).scalar_one())
