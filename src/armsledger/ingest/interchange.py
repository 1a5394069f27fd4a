"""Interchange JSON (``eval/SCHEMA.md`` documents): one object or a list per .json file, one per .jsonl line.

Keys besides ``id``, ``title``, ``published``, ``text``, ``based_on``, ``url`` and ``outlet`` (notably the
gold ``claims``) are ignored. ``raw_sha256`` hashes the item's own raw JSON text.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from armsledger.errors import IngestError
from armsledger.ingest.dates import EXPECTED_FORM, parse_iso_date
from armsledger.ingest.reader import sha256_bytes
from armsledger.models import Document

Outcome = Document | IngestError

_WHITESPACE = " \t\r\n"


def _optional_str(obj: dict[str, Any], key: str, item: str) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and key == "id":
        return str(value)
    if not isinstance(value, str):
        raise IngestError(
            f"`{key}` must be a string, got {type(value).__name__}",
            item=item,
            hint=f"fix the `{key}` value (see eval/SCHEMA.md)",
        )
    return value or None


def document_from_object(
    obj: Any, *, item: str, path: Path, raw_sha256: str, published: date | None = None
) -> Document:
    """A :class:`Document` from one parsed interchange object; ``published`` overrides its own date."""
    if not isinstance(obj, dict):
        raise IngestError(
            f"expected a JSON object for a document, got {type(obj).__name__}",
            item=item,
            hint="each document is an object with at least a `text` key",
        )
    text = obj.get("text")
    if text is None:
        raise IngestError("document has no `text`", item=item, hint="add the article text under `text`")
    if not isinstance(text, str) or not text.strip():
        raise IngestError(
            "document `text` is empty" if isinstance(text, str) else "document `text` is not a string",
            item=item,
            hint="put the article body, as a string, under `text`",
        )
    if "\x00" in text:
        # A NUL character is no text (and PostgreSQL refuses to store it): the same rule as for files.
        raise IngestError(
            f"document `text` holds a NUL character at offset {text.index(chr(0))}",
            item=item,
            hint="remove the \\u0000 escapes from the text",
        )
    if published is None:
        raw_published = obj.get("published")
        if raw_published is not None:
            published = parse_iso_date(raw_published) if isinstance(raw_published, str) else None
            if published is None:
                raise IngestError(
                    f"`published` {raw_published!r} is not a date",
                    item=item,
                    hint=f"write it as {EXPECTED_FORM}, or override it with --published",
                )
    based_on = obj.get("based_on") or []
    if isinstance(based_on, str):
        based_on = [based_on]
    if not isinstance(based_on, list) or not all(isinstance(u, str) for u in based_on):
        raise IngestError("`based_on` must be a list of URLs", item=item, hint="fix or remove `based_on`")
    return Document.from_text(
        text,
        title=_optional_str(obj, "title", item),
        published=published,
        url=_optional_str(obj, "url", item),
        outlet=_optional_str(obj, "outlet", item),
        external_id=_optional_str(obj, "id", item),
        source_path=str(path),
        raw_sha256=raw_sha256,
        based_on=tuple(based_on),
    )


def _parse_error(exc: json.JSONDecodeError, item: str) -> IngestError:
    return IngestError(
        f"JSON does not parse: {exc.msg} at line {exc.lineno}, column {exc.colno}",
        item=item,
        hint="fix the JSON syntax there (a validator such as `python -m json.tool FILE` shows it)",
    )


def _array_items(text: str) -> list[tuple[Any, str]]:
    """Each element of a top-level JSON array with its exact raw text (for per-item hashes).

    Raises :class:`json.JSONDecodeError` on bad syntax with positions in ``text``.
    """
    decoder = json.JSONDecoder()
    pos = text.index("[") + 1
    items: list[tuple[Any, str]] = []
    n = len(text)
    while True:
        while pos < n and text[pos] in _WHITESPACE:
            pos += 1
        if pos < n and text[pos] == "]" and not items:
            return items
        obj, end = decoder.raw_decode(text, pos)
        items.append((obj, text[pos:end]))
        pos = end
        while pos < n and text[pos] in _WHITESPACE:
            pos += 1
        if pos < n and text[pos] == ",":
            pos += 1
            continue
        if pos < n and text[pos] == "]":
            return items
        raise json.JSONDecodeError("Expecting ',' delimiter", text, pos)


def documents_from_json(text: str, raw: bytes, *, path: Path, published: date | None = None) -> list[Outcome]:
    """Documents of a .json file: one object, or a list of them (each item reported on its own)."""
    item = str(path)
    try:
        # Parse the whole file first: it validates the syntax and gives line/column for the message.
        parsed = json.loads(text)
    except json.JSONDecodeError as exc:
        return [_parse_error(exc, item)]
    if not isinstance(parsed, list):
        try:
            return [
                document_from_object(
                    parsed, item=item, path=path, raw_sha256=sha256_bytes(raw), published=published
                )
            ]
        except IngestError as exc:
            return [exc]
    elements = _array_items(text)
    if not elements:
        return [IngestError("file holds an empty list", item=item, hint="remove it from the batch")]
    outcomes: list[Outcome] = []
    for index, (obj, raw_item) in enumerate(elements):
        outcomes.append(_outcome(obj, raw_item, label=f"{item}[{index}]", path=path, published=published))
    return outcomes


def _outcome(obj: Any, raw: str, *, label: str, path: Path, published: date | None) -> Outcome:
    """One element's document, or the error that names it (a batch goes on past it)."""
    try:
        return document_from_object(
            obj, item=label, path=path, raw_sha256=sha256_bytes(raw.encode("utf-8")), published=published
        )
    except IngestError as exc:
        return exc


def documents_from_jsonl(text: str, *, path: Path, published: date | None = None) -> list[Outcome]:
    """Documents of a .jsonl file, one object per non-blank line (a bad line does not stop the rest)."""
    outcomes: list[Outcome] = []
    for lineno, line in enumerate(text.split("\n"), start=1):
        raw_line = line.rstrip("\r")
        if not raw_line.strip():
            continue
        label = f"{path}:{lineno}"
        try:
            obj = json.loads(raw_line)
        except json.JSONDecodeError as exc:
            outcomes.append(
                IngestError(
                    f"JSON does not parse: {exc.msg} at column {exc.colno}",
                    item=label,
                    hint="each line must hold one complete JSON object",
                )
            )
            continue
        outcomes.append(_outcome(obj, raw_line, label=label, path=path, published=published))
    return outcomes
