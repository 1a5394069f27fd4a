"""HTML pages (.html, .htm): the article text and metadata, found by trafilatura."""

from __future__ import annotations

import logging
import re
from datetime import date
from pathlib import Path

from armsledger.errors import IngestError
from armsledger.ingest.dates import parse_iso_date
from armsledger.ingest.reader import decode_utf8
from armsledger.models import Document

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
# Only the head declares the charset; looking further would match charset text inside the article.
_CHARSET_WINDOW = 4096


def decode_html(data: bytes, item: str) -> str:
    """Decode an HTML page: UTF-8, or the legacy charset its ``<meta>`` declares."""
    try:
        return decode_utf8(data, item)
    except IngestError:
        match = _CHARSET.search(data[:_CHARSET_WINDOW])
        declared = match.group(1).decode("ascii", "replace").lower() if match else None
        if declared is None or declared.replace("-", "") == "utf8":
            raise
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            raise IngestError(
                f"page declares charset {declared!r} but cannot be decoded with it",
                item=item,
                hint="re-save the page as UTF-8",
            ) from None


def _quiet_extractor_logs() -> None:
    # trafilatura and htmldate log every page they cannot parse at WARNING/ERROR; we report the
    # failure ourselves as one IngestError, so their lines would only duplicate it on stderr.
    for name in ("trafilatura", "htmldate"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def _body_text(raw: str, title: str | None) -> str:
    lines = [line.strip() for line in raw.split("\n")]
    lines = [line for line in lines if line]
    # trafilatura keeps the page's <h1> as the first line; it is the title, not the body.
    if title and lines and lines[0].casefold() == title.strip().casefold():
        lines = lines[1:]
    # One paragraph per line from trafilatura; the interchange form separates paragraphs by blank lines.
    return "\n\n".join(lines)


def document_from_html(html: str, *, path: Path, raw_sha256: str, published: date | None = None) -> Document:
    """A :class:`Document` from an HTML page; ``published`` overrides the page's own date."""
    # Imported here: trafilatura costs ~0.15 s at start-up and only HTML inputs need it.
    import trafilatura

    _quiet_extractor_logs()
    item = str(path)
    if re.search(r"<(?:html|body)\b", html, re.IGNORECASE) and not re.search(
        r"</(?:html|body)\s*>", html, re.IGNORECASE
    ):
        # A download cut short keeps its opening tags but loses the end of the article with them.
        raise IngestError(
            "HTML ends before </body> or </html>: the page looks truncated",
            item=item,
            hint="download the page again, or save the article text as .txt",
        )
    try:
        result = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:  # trafilatura raises assorted lxml/parser errors on broken markup
        raise IngestError(
            f"HTML could not be parsed ({type(exc).__name__})",
            item=item,
            hint="check that the file is a complete HTML page, or save the article text as .txt",
        ) from exc
    text = getattr(result, "text", None) if result is not None else None
    title = getattr(result, "title", None) if result is not None else None
    body = _body_text(text, title) if isinstance(text, str) else ""
    if not body:
        raise IngestError(
            "no article text could be extracted from the HTML",
            item=item,
            hint="check that the file is a complete article page, or save the article text as .txt",
        )
    page_date = getattr(result, "date", None)
    if published is None and isinstance(page_date, str):
        published = parse_iso_date(page_date)
    url = getattr(result, "url", None)
    outlet = getattr(result, "sitename", None)
    return Document.from_text(
        body,
        title=title if isinstance(title, str) and title.strip() else None,
        published=published,
        url=url if isinstance(url, str) and url else None,
        outlet=outlet if isinstance(outlet, str) and outlet else None,
        source_path=item,
        raw_sha256=raw_sha256,
    )
