"""Renderers: number and quantity wording, JSON/CSV shapes, rich tables, the self-contained HTML report."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from armsledger.models import Category, Period, Qualifier, Quantity, Status
from armsledger.report import (
    CLAIM_CSV_COLUMNS,
    FLOW_CSV_COLUMNS,
    claims_csv,
    claims_json,
    claims_table,
    document_claims_table,
    flows_csv,
    flows_json,
    flows_table,
    format_number,
    format_period,
    format_quantity,
    render_html,
    state_name,
)
from armsledger.store import Ledger

from .conftest import make_claim, make_doc


@pytest.mark.parametrize(
    ("quantity", "expected"),
    [
        (Quantity(12_000_000, qualifier=Qualifier.MORE_THAN), "over 12,000,000"),
        (Quantity(28_000, qualifier=Qualifier.APPROXIMATELY), "about 28,000"),
        (Quantity(low=3_000, high=5_000, qualifier=Qualifier.RANGE), "3,000–5,000"),
        (Quantity(1_000, qualifier=Qualifier.AT_LEAST), "at least 1,000"),
        (Quantity(4_800_000, qualifier=Qualifier.UP_TO), "up to 4,800,000"),
        (Quantity(100, qualifier=Qualifier.LESS_THAN), "fewer than 100"),
        (Quantity(500, qualifier=Qualifier.LESS_THAN, unit="tonne"), "less than 500 tonnes"),
        (Quantity(1_000_000, qualifier=Qualifier.MORE_THAN, unit="barrel"), "over 1,000,000 barrels"),
        (Quantity(1, unit="tonne"), "1 tonne"),
        (Quantity(1.5, unit="tonne"), "1.5 tonnes"),
        (Quantity(13_000, qualifier=Qualifier.EXACT), "13,000"),
        (Quantity(13_000), "13,000"),
        (Quantity(), "—"),
    ],
)
def test_format_quantity(quantity: Quantity, expected: str) -> None:
    assert format_quantity(quantity) == expected


@given(st.integers(min_value=0, max_value=10**15))
def test_format_number_groups_thousands(n: int) -> None:
    text = format_number(n)
    assert int(text.replace(",", "")) == n
    assert all(len(group) == 3 for group in text.split(",")[1:])


def test_format_period_and_state_names() -> None:
    assert format_period(None) == "—"
    assert format_period(Period("2024-07", "2024-08")) == "2024-07 to 2024-08"
    assert format_period(Period("2022", None)) == "2022"
    assert format_period(Period(None, "2024-12")) == "by 2024-12"
    assert state_name("PRK") == "North Korea"
    assert state_name("RUS") == "Russia"
    assert state_name(None) == "unnamed"
    assert state_name("XYZ") == "XYZ"


def test_claims_json_shape(seeded: Ledger) -> None:
    records = json.loads(claims_json(seeded.list_claims()))
    assert len(records) == 6
    first = records[0]
    interchange = {
        "supplier", "recipient", "category", "item", "quantity", "status", "estimated",
        "time", "location", "attribution", "evidence",
    }  # fmt: skip
    assert interchange | {"claim_id", "document_id", "span"} <= set(first)
    assert first["claim_id"] and len(first["document_id"]) == 64
    assert first["span"] == [0, 51]
    assert first["quantity"] == {
        "value": 12_000_000, "low": None, "high": None, "qualifier": "more_than", "unit": None,
    }  # fmt: skip
    assert first["time"] == {"start": "2023-10", "end": None}


def test_claims_csv_shape(seeded: Ledger) -> None:
    rows = list(csv.DictReader(io.StringIO(claims_csv(seeded.list_claims()))))
    assert len(rows) == 6
    assert tuple(rows[0].keys()) == CLAIM_CSV_COLUMNS
    assert rows[0]["quantity_value"] == "12000000"
    assert rows[0]["estimated"] == "true"
    assert rows[0]["span_start"] == "0" and rows[0]["span_end"] == "51"
    range_row = rows[2]
    assert (range_row["quantity_low"], range_row["quantity_high"], range_row["quantity_value"]) == (
        "3000",
        "5000",
        "",
    )


def test_flows_json_and_csv(seeded: Ledger) -> None:
    flows = seeded.flows()
    records = json.loads(flows_json(flows))
    assert len(records) == 5
    ammo = next(r for r in records if r["category"] == "ammunition")
    assert ammo["totals"] == [{"unit": None, "total": 12_004_000, "claims": 2}]
    assert set(ammo) == {
        "supplier",
        "recipient",
        "category",
        "status",
        "claims",
        "totals",
        "unquantified_claim_ids",
    }
    rows = list(csv.DictReader(io.StringIO(flows_csv(flows))))
    assert tuple(rows[0].keys()) == FLOW_CSV_COLUMNS
    denied = next(r for r in rows if r["status"] == "denied")
    assert (denied["total"], denied["unquantified_claims"]) == ("", "1")


def _render(table: object) -> str:
    console = Console(width=250, record=True, file=io.StringIO())
    console.print(table)
    return console.export_text()


def test_rich_tables(seeded: Ledger) -> None:
    text = _render(claims_table(seeded.list_claims()))
    assert "Claims (6)" in text and "over 12,000,000" in text and "3,000–5,000" in text
    text = _render(flows_table(seeded.flows()))
    assert "Flows (5)" in text and "12,004,000" in text and "1 without a number" in text
    doc = make_doc("Text.", title="Headline", published=date(2024, 1, 2))
    text = _render(document_claims_table(doc, [make_claim(value=5)]))
    assert "Headline — 2024-01-02 — 1 claim" in text


def test_html_report_is_self_contained_and_escaped(ledger: Ledger) -> None:
    evil = "Russia got <script>alert('x')</script> 500 shells & more."
    doc = make_doc(evil, title="<b>Bold</b> title", published=date(2024, 5, 1), url="https://example.org/a")
    ledger.add_document(
        doc,
        [
            make_claim(
                value=500,
                qualifier=Qualifier.APPROXIMATELY,
                evidence=evil,
                attribution="<img src=x onerror=alert(1)>",
                span=(0, len(evil)),
            ),
            make_claim(status=Status.PLEDGED, category=Category.MISSILE, item="missile", span=(1, 2)),
        ],
    )
    html = render_html(ledger)
    assert html.startswith("<!DOCTYPE html>")
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(" in html
    assert "<img" not in html and "&lt;img src=x" in html
    assert "<b>Bold</b>" not in html and "&lt;b&gt;Bold&lt;/b&gt; title" in html
    # No external resources or links: every src/href is local.
    for attr in re.findall(r"""(?:src|href)\s*=\s*["']?([^"'\s>]*)""", html, re.IGNORECASE):
        assert "http" not in attr.lower() and not attr.startswith("//"), attr
    assert "@import" not in html and "url(" not in html
    assert "<style>" in html  # CSS inlined
    # Content: summary, flows, claims with evidence, badges, formatted numbers.
    for section in ('id="summary"', 'id="flows"', 'id="claims"', 'id="sources"'):
        assert section in html
    assert "about 500" in html
    assert "badge-pledged" in html and "badge-occurred" in html
    assert "North Korea → Russia" in html
    assert 'class="evidence"' in html


def test_html_report_of_empty_ledger(ledger: Ledger) -> None:
    html = render_html(ledger)
    assert "holds no claims yet" in html
    assert "No reports ingested" in html
