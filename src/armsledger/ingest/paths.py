"""Turning the inputs a user names (files, folders, glob patterns) into a list of files to load."""

from __future__ import annotations

import glob
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from armsledger.errors import IngestError

TEXT_SUFFIXES = frozenset({".txt", ".md", ".text"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSON_SUFFIXES = frozenset({".json"})
JSONL_SUFFIXES = frozenset({".jsonl"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES

_GLOB_CHARS = frozenset("*?[")


@dataclass(slots=True)
class Expansion:
    """The files found for a list of inputs, in input order, and one error per input that found none."""

    files: list[Path] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)


def _supported_list() -> str:
    return " ".join(sorted(SUPPORTED_SUFFIXES))


def is_supported(path: Path) -> bool:
    """True when the file's suffix is one ingest can read."""
    return path.suffix.lower() in SUPPORTED_SUFFIXES


def _folder_files(folder: Path) -> list[Path]:
    # Hidden files and folders (.git, .venv, editor swap files) are never reports.
    found = [
        p
        for p in folder.rglob("*")
        if p.is_file()
        and is_supported(p)
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    ]
    return sorted(found)


def expand_inputs(inputs: Sequence[str | Path]) -> Expansion:
    """Files named by ``inputs``: files as given, folders searched recursively, glob patterns expanded.

    An input that matches nothing becomes an :class:`IngestError` in ``errors``; the others still load.
    A file reached twice (e.g. by a folder and a glob) is listed once.
    """
    result = Expansion()
    seen: set[Path] = set()

    def add(path: Path) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            result.files.append(path)

    for raw in inputs:
        text = str(raw)
        path = Path(text)
        if path.is_dir():
            files = _folder_files(path)
            if not files:
                result.errors.append(
                    IngestError(
                        "folder holds no supported files",
                        item=text,
                        hint=f"ingest reads {_supported_list()}",
                    )
                )
            for f in files:
                add(f)
        elif path.is_file():
            add(path)
        elif any(c in _GLOB_CHARS for c in text):
            matches = [Path(m) for m in sorted(glob.glob(text, recursive=True))]
            files = [m for m in matches if m.is_file() and is_supported(m)]
            for d in (m for m in matches if m.is_dir()):
                files.extend(_folder_files(d))
            if not files:
                result.errors.append(
                    IngestError(
                        "pattern matches no supported file",
                        item=text,
                        hint=f"check the pattern; ingest reads {_supported_list()}",
                    )
                )
            for f in files:
                add(f)
        else:
            result.errors.append(
                IngestError("no such file or folder", item=text, hint="check the path and try again")
            )
    return result
