"""`armsledger import-claims`: curated rows stored beside extracted ones, bad rows reported, idempotent."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from armsledger.cli import app
from armsledger.ingest.curated import read_curated

from .conftest import FIXTURE

GOOD: dict[str, Any] = {
    "supplier": "PRK",
    "recipient": "RUS",
    "category": "shipment",
    "item": "container",
    "quantity": {"value": 1000, "low": None, "high": None, "qualifier": "more_than", "unit": None},
    "status": "occurred",
    "estimated": False,
    "time": {"start": "2023-09-07", "end": "2023-10-01"},
    "location": None,
    "attribution": "John Kirby, US National Security Council",
    "evidence": "Kirby counted over a thousand containers in the period.",
    "published": "2023-10-13",
    "outlet": "KBS World",
    "source_url": "http://world.kbs.co.kr/service/news_view.htm?lang=e&Seq_Code=181077",
}


def _counts(db: Path) -> tuple[int, int, int]:
    with sqlite3.connect(db) as conn:
        return (
            conn.execute("SELECT count(*) FROM documents").fetchone()[0],
            conn.execute("SELECT count(*) FROM claims WHERE origin = 'curated'").fetchone()[0],
            conn.execute("SELECT count(*) FROM curated_rows").fetchone()[0],
        )


def test_fixture_imports_and_reimport_changes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "l.db"
    first = runner.invoke(app, ["import-claims", str(FIXTURE), "--db", str(db)])
    assert first.exit_code == 0, first.output
    rows = sum(1 for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip())
    before = _counts(db)
    assert before[1] == rows == before[2]
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE snap AS SELECT * FROM claims")
    again = runner.invoke(app, ["import-claims", str(FIXTURE), "--db", str(db)])
    assert again.exit_code == 0, again.output
    assert f"0 added, {rows} already stored" in again.output
    assert _counts(db) == before
    with sqlite3.connect(db) as conn:
        changed = conn.execute(
            "SELECT count(*) FROM (SELECT * FROM claims EXCEPT SELECT * FROM snap)"
        ).fetchone()[0]
    assert changed == 0


def test_every_fixture_row_cites_a_reference_url() -> None:
    reference = Path(__file__).resolve().parents[3] / "shared" / "reference" / "dprk-russia-timeline.md"
    parsed = read_curated(FIXTURE)
    assert parsed.errors == () and len(parsed.rows) >= 40
    if reference.is_file():
        text = reference.read_text(encoding="utf-8")
        assert all(row.source_url in text for row in parsed.rows)


def test_bad_rows_are_reported_with_line_and_field(runner: CliRunner, tmp_path: Path) -> None:
    bad_state = {**GOOD, "supplier": "North Korea"}
    bad_qualifier = {**GOOD, "quantity": {**GOOD["quantity"], "qualifier": "roughly"}}
    no_url = {k: v for k, v in GOOD.items() if k != "source_url"}
    bad_date = {**GOOD, "published": "13/10/2023"}
    typo = {**GOOD, "attribtion": "x"}
    second_good = {**GOOD, "item": "railcar", "quantity": {**GOOD["quantity"], "value": 73}}
    lines = [GOOD, bad_state, bad_qualifier, no_url, None, bad_date, typo, second_good]
    path = tmp_path / "claims.jsonl"
    path.write_text(
        "\n".join("{not json" if row is None else json.dumps(row) for row in lines) + "\n", encoding="utf-8"
    )
    db = tmp_path / "l.db"
    result = runner.invoke(app, ["import-claims", str(path), "--db", str(db)])
    assert result.exit_code == 1
    out = result.output
    assert f"{path}:2: supplier:" in out
    assert f"{path}:3: quantity:" in out
    assert f"{path}:4: source_url: is required" in out
    assert f"{path}:5: row: is not valid JSON" in out
    assert f"{path}:6: published:" in out
    assert f"{path}:7: attribtion:" in out
    assert "2 added" in out
    assert _counts(db)[1] == 2


def test_csv_rows_load_like_jsonl(runner: CliRunner, tmp_path: Path) -> None:
    header = "supplier,recipient,category,item,value,qualifier,status,estimated,time_start,time_end,attribution,evidence,published,outlet,source_url"
    rows = [
        'PRK,RUS,shipment,container,"6,700",approximately,occurred,false,2023-09,,Shin Won-sik,Shin gave a count of containers.,2024-02-26,Politico,https://www.politico.eu/article/north-korea-munitions-russia-vladimir-putin-war-ukraine/',
        "PRK,RUS,shipment,container,lots,approximately,occurred,false,,,Shin,Bad figure.,2024-02-26,Politico,https://www.politico.eu/x",
        "PRK,RUS,weapon,container,1,,occurred,maybe,,,Shin,Bad category.,2024-02-26,Politico,https://www.politico.eu/x",
    ]
    path = tmp_path / "claims.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    parsed = read_curated(path)
    assert len(parsed.rows) == 1
    claim = parsed.rows[0].claim
    assert claim.quantity.value == 6700 and claim.quantity.qualifier is not None
    assert claim.time is not None and claim.time.start == "2023-09"
    assert [(e.line, e.field) for e in parsed.errors] == [(3, "quantity"), (4, "category")]
    db = tmp_path / "l.db"
    assert runner.invoke(app, ["import-claims", str(path), "--db", str(db)]).exit_code == 1
    assert _counts(db)[1] == 1


def test_wrong_suffix_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "claims.txt"
    path.write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["import-claims", str(path), "--db", str(tmp_path / "l.db")])
    assert result.exit_code == 2
