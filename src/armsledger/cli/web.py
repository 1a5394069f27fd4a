"""``armsledger serve``, ``user``, ``audit`` and ``export``: the workbench, accounts, the audit chain, exports.

FastAPI and uvicorn are imported only when ``serve`` runs, so the other commands stay fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from armsledger.accounts import check_name, parse_role
from armsledger.cli.app import DbOption, _choice, _stdout, _write_text, app
from armsledger.errors import ArmsledgerError, UsageError
from armsledger.report import claims_csv, claims_json
from armsledger.store import Ledger, resolve_database_url

user_app = typer.Typer(help="Accounts: viewers read, analysts review claims, admins manage accounts.")
audit_app = typer.Typer(help="The hash-chained audit log of every change.")
app.add_typer(user_app, name="user")
app.add_typer(audit_app, name="audit")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.", min=1, max=65535)] = 8000,
    db: DbOption = None,
) -> None:
    """Run the web workbench and JSON API (refuses a non-loopback address while no account exists)."""
    from armsledger.web import serve as run

    run(resolve_database_url(db), host, port)


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="Account name.")],
    role: Annotated[str, typer.Option("--role", help="viewer | analyst | admin")] = "viewer",
    db: DbOption = None,
) -> None:
    """Create an account and print its API token (shown once; only a salted hash is stored)."""
    chosen = parse_role(role)
    with Ledger.open(db) as ledger:
        user, token = ledger.add_user(check_name(name), chosen)
    typer.echo(token)
    typer.echo(
        f"account {user.name} ({user.role.value}) created; send the token as 'Authorization: Bearer <token>'"
        " or sign in with it in the browser",
        err=True,
    )


@user_app.command("list")
def user_list(db: DbOption = None) -> None:
    """List the accounts and their roles."""
    with Ledger.open(db) as ledger:
        for user in ledger.list_users():
            typer.echo(f"{user.name}\t{user.role.value}")


@audit_app.command("verify")
def audit_verify(db: DbOption = None) -> None:
    """Recompute the audit chain; exit 1 naming the first edited or deleted row."""
    with Ledger.open(db) as ledger:
        check = ledger.verify_audit()
    if not check.ok:
        raise ArmsledgerError(
            f"audit log broken at row {check.bad_id}: {check.problem}",
            hint="restore the ledger from a backup and compare the audit rows",
        )
    typer.echo(f"audit log verified: {check.rows} rows, head {check.head_hash}")


@app.command()
def export(
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv | json | parquet")] = "csv",
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="File to write (stdout if omitted).", dir_okay=False)
    ] = None,
    db: DbOption = None,
) -> None:
    """Export every claim of the ledger as CSV, JSON or Parquet."""
    output = _choice(fmt, ("csv", "json", "parquet"), "--format")
    with Ledger.open(db) as ledger:
        rows = ledger.list_claims()
    if output == "parquet":
        if out is None:
            raise UsageError("parquet is binary and needs a file", hint="add --out claims.parquet")
        from armsledger.report.parquet import write_claims_parquet

        try:
            write_claims_parquet(rows, out)
        except OSError as exc:
            raise UsageError(f"cannot write {out} ({exc.strerror})", hint="choose a writable --out") from None
    else:
        text = claims_csv(rows) if output == "csv" else claims_json(rows) + "\n"
        if out is None:
            typer.echo(text, nl=False)
            return
        _write_text(out, text)
    _stdout().print(f"export: {len(rows)} claims → {out.resolve()}", soft_wrap=True, highlight=False)
