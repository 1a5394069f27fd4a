"""Source reliability: the editable table of attributors (``sources.yaml``) and the grade of each.

:meth:`SourceTable.match` turns a claim's free-text ``attribution`` into a :class:`Source` with an
Admiralty reliability letter A–F, the kind of source it is and the family it belongs to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from armsledger.errors import LexiconError
from armsledger.flows.tables import shipped_table, user_table

SOURCES_FILE = "sources.yaml"
RELIABILITY_LETTERS = "ABCDEF"
PARTY_KIND = "government_party"
PARTY_KINDS_FROM = frozenset({"government", "national_intelligence"})
UNLISTED_KIND = "unlisted"
ANONYMOUS_KIND = "anonymous"


@dataclass(frozen=True, slots=True)
class Source:
    """Who makes a claim, as graded: reliability letter, kind, and why."""

    id: str
    name: str
    kind: str
    reliability: str
    why: str
    family: str
    state: str | None = None


@dataclass(frozen=True, slots=True)
class _Entry:
    source: Source
    patterns: tuple[re.Pattern[str], ...]


@dataclass(frozen=True, slots=True, eq=False)
class SourceTable:
    """The validated source table: kinds with default grades and ordered attributor entries."""

    kinds: dict[str, tuple[str, str]]
    entries: tuple[_Entry, ...]
    source: str

    def match(self, attribution: str | None, parties: tuple[str | None, ...] = ()) -> Source:
        """The graded source of ``attribution``; a government among ``parties`` is graded as a party."""
        found = _match(self, (attribution or "").strip())
        if (
            found.state is not None
            and found.state in parties
            and found.kind in PARTY_KINDS_FROM
            and PARTY_KIND in self.kinds
        ):
            letter, why = self.kinds[PARTY_KIND]
            return Source(found.id, found.name, PARTY_KIND, letter, why, found.family, found.state)
        return found


@lru_cache(maxsize=16384)
def _match(table: SourceTable, attribution: str) -> Source:
    if not attribution:
        letter, why = table.kinds[ANONYMOUS_KIND]
        return Source("anonymous", "Anonymous", ANONYMOUS_KIND, letter, why, "anonymous")
    for entry in table.entries:
        if any(p.search(attribution) for p in entry.patterns):
            return entry.source
    letter, why = table.kinds[UNLISTED_KIND]
    key = re.sub(r"[^a-z0-9]+", "-", attribution.lower()).strip("-")[:60] or "unlisted"
    return Source(f"unlisted:{key}", attribution, UNLISTED_KIND, letter, why, f"unlisted:{key}")


def _fail(source: str, where: str, message: str) -> LexiconError:
    return LexiconError(f"{where}: {message}", item=source, hint="fix the source table and retry")


def _letter(value: Any, source: str, where: str) -> str:
    if not isinstance(value, str) or value not in RELIABILITY_LETTERS or len(value) != 1:
        raise _fail(source, where, f"{value!r} is not a reliability grade A–F")
    return value


def parse_sources(data: Any, source: str) -> SourceTable:
    """Validate the YAML content of a source table."""
    if not isinstance(data, dict) or not isinstance(data.get("kinds"), dict):
        raise _fail(source, "kinds", "must map kind names to {reliability, why}")
    kinds: dict[str, tuple[str, str]] = {}
    for name, raw in data["kinds"].items():
        if not isinstance(raw, dict):
            raise _fail(source, f"kinds.{name}", "must be a mapping")
        kinds[str(name)] = (
            _letter(raw.get("reliability"), source, f"kinds.{name}.reliability"),
            str(raw.get("why") or ""),
        )
    for required in (UNLISTED_KIND, ANONYMOUS_KIND):
        if required not in kinds:
            raise _fail(source, f"kinds.{required}", "is required")
    entries: list[_Entry] = []
    seen: set[str] = set()
    for i, raw in enumerate(data.get("sources") or []):
        where = f"sources[{i}]"
        if not isinstance(raw, dict):
            raise _fail(source, where, "must be a mapping")
        sid, kind = raw.get("id"), raw.get("kind")
        if not isinstance(sid, str) or not sid or sid in seen:
            raise _fail(source, f"{where}.id", f"{sid!r} is missing or repeated")
        seen.add(sid)
        if kind not in kinds:
            raise _fail(source, f"{where}.kind", f"{kind!r} is not one of {sorted(kinds)}")
        patterns = raw.get("patterns")
        if not isinstance(patterns, list) or not patterns:
            raise _fail(source, f"{where}.patterns", "must be a non-empty list of regular expressions")
        compiled: list[re.Pattern[str]] = []
        for j, pattern in enumerate(patterns):
            try:
                compiled.append(re.compile(str(pattern), re.IGNORECASE))
            except re.error as exc:
                raise _fail(
                    source, f"{where}.patterns[{j}]", f"is not a regular expression ({exc})"
                ) from None
        letter, why = kinds[kind]
        if raw.get("reliability") is not None:
            letter = _letter(raw.get("reliability"), source, f"{where}.reliability")
            why = str(raw.get("why") or why)
        state = raw.get("state")
        entries.append(
            _Entry(
                source=Source(
                    id=sid,
                    name=str(raw.get("name") or sid),
                    kind=str(kind),
                    reliability=letter,
                    why=why,
                    family=str(raw.get("family") or sid),
                    state=str(state) if state else None,
                ),
                patterns=tuple(compiled),
            )
        )
    return SourceTable(kinds=kinds, entries=tuple(entries), source=source)


def load_sources(path: Path | str | None = None) -> SourceTable:
    """Read the source table at ``path`` (default: the one shipped in ``flows/``)."""
    if path is None:
        return _shipped()
    return user_table(path, parse_sources, _fail)


@lru_cache(maxsize=1)
def _shipped() -> SourceTable:
    return shipped_table(SOURCES_FILE, parse_sources)
