"""The analyst's workbench: FastAPI app with HTML pages, the JSON API under ``/api/v1`` and bundled assets.

Sits on top of the core: nothing below ``web/`` imports it. ``create_app(url)`` builds the app;
``armsledger serve`` runs it with uvicorn.
"""

from __future__ import annotations

from armsledger.web.app import create_app
from armsledger.web.server import check_bind, is_loopback, serve

__all__ = ["check_bind", "create_app", "is_loopback", "serve"]
