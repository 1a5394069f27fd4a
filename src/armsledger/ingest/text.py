"""Plain-text documents (.txt, .md, .text): an optional title line, then the body."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from armsledger.errors import IngestError
from armsledger.models import Document

# A first line longer than this is a paragraph, not a headline (headlines run to ~15 words).
MAX_TITLE_CHARS = 200


def split_title(text: str) -> tuple[str | None, str]:
    """Split a leading headline from the body.

    The first non-blank line is the title when it is short (<= MAX_TITLE_CHARS), does not end with
    a full stop (a sentence) and more text follows. A Markdown heading marker (``# ``) is dropped.
    """
    stripped = text.lstrip("\n\r\t ")
    first, sep, rest = stripped.partition("\n")
    first = first.strip()
    if sep and rest.strip() and first and len(first) <= MAX_TITLE_CHARS and not first.endswith("."):
        return first.lstrip("#").strip() or None, rest
    return None, text


def document_from_text(text: str, *, path: Path, raw_sha256: str, published: date | None = None) -> Document:
    """A :class:`Document` from decoded plain text; ``published`` comes from ``--published``."""
    title, body = split_title(text)
    if not body.strip():
        raise IngestError("file holds no text", item=str(path), hint="remove it from the batch or fill it in")
    return Document.from_text(
        body, title=title, published=published, source_path=str(path), raw_sha256=raw_sha256
    )
