"""Connecting to the ledger database: URL resolution, SQLite transaction fixes, migrations, error mapping."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, SQLAlchemyError

from armsledger.errors import StoreError
from armsledger.settings import get_settings

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def resolve_database_url(value: str | None) -> str:
    """A SQLAlchemy URL from ``--db``: a URL as given, a file path as a SQLite URL, None as the setting."""
    if value is None or not value.strip():
        return get_settings().database_url
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


# The PostgreSQL driver armsledger ships (psycopg 3). SQLAlchemy 2 maps a bare "postgresql://" to
# psycopg2, which is not installed, and rejects Heroku-style "postgres://" outright.
_POSTGRES_DRIVER = "postgresql+psycopg"
_BARE_POSTGRES = ("postgresql", "postgres")


def engine_url(url: str) -> str:
    """``url`` with a bare ``postgresql://`` or ``postgres://`` scheme bound to the psycopg driver.

    Other URLs, including ``postgresql+psycopg://`` and other explicit drivers, are returned unchanged.
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        return url
    if parsed.drivername not in _BARE_POSTGRES:
        return url
    return parsed.set(drivername=_POSTGRES_DRIVER).render_as_string(hide_password=False)


def display_url(url: str) -> str:
    """The URL with any password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def sqlite_path(url: str) -> Path | None:
    """The database file of a SQLite URL (None for other databases and in-memory SQLite)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def _hint_for(exc: BaseException, url: str) -> str:
    text = str(exc).lower()
    path = sqlite_path(url)
    if "file is not a database" in text or "file is encrypted" in text:
        return f"{path or 'the file'} is not an armsledger SQLite database; point --db at another file"
    if "unable to open database file" in text or "readonly" in text:
        return f"check that {path.parent if path else 'the folder'} exists and is writable"
    if "locked" in text:
        return "another armsledger process is writing the ledger; wait for it and retry"
    if isinstance(exc, IntegrityError):
        return "the ledger already holds a conflicting row; report this with --debug output"
    return "check the --db value and that the database server is reachable"


@contextmanager
def store_errors(action: str, url: str) -> Iterator[None]:
    """Turn database errors raised in the block into :class:`StoreError` naming the action and database."""
    try:
        yield
    except StoreError:
        raise
    except (SQLAlchemyError, sqlite3.Error) as exc:
        detail = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
        first_line = str(detail).strip().splitlines()[0] if str(detail).strip() else type(detail).__name__
        raise StoreError(
            f"could not {action}: {first_line}", item=display_url(url), hint=_hint_for(exc, url)
        ) from exc


def _sqlite_transactions(engine: Engine) -> None:
    # The sqlite3 driver's legacy mode skips BEGIN before DDL and SELECT, so migrations would
    # autocommit half-way. SQLAlchemy's documented recipe: disable the driver's transaction
    # handling and emit BEGIN ourselves. Foreign keys are off by default in SQLite.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")


def create_ledger_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite files get real transactions and enforced foreign keys."""
    path = sqlite_path(url)
    if path is not None and not path.parent.exists():
        raise StoreError(
            f"folder {path.parent} does not exist",
            item=display_url(url),
            hint="create the folder or choose another --db path",
        )
    try:
        engine = create_engine(engine_url(url))
    except (ArgumentError, ImportError) as exc:
        raise StoreError(
            f"cannot use database URL ({exc})",
            item=display_url(url),
            hint="give a file path or a URL such as sqlite:///ledger.db or postgresql+psycopg://host/db",
        ) from exc
    if engine.dialect.name == "sqlite":
        _sqlite_transactions(engine)
    return engine


def alembic_config() -> Config:
    """Alembic configuration pointing at the migrations shipped inside the package."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def upgrade(engine: Engine, url: str) -> None:
    """Bring the schema to the newest migration (``alembic upgrade head``), in one transaction."""
    # Alembic is imported on first open only: it adds ~0.15 s that commands without a ledger skip.
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    cfg = alembic_config()
    script = ScriptDirectory.from_config(cfg)
    head = script.get_current_head()
    with store_errors("open the ledger", url), engine.begin() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
        if current == head:
            return
        known = {rev.revision for rev in script.walk_revisions()}
        if current is not None and current not in known:
            raise StoreError(
                f"the ledger is at schema revision {current}, unknown to this armsledger",
                item=display_url(url),
                hint="it was written by a newer armsledger; upgrade armsledger or use another --db",
            )
        cfg.attributes["connection"] = conn
        try:
            command.upgrade(cfg, "head")
        except CommandError as exc:
            raise StoreError(
                f"could not migrate the ledger: {exc}",
                item=display_url(url),
                hint="the shipped migrations may be damaged; reinstall armsledger",
            ) from exc
