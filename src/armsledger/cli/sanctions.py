"""``armsledger sanctions``: the sanctions findings the ledger's claims give, as a table or JSON.

Registers itself on the Typer :data:`~armsledger.cli.app.app` when imported (``cli/__init__.py``
imports it).
"""

from __future__ import annotations

from typing import Annotated

import typer

from armsledger.cli.app import DbOption, _choice, _stdout, app
from armsledger.errors import UsageError
from armsledger.report.sanctions import findings_json, findings_table
from armsledger.sanctions import RuleSet, evaluate, load_rules
from armsledger.settings import get_settings
from armsledger.store import Ledger


def _regimes(rules: RuleSet, wanted: list[str] | None) -> tuple[str, ...]:
    """The regime ids asked for, checked against the loaded rules (case-insensitive)."""
    chosen = []
    for name in wanted or []:
        regime = rules.regime(name)
        if regime is None:
            known = ", ".join(r.id for r in rules.regimes)
            raise UsageError(f"--regime {name!r} is not a loaded regime", hint=f"use one of: {known}")
        chosen.append(regime.id)
    return tuple(chosen)


@app.command()
def sanctions(
    regime: Annotated[
        list[str] | None,
        typer.Option("--regime", "-r", help="Only this regime (e.g. DPRK, IRAN, LIBYA); repeat for more."),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table | json")] = "table",
    db: DbOption = None,
) -> None:
    """Sanctions provisions the ledger's transfers engage: breaches (done) and intents (planned).

    UN regimes are built in; add your own (EU, US, UK) as YAML rule files in the folder that
    ARMSLEDGER_SANCTIONS_DIR names.
    """
    output = _choice(fmt, ("table", "json"), "--format")
    rules = load_rules(get_settings().sanctions_dir)
    selected = rules.select(_regimes(rules, regime))
    with Ledger.open(db) as ledger:
        findings = evaluate(ledger.list_claims(), selected)
    if output == "json":
        typer.echo(findings_json(findings))
    else:
        _stdout().print(findings_table(findings))
