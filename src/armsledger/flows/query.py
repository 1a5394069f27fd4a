"""Flows read from a ledger: the as-of answer of one flow, and every flow's conflicts and forecasts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from armsledger.flows.asof import answer, graded
from armsledger.flows.assertions import merge_assertions, qualifier_factors
from armsledger.flows.classes import ItemClasses, load_item_classes
from armsledger.flows.forecasts import forecasts_of, track_records
from armsledger.flows.records import (
    AsOfAnswer,
    Assertion,
    Conflict,
    FlowKey,
    Forecast,
    GradedAssertion,
    TrackRecord,
)
from armsledger.flows.sources import SourceTable, load_sources
from armsledger.store.ledger import Ledger


def timeline(
    ledger: Ledger,
    supplier: str,
    recipient: str,
    item_class: str,
    as_of: date,
    *,
    classes: ItemClasses | None = None,
    sources: SourceTable | None = None,
) -> AsOfAnswer:
    """The as-of answer of one flow; ``item_class`` may be an id, a label or a synonym ("shells")."""
    classes = classes or load_item_classes()
    sources = sources or load_sources()
    class_id = classes.resolve(item_class)
    claims = ledger.sourced_statements(
        supplier=supplier, recipient=recipient, categories=classes.categories_of(class_id), until=as_of
    )
    assertions = merge_assertions(claims, classes, sources, item_class=class_id, factors=qualifier_factors())
    return answer(FlowKey(supplier, recipient, class_id), assertions, as_of, label=classes.label(class_id))


@dataclass(frozen=True, slots=True)
class LedgerFlows:
    """Every flow of a ledger on one date: graded assertions, conflicts, forecasts and track records."""

    as_of: date
    labels: dict[str, str]
    assertions: tuple[GradedAssertion, ...]
    conflicts: tuple[Conflict, ...]
    forecasts: tuple[Forecast, ...]
    track_records: tuple[TrackRecord, ...]

    def flows(self) -> list[FlowKey]:
        return list(dict.fromkeys(g.assertion.flow for g in self.assertions))


def ledger_flows(
    ledger: Ledger, as_of: date, *, classes: ItemClasses | None = None, sources: SourceTable | None = None
) -> LedgerFlows:
    """Merge, grade and resolve every claim reported by ``as_of``, flow by flow."""
    classes = classes or load_item_classes()
    sources = sources or load_sources()
    assertions = merge_assertions(
        ledger.sourced_statements(until=as_of), classes, sources, factors=qualifier_factors()
    )
    by_flow: dict[FlowKey, list[Assertion]] = {}
    for a in assertions:
        by_flow.setdefault(a.flow, []).append(a)
    all_graded: list[GradedAssertion] = []
    conflicts: list[Conflict] = []
    forecasts: list[Forecast] = []
    for flow_assertions in by_flow.values():
        g, c = graded(flow_assertions, as_of)
        all_graded.extend(g)
        conflicts.extend(c)
        forecasts.extend(forecasts_of(g, as_of))
    forecasts.sort(key=lambda f: (f.assertion.assertion.first_published, f.assertion.assertion.id))
    return LedgerFlows(
        as_of=as_of,
        labels={f.item_class: classes.label(f.item_class) for f in by_flow},
        assertions=tuple(all_graded),
        conflicts=tuple(conflicts),
        forecasts=tuple(forecasts),
        track_records=tuple(track_records(forecasts)),
    )
