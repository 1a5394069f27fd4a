"""The web layer's one error: an HTTP status with a stable code; the app renders it as JSON or a page."""

from __future__ import annotations

from typing import Any


class WebError(Exception):
    """An HTTP failure: ``code`` is machine-readable ("not_found", "forbidden"), ``message`` for people."""

    def __init__(self, status: int, code: str, message: str, detail: Any = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.detail = detail


class LoginRequired(WebError):
    """A page needs a signed-in user; pages redirect to the login form, the API answers 401."""

    def __init__(self, message: str = "sign in or send an API token (Authorization: Bearer …)") -> None:
        super().__init__(401, "unauthorized", message)
