"""A throwaway PostgreSQL server for the test run: initdb in a temp folder, pg_ctl start, stop, delete.

The server binaries come from the Debian ``postgresql`` package (``/usr/lib/postgresql/<major>/bin``,
installed by ``scripts/system-deps.sh``) or from ``PATH``. initdb and postgres refuse to run as root,
so as root the data folder belongs to the ``postgres`` system user and the binaries run as that user
through ``runuser``; any other user runs them directly. The server listens on 127.0.0.1 only, on a
free port, with trust authentication, fsync off and its socket in the temp folder.
"""

from __future__ import annotations

import glob
import itertools
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

DEBIAN_BIN_GLOB = "/usr/lib/postgresql/*/bin"
SUPERUSER = "postgres"
# initdb, start and stop each take well under 10 s on a CI machine; these bound a hung server.
START_TIMEOUT_S = 60
COMMAND_TIMEOUT_S = 120
# A free port can be taken by another process between our probe and the server's bind: retry.
START_ATTEMPTS = 3


class PostgresUnavailable(RuntimeError):
    """The PostgreSQL server binaries are not installed here."""


@dataclass(frozen=True, slots=True)
class PostgresServer:
    """A running throwaway server: where it listens, its major version, how long it took to start."""

    host: str
    port: int
    version: str
    startup_seconds: float

    def url(self, database: str) -> str:
        """A SQLAlchemy URL (psycopg 3 driver) for ``database`` on this server, as the superuser."""
        return f"postgresql+psycopg://{SUPERUSER}@{self.host}:{self.port}/{database}"

    def conninfo(self, database: str = "postgres") -> str:
        return f"host={self.host} port={self.port} user={SUPERUSER} dbname={database}"


def _major(bin_dir: Path) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", bin_dir.parent.name)) or (0,)


def find_bin_dir() -> Path:
    """The folder holding initdb, pg_ctl and postgres: the newest Debian install, else ``PATH``."""
    needed = ("initdb", "pg_ctl", "postgres")
    candidates = sorted((Path(p) for p in glob.glob(DEBIAN_BIN_GLOB)), key=_major, reverse=True)
    for bin_dir in candidates:
        if all((bin_dir / name).is_file() for name in needed):
            return bin_dir
    on_path = shutil.which("pg_ctl")
    if on_path is not None:
        bin_dir = Path(on_path).resolve().parent
        if all((bin_dir / name).is_file() for name in needed):
            return bin_dir
    raise PostgresUnavailable(
        f"PostgreSQL server binaries (initdb, pg_ctl, postgres) not found under {DEBIAN_BIN_GLOB} "
        "or on PATH; install them with `apt-get install postgresql` (scripts/system-deps.sh does it as root)"
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_server_user(argv: Sequence[str]) -> list[str]:
    # initdb and postgres refuse root; run them as the postgres system user the Debian package creates.
    if os.geteuid() == 0:
        return ["runuser", "-u", SUPERUSER, "--", *argv]
    return list(argv)


def _run(argv: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["LC_ALL"] = "C"
    return subprocess.run(
        _as_server_user(argv),
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT_S,
        check=False,
    )


def _check(result: subprocess.CompletedProcess[str], what: str, log: Path | None = None) -> None:
    if result.returncode == 0:
        return
    detail = (result.stderr or result.stdout).strip()
    if log is not None and log.exists():
        detail += "\n--- server log ---\n" + log.read_text(encoding="utf-8", errors="replace")[-4000:]
    raise RuntimeError(f"PostgreSQL {what} failed (exit {result.returncode}): {detail}")


def _make_base_dir() -> Path:
    """A private temp folder (with ``sock/`` for the server's socket) owned by the server's user."""
    base = Path(tempfile.mkdtemp(prefix="armsledger-pg-"))
    (base / "sock").mkdir(mode=0o700)
    if os.geteuid() == 0:
        import pwd

        try:
            entry = pwd.getpwnam(SUPERUSER)
        except KeyError:
            shutil.rmtree(base, ignore_errors=True)
            raise PostgresUnavailable(
                f"running as root but there is no {SUPERUSER!r} system user to run the server as; "
                "install the Debian postgresql package, which creates it"
            ) from None
        for folder in (base, base / "sock"):
            os.chown(folder, entry.pw_uid, entry.pw_gid)
    base.chmod(0o700)
    return base


def _wait_ready(server: PostgresServer, deadline: float) -> None:
    import psycopg

    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            with psycopg.connect(server.conninfo(), connect_timeout=2):
                return
        except psycopg.OperationalError as exc:
            last = exc
            time.sleep(0.05)
    raise RuntimeError(f"PostgreSQL on port {server.port} did not accept connections: {last}")


def _stop(bin_dir: Path, data: Path, base: Path) -> None:
    if not (data / "postmaster.pid").exists():
        return
    result = _run([str(bin_dir / "pg_ctl"), "stop", "-D", str(data), "-m", "fast", "-w"], cwd=base)
    if result.returncode != 0:
        _run([str(bin_dir / "pg_ctl"), "stop", "-D", str(data), "-m", "immediate", "-w"], cwd=base)


@contextmanager
def running_server() -> Iterator[PostgresServer]:
    """Start a fresh server, yield it, then stop it and delete its files, also when the body fails.

    Raises :class:`PostgresUnavailable` when the binaries are missing, RuntimeError when they fail.
    """
    bin_dir = find_bin_dir()
    started = time.monotonic()
    base = _make_base_dir()
    data, sockets, log = base / "data", base / "sock", base / "server.log"
    try:
        result = _run(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-U",
                SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--no-locale",
                "--no-sync",
            ],
            cwd=base,
        )
        _check(result, "initdb")
        for attempt in itertools.count(1):
            port = _free_port()
            options = f"-p {port} -c listen_addresses=127.0.0.1 -k {sockets} -F"
            result = _run(
                [
                    str(bin_dir / "pg_ctl"),
                    "start",
                    "-D",
                    str(data),
                    "-l",
                    str(log),
                    "-w",
                    "-t",
                    str(START_TIMEOUT_S),
                    "-o",
                    options,
                ],
                cwd=base,
            )
            if result.returncode == 0 or attempt >= START_ATTEMPTS:
                break
        _check(result, "start", log)
        version = (data / "PG_VERSION").read_text(encoding="utf-8").strip()
        server = PostgresServer("127.0.0.1", port, version, 0.0)
        _wait_ready(server, time.monotonic() + START_TIMEOUT_S)
        server = PostgresServer(server.host, server.port, version, time.monotonic() - started)
        yield server
    finally:
        try:
            _stop(bin_dir, data, base)
        finally:
            shutil.rmtree(base, ignore_errors=True)


_database_names = itertools.count(1)


def create_database(server: PostgresServer) -> str:
    """Create an empty database on ``server`` and return its name."""
    import psycopg

    name = f"armsledger_test_{os.getpid()}_{next(_database_names)}"
    with psycopg.connect(server.conninfo(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name


def drop_database(server: PostgresServer, name: str) -> None:
    """Drop database ``name``, closing any connection a test left open (PostgreSQL 13+)."""
    import psycopg

    with psycopg.connect(server.conninfo(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
