"""Reading a file's bytes safely: size limit first, then empty, binary and encoding checks."""

from __future__ import annotations

import hashlib
from pathlib import Path

from armsledger.errors import IngestError

_UTF8_BOM = b"\xef\xbb\xbf"


def sha256_bytes(data: bytes) -> str:
    """Hex sha256 of raw bytes (``Document.raw_sha256``)."""
    return hashlib.sha256(data).hexdigest()


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"


def read_checked(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, refusing files that are too large, empty or binary.

    The size is checked from the file system before anything is read, so a huge file costs nothing.
    """
    item = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise IngestError(f"cannot read file ({exc.strerror})", item=item, hint="check the path") from None
    if size > max_bytes:
        raise IngestError(
            f"file is {_megabytes(size)}, larger than the {_megabytes(max_bytes)} limit",
            item=item,
            hint="split it into separate documents or raise ARMSLEDGER_MAX_DOCUMENT_BYTES",
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(
            f"cannot read file ({exc.strerror})", item=item, hint="check its permissions"
        ) from None
    check_not_empty(data, item)
    nul = data.find(b"\x00")
    if nul >= 0:
        raise IngestError(
            f"file looks binary (NUL byte at byte offset {nul})",
            item=item,
            hint="ingest reads UTF-8 text, HTML and JSON; if this is text in UTF-16, re-save it as UTF-8",
        )
    return data


def check_not_empty(data: bytes, item: str) -> None:
    """Raise :class:`IngestError` when ``data`` holds nothing but whitespace."""
    if not data.strip() or data.strip() == _UTF8_BOM:
        raise IngestError("file is empty", item=item, hint="remove it from the batch or fill it in")


def decode_utf8(data: bytes, item: str) -> str:
    """Decode UTF-8 (a leading byte-order mark is dropped); errors name the first bad byte's offset."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 1].hex().upper()
        raise IngestError(
            f"file is not valid UTF-8 (byte 0x{bad} at byte offset {exc.start})",
            item=item,
            hint="re-save it as UTF-8, e.g. `iconv -f WINDOWS-1252 -t UTF-8 in.txt > out.txt`",
        ) from None
