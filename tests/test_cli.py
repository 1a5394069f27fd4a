"""The command line: output formats, exit codes, per-item errors, the demo. Real SQLite files throughout."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from armsledger import __version__
from armsledger.cli import app
from armsledger.models import Claim
from armsledger.store import Ledger

from .conftest import EXAMPLES_DIR, REPO

INTERCHANGE_KEYS = {
    "supplier", "recipient", "category", "item", "quantity", "status", "estimated",
    "time", "location", "attribution", "evidence",
}  # fmt: skip
ARTICLE = "Iran has sent drones to Russia\nIran has delivered 200 Shahed drones to Russia, officials said.\n"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _armsledger() -> list[str]:
    script = Path(sys.executable).with_name("armsledger")
    return [str(script)] if script.exists() else [sys.executable, "-m", "armsledger.cli"]


def _count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"armsledger {__version__}"


# -- extract --------------------------------------------------------------------------------------


def test_extract_jsonl_is_exactly_the_evaluation_form(dev_dir: Path) -> None:
    files = sorted(dev_dir.glob("*.json"))
    proc = subprocess.run(
        [*_armsledger(), "extract", *map(str, files), "--format", "jsonl"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "CI": "true"},
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    lines = proc.stdout.splitlines()
    assert len(lines) == len(files)
    expected_ids = [json.loads(f.read_text(encoding="utf-8"))["id"] for f in files]
    for line, expected_id in zip(lines, expected_ids, strict=True):
        record = json.loads(line)
        assert list(record) == ["id", "claims"]
        assert record["id"] == expected_id
        assert isinstance(record["claims"], list)
        for claim in record["claims"]:
            assert set(claim) == INTERCHANGE_KEYS
            assert Claim.from_interchange(claim).to_interchange() == claim


def test_extract_json_and_table(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    result = runner.invoke(app, ["extract", str(path), "--published", "2024-05-01", "--format", "json"])
    assert result.exit_code == 0, result.output
    [doc] = json.loads(result.stdout)
    assert set(doc) == {"id", "title", "published", "claims"}
    assert doc["title"] == "Iran has sent drones to Russia"
    assert doc["published"] == "2024-05-01"
    assert len(doc["id"]) == 64
    for claim in doc["claims"]:
        assert set(claim) == INTERCHANGE_KEYS
    result = runner.invoke(app, ["extract", str(path)])
    assert result.exit_code == 0
    assert "Iran has sent drones to Russia" in result.stdout


def test_extract_reports_bad_items_and_goes_on(runner: CliRunner, tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01")
    result = runner.invoke(
        app, ["extract", str(bad), str(good), str(tmp_path / "gone.txt"), "--format", "jsonl"]
    )
    assert result.exit_code == 1
    assert len(result.stdout.splitlines()) == 1  # the good document only
    errors = result.stderr.splitlines()
    assert len(errors) == 2
    assert errors[0].startswith(f"error: {tmp_path / 'gone.txt'}: no such file")
    assert errors[1].startswith(f"error: {bad}: file looks binary")


def test_invalid_published_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    result = runner.invoke(app, ["extract", str(path), "--published", "2024-13-45"])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert lines == [
        "error: --published '2024-13-45' is not a valid date — expected YYYY-MM-DD (e.g. 2024-08-28)"
    ]


def test_debug_shows_the_traceback(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    result = runner.invoke(app, ["--debug", "extract", str(path), "--published", "nope"])
    assert result.exit_code == 2
    assert "Traceback" in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("error: --published 'nope'")


def test_bad_format_lists_valid_values(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(tmp_path), "--format", "xml"])
    assert result.exit_code == 2
    assert "table, json, jsonl" in result.stderr


# -- ingest ---------------------------------------------------------------------------------------


def test_ingest_batch_with_one_bad_file(runner: CliRunner, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "one.txt").write_text(ARTICLE, encoding="utf-8")
    (inbox / "two.json").write_text(json.dumps({"id": "two", "text": "Russia sent oil to North Korea."}))
    (inbox / "broken.json").write_text('{"id": "x", "text": ', encoding="utf-8")
    db = tmp_path / "ledger.db"
    result = runner.invoke(app, ["ingest", str(inbox), "--db", str(db), "--published", "2024-05-01"])
    assert result.exit_code == 1
    assert f"error: {inbox / 'broken.json'}: JSON does not parse" in result.stderr
    assert "documents: 2 new, 0 unchanged, 1 failed" in result.stdout
    assert _count(db, "documents") == 2
    claims_before = _count(db, "claims")
    # Again: nothing changes, the bad file still fails.
    result = runner.invoke(app, ["ingest", str(inbox), "--db", str(db)])
    assert result.exit_code == 1
    assert "documents: 0 new, 2 unchanged, 1 failed; claims added: 0" in result.stdout
    assert (_count(db, "documents"), _count(db, "claims")) == (2, claims_before)


def test_ingest_dev_set_twice_is_idempotent(runner: CliRunner, tmp_path: Path, dev_dir: Path) -> None:
    db = tmp_path / "dev.db"
    first = runner.invoke(app, ["ingest", str(dev_dir), "--db", str(db)])
    assert first.exit_code == 0, first.output
    counts = (_count(db, "documents"), _count(db, "claims"))
    assert counts[0] == len(list(dev_dir.glob("*.json")))
    second = runner.invoke(app, ["ingest", str(dev_dir), "--db", f"sqlite:///{db}"])
    assert second.exit_code == 0
    assert f"documents: 0 new, {counts[0]} unchanged, 0 failed; claims added: 0" in second.stdout
    assert (_count(db, "documents"), _count(db, "claims")) == counts


def test_ingest_in_ci_prints_no_progress_frames(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    proc = subprocess.run(
        [*_armsledger(), "ingest", str(tmp_path / "a.txt"), "--db", str(tmp_path / "l.db")],
        capture_output=True,
        text=True,
        env={**os.environ, "CI": "true"},
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert proc.stdout.startswith("documents: 1 new")


def test_unreadable_database_is_a_failure_with_a_hint(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "notes.db"
    db.write_text("not a database " * 200, encoding="utf-8")
    result = runner.invoke(app, ["claims", "--db", str(db)])
    assert result.exit_code == 1
    [line] = result.stderr.strip().splitlines()
    assert "not an armsledger SQLite database" in line


# -- claims / flows / report ----------------------------------------------------------------------


def test_claims_filters_and_formats(runner: CliRunner, seeded: Ledger, db_path: Path) -> None:
    result = runner.invoke(app, ["claims", "--db", str(db_path), "--supplier", "rus", "--format", "json"])
    assert result.exit_code == 0, result.output
    [record] = json.loads(result.stdout)
    assert record["item"] == "oil" and record["quantity"]["unit"] == "barrel"
    result = runner.invoke(
        app, ["claims", "--db", str(db_path), "--category", "personnel", "--since", "2025-01-01", "-f", "csv"]
    )
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("claim_id,document_id,")
    assert len(lines) == 2 and "military construction worker" in lines[1]
    result = runner.invoke(app, ["claims", "--db", str(db_path), "--status", "denied"])
    assert result.exit_code == 0
    assert "Claims (1)" in result.stdout


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--category", "tanks"], "ammunition, missile, weapon_system, personnel, shipment, other"),
        (["--status", "rumoured"], "occurred, expected, pledged, denied"),
        (["--supplier", "Korea"], "ISO 3166-1 alpha-3"),
        (["--since", "2024-99-01"], "YYYY-MM-DD"),
        (["--since", "2025-01-01", "--until", "2024-01-01"], "after --until"),
        (["--format", "xml"], "table, json, csv"),
    ],
)
def test_claims_bad_filters_are_usage_errors(
    runner: CliRunner, seeded: Ledger, db_path: Path, args: list[str], fragment: str
) -> None:
    result = runner.invoke(app, ["claims", "--db", str(db_path), *args])
    assert result.exit_code == 2
    assert fragment in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_flows_formats(runner: CliRunner, seeded: Ledger, db_path: Path) -> None:
    result = runner.invoke(app, ["flows", "--db", str(db_path), "--format", "json"])
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 5
    result = runner.invoke(app, ["flows", "--db", str(db_path), "--format", "csv"])
    assert (
        result.stdout.splitlines()[0]
        == "supplier,recipient,category,status,claims,unit,total,quantified_claims,unquantified_claims"
    )
    result = runner.invoke(app, ["flows", "--db", str(db_path)])
    assert "Flows (5)" in result.stdout and "12,004,000" in result.stdout


def test_report_writes_html(runner: CliRunner, seeded: Ledger, db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "report.html"
    out.parent.mkdir()
    result = runner.invoke(app, ["report", "--db", str(db_path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "over 12,000,000" in html
    assert "3 documents, 6 claims" in result.stdout
    bad = runner.invoke(app, ["report", "--db", str(db_path), "--out", str(tmp_path / "missing" / "r.html")])
    assert bad.exit_code == 2 and "cannot write" in bad.stderr


# -- demo -----------------------------------------------------------------------------------------


def test_demo_builds_a_fresh_ledger(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not any(EXAMPLES_DIR.glob("*.json")):
        pytest.skip("examples/ is empty")
    examples = tmp_path / "examples"
    shutil.copytree(EXAMPLES_DIR, examples)
    monkeypatch.setenv("ARMSLEDGER_EXAMPLES_DIR", str(examples))
    db, out = tmp_path / "demo.db", tmp_path / "report.html"
    n_inputs = (
        len(list(examples.glob("*.json")))
        + len(list(examples.glob("html/*.html")))
        + len(list(examples.glob("text/*.txt")))
    )
    for _ in range(2):  # the second run starts from scratch again
        result = runner.invoke(app, ["demo", "--db", str(db), "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert _count(db, "documents") == n_inputs
        lines = result.stdout.strip().splitlines()
        summary = next(line for line in lines if line.startswith("demo: "))
        assert summary.startswith(f"demo: {n_inputs} documents") and str(out.resolve()) in summary
        assert lines[-1] == f"browse it: armsledger serve --db {db}"
    assert "Claims (" in result.stdout and "Flows (" in result.stdout
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_demo_refuses_to_delete_other_files(runner: CliRunner, tmp_path: Path) -> None:
    precious = tmp_path / "thesis.db"
    precious.write_text("my thesis", encoding="utf-8")
    result = runner.invoke(app, ["demo", "--db", str(precious), "--out", str(tmp_path / "r.html")])
    assert result.exit_code == 2
    assert "refusing to delete" in result.stderr
    assert precious.read_text(encoding="utf-8") == "my thesis"


def test_demo_without_examples(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARMSLEDGER_EXAMPLES_DIR", str(tmp_path / "none"))
    result = runner.invoke(app, ["demo", "--db", str(tmp_path / "d.db"), "--out", str(tmp_path / "r.html")])
    assert result.exit_code == 1
    assert "no example reports found" in result.stderr


def test_demo_keeps_a_ledger_with_other_documents(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The demo rebuilds the default ledger only while it holds nothing but the bundled examples.
    monkeypatch.chdir(tmp_path)
    report = tmp_path / "own.txt"
    report.write_text(
        "Seoul says Pyongyang sent 1,000 troops to Russia.\n\nNorth Korea sent 1,000 troops.", "utf-8"
    )
    assert runner.invoke(app, ["ingest", str(report), "--db", "armsledger.db"]).exit_code == 0
    before = _count(tmp_path / "armsledger.db", "documents")
    result = runner.invoke(app, ["demo", "--out", str(tmp_path / "r.html")])
    assert result.exit_code == 2
    assert "not the bundled examples" in result.output
    assert _count(tmp_path / "armsledger.db", "documents") == before
