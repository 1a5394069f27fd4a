"""The one settings registry: every tunable value armsledger reads from the environment.

Each setting has a name, an environment variable, a default and a description. Code reads settings
through :func:`get_settings`; nothing else reads ``os.environ``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from armsledger.errors import UsageError


@dataclass(frozen=True, slots=True)
class Settings:
    """Resolved settings for one process."""

    database_url: str
    max_document_bytes: int
    examples_dir: Path


DEFAULT_DATABASE = "sqlite:///armsledger.db"
# 50 MB is far beyond any news report (a long article is ~50 kB); larger inputs are archives or mistakes.
DEFAULT_MAX_DOCUMENT_BYTES = 50 * 1024 * 1024

REGISTRY: dict[str, tuple[str, str]] = {
    "database_url": ("ARMSLEDGER_DATABASE_URL", "SQLAlchemy URL of the ledger (SQLite file or PostgreSQL)"),
    "max_document_bytes": ("ARMSLEDGER_MAX_DOCUMENT_BYTES", "largest input document accepted, in bytes"),
    "examples_dir": ("ARMSLEDGER_EXAMPLES_DIR", "folder of example reports used by `armsledger demo`"),
}


def _default_examples_dir() -> Path:
    # The repository's examples/ (an editable install); the demo tells the user when it is missing.
    return Path(__file__).resolve().parents[2] / "examples"


def get_settings() -> Settings:
    """Read the settings from the environment, validating each one."""
    env = os.environ
    raw_max = env.get(REGISTRY["max_document_bytes"][0], str(DEFAULT_MAX_DOCUMENT_BYTES))
    try:
        max_bytes = int(raw_max)
    except ValueError:
        raise UsageError(
            f"{REGISTRY['max_document_bytes'][0]}={raw_max!r} is not a whole number of bytes",
            hint="set it to e.g. 52428800 or unset it",
        ) from None
    return Settings(
        database_url=env.get(REGISTRY["database_url"][0], DEFAULT_DATABASE),
        max_document_bytes=max_bytes,
        examples_dir=Path(env.get(REGISTRY["examples_dir"][0], str(_default_examples_dir()))),
    )
