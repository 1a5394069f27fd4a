"""Extraction quality gates: the seed article and F1 floors on the dev set and the project's own corpora.

The floors pin what was measured when they were set (see CHANGELOG); they may only go up.
"""

from __future__ import annotations

import importlib.util
import json
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from armsledger.extract import extract_document
from armsledger.models import Document

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
DEV = SHARED / "eval" / "dev"

# Measured on 2026-11-28 (second pass): dev 0.965, examples 0.884, tests/data/corpus 0.871, tests/data/blind 0.748.
# tests/data/blind was written by someone who never saw the rules and is used as a score; its texts were read
# only twice, to explain a score change (a dropped claim and a deployment's status).
DEV_F1_FLOOR = 0.95
EXAMPLES_F1_FLOOR = 0.87
CORPUS_F1_FLOOR = 0.86
BLIND_F1_FLOOR = 0.73


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score", SHARED / "eval" / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _predict(corpus: Path) -> dict[str, list[dict[str, Any]]]:
    preds: dict[str, list[dict[str, Any]]] = {}
    for path in sorted(corpus.glob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        doc = Document.from_text(
            raw["text"],
            title=raw.get("title"),
            published=date.fromisoformat(raw["published"]) if raw.get("published") else None,
            external_id=raw["id"],
        )
        preds[raw["id"]] = [c.to_interchange() for c in extract_document(doc)]
    return preds


def _f1(corpus: Path) -> float:
    score = _scorer()
    result = score.score(score.load_gold(corpus), _predict(corpus))
    return float(result["f1"])


needs_shared = pytest.mark.skipif(not DEV.is_dir(), reason="../shared/eval/dev is not beside the checkout")


@needs_shared
def test_dev_set_f1_floor() -> None:
    assert _f1(DEV) >= DEV_F1_FLOOR


def test_examples_f1_floor() -> None:
    if not (SHARED / "eval" / "score.py").exists():
        pytest.skip("score.py not available")
    assert _f1(ROOT / "examples") >= EXAMPLES_F1_FLOOR


def test_project_corpus_f1_floor() -> None:
    if not (SHARED / "eval" / "score.py").exists():
        pytest.skip("score.py not available")
    assert _f1(ROOT / "tests" / "data" / "corpus") >= CORPUS_F1_FLOOR


def test_blind_corpus_f1_floor() -> None:
    if not (SHARED / "eval" / "score.py").exists():
        pytest.skip("score.py not available")
    assert _f1(ROOT / "tests" / "data" / "blind") >= BLIND_F1_FLOOR


@needs_shared
def test_seed_article_gives_the_five_gold_claims() -> None:
    gold = json.loads((DEV / "000-seed.json").read_text(encoding="utf-8"))
    text = (SHARED / "seed-article.txt").read_text(encoding="utf-8")
    title, _, body = text.partition("\n")
    doc = Document.from_text(body, title=title, published=date(2025, 7, 13))
    claims = [c.to_interchange() for c in extract_document(doc)]
    key = [
        (c["supplier"], c["recipient"], c["category"], c["quantity"]["value"], c["status"]) for c in claims
    ]
    expected = [
        (c["supplier"], c["recipient"], c["category"], c["quantity"]["value"], c["status"])
        for c in gold["claims"]
    ]
    assert sorted(key, key=str) == sorted(expected, key=str)


def test_text_without_transfer_gives_no_claims() -> None:
    doc = Document.from_text(
        "Russia's defence industry has tripled its output of artillery shells since 2022, officials said. "
        "Prices for a 155mm round in Europe have risen to about 8,000 euros. "
        "Fighting continued near Pokrovsk, where both armies used drones and heavy artillery.",
        published=date(2024, 5, 1),
    )
    assert extract_document(doc) == []
