"""Sanctions fixtures: ledgers built by real extraction from the seed article and from short texts."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from armsledger.extract import extract_document
from armsledger.ingest import load_file
from armsledger.models import Document
from armsledger.sanctions import Finding, RuleSet, evaluate, load_rules
from armsledger.store import Ledger, StoredClaim

from ..conftest import REPO

SEED = REPO.parent / "shared" / "seed-article.txt"
SEED_PUBLISHED = date(2025, 7, 13)
CORPUS = REPO / "tests" / "data" / "corpus"
DEV = REPO.parent / "shared" / "eval" / "dev"


@pytest.fixture(scope="session")
def rules() -> RuleSet:
    return load_rules()


def add_text(ledger: Ledger, text: str, published: str, *, key: str) -> list[StoredClaim]:
    """Extract a "headline\\nbody" text (our own wording) into ``ledger``; its stored claims."""
    title, body = text.split("\n", 1)
    doc = Document.from_text(body, title=title, published=date.fromisoformat(published), external_id=key)
    ledger.add_document(doc, extract_document(doc))
    return [c for c in ledger.list_claims() if c.document_public_id == key]


def add_corpus(ledger: Ledger, path: Path) -> list[StoredClaim]:
    """Extract an interchange document (tests/data/corpus, ../shared/eval/dev) into ``ledger``."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    doc = Document.from_text(
        raw["text"],
        title=raw.get("title"),
        published=date.fromisoformat(raw["published"]),
        external_id=raw["id"],
    )
    ledger.add_document(doc, extract_document(doc))
    return [c for c in ledger.list_claims() if c.document_public_id == raw["id"]]


@pytest.fixture
def seed_ledger(ledger: Ledger) -> Ledger:
    """The seed article (published 2025-07-13, first line the title) extracted into a SQLite ledger."""
    if not SEED.is_file():
        pytest.skip(f"seed article not found at {SEED}")
    (doc,) = list(load_file(SEED, published=SEED_PUBLISHED))
    assert isinstance(doc, Document)
    ledger.add_document(doc, extract_document(doc))
    return ledger


def citing(findings: list[Finding], resolution: str, paragraph: str) -> list[Finding]:
    return [
        f for f in findings if f.provision.resolution == resolution and f.provision.paragraph == paragraph
    ]


Evaluate = Callable[[Ledger], list[Finding]]


@pytest.fixture
def findings_of(rules: RuleSet) -> Evaluate:
    return lambda ledger: evaluate(ledger.list_claims(), rules)
