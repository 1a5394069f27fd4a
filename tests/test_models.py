"""Interchange round-trip of the gold claims: from_interchange then to_interchange gives back the input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from armsledger.errors import InvalidRecordError
from armsledger.models import Claim

from .conftest import EXAMPLES_DIR


def _gold_claims(folder: Path) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path in sorted(folder.glob("*.json")):
        for i, claim in enumerate(json.loads(path.read_text(encoding="utf-8")).get("claims", [])):
            out.append((f"{path.name}#{i}", claim))
    return out


def test_dev_gold_claims_round_trip_exactly(dev_dir: Path) -> None:
    claims = _gold_claims(dev_dir)
    assert len(claims) > 50
    for label, data in claims:
        assert Claim.from_interchange(data).to_interchange() == data, label


def test_example_gold_claims_round_trip_exactly() -> None:
    claims = _gold_claims(EXAMPLES_DIR)
    if not claims:
        pytest.skip("no gold claims in examples/")
    for label, data in claims:
        assert Claim.from_interchange(data).to_interchange() == data, label


def test_from_interchange_names_the_bad_field() -> None:
    with pytest.raises(InvalidRecordError, match="category"):
        Claim.from_interchange({"category": "tank", "item": "x"})
