"""Loading one file, whatever its format, into documents or per-item errors."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path

from armsledger.errors import IngestError
from armsledger.ingest.html import decode_html, document_from_html
from armsledger.ingest.interchange import Outcome, documents_from_json, documents_from_jsonl
from armsledger.ingest.paths import (
    HTML_SUFFIXES,
    JSON_SUFFIXES,
    JSONL_SUFFIXES,
    SUPPORTED_SUFFIXES,
    TEXT_SUFFIXES,
    expand_inputs,
)
from armsledger.ingest.reader import decode_utf8, read_checked, sha256_bytes
from armsledger.ingest.text import document_from_text
from armsledger.settings import get_settings


def load_file(path: Path, *, published: date | None = None, max_bytes: int | None = None) -> list[Outcome]:
    """Every document in ``path`` (one for text/HTML, one or more for JSON/JSONL), or the errors met.

    ``published`` supplies or overrides the publication date; ``max_bytes`` defaults to
    ``settings.max_document_bytes``. Never raises :class:`IngestError`: errors are returned so a batch
    can report them and go on.
    """
    limit = get_settings().max_document_bytes if max_bytes is None else max_bytes
    item = str(path)
    suffix = path.suffix.lower()
    try:
        if suffix not in SUPPORTED_SUFFIXES:
            raise IngestError(
                f"unsupported file type {suffix or '(no suffix)'!r}",
                item=item,
                hint=f"ingest reads {' '.join(sorted(SUPPORTED_SUFFIXES))}; rename or convert the file",
            )
        raw = read_checked(path, limit)
        if suffix in HTML_SUFFIXES:
            html = decode_html(raw, item)
            return [document_from_html(html, path=path, raw_sha256=sha256_bytes(raw), published=published)]
        text = decode_utf8(raw, item)
        if suffix in TEXT_SUFFIXES:
            return [document_from_text(text, path=path, raw_sha256=sha256_bytes(raw), published=published)]
        if suffix in JSON_SUFFIXES:
            return documents_from_json(text, raw, path=path, published=published)
        assert suffix in JSONL_SUFFIXES  # SUPPORTED_SUFFIXES is the union of the four sets
        outcomes = documents_from_jsonl(text, path=path, published=published)
        if not outcomes:
            raise IngestError("file is empty", item=item, hint="remove it from the batch or fill it in")
        return outcomes
    except IngestError as exc:
        return [exc]


def load_inputs(
    inputs: Sequence[str | Path], *, published: date | None = None, max_bytes: int | None = None
) -> Iterator[Outcome]:
    """Documents and errors for files, folders and globs: unmatched inputs first, then each file in order."""
    expansion = expand_inputs(inputs)
    yield from expansion.errors
    for path in expansion.files:
        yield from load_file(path, published=published, max_bytes=max_bytes)
