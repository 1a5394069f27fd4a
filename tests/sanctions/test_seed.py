"""The seed article, through real extraction and a real SQLite ledger: which provisions it engages."""

from __future__ import annotations

from pathlib import Path

import pytest

from armsledger.models import Category, Status
from armsledger.sanctions import FindingKind
from armsledger.store import Ledger

from .conftest import CORPUS, DEV, Evaluate, add_corpus, citing

# Western supply to Ukraine, Taiwan, Poland and Israel in the project's corpus and the dev set.
WESTERN = [
    *sorted(CORPUS.glob("30[3-9]-*.json")),
    *sorted(CORPUS.glob("31[0-1]-*.json")),
    *sorted(CORPUS.glob("31[67]-*.json")),  # Korea → Poland, US → Israel: no UN regime covers them
    *sorted(DEV.glob("20[139]-*.json")),
    *sorted(DEV.glob("218-*.json")),
]


def _claim_id(ledger: Ledger, category: Category) -> str:
    """The seed's first North Korea → Russia claim of ``category``."""
    ids = [
        c.claim_id
        for c in ledger.list_claims()
        if (c.claim.supplier, c.claim.recipient, c.claim.category) == ("PRK", "RUS", category)
    ]
    assert ids, f"the seed gives no PRK→RUS {category.value} claim"
    return ids[0]


def test_ammunition_and_containers_cite_the_arms_export_bans(
    seed_ledger: Ledger, findings_of: Evaluate
) -> None:
    findings = findings_of(seed_ledger)
    shells = _claim_id(seed_ledger, Category.AMMUNITION)
    containers = _claim_id(seed_ledger, Category.SHIPMENT)
    for resolution, paragraph in (("1718 (2006)", "8(b)"), ("1874 (2009)", "9")):
        cited = [f for f in citing(findings, resolution, paragraph) if f.kind is FindingKind.BREACH]
        assert cited, f"no breach finding cites {resolution} para. {paragraph}"
        ids = {i for f in cited for i in f.claim_ids}
        assert {shells, containers} <= ids
        finding = next(f for f in cited if shells in f.claim_ids)
        assert (finding.supplier, finding.recipient, finding.status) == ("PRK", "RUS", Status.OCCURRED)
        assert finding.provision.summary and finding.provision.source_urls
        assert 0.0 < finding.confidence <= 1.0


def test_the_container_shipment_counts_as_arms_through_its_cargo(
    seed_ledger: Ledger, findings_of: Evaluate
) -> None:
    containers = _claim_id(seed_ledger, Category.SHIPMENT)
    finding = next(
        f for f in citing(findings_of(seed_ledger), "1874 (2009)", "9") if containers in f.claim_ids
    )
    matched = next(c for c in finding.claims if c.claim_id == containers)
    assert matched.matched_as.startswith("arms (evidence:")
    assert any(f.name == "evidence_word" for f in matched.factors)


def test_construction_workers_are_an_intent_under_2397_paragraph_8(
    seed_ledger: Ledger, findings_of: Evaluate
) -> None:
    workers = next(c for c in seed_ledger.list_claims() if "worker" in c.claim.item)
    assert workers.claim.status is Status.EXPECTED
    (finding,) = [
        f for f in citing(findings_of(seed_ledger), "2397 (2017)", "8") if workers.claim_id in f.claim_ids
    ]
    assert finding.kind is FindingKind.INTENT and finding.status is Status.EXPECTED
    assert (finding.supplier, finding.recipient) == ("PRK", "RUS")
    # An intent is never reported as a breach of the same provision.
    assert not any(
        f.kind is FindingKind.BREACH and workers.claim_id in f.claim_ids for f in findings_of(seed_ledger)
    )


def test_troops_are_flagged_as_an_interpretation(seed_ledger: Ledger, findings_of: Evaluate) -> None:
    troops = next(c for c in seed_ledger.list_claims() if c.claim.item.startswith("troop"))
    cited = [f for f in findings_of(seed_ledger) if troops.claim_id in f.claim_ids]
    assert cited and all(f.basis.value == "interpretation" for f in cited)
    text = [f for f in citing(findings_of(seed_ledger), "1874 (2009)", "9") if f.basis.value == "text"]
    assert all(troops.claim_id not in f.claim_ids for f in text)
    assert max(f.confidence for f in cited) < max(f.confidence for f in text)


@pytest.mark.parametrize("path", WESTERN, ids=lambda p: p.stem)
def test_western_transfers_give_no_finding(ledger: Ledger, findings_of: Evaluate, path: Path) -> None:
    if not path.is_file():
        pytest.skip(f"{path} not present")
    claims = add_corpus(ledger, path)
    assert claims, "extraction found no claim: the test would prove nothing"
    assert findings_of(ledger) == []
