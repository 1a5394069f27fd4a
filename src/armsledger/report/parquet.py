"""Claims as an Apache Parquet file (pyarrow), with the same columns as the CSV export."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from armsledger.report.export import CLAIM_CSV_COLUMNS, claims_csv
from armsledger.store.records import StoredClaim

_FLOAT_COLUMNS = frozenset({"quantity_value", "quantity_low", "quantity_high"})
_INT_COLUMNS = frozenset({"span_start", "span_end"})


def write_claims_parquet(rows: Sequence[StoredClaim], path: Path) -> None:
    """Write ``rows`` to ``path``: typed numeric and boolean columns, text elsewhere, nulls kept."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    # One flattening for both formats: the CSV rows are the single source of the column values.
    records = list(csv.DictReader(io.StringIO(claims_csv(rows))))
    columns: dict[str, list[object]] = {}
    for name in CLAIM_CSV_COLUMNS:
        raw = [r[name] for r in records]
        if name in _FLOAT_COLUMNS:
            columns[name] = [float(v) if v else None for v in raw]
        elif name in _INT_COLUMNS:
            columns[name] = [int(v) if v else None for v in raw]
        elif name == "estimated":
            columns[name] = [v == "true" for v in raw]
        else:
            columns[name] = [v or None for v in raw]
    types = {
        name: pa.float64()
        if name in _FLOAT_COLUMNS
        else pa.int64()
        if name in _INT_COLUMNS
        else pa.bool_()
        if name == "estimated"
        else pa.string()
        for name in CLAIM_CSV_COLUMNS
    }
    table = pa.table({n: pa.array(columns[n], type=types[n]) for n in CLAIM_CSV_COLUMNS})
    pq.write_table(table, str(path))
