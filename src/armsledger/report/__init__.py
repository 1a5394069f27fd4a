"""Renderers shared by the CLI and (later) the web app: rich tables, JSON, CSV and the HTML report."""

from __future__ import annotations

from armsledger.report.export import (
    CLAIM_CSV_COLUMNS,
    FLOW_CSV_COLUMNS,
    claim_record,
    claims_csv,
    claims_json,
    flow_record,
    flows_csv,
    flows_json,
)
from armsledger.report.formatting import (
    format_number,
    format_period,
    format_quantity,
    format_totals,
    state_name,
)
from armsledger.report.html import render_html, render_html_from
from armsledger.report.sanctions import finding_record, finding_views, findings_json, findings_table
from armsledger.report.tables import claims_table, document_claims_table, flows_table

__all__ = [
    "CLAIM_CSV_COLUMNS",
    "FLOW_CSV_COLUMNS",
    "claim_record",
    "claims_csv",
    "claims_json",
    "claims_table",
    "document_claims_table",
    "finding_record",
    "finding_views",
    "findings_json",
    "findings_table",
    "flow_record",
    "flows_csv",
    "flows_json",
    "flows_table",
    "format_number",
    "format_period",
    "format_quantity",
    "format_totals",
    "render_html",
    "render_html_from",
    "state_name",
]
