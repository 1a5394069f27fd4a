"""The ``armsledger`` command line. ``app.py`` holds the Typer app and the ledger commands; each further
command group lives in its own module here and registers itself on :data:`app` when imported."""

from __future__ import annotations

from armsledger.cli.app import app, main

__all__ = ["app", "main"]
