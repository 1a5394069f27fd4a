"""Who is asking: API tokens (``Authorization: Bearer``), signed session cookies, CSRF tokens, roles.

Sessions and CSRF tokens are HMACs under a secret made when the app starts, so restarting the server
signs everyone out. While the ledger has no account (``serve`` then listens on loopback only) reading
needs no sign-in and writing is impossible.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

from fastapi import Request, Response

from armsledger.accounts import User
from armsledger.store import Ledger
from armsledger.web.errors import LoginRequired, WebError

SESSION_COOKIE = "armsledger_session"
NONCE_COOKIE = "armsledger_nonce"
# A working day plus margin: an analyst signs in once a day.
SESSION_SECONDS = 12 * 3600


@dataclass(frozen=True, slots=True)
class Signer:
    """HMAC-SHA256 under one secret: session values and CSRF tokens."""

    secret: bytes

    @classmethod
    def fresh(cls) -> Signer:
        return cls(secrets.token_bytes(32))

    def sign(self, value: str) -> str:
        return hmac.new(self.secret, value.encode(), hashlib.sha256).hexdigest()

    def session_value(self, user: User) -> str:
        payload = f"{user.id}.{int(time.time()) + SESSION_SECONDS}"
        return f"{payload}.{self.sign('session:' + payload)}"

    def session_user_id(self, value: str) -> int | None:
        user_id, _, rest = value.partition(".")
        expires, _, sig = rest.partition(".")
        if not (user_id.isdigit() and expires.isdigit()):
            return None
        if not hmac.compare_digest(self.sign(f"session:{user_id}.{expires}"), sig):
            return None
        return int(user_id) if int(expires) > time.time() else None

    def csrf_token(self, nonce: str) -> str:
        return self.sign("csrf:" + nonce)


def ledger_of(request: Request) -> Ledger:
    ledger: Ledger = request.app.state.ledger
    return ledger


def signer_of(request: Request) -> Signer:
    signer: Signer = request.app.state.signer
    return signer


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def current_user(request: Request) -> User | None:
    """The user of the bearer token, else of the session cookie; a bad token is a 401."""
    ledger = ledger_of(request)
    token = bearer_token(request)
    if token is not None:
        user = ledger.user_by_token(token)
        if user is None:
            raise WebError(401, "unauthorized", "the API token is not valid")
        return user
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        user_id = signer_of(request).session_user_id(cookie)
        if user_id is not None:
            return ledger.user_by_id(user_id)
    return None


def require_reader(request: Request) -> User | None:
    """Dependency of read routes: any account, or nobody while the ledger has no account."""
    user = current_user(request)
    if user is None and ledger_of(request).count_users() > 0:
        raise LoginRequired()
    return user


def require_reviewer(request: Request) -> User:
    """Dependency of write routes: an analyst or admin (viewer → 403, nobody → 401)."""
    user = current_user(request)
    if user is None:
        raise LoginRequired("reviewing needs an analyst account: sign in or send its API token")
    if not user.role.can_review:
        raise WebError(
            403, "forbidden", f"{user.name} is a {user.role.value}; reviewing needs analyst or admin"
        )
    return user


def page_nonce(request: Request) -> tuple[str, bool]:
    """This browser's CSRF nonce and whether it is new (then the page sets it as a cookie)."""
    nonce = request.cookies.get(NONCE_COOKIE)
    return (nonce, False) if nonce else (secrets.token_urlsafe(24), True)


def set_nonce(response: Response, nonce: str) -> None:
    response.set_cookie(NONCE_COOKIE, nonce, httponly=True, samesite="strict", path="/")


def check_csrf(request: Request, token: str | None) -> None:
    """Reject a form POST whose CSRF token does not match this browser's nonce cookie."""
    nonce = request.cookies.get(NONCE_COOKIE)
    if not nonce or not token or not hmac.compare_digest(signer_of(request).csrf_token(nonce), token):
        raise WebError(403, "csrf", "the form's CSRF token is missing or wrong; reload the page and retry")
