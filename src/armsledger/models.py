"""Domain records: frozen, typed mirrors of the claim interchange format (``eval/SCHEMA.md``).

Every stage of armsledger passes these records around; nothing here does I/O. ``to_interchange`` and
``from_interchange`` convert to and from the plain-dict JSON form that ``score.py`` and
``armsledger extract --format jsonl`` use.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import Any

from armsledger.errors import InvalidRecordError

EXTRACTOR_VERSION = "0.1.0"


class Category(StrEnum):
    """What kind of thing moved (SCHEMA.md "Categories")."""

    AMMUNITION = "ammunition"
    MISSILE = "missile"
    WEAPON_SYSTEM = "weapon_system"
    PERSONNEL = "personnel"
    SHIPMENT = "shipment"
    OTHER = "other"


class Status(StrEnum):
    """Whether the movement happened, is expected, was pledged or is denied."""

    OCCURRED = "occurred"
    EXPECTED = "expected"
    PLEDGED = "pledged"
    DENIED = "denied"


class Qualifier(StrEnum):
    """How the number is hedged in the text ("over", "about", a range ...)."""

    EXACT = "exact"
    APPROXIMATELY = "approximately"
    AT_LEAST = "at_least"
    MORE_THAN = "more_than"
    UP_TO = "up_to"
    LESS_THAN = "less_than"
    RANGE = "range"


UNITS = frozenset({"tonne", "barrel"})
_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_ISO3 = re.compile(r"^[A-Z]{3}$")


def _number(value: Any, field_name: str) -> int | float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidRecordError(f"quantity.{field_name} must be a number or null, got {value!r}")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


@dataclass(frozen=True, slots=True)
class Quantity:
    """A count (or mass/volume, with ``unit``) and how the text qualifies it."""

    value: int | float | None = None
    low: int | float | None = None
    high: int | float | None = None
    qualifier: Qualifier | None = None
    unit: str | None = None

    def __post_init__(self) -> None:
        if self.unit is not None and self.unit not in UNITS:
            raise InvalidRecordError(
                f"quantity.unit must be one of {sorted(UNITS)} or null, got {self.unit!r}"
            )
        if self.qualifier is Qualifier.RANGE and (self.low is None or self.high is None):
            raise InvalidRecordError("quantity with qualifier 'range' needs both low and high")

    @property
    def is_empty(self) -> bool:
        """True when the text gives no number."""
        return self.value is None and self.low is None and self.high is None

    @property
    def central(self) -> float | None:
        """The value, else the midpoint of low/high (as score.py computes it)."""
        if self.value is not None:
            return float(self.value)
        if self.low is not None and self.high is not None:
            return (float(self.low) + float(self.high)) / 2
        if self.low is not None:
            return float(self.low)
        return float(self.high) if self.high is not None else None

    def to_interchange(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "low": self.low,
            "high": self.high,
            "qualifier": self.qualifier.value if self.qualifier else None,
            "unit": self.unit,
        }

    @classmethod
    def from_interchange(cls, data: dict[str, Any] | None) -> Quantity:
        if data is None:
            return cls()
        if not isinstance(data, dict):
            raise InvalidRecordError(f"quantity must be an object, got {type(data).__name__}")
        qualifier = data.get("qualifier")
        try:
            q = Qualifier(qualifier) if qualifier is not None else None
        except ValueError:
            raise InvalidRecordError(
                f"quantity.qualifier {qualifier!r} is not one of {[x.value for x in Qualifier]}"
            ) from None
        return cls(
            value=_number(data.get("value"), "value"),
            low=_number(data.get("low"), "low"),
            high=_number(data.get("high"), "high"),
            qualifier=q,
            unit=data.get("unit"),
        )


@dataclass(frozen=True, slots=True)
class Period:
    """When the goods or people move: ISO partial dates (YYYY, YYYY-MM, YYYY-MM-DD)."""

    start: str | None = None
    end: str | None = None

    def __post_init__(self) -> None:
        for name in ("start", "end"):
            v = getattr(self, name)
            if v is not None and not _PARTIAL_DATE.match(v):
                raise InvalidRecordError(f"time.{name} must be YYYY, YYYY-MM or YYYY-MM-DD, got {v!r}")

    @property
    def is_empty(self) -> bool:
        return self.start is None and self.end is None

    def to_interchange(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end}

    @classmethod
    def from_interchange(cls, data: dict[str, Any] | None) -> Period | None:
        if data is None:
            return None
        if not isinstance(data, dict):
            raise InvalidRecordError(f"time must be an object or null, got {type(data).__name__}")
        return cls(start=data.get("start"), end=data.get("end"))


@dataclass(frozen=True, slots=True)
class Span:
    """Character offsets ``[start, end)`` of the evidence in the document text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise InvalidRecordError(f"span [{self.start}, {self.end}) is not a valid character range")


