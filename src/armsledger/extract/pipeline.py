"""Extraction pipeline (placeholder while the stages are written)."""

from __future__ import annotations

from armsledger.models import Claim, Document


def run(doc: Document) -> list[Claim]:
    return []
