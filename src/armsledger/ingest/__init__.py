"""Ingest: files, folders and globs -> :class:`~armsledger.models.Document` records.

Formats: plain text (.txt .md .text), HTML (.html .htm, via trafilatura), interchange JSON (.json: one
document object or a list) and JSONL (.jsonl: one per line). Bad inputs come back as
:class:`~armsledger.errors.IngestError` values, one per item, so a batch reports them and goes on.
"""

from __future__ import annotations

from armsledger.ingest.dates import parse_date_option, parse_iso_date, parse_published_option
from armsledger.ingest.interchange import Outcome
from armsledger.ingest.loader import load_file, load_inputs
from armsledger.ingest.paths import SUPPORTED_SUFFIXES, Expansion, expand_inputs

__all__ = [
    "SUPPORTED_SUFFIXES",
    "Expansion",
    "Outcome",
    "expand_inputs",
    "load_file",
    "load_inputs",
    "parse_date_option",
    "parse_iso_date",
    "parse_published_option",
]
