"""The ``armsledger`` command line. ``app.py`` holds the Typer app and the ledger commands; each further
command group lives in its own module here and registers itself on :data:`app` when imported."""

from __future__ import annotations

from armsledger.cli import estimate as _estimate  # noqa: F401  (registers `armsledger estimate`)
from armsledger.cli import flows as _flows  # noqa: F401  (registers timeline, conflicts, forecasts, import-claims)
from armsledger.cli import sanctions as _sanctions  # noqa: F401  (registers `armsledger sanctions`)
from armsledger.cli import web as _web  # noqa: F401  (registers serve, user, audit, export)
from armsledger.cli.app import app, main

__all__ = ["app", "main"]
