"""Extraction: Document -> Claim[]; pure functions, no I/O (lexicons are package data).

Public entry point: :func:`extract_document`.
"""

from __future__ import annotations

from armsledger.models import Claim, Document


def extract_document(doc: Document) -> list[Claim]:
    """Every transfer claim the document's text makes, in text order."""
    from armsledger.extract.pipeline import run

    return run(doc)


__all__ = ["extract_document"]