def normalise_text(text: str) -> str:
    """Canonical form used for the document id: NFC, unified newlines, trimmed line ends."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip()


def text_sha256(text: str) -> str:
    """Document id: sha256 of the normalised text."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Document:
    """One report: its text and where it came from.

    ``id`` is the sha256 of the normalised text; ``external_id`` keeps an interchange document's own id.
    """

    id: str
    text: str
    title: str | None = None
    published: date | None = None
    url: str | None = None
    outlet: str | None = None
    external_id: str | None = None
    source_path: str | None = None
    raw_sha256: str | None = None
    based_on: tuple[str, ...] = ()

    @property
    def public_id(self) -> str:
        """The id shown to users and in interchange output: the document's own id if it has one."""
        return self.external_id or self.id

    @classmethod
    def from_text(cls, text: str, **kwargs: Any) -> Document:
        """Build a document whose id is derived from its (normalised) text."""
        normalised = normalise_text(text)
        return cls(id=text_sha256(normalised), text=normalised, **kwargs)


@dataclass(frozen=True, slots=True)
class Claim:
    """One asserted movement of military goods or people from one state to another."""

    supplier: str | None
    recipient: str | None
    category: Category
    item: str
    quantity: Quantity = field(default_factory=Quantity)
    status: Status = Status.OCCURRED
    estimated: bool = False
    time: Period | None = None
    location: str | None = None
    attribution: str | None = None
    evidence: str = ""
    span: Span | None = None
    document_id: str | None = None
    extractor_version: str = EXTRACTOR_VERSION

    def __post_init__(self) -> None:
        for role in ("supplier", "recipient"):
            v = getattr(self, role)
            if v is not None and not _ISO3.match(v):
                raise InvalidRecordError(f"{role} must be an ISO 3166-1 alpha-3 code or null, got {v!r}")

    @property
    def claim_id(self) -> str:
        """Stable id: hash of the document, the evidence span and the claim's key fields."""
        key = "|".join(
            str(x)
            for x in (
                self.document_id,
                self.span.start if self.span else "",
                self.span.end if self.span else "",
                self.supplier,
                self.recipient,
                self.category.value,
                self.item.lower(),
                self.quantity.central,
                self.quantity.unit,
                self.status.value,
            )
        )
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]

    def with_changes(self, **changes: Any) -> Claim:
        return replace(self, **changes)

    def to_interchange(self) -> dict[str, Any]:
        """The SCHEMA.md form (what ``score.py`` reads)."""
        return {
            "supplier": self.supplier,
            "recipient": self.recipient,
            "category": self.category.value,
            "item": self.item,
            "quantity": self.quantity.to_interchange(),
            "status": self.status.value,
            "estimated": self.estimated,
            "time": self.time.to_interchange() if self.time else None,
            "location": self.location,
            "attribution": self.attribution,
            "evidence": self.evidence,
        }

    @classmethod
    def from_interchange(cls, data: dict[str, Any], *, document_id: str | None = None) -> Claim:
        """Parse a SCHEMA.md claim; raises :class:`InvalidRecordError` naming the bad field."""
        if not isinstance(data, dict):
            raise InvalidRecordError(f"a claim must be a JSON object, got {type(data).__name__}")
        try:
            category = Category(str(data.get("category")))
        except ValueError:
            raise InvalidRecordError(
                f"category {data.get('category')!r} is not one of {[c.value for c in Category]}"
            ) from None
        try:
            status = Status(data.get("status", "occurred"))
        except ValueError:
            raise InvalidRecordError(
                f"status {data.get('status')!r} is not one of {[s.value for s in Status]}"
            ) from None
        item = data.get("item")
        if not isinstance(item, str) or not item.strip():
            raise InvalidRecordError("item must be a non-empty string")
        span = data.get("span")
        return cls(
            supplier=data.get("supplier"),
            recipient=data.get("recipient"),
            category=category,
            item=item,
            quantity=Quantity.from_interchange(data.get("quantity")),
            status=status,
            estimated=bool(data.get("estimated", False)),
            time=Period.from_interchange(data.get("time")),
            location=data.get("location"),
            attribution=data.get("attribution"),
            evidence=data.get("evidence") or "",
            span=Span(int(span[0]), int(span[1]))
            if isinstance(span, list | tuple) and len(span) == 2
            else None,
            document_id=document_id,
        )
