"""Analyst-curated claims: read a JSONL or CSV file of SCHEMA.md claims with their report's metadata.

Each row is one claim plus ``published`` (the report's ISO date), ``outlet`` and ``source_url``
(optionally ``title`` and ``note``). :func:`read_curated` returns the good rows and one
:class:`~armsledger.errors.CuratedRowError` per bad row (naming its line and field), so an import loads
what it can and reports the rest.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from armsledger.errors import CuratedRowError, InvalidRecordError, UsageError
from armsledger.models import Category, Claim, Period, Quantity, Status, normalise_text, text_sha256

CLAIM_FIELDS = frozenset(
    {
        "supplier",
        "recipient",
        "category",
        "item",
        "quantity",
        "status",
        "estimated",
        "time",
        "location",
        "attribution",
        "evidence",
    }
)
REPORT_FIELDS = frozenset({"published", "outlet", "source_url", "title", "note"})
# CSV has no nesting: quantity and time are spread over columns ("value" or "quantity_value", ...).
CSV_QUANTITY = {"value", "low", "high", "qualifier", "unit"}
CSV_TIME = {"start", "end"}
_ISO3 = re.compile(r"^[A-Z]{3}$")
_TRUE = {"true", "1", "yes", "y"}
_FALSE = {"false", "0", "no", "n", ""}


@dataclass(frozen=True, slots=True)
class CuratedRow:
    """One good row: its claim, the report it cites and where in the file it was."""

    claim: Claim
    published: date
    outlet: str
    source_url: str
    title: str | None
    line: int
    row_sha256: str

    @property
    def document_text(self) -> str:
        """The text of the curated report record: a stable header naming the report it cites."""
        return normalise_text(
            f"Analyst-curated claims citing {self.source_url}\n"
            f"Outlet: {self.outlet}\nPublished: {self.published.isoformat()}"
        )

    @property
    def document_id(self) -> str:
        return text_sha256(self.document_text)

    @property
    def claim_id(self) -> str:
        """Stable id from the report and the whole claim (two attributors of one figure stay apart)."""
        key = json.dumps(
            {"document": self.document_id, "claim": self.claim.to_interchange()},
            sort_keys=True,
            ensure_ascii=False,
        )
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class CuratedFile:
    """What a curated file held: good rows and errors for the bad ones, in file order."""

    path: str
    rows: tuple[CuratedRow, ...]
    errors: tuple[CuratedRowError, ...]


class _Row:
    """Field-by-field validation of one raw row; each failure names its field."""

    def __init__(self, data: dict[str, Any], file: str, line: int) -> None:
        self.data, self.file, self.line = data, file, line

    def fail(self, field: str, message: str, hint: str | None = None) -> CuratedRowError:
        return CuratedRowError(
            message, file=self.file, line=self.line, field=field, hint=hint or "fix the row and import again"
        )

    def text(self, field: str, *, required: bool) -> str | None:
        value = self.data.get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise self.fail(field, "is required")
            return None
        if not isinstance(value, str):
            raise self.fail(field, f"must be text, got {value!r}")
        return value.strip()

    def state(self, field: str) -> str | None:
        value = self.text(field, required=False)
        if value is not None and not _ISO3.match(value):
            raise self.fail(field, f"{value!r} is not an ISO 3166-1 alpha-3 code", "use e.g. PRK, RUS")
        return value

    def published(self) -> date:
        raw = self.text("published", required=True)
        assert raw is not None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise self.fail("published", f"{raw!r} is not a date", "write it as YYYY-MM-DD") from None

    def url(self) -> str:
        raw = self.text("source_url", required=True)
        assert raw is not None
        if not re.match(r"^https?://\S+$", raw):
            raise self.fail("source_url", f"{raw!r} is not an http(s) URL")
        return raw

    def choice(self, field: str, options: type[Category] | type[Status], default: str | None) -> str:
        raw = self.text(field, required=default is None) or default
        assert raw is not None
        if raw not in {o.value for o in options}:
            raise self.fail(field, f"{raw!r} is not one of {[o.value for o in options]}")
        return raw

    def estimated(self) -> bool:
        value = self.data.get("estimated")
        if value is None or isinstance(value, bool):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        raise self.fail("estimated", f"{value!r} is not true or false")

    def part(self, field: str, build: Any) -> Any:
        try:
            return build(self.data.get(field))
        except InvalidRecordError as exc:
            raise self.fail(field, exc.message) from None

    def claim(self) -> Claim:
        unknown = sorted(set(self.data) - CLAIM_FIELDS - REPORT_FIELDS)
        if unknown:
            raise self.fail(unknown[0], "is not a claim or report field", "check the column name's spelling")
        item = self.text("item", required=True)
        assert item is not None
        evidence = self.text("evidence", required=True)
        try:
            return Claim(
                supplier=self.state("supplier"),
                recipient=self.state("recipient"),
                category=Category(self.choice("category", Category, None)),
                item=item,
                quantity=self.part("quantity", Quantity.from_interchange),
                status=Status(self.choice("status", Status, Status.OCCURRED.value)),
                estimated=self.estimated(),
                time=self.part("time", Period.from_interchange),
                location=self.text("location", required=False),
                attribution=self.text("attribution", required=False),
                evidence=evidence or "",
            )
        except InvalidRecordError as exc:
            if isinstance(exc, CuratedRowError):
                raise
            raise self.fail("claim", exc.message) from None


def parse_row(data: Any, file: str, line: int) -> CuratedRow:
    """Validate one row (a dict of SCHEMA.md claim fields and report fields)."""
    if not isinstance(data, dict):
        raise CuratedRowError(
            f"must be a JSON object, got {type(data).__name__}", file=file, line=line, field="row"
        )
    row = _Row(data, file, line)
    claim = row.claim()
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return CuratedRow(
        claim=claim,
        published=row.published(),
        outlet=row.text("outlet", required=True) or "",
        source_url=row.url(),
        title=row.text("title", required=False),
        line=line,
        row_sha256=hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
    )


def _number(text: str) -> int | float | str:
    cleaned = text.replace(",", "").replace("_", "").strip()
    try:
        return int(cleaned)
    except ValueError:
        try:
            return float(cleaned)
        except ValueError:
            return text  # left as text: Quantity validation names the field


def _csv_row(raw: dict[str, str | None]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    quantity: dict[str, Any] = {}
    period: dict[str, Any] = {}
    for key, value in raw.items():
        if key is None:
            continue
        name = key.strip().lower().replace(".", "_")
        text = (value or "").strip()
        short = name.removeprefix("quantity_").removeprefix("time_")
        if name.startswith("time_") and short in CSV_TIME:
            period[short] = text or None
        elif short in CSV_QUANTITY and (name.startswith("quantity_") or name == short):
            quantity[short] = (
                None if not text else (text if short in ("qualifier", "unit") else _number(text))
            )
        else:
            data[name] = text or None
    if any(v is not None for v in quantity.values()):
        data["quantity"] = quantity
    if any(v is not None for v in period.values()):
        data["time"] = period
    return data


def read_curated(path: Path | str) -> CuratedFile:
    """Read a ``.jsonl`` or ``.csv`` file of curated claims; bad rows come back as errors.

    Raises :class:`UsageError` when the file cannot be read or has another suffix.
    """
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix not in (".jsonl", ".csv"):
        raise UsageError(f"{file} is not a .jsonl or .csv file", hint="give FILE.jsonl or FILE.csv")
    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {file} ({exc})", hint="check the path and that it is UTF-8") from None
    rows: list[CuratedRow] = []
    errors: list[CuratedRowError] = []
    name = str(file)
    if suffix == ".jsonl":
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                errors.append(
                    CuratedRowError(
                        f"is not valid JSON ({exc.msg}, column {exc.colno})",
                        file=name,
                        line=number,
                        field="row",
                    )
                )
                continue
            try:
                rows.append(parse_row(data, name, number))
            except CuratedRowError as exc:
                errors.append(exc)
    else:
        reader = csv.DictReader(io.StringIO(text))
        for raw in reader:
            number = reader.line_num
            try:
                rows.append(parse_row(_csv_row(raw), name, number))
            except CuratedRowError as exc:
                errors.append(exc)
    return CuratedFile(path=name, rows=tuple(rows), errors=tuple(errors))
