"""Logistics evidence → quantities: how many rounds N containers, railcars or voyages can hold.

A sourced catalogue (``catalogue/*.yaml``) feeds a vectorised NumPy Monte Carlo (:mod:`.model`) shown
beside the official and empirical conventions (:mod:`.conventions`); :mod:`.plausibility` judges a
reported conversion, :mod:`.sensitivity` ranks the assumptions, :mod:`.link` ties estimates to the
claims of a stored document. Nothing here imports the CLI or the web app.
"""

from __future__ import annotations

from armsledger.estimate.catalogue import Carrier, Catalogue, Munition, Prior, load_catalogue
from armsledger.estimate.plausibility import Check, Verdict
from armsledger.estimate.query import (
    Conversion,
    Count,
    EstimateQuery,
    MixShare,
    parse_check,
    parse_count,
    parse_mix,
    single,
)
from armsledger.estimate.result import EstimateResult, run_estimate

__all__ = [
    "Carrier",
    "Catalogue",
    "Check",
    "Conversion",
    "Count",
    "EstimateQuery",
    "EstimateResult",
    "MixShare",
    "Munition",
    "Prior",
    "Verdict",
    "load_catalogue",
    "parse_check",
    "parse_count",
    "parse_mix",
    "run_estimate",
    "single",
]
