"""Quantity caps (adding separate deliveries, not restatements) and the confidence of findings,
including a plugged-in grader. Claims built directly (as reviewed claims would be) in real ledgers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from armsledger.models import Category, Qualifier, Status
from armsledger.sanctions import ClaimGrade, FindingKind, RuleSet, evaluate
from armsledger.store import Ledger, StoredClaim

from ..conftest import make_claim, make_doc
from .conftest import citing


def _fuel(ledger: Ledger, text: str, *claims: dict[str, object]) -> None:
    doc = make_doc(text, published=date(2024, 12, 1))
    built = [
        make_claim(
            supplier="RUS", recipient="PRK", category=Category.OTHER, item=str(c.pop("item", "diesel")), unit="barrel",
            span=(i, i + 1), **c,  # type: ignore[arg-type]
        )
        for i, c in enumerate(claims)
    ]  # fmt: skip
    ledger.add_document(doc, built)


def test_separate_deliveries_add_up_above_the_cap(ledger: Ledger, rules: RuleSet) -> None:
    _fuel(
        ledger,
        "two deliveries",
        {"value": 300_000, "start": "2024-03"},
        {"value": 300_000, "start": "2024-05"},
    )
    (finding,) = citing(evaluate(ledger.list_claims(), rules), "2397 (2017)", "5")
    assert len(finding.claims) == 2 and finding.kind is FindingKind.BREACH
    assert any("2024: 2 claims" in n and "600,000 barrels" in n for n in finding.notes)


def test_restatements_and_upper_bounds_do_not_add_up(ledger: Ledger, rules: RuleSet) -> None:
    _fuel(
        ledger,
        "restated",
        {"value": 300_000, "start": "2024-03"},
        {"value": 310_000, "start": "2024-03", "attribution": "another outlet"},  # same month: one delivery
        {"value": 900_000, "qualifier": Qualifier.UP_TO, "start": "2024-06"},  # proves no minimum
        {"value": 900_000, "start": "2022", "end": "2023"},  # two cap years: 1,000,000 allowed
        {"item": "crude oil", "value": 1_000_000, "start": "2024-08"},  # under the 4m crude cap
    )
    findings = evaluate(ledger.list_claims(), rules)
    assert citing(findings, "2397 (2017)", "5") == [] and citing(findings, "2397 (2017)", "4") == []


def test_a_planned_delivery_above_the_cap_is_an_intent(ledger: Ledger, rules: RuleSet) -> None:
    _fuel(
        ledger,
        "planned",
        {"item": "refined petroleum", "value": 600_000, "start": "2025", "status": Status.EXPECTED},
    )
    (finding,) = citing(evaluate(ledger.list_claims(), rules), "2397 (2017)", "5")
    assert finding.kind is FindingKind.INTENT and finding.status is Status.EXPECTED


def _arms(ledger: Ledger, text: str, **kwargs: object) -> None:
    ledger.add_document(make_doc(text, published=date(2024, 6, 1)), [make_claim(start="2024-05", **kwargs)])  # type: ignore[arg-type]


def _confidence(ledger: Ledger, rules: RuleSet, **kwargs: object) -> float:
    (finding,) = citing(evaluate(ledger.list_claims(), rules, **kwargs), "1874 (2009)", "9")  # type: ignore[arg-type]
    return finding.confidence


def test_confidence_follows_attribution_estimates_and_corroboration(tmp_path: Path, rules: RuleSet) -> None:
    scores = {}
    for name, claims in {
        "bare": [{}],
        "estimated": [{"value": 1_000, "estimated": True}],
        "attributed": [{"attribution": "NIS"}],
        "corroborated": [{"attribution": "NIS"}, {"attribution": "DIA"}],
        "restated": [{"attribution": "NIS"}, {"attribution": "NIS"}],
    }.items():
        with Ledger.open(str(tmp_path / f"{name}.db")) as ledger:
            for i, c in enumerate(claims):
                _arms(ledger, f"{name} report {i}", **c)
            scores[name] = _confidence(ledger, rules)
    assert scores["estimated"] < scores["bare"] < scores["attributed"] < scores["corroborated"]
    assert scores["restated"] == scores["attributed"]  # one attributor restated by two reports


def test_a_plugged_in_grader_sets_the_grades(ledger: Ledger, rules: RuleSet) -> None:
    _arms(ledger, "graded", attribution="NIS")

    def admiralty(stored: StoredClaim) -> ClaimGrade:
        # A stand-in for NATO Admiralty grading: reliability B, credibility 2.
        return ClaimGrade(0.9, "B2", ("usually reliable source", "probably true"))

    default = _confidence(ledger, rules)
    graded = _confidence(ledger, rules, grader=admiralty)
    assert graded == 0.9 and graded != default
    (finding,) = citing(evaluate(ledger.list_claims(), rules, grader=admiralty), "1874 (2009)", "9")
    assert finding.claims[0].grade.label == "B2" and finding.confidence_label == "high"
