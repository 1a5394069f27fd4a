"""``armsledger estimate``: rounds from a carrier count, checks of reported conversions, stored estimates.

Registers the command on the Typer :data:`~armsledger.cli.app.app` when imported (``cli/__init__.py``
imports it), and adds a step to ``ingest``/``demo`` that stores the estimates of each document's
conversions (:data:`~armsledger.cli.app.AFTER_STORE`).
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.console import Console

from armsledger.cli.app import AFTER_STORE, DbOption, _choice, _print_error, _stdout, app
from armsledger.errors import ArmsledgerError, StoreError, UsageError
from armsledger.estimate import EstimateQuery, load_catalogue, parse_check, parse_count, run_estimate
from armsledger.estimate.catalogue import Catalogue
from armsledger.estimate.link import estimates_for_claim, query_from_inputs, store_document_estimates
from armsledger.estimate.query import (
    parse_qualifier_option,
    resolve_mix,
    single,
    validate_carriers,
    validate_draws,
)
from armsledger.report.estimates import catalogue_dict, catalogue_renderable, estimate_renderable
from armsledger.settings import get_settings
from armsledger.store import AddResult, Ledger, NewEstimate

_MODES_HINT = (
    'give COUNT CARRIER (e.g. `28000 containers --as 152mm`), --check "N CARRIERS = M MUNITION", '
    "--claim ID or --list"
)


def _store_estimates(ledger: Ledger, result: AddResult, console: Console) -> None:
    """After a document is stored: estimate and store its conversions (idempotent)."""
    settings = get_settings()
    try:
        store_document_estimates(
            ledger,
            load_catalogue(),
            result.document_id,
            draws=settings.estimate_draws,
            seed=settings.estimate_seed,
        )
    except StoreError:
        raise
    except ArmsledgerError as exc:
        # One document's estimate must not stop a batch; the claims are stored already.
        _print_error(
            console,
            ArmsledgerError(
                f"estimate not stored: {exc.message}", item=exc.item or result.document_id, hint=exc.hint
            ),
        )


AFTER_STORE.append(_store_estimates)


def _print(fmt: str, data: Any, renderable: Any) -> None:
    if fmt == "json":
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        _stdout().print(renderable)


def _direct(
    catalogue: Catalogue,
    count: str,
    carrier: str | None,
    munition: str | None,
    mix: str | None,
    qualifier: str | None,
    draws: int,
    seed: int,
) -> EstimateQuery:
    if carrier is None:
        raise UsageError(
            f"COUNT {count!r} needs a CARRIER",
            hint="write e.g. `armsledger estimate 28000 containers --as 152mm`",
        )
    carriers = validate_carriers(parse_count(count, "COUNT", qualifier=parse_qualifier_option(qualifier)))
    cargo, notes = resolve_mix(catalogue, munition, mix)
    found = catalogue.carrier(carrier).id
    notes += tuple(n for n in (catalogue.carrier_note(carrier),) if n)
    return EstimateQuery(carriers, found, cargo, validate_draws(draws), seed, notes)


def _rerun_claim(
    ledger: Ledger,
    catalogue: Catalogue,
    claim_id: str,
    *,
    munition: str | None,
    mix: str | None,
    draws: int | None,
    seed: int | None,
    max_bytes: int,
) -> list[dict[str, Any]]:
    """Re-run every stored estimate linked to ``claim_id``; store the new result unless the cargo was overridden."""
    settings = get_settings()
    stored = estimates_for_claim(
        ledger,
        catalogue,
        claim_id,
        draws=draws or settings.estimate_draws,
        seed=settings.estimate_seed if seed is None else seed,
    )
    override = resolve_mix(catalogue, munition, mix)[0] if (munition or mix) else None
    runs = []
    for estimate in stored:
        query, conversion = query_from_inputs(
            catalogue, estimate.inputs, draws=draws, seed=seed, mix=override
        )
        result = run_estimate(catalogue, query, conversion=conversion, max_bytes=max_bytes).to_dict()
        if override is None:
            inputs = {**estimate.inputs, "draws": query.draws, "seed": query.seed}
            ledger.save_estimate(
                NewEstimate(
                    estimate.document_id,
                    estimate.carrier_claim_id,
                    estimate.ammunition_claim_id,
                    inputs,
                    result,
                )
            )
        runs.append(
            {
                "estimate_id": estimate.id,
                "document_id": estimate.document_public_id,
                "document_title": estimate.document_title,
                "carrier_claim_id": estimate.carrier_claim_id,
                "ammunition_claim_id": estimate.ammunition_claim_id,
                "stored": override is None,
                **result,
            }
        )
    return runs


# Unknown options pass through as arguments, so a negative COUNT ("-5") reaches the count check.
@app.command(context_settings={"ignore_unknown_options": True})
def estimate(
    count: Annotated[
        str | None,
        typer.Argument(metavar="[COUNT]", help="Carriers: 28000, 28,000, 'over 28000' or 20000-28000."),
    ] = None,
    carrier: Annotated[
        str | None,
        typer.Argument(
            metavar="[CARRIER]", help="containers, 40ft containers, railcars, flatcars, voyages (--list)."
        ),
    ] = None,
    munition: Annotated[
        str | None, typer.Option("--as", metavar="MUNITION", help="Every carrier holds this, e.g. 152mm.")
    ] = None,
    mix: Annotated[
        str | None,
        typer.Option(
            "--mix", metavar="M:SHARE,...", help="Shares of carriers per munition: 152mm:0.8,122mm-rocket:0.2"
        ),
    ] = None,
    qualifier: Annotated[
        str | None,
        typer.Option(
            help="How COUNT is hedged: exact, about (±10%), over (to +30%), at-least, up-to, less-than."
        ),
    ] = None,
    draws: Annotated[
        int | None, typer.Option(help="Monte Carlo draws (default $ARMSLEDGER_ESTIMATE_DRAWS, else 100,000).")
    ] = None,
    seed: Annotated[
        int | None, typer.Option(help="Random seed (default $ARMSLEDGER_ESTIMATE_SEED, else 1718).")
    ] = None,
    check: Annotated[
        str | None,
        typer.Option(
            metavar='"N CARRIERS = M [MUNITION]"',
            help="Check a reported conversion, e.g. '28000 containers = 12000000 152mm'.",
        ),
    ] = None,
    list_: Annotated[
        bool, typer.Option("--list", help="List the munitions, carriers and conventions.")
    ] = False,
    claim: Annotated[
        str | None,
        typer.Option(
            metavar="ID", help="Re-run the stored estimate of a shipment or ammunition claim (ledger)."
        ),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table | json")] = "table",
    db: DbOption = None,
) -> None:
    """Rounds that N containers, railcars or voyages can hold: official, physical and empirical, side by side.

    The physical estimate is a Monte Carlo over a sourced catalogue (payload and volume limits,
    packaging, utilisation, share of carriers holding munitions); assumptions the sources do not
    confirm are flagged UNVERIFIED. --check judges a reported conversion: plausible, upper bound or
    implausible.
    """
    output = _choice(fmt, ("table", "json"), "--format")
    modes = [
        name
        for name, given in (("COUNT", count), ("--check", check), ("--claim", claim), ("--list", list_))
        if given
    ]
    if len(modes) != 1:
        problem = "nothing to estimate" if not modes else f"{' and '.join(modes)} cannot be combined"
        raise UsageError(problem, hint=_MODES_HINT)
    if carrier is not None and count is None:
        raise UsageError(f"CARRIER {carrier!r} given without COUNT", hint=_MODES_HINT)
    catalogue = load_catalogue()
    if list_:
        _print(output, catalogue_dict(catalogue), catalogue_renderable(catalogue))
        return
    settings = get_settings()
    if draws is not None:
        validate_draws(draws)
    if seed is not None and seed < 0:
        raise UsageError(f"--seed {seed} is negative", hint="use a whole number from 0 up")
    if claim is not None:
        if qualifier is not None:
            raise UsageError(
                "--qualifier applies to COUNT", hint="a stored estimate keeps its claim's qualifier"
            )
        with Ledger.open(db) as ledger:
            runs = _rerun_claim(
                ledger,
                catalogue,
                claim.strip(),
                munition=munition,
                mix=mix,
                draws=draws,
                seed=seed,
                max_bytes=settings.estimate_max_bytes,
            )
        if output == "json":
            typer.echo(
                json.dumps({"claim_id": claim.strip(), "estimates": runs}, ensure_ascii=False, indent=2)
            )
        else:
            for run in runs:
                title = (
                    f"Estimate #{run['estimate_id']} of “{run['document_title'] or run['document_id']}”: "
                    f"claims {run['carrier_claim_id']} → {run['ammunition_claim_id']}"
                    + ("" if run["stored"] else " (cargo overridden: not stored)")
                )
                _stdout().print(estimate_renderable(run, title=title))
        return
    n_draws = validate_draws(settings.estimate_draws if draws is None else draws)
    n_seed = settings.estimate_seed if seed is None else seed
    conversion = None
    if check is not None:
        if qualifier is not None:
            raise UsageError(
                "--qualifier applies to COUNT",
                hint="write the qualifier in --check, e.g. 'over 28000 containers = ...'",
            )
        conversion = parse_check(check, catalogue)
        named = single(conversion.munition) if conversion.munition else ()
        if named and (munition or mix):
            raise UsageError(
                f"--check names {conversion.munition} and --as/--mix another cargo",
                hint="give the munition once",
            )
        cargo, notes = resolve_mix(catalogue, munition, mix, fallback=named)
        notes += tuple(n for n in (catalogue.carrier_note(conversion.carrier_name),) if n)
        query = EstimateQuery(conversion.carriers, conversion.carrier, cargo, n_draws, n_seed, notes)
    else:
        assert count is not None
        query = _direct(catalogue, count, carrier, munition, mix, qualifier, n_draws, n_seed)
    result = run_estimate(catalogue, query, conversion=conversion, max_bytes=settings.estimate_max_bytes)
    _print(output, result.to_dict(), estimate_renderable(result.to_dict()))
