"""Parsing the dates ingest accepts: ``--published`` on the command line and ``published`` in JSON."""

from __future__ import annotations

import re
from datetime import date

from armsledger.errors import UsageError

# A calendar date, optionally followed by an ISO time part ("2024-08-28T10:00:00Z"): feeds and
# scrapers often write timestamps where the schema asks for a date, and the date part is what we keep.
_ISO_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ][0-9:.+\-Z]*)?$")

EXPECTED_FORM = "YYYY-MM-DD (e.g. 2024-08-28)"


def parse_iso_date(value: str) -> date | None:
    """The calendar date in ``value`` (``YYYY-MM-DD``, optionally with a time part), or None if invalid."""
    match = _ISO_DATE.match(value.strip())
    if match is None:
        return None
    try:
        return date.fromisoformat(match.group(1))
    except ValueError:
        return None


def parse_date_option(value: str, option: str) -> date:
    """Parse a date given on the command line; raises :class:`UsageError` naming the value and the form."""
    parsed = parse_iso_date(value)
    if parsed is None:
        raise UsageError(
            f"{option} {value!r} is not a valid date",
            hint=f"expected {EXPECTED_FORM}",
        )
    return parsed


def parse_published_option(value: str | None) -> date | None:
    """The ``--published`` override (None when not given)."""
    return None if value is None else parse_date_option(value, "--published")
