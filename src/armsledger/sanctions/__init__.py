"""Sanctions: rules as data (UN regimes with paragraph citations, plus the user's own regimes) and
an engine that turns ledger claims into findings.

    rules = load_rules(get_settings().sanctions_dir)
    findings = evaluate(ledger.list_claims(), rules)

Rule files: ``sanctions/rules/*.yaml`` (format in ``sanctions/README.md``); the goods and personnel
classes they name: ``sanctions/vocabulary.yaml``.
"""

from __future__ import annotations

from armsledger.sanctions.confidence import Grader, heuristic_grade
from armsledger.sanctions.engine import evaluate, evaluate_ledger
from armsledger.sanctions.matching import classify
from armsledger.sanctions.records import (
    Basis,
    ClaimGrade,
    ConfidenceFactor,
    Effect,
    Finding,
    FindingClaim,
    FindingKind,
    ParagraphConfidence,
    Provision,
    Regime,
    RuleSet,
)
from armsledger.sanctions.rules import BUILTIN_RULES_DIR, load_regime_file, load_rules, load_vocabulary

__all__ = [
    "BUILTIN_RULES_DIR",
    "Basis",
    "ClaimGrade",
    "ConfidenceFactor",
    "Effect",
    "Finding",
    "FindingClaim",
    "FindingKind",
    "Grader",
    "ParagraphConfidence",
    "Provision",
    "Regime",
    "RuleSet",
    "classify",
    "evaluate",
    "evaluate_ledger",
    "heuristic_grade",
    "load_regime_file",
    "load_rules",
    "load_vocabulary",
]
