"""`armsledger estimate`, the ledger link (ingest stores estimates, `--claim` re-runs them) and the report.

Real SQLite files under tmp_path, the real extractor on the seed article, the Typer app in-process.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine
from typer.testing import CliRunner

from armsledger.cli import app
from armsledger.estimate import load_catalogue, single
from armsledger.estimate.link import conversion_pairs, store_document_estimates
from armsledger.models import Category, Qualifier
from armsledger.report import render_html
from armsledger.store import Ledger, SaveState
from armsledger.store.schema import metadata

from .conftest import REPO, make_claim, make_doc

SEED_ARTICLE = REPO.parent / "shared" / "seed-article.txt"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _json(runner: CliRunner, *args: str) -> dict[str, Any]:
    result = runner.invoke(app, ["estimate", *args, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


# -- direct estimates and checks -------------------------------------------------------------------------


@pytest.mark.parametrize(("containers", "stated"), [("6700", 3e6), ("13,000", 6e6), ("28000", 12e6)])
def test_cli_official_value_matches_the_statements(runner: CliRunner, containers: str, stated: float) -> None:
    data = _json(runner, containers, "containers", "--as", "152mm")
    assert abs(data["official"]["value"] - stated) / stated < 0.10


def test_cli_json_shape(runner: CliRunner) -> None:
    data = _json(runner, "16000", "containers", "--as", "152mm", "--draws", "20000", "--seed", "3")
    assert {"official", "physical", "empirical", "per_carrier", "assumptions", "sensitivity"} <= set(data)
    assert {"p5", "p50", "p95", "mean"} <= set(data["physical"])
    assert data["physical"]["p5"] < 6e6 and data["physical"]["p95"] > 4e6
    assert {"low", "high"} <= set(data["empirical"])
    assert data["query"]["draws"] == 20000 and data["query"]["seed"] == 3
    assert any(a["unverified"] for a in data["assumptions"])
    assert data["sensitivity"][0]["label"]
    assert "check" not in data


def test_cli_check(runner: CliRunner) -> None:
    data = _json(runner, "--check", "28000 containers = 12000000 152mm")
    check = data["check"]
    assert round(check["implied_per_carrier"]) == 429
    assert check["verdict"] in ("plausible", "upper bound")
    assert check["reason"]
    assert any("read as container-20ft" in n for n in data["notes"])  # size-less containers: 20 ft
    bad = _json(runner, "--check", "1000 containers = 50000000 152mm")
    assert bad["check"]["verdict"] == "implausible"


def test_cli_mix_and_table(runner: CliRunner) -> None:
    data = _json(runner, "28000", "containers", "--mix", "152mm:0.8,122mm-rocket:0.2")
    assert [m["munition"] for m in data["query"]["mix"]] == ["152mm", "122mm-rocket"]
    table = runner.invoke(app, ["estimate", "28000", "containers", "--as", "152mm"])
    assert table.exit_code == 0
    for label in ("official", "physical p5", "empirical", "ceiling", "UNVERIFIED", "rank correlation"):
        assert label in table.stdout


def test_cli_qualifier(runner: CliRunner) -> None:
    exact = _json(runner, "28000", "containers")
    over = _json(runner, "28000", "containers", "--qualifier", "over")
    worded = _json(runner, "over 28000", "containers")
    assert over["physical"] == worded["physical"]
    assert over["physical"]["mean"] > exact["physical"]["mean"]
    assert any("assumed 152mm" in n for n in exact["notes"])  # no --as: the official reference munition


def test_cli_list(runner: CliRunner) -> None:
    table = runner.invoke(app, ["estimate", "--list"])
    assert table.exit_code == 0 and "122mm-rocket" in table.stdout and "ship-voyage" in table.stdout
    data = _json(runner, "--list")
    assert {m["id"] for m in data["munitions"]} >= {"152mm", "155mm"}
    assert all(v["sources"] for m in data["munitions"] for v in m["values"].values())


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["28000", "contaners", "--as", "152mm"], "did you mean container-20ft"),
        (["28000", "containers", "--as", "15mm"], "--list"),
        (["0", "containers"], "above zero"),
        (["-5", "containers"], "above zero"),
        (["5000000", "containers"], "beyond any reported shipment"),
        (["28000", "containers", "--mix", "152mm:0.5,122mm-rocket:0.2"], "sum to 0.7"),
        (["28000", "containers", "--draws", "10000000000"], "GiB of memory"),
        (["28000", "containers", "--draws", "10"], "too few"),
        (["28000", "containers", "--as", "152mm", "--mix", "152mm:1"], "--as and --mix"),
        (["--check", "28000 containers"], "N CARRIERS = M"),
        (["--check", "0 containers = 5 152mm"], "above zero"),
        (["28000"], "needs a CARRIER"),
        ([], "nothing to estimate"),
        (["--list", "--check", "1 container = 1"], "cannot be combined"),
        (["28000", "containers", "--qualifier", "roughly-ish"], "--qualifier"),
        (["28000", "containers", "--seed", "-3"], "negative"),
        (["--claim", "abc", "--seed", "-3"], "negative"),
        (["--claim", "abc", "--draws", "5"], "too few"),
    ],
)
def test_cli_bad_input_is_a_usage_error_without_traceback(
    runner: CliRunner, args: list[str], fragment: str
) -> None:
    result = runner.invoke(app, ["estimate", *args])
    assert result.exit_code == 2
    assert fragment in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


# -- the ledger link -------------------------------------------------------------------------------------


@pytest.fixture
def seed_db(runner: CliRunner, tmp_path: Path) -> Path:
    if not SEED_ARTICLE.is_file():
        pytest.skip(f"seed article not found at {SEED_ARTICLE}")
    db = tmp_path / "ledger.db"
    result = runner.invoke(app, ["ingest", str(SEED_ARTICLE), "--published", "2025-07-13", "--db", str(db)])
    assert result.exit_code == 0, result.stderr
    return db


def test_ingest_stores_an_estimate_linked_to_the_container_and_shell_claims(seed_db: Path) -> None:
    with Ledger.open(str(seed_db)) as ledger:
        [estimate] = ledger.list_estimates()
        carrier = ledger.get_claim(estimate.carrier_claim_id)
        ammo = ledger.get_claim(estimate.ammunition_claim_id)
    assert carrier is not None and ammo is not None
    assert carrier.claim.category is Category.SHIPMENT and carrier.claim.quantity.central == 28000
    assert ammo.claim.category is Category.AMMUNITION and ammo.claim.estimated
    assert ammo.claim.quantity.central == 12_000_000
    assert estimate.document_id == carrier.document_id == ammo.document_id
    assert estimate.inputs["mix"] == [{"munition": "152mm", "share": 1.0}]  # from "152mm" in the text
    assert not estimate.inputs["munition_assumed"]
    assert estimate.result["check"]["verdict"] in ("plausible", "upper bound")
    assert round(estimate.result["check"]["implied_per_carrier"]) == 429


def test_ingesting_twice_does_not_duplicate_estimates(runner: CliRunner, seed_db: Path) -> None:
    before = _count(seed_db, "estimates")
    with sqlite3.connect(seed_db) as conn:
        stamp = conn.execute("SELECT created_at FROM estimates").fetchone()[0]
    again = runner.invoke(
        app, ["ingest", str(SEED_ARTICLE), "--published", "2025-07-13", "--db", str(seed_db)]
    )
    assert again.exit_code == 0, again.stderr
    assert before == _count(seed_db, "estimates") == 1
    with sqlite3.connect(seed_db) as conn:
        assert conn.execute("SELECT created_at FROM estimates").fetchone()[0] == stamp  # untouched


def test_estimate_claim_reruns_the_stored_estimate(runner: CliRunner, seed_db: Path) -> None:
    with Ledger.open(str(seed_db)) as ledger:
        [stored] = ledger.list_estimates()
    for claim_id in (stored.carrier_claim_id, stored.ammunition_claim_id):
        result = runner.invoke(app, ["estimate", "--claim", claim_id, "--db", str(seed_db), "-f", "json"])
        assert result.exit_code == 0, result.stderr
        data = json.loads(result.stdout)
        [run] = data["estimates"]
        assert run["estimate_id"] == stored.id and run["stored"]
        assert run["physical"] == stored.result["physical"]  # same inputs, same seed: same answer
        assert run["check"]["verdict"] == stored.result["check"]["verdict"]
    more = runner.invoke(
        app,
        [
            "estimate",
            "--claim",
            stored.carrier_claim_id,
            "--db",
            str(seed_db),
            "--draws",
            "5000",
            "-f",
            "json",
        ],
    )
    assert more.exit_code == 0, more.stderr
    with Ledger.open(str(seed_db)) as ledger:
        [updated] = ledger.list_estimates()
    assert updated.id == stored.id and updated.inputs["draws"] == 5000  # re-run replaces, never duplicates
    table = runner.invoke(app, ["estimate", "--claim", stored.carrier_claim_id, "--db", str(seed_db)])
    assert table.exit_code == 0
    assert stored.result["check"]["verdict"].upper() in table.stdout


def test_estimate_claim_errors(runner: CliRunner, seed_db: Path) -> None:
    missing = runner.invoke(app, ["estimate", "--claim", "0000000000000000", "--db", str(seed_db)])
    assert missing.exit_code == 2 and "no claim" in missing.stderr
    with Ledger.open(str(seed_db)) as ledger:
        troops = next(c for c in ledger.list_claims() if c.claim.category is Category.PERSONNEL)
    unrelated = runner.invoke(app, ["estimate", "--claim", troops.claim_id, "--db", str(seed_db)])
    assert unrelated.exit_code == 2 and "part of no conversion" in unrelated.stderr


TEXT = (
    "Officials in Seoul counted about 6,700 containers moved north-east by rail since the summer.\n\n"
    "Had every box held 152mm shells that would be more than 3 million rounds; filled with 122mm rockets "
    "instead, some 500,000.\n\n"
    "A separate American tally put the total at more than 10,000 containers."
)


def _span(fragment: str) -> tuple[int, int]:
    start = TEXT.index(fragment)
    return start, start + len(fragment)


def test_pairs_take_the_nearest_carrier_and_the_calibre_next_to_each_figure(ledger: Ledger) -> None:
    doc = make_doc(TEXT, title="two calibres", published=date(2024, 2, 27))
    s1, s2, s3 = (p.split(".")[0] for p in TEXT.split("\n\n"))
    ledger.add_document(
        doc,
        [
            make_claim(category=Category.SHIPMENT, item="container", value=6700,
                       qualifier=Qualifier.APPROXIMATELY, span=_span(s1), evidence=s1),
            make_claim(item="round", value=3_000_000, qualifier=Qualifier.MORE_THAN, estimated=True,
                       span=_span(s2), evidence=s2),
            make_claim(item="rocket", value=500_000, qualifier=Qualifier.APPROXIMATELY, estimated=True,
                       span=_span(s2), evidence=s2),
            make_claim(category=Category.SHIPMENT, item="container", value=10000,
                       qualifier=Qualifier.MORE_THAN, span=_span(s3), evidence=s3),
        ],
    )  # fmt: skip
    catalogue = load_catalogue()
    pairs = conversion_pairs(catalogue, doc.text, ledger.document_claims(doc.id))
    by_rounds = {p.ammunition_claim.quantity.central: p for p in pairs}
    assert set(by_rounds) == {3_000_000, 500_000}
    assert {p.carrier_claim.quantity.central for p in pairs} == {6700}
    assert by_rounds[3_000_000].cargo.mix == single("152mm")
    assert by_rounds[500_000].cargo.mix == single("122mm-rocket")
    assert not by_rounds[500_000].cargo.assumed
    saved = store_document_estimates(ledger, catalogue, doc.id, draws=5000, seed=1)
    assert [state for _, state in saved] == [SaveState.INSERTED, SaveState.INSERTED]
    again = store_document_estimates(ledger, catalogue, doc.id, draws=5000, seed=1)
    assert [state for _, state in again] == [SaveState.UNCHANGED, SaveState.UNCHANGED]
    verdicts = {e.result["check"]["rounds"]: e.result["check"]["verdict"] for e in ledger.list_estimates()}
    assert verdicts[3_000_000] in ("plausible", "upper bound")
    assert verdicts[500_000] == "plausible"


def test_no_calibre_in_the_text_is_flagged_as_assumed(ledger: Ledger) -> None:
    text = "The North sent about 1,000 containers, which could hold some 400,000 shells, officials said."
    doc = make_doc(text)
    ledger.add_document(
        doc,
        [
            make_claim(category=Category.SHIPMENT, item="container", value=1000, span=(0, len(text))),
            make_claim(item="shell", value=400_000, estimated=True, span=(0, len(text)), evidence=text),
            make_claim(item="shell", value=7, estimated=False, span=(0, 5)),  # not a conversion
        ],
    )
    [pair] = conversion_pairs(load_catalogue(), doc.text, ledger.document_claims(doc.id))
    assert pair.cargo.mix == single("152mm") and pair.cargo.assumed and "assumed" in pair.cargo.basis


def test_a_list_of_calibres_after_the_figure_is_an_assumed_equal_mix(ledger: Ledger) -> None:
    text = (
        "Counting about 16,000 boxes, the analysts put their contents at between 4.0 million and 6.0 million "
        "rounds of 152mm and 122mm shells and 122mm rockets. Older 82mm stocks were not counted."
    )
    doc = make_doc(text)
    ledger.add_document(
        doc,
        [
            make_claim(category=Category.SHIPMENT, item="container", value=16000, span=(0, 40)),
            make_claim(item="round", low=4_000_000, high=6_000_000, qualifier=Qualifier.RANGE,
                       estimated=True, span=(0, len(text)), evidence=text),
        ],
    )  # fmt: skip
    [pair] = conversion_pairs(load_catalogue(), doc.text, ledger.document_claims(doc.id))
    assert [m.munition for m in pair.cargo.mix] == ["152mm", "122mm", "122mm-rocket"]
    assert sum(m.share for m in pair.cargo.mix) == pytest.approx(1)
    assert pair.cargo.assumed and "equal shares" in pair.cargo.basis
    [(_, state)] = store_document_estimates(ledger, load_catalogue(), doc.id, draws=2000, seed=1)
    assert state is SaveState.INSERTED
    [stored] = ledger.list_estimates()
    assert stored.result["check"]["rounds"] == 5_000_000


def test_re_extraction_deletes_the_estimates_of_replaced_claims(ledger: Ledger) -> None:
    text = "About 1,000 containers went north, enough for over 400,000 152mm shells."
    doc = make_doc(text)
    claims = [
        make_claim(category=Category.SHIPMENT, item="container", value=1000, span=(0, 24)),
        make_claim(item="152mm shell", value=400_000, estimated=True, span=(0, len(text)), evidence=text),
    ]
    ledger.add_document(doc, claims)
    store_document_estimates(ledger, load_catalogue(), doc.id, draws=2000, seed=1)
    assert len(ledger.list_estimates()) == 1
    ledger.add_document(doc, claims[:1], extractor_version="99.0.0")  # the conversion is gone
    assert ledger.list_estimates() == []


def test_schema_matches_the_migrations(ledger: Ledger, db_path: Path) -> None:
    engine = create_engine(f"sqlite:///{db_path}")
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
    engine.dispose()


# -- the HTML report -------------------------------------------------------------------------------------


def test_report_draws_the_histogram_as_inline_svg(runner: CliRunner, seed_db: Path, tmp_path: Path) -> None:
    with Ledger.open(str(seed_db)) as ledger:
        html = render_html(ledger)
        [stored] = ledger.list_estimates()
    section = html[html.index('<section id="estimates"') :]
    section = section[: section.index("</section>")]
    assert '<a href="#estimates">' in html
    assert section.count("<svg") == 1 and 'class="bar"' in section
    bars = section.count('class="bar"')
    assert bars == len(stored.result["histogram"]["counts"]) == 40
    assert "official 12.3 million" in section and "upper bound" in section.lower()
    assert "<script" not in html.lower() and "http://www.w3.org/2000/svg" in section
    assert not [m for m in ("src=", 'href="http') if m in section]
    out = tmp_path / "report.html"
    assert runner.invoke(app, ["report", "--db", str(seed_db), "--out", str(out)]).exit_code == 0
    assert out.read_text(encoding="utf-8").count('class="histogram"') == 1


def test_report_without_estimates_says_so(ledger: Ledger) -> None:
    html = render_html(ledger)
    assert "No conversions of carriers into rounds" in html
