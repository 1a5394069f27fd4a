"""Flows over time: claims → assertions (restatements merged) → as-of bands, conflicts, grades, forecasts.

The core imports no CLI or web code. Item classes and source reliability are data files beside this
module (``item_classes.yaml``, ``sources.yaml``, ``basis.yaml``).
"""

from __future__ import annotations

from armsledger.flows.asof import answer, as_of_answer
from armsledger.flows.assertions import bounds_of, merge_assertions
from armsledger.flows.classes import ItemClasses, load_item_classes
from armsledger.flows.conflicts import find_conflicts
from armsledger.flows.forecasts import forecasts_of, track_records
from armsledger.flows.grading import grade_assertions
from armsledger.flows.query import LedgerFlows, ledger_flows, timeline
from armsledger.flows.records import (
    AsOfAnswer,
    Assertion,
    Band,
    Basis,
    Conflict,
    ConflictReason,
    FlowKey,
    Forecast,
    ForecastStatus,
    Grade,
    GradedAssertion,
    TrackRecord,
)
from armsledger.flows.sources import Source, SourceTable, load_sources

__all__ = [
    "AsOfAnswer",
    "Assertion",
    "Band",
    "Basis",
    "Conflict",
    "ConflictReason",
    "FlowKey",
    "Forecast",
    "ForecastStatus",
    "Grade",
    "GradedAssertion",
    "ItemClasses",
    "LedgerFlows",
    "Source",
    "SourceTable",
    "TrackRecord",
    "answer",
    "as_of_answer",
    "bounds_of",
    "find_conflicts",
    "forecasts_of",
    "grade_assertions",
    "ledger_flows",
    "load_item_classes",
    "load_sources",
    "merge_assertions",
    "timeline",
    "track_records",
]
